/**
 * What a person was doing in a section, carried across the section being drawn again (docs/pages.md, "Console"): the
 * text typed and boxes ticked (on a language switch or a live change, not after an action, whose form is meant to start
 * afresh), and the focus (always: an outside tester's focus fell to the page after Lock, Unlock, Set visibility and
 * Revoke, each of which draws the section again).
 *
 * An element is found again by what names it: its id, or its tag, name and data attributes with those of its
 * ancestors (a reason field is `input[name=reason][data-unlock-reason=A]`; a grid cell is its row's competitor and its
 * column's criterion). Attributes that say a state (a cell's counts, a lock) are not part of the name.
 */
// data-label repeats a column's header in the page's language (console/dom.ts): not a name either.
const stateAttributes = new Set(['data-label', 'data-state', 'data-done', 'data-total', 'data-locked', 'data-planned', 'data-mode', 'data-published', 'data-more']);

function nameOf(element: Element, root: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = element; node && node !== root; node = node.parentElement) {
    if (node.id) {
      parts.push(`#${node.id}`);
      break;
    }
    const own = [...node.attributes].filter((a) => a.name.startsWith('data-') && !stateAttributes.has(a.name)).map((a) => `[${a.name}=${a.value}]`);
    const name = node.getAttribute('name');
    // Boxes of one name (an account's roles) are told apart by their value.
    const value = node instanceof HTMLInputElement && (node.type === 'checkbox' || node.type === 'radio') ? `[value=${node.value}]` : '';
    if (node === element || own.length > 0) parts.push(`${node.tagName}${name ? `[name=${name}]` : ''}${value}${own.join('')}`);
  }
  return parts.reverse().join(' ');
}

export interface Snapshot {
  values: Map<string, string | boolean>;
  focus: string | null;
  /** Where the focused element was in the window (its top), so it is put back there. */
  focusTop?: number;
}

/** The fields changed from what they were drawn with, and where the focus is, in `root`. */
export function snapshot(root: Element): Snapshot {
  const values = new Map<string, string | boolean>();
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
      if (field.checked !== field.defaultChecked) values.set(nameOf(field, root), field.checked);
    } else if (field.value !== field.defaultValue && !(field instanceof HTMLInputElement && field.type === 'file')) {
      values.set(nameOf(field, root), field.value);
    }
  }
  const active = document.activeElement;
  const focused = active && active !== document.body && root.contains(active) ? active : null;
  return { values, focus: focused ? nameOf(focused, root) : null, focusTop: focused?.getBoundingClientRect().top };
}

/**
 * Puts back into `root` what `snapshot` took: values only when asked (and only into fields still as they were drawn,
 * telling their page as typing would), the focus always, else to `fallback` when given.
 */
export function restore(root: Element, taken: Snapshot, values: boolean, fallback?: string): void {
  const named = new Map<string, Element>();
  for (const element of root.querySelectorAll('*')) {
    const name = nameOf(element, root);
    if (!named.has(name)) named.set(name, element);
  }
  if (values) {
    for (const [name, value] of taken.values) {
      const field = named.get(name);
      if (field instanceof HTMLInputElement && typeof value === 'boolean') {
        if (field.checked !== value) {
          field.checked = value;
          field.dispatchEvent(new Event('change', { bubbles: true }));
        }
      } else if ((field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && typeof value === 'string' && field.value === field.defaultValue && field.value !== value) {
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }
  }
  const focus = (taken.focus ? named.get(taken.focus) : undefined) ?? (fallback ? root.querySelector(fallback) : null);
  if (!(focus instanceof HTMLElement)) return;
  focus.focus({ preventScroll: true });
  // The page scrolled so that the focus is where it was in the window, or in view when it is another element (found by an
  // outside tester: after Lock the page was at its top, the focused reason field 3,400 px below it).
  const top = focus.getBoundingClientRect().top;
  if (taken.focusTop !== undefined && top !== taken.focusTop) window.scrollBy(0, top - taken.focusTop);
  focus.scrollIntoView({ block: 'nearest' });
}

/**
 * A section drawn again keeps its height while it says "Loading…", so the page's scroll is not cut back to its top (found
 * by an outside tester: after Lock the page was at its top, the focus 3,400 px below); `restore` then puts the focus back
 * where it was in the window. The height is let go once the new drawing is in (keepPlaceUntilDrawn).
 */
export function holdPlace(root: HTMLElement): void {
  root.style.minHeight = `${root.offsetHeight}px`;
}

/** Lets go of a height held by holdPlace once <root> shows something other than its "Loading…" line. */
export function keepPlaceUntilDrawn(root: HTMLElement): void {
  new MutationObserver(() => {
    if (!root.firstElementChild?.hasAttribute('data-loading')) root.style.minHeight = '';
  }).observe(root, { childList: true });
}
