import type { Me } from './api';
import { errorText } from '../kernel/problems';
import { h } from './dom';
import { t } from './strings';

export interface Ctx {
  me: Me;
  /** Competition and skill the page works on (a Chief Expert's own; an organiser's choice). */
  code: string | null;
  /** The chosen competition's name in the page's language, when the picker knows it (an import card names it too). */
  competitionName?: string;
  skill: number | null;
  toast(message: string, error?: boolean): void;
  /** Draws the section again after an action (its forms afresh); the focus stays, or goes to `focus` when its element is gone. */
  rerender(focus?: string): void;
  /** Draws the section again after a change made elsewhere, keeping what was typed and the focus (console/carry.ts). */
  redraw(): void;
  /** Called when the page is left, to close live connections. */
  onLeave(dispose: () => void): void;
  /**
   * State kept while the same section (and competition and skill) is drawn again: a language switch or a reload of its
   * lists draws it anew, and what was shown once (a new token, a one-time password, pairing codes, a form's refusal) is
   * drawn again from here instead of lost (found by an outside tester). Another section starts afresh.
   */
  keep<T extends object>(key: string, make: () => T): T;
}

export const isOrganiser = (me: Me) => me.roles.includes('Admin') || me.roles.includes('Organiser');
export const isAdmin = (me: Me) => me.roles.includes('Admin');
export const isChief = (me: Me) => me.roles.includes('ChiefExpert');

/** An error in the page's language (problem codes translated, docs/pages.md "Languages"). */
export const messageOf = (e: unknown, labels: Record<string, string> = {}): string => errorText(e, labels);

export function section(title: string, ...children: (Node | null | false)[]): HTMLElement {
  return h('section', { class: 'cpanel' }, h('h2', {}, title), ...children);
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'cfield' }, h('span', {}, label), input);
}

/**
 * A card with nothing in it yet says so and what to do, instead of showing an empty table or list (docs/pages.md,
 * "Console"). Where the remedy is an import, an organiser gets a link to Setup.
 */
export function emptyNote(ctx: Ctx, text: string, toSetup = false): HTMLElement {
  const link = toSetup && isOrganiser(ctx.me) && !location.pathname.startsWith('/console/setup');
  return h('p', { class: 'cempty' }, text, link ? [' ', h('a', { href: '/console/setup', 'data-route': '' }, t('empty.setup'))] : null);
}

/**
 * A table wider than its card scrolls sideways inside it, with a visible cue (docs/pages.md, "Tablets"): a line saying
 * so above it and a shadow on each edge with more columns beyond it, kept up to date as it scrolls or resizes. While it
 * overflows it is a named, focusable region, so the keyboard can scroll it too. Every table of the console that can be wider
 * than its card sits in one; `id`, when given, names the scrolling part.
 */
export function scrollBox(content: HTMLElement, label: string, id?: string): HTMLElement {
  const inner = h('div', { class: 'cscroll', id }, content);
  const box = h('div', { class: 'cscrollbox' }, inner);
  const hint = h('p', { class: 'cscrollhint', hidden: true }, t('scroll.hint'));
  const update = () => {
    const max = inner.scrollWidth - inner.clientWidth;
    const more = max > 1;
    hint.hidden = !more;
    box.dataset.more = !more ? 'none' : inner.scrollLeft <= 1 ? 'right' : inner.scrollLeft >= max - 1 ? 'left' : 'both';
    if (more) {
      inner.tabIndex = 0;
      inner.setAttribute('role', 'region');
      inner.setAttribute('aria-label', `${label} · ${t('scroll.hint')}`);
    } else {
      inner.removeAttribute('tabindex');
      inner.removeAttribute('role');
      inner.removeAttribute('aria-label');
    }
  };
  inner.addEventListener('scroll', update, { passive: true });
  // What can make it overflow: the card narrowing, the content growing, a table put in the content's place (the live
  // progress grid redraws), and a font arriving after the first layout (Chinese text widens the columns).
  const observer = new ResizeObserver(update);
  const watch = () => {
    observer.disconnect();
    for (const node of [inner, content, content.firstElementChild]) if (node) observer.observe(node);
  };
  watch();
  new MutationObserver(() => { watch(); update(); }).observe(content, { childList: true });
  void document.fonts?.ready.then(update);
  return h('div', { class: 'cscrollwrap' }, hint, box);
}

/**
 * A reason field (an unlock's, a revocation's): one left empty is not sent; it says why in the page's language and takes
 * the focus (found by an outside tester: the request went out and its refusal named only the field). Returns whether a
 * reason was given.
 */
export function reasonGiven(field: HTMLInputElement, why: string): boolean {
  if (field.value.trim()) return true;
  field.setCustomValidity(why);
  field.reportValidity();
  field.focus();
  field.addEventListener('input', () => field.setCustomValidity(''), { once: true });
  return false;
}

export function errorLine(e: unknown): HTMLElement {
  return h('p', { class: 'cerror', role: 'alert' }, t('error', { message: messageOf(e) }));
}
