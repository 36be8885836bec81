// Tiny DOM builder: h('button', { class: 'primary', onclick }, 'Save').
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') (node as unknown as Record<string, unknown>)[key] = value;
    else if (key === 'class') node.className = String(value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

export function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** A table whose rows stack as "header: value" lines on a phone (console.css); data-label repeats the header. */
export function table(head: string[], rows: Child[][], className = 'ctable'): HTMLTableElement {
  return h('table', { class: `${className} cstack` },
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { 'data-label': head[i] ?? '' }, c))))));
}

export function fmtTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  // The month by name, as every other page writes a date ("3 Dec 2026, 20:02:52"; an outside tester found 03/12/2026 here
  // beside 4 Dec 2026 on the certificate).
  // One piece of text: a table cell holding it does not break it between the date and the time (found by an outside tester:
  // "2026年12月4日" over "18:04:02" in every row of the Chinese account log at 768 px).
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .replace(/ /g, '\u00a0');
}
