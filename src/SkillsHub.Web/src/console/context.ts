import type { Me } from './api';
import { errorText } from '../kernel/problems';
import { h } from './dom';
import { t } from './strings';

export interface Ctx {
  me: Me;
  /** Competition and skill the page works on (a Chief Expert's own; an organiser's choice). */
  code: string | null;
  skill: number | null;
  toast(message: string, error?: boolean): void;
  rerender(): void;
  /** Called when the page is left, to close live connections. */
  onLeave(dispose: () => void): void;
}

export const isOrganiser = (me: Me) => me.roles.includes('Admin') || me.roles.includes('Organiser');
export const isAdmin = (me: Me) => me.roles.includes('Admin');
export const isChief = (me: Me) => me.roles.includes('ChiefExpert');

/** An error in the page's language (problem codes translated, docs/pages.md "Languages"). */
export const messageOf = (e: unknown): string => errorText(e);

export function section(title: string, ...children: (Node | null | false)[]): HTMLElement {
  return h('section', { class: 'cpanel' }, h('h2', {}, title), ...children);
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'cfield' }, h('span', {}, label), input);
}

export function errorLine(e: unknown): HTMLElement {
  return h('p', { class: 'cerror', role: 'alert' }, t('error', { message: messageOf(e) }));
}
