// The one DOM helper of the pages: el('td', 'num', '12.5'). (The console's h() builds on it.)
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Chinese text inside English: Han characters and CJK punctuation, with any digits between them ("人社鉴发〔2019〕2号"). */
const chineseRun = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]+(?:[0-9\u2060]+[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]+)*/gu;

/**
 * Text of an English page as nodes, each run of Chinese in it marked lang="zh-CN" (WCAG 3.1.2, language of parts), so a
 * screen reader reads it in a Chinese voice rather than as "Chinese character" (found by an outside tester). On a Chinese
 * page (lang zh-CN) the text is one node.
 */
export function withLanguageRuns(text: string): (string | HTMLElement)[] {
  if (document.documentElement.lang.startsWith('zh')) return [text];
  const nodes: (string | HTMLElement)[] = [];
  let at = 0;
  for (const match of text.matchAll(chineseRun)) {
    if (match.index > at) nodes.push(text.slice(at, match.index));
    const span = el('span', undefined, match[0]);
    span.lang = 'zh-CN';
    nodes.push(span);
    at = match.index + match[0].length;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

/**
 * Sends a form once at a time: its submit buttons are disabled and the form marked busy (aria-busy, shown by the pages'
 * CSS) until the answer has come; a submission while one is under way does nothing. Found by an outside tester: a second
 * tap while the server was slow filed a second, identical exam session, and the page showed no sign of working.
 */
export async function submitting(form: HTMLFormElement, send: () => Promise<void>): Promise<void> {
  if (form.getAttribute('aria-busy') === 'true') return;
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type=submit]')].filter((b) => !b.disabled);
  const focused = buttons.find((b) => b === document.activeElement);
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await send();
  } finally {
    form.removeAttribute('aria-busy');
    buttons.forEach((b) => { b.disabled = false; });
    // The next Tab goes on from the form (found by an outside tester: it skipped the error and reached "End session").
    takeBackFocus(focused);
  }
}

/**
 * A button disabled while its work ran let the focus fall to the page: it takes the focus back, unless the answer put it
 * elsewhere or drew the button away.
 */
export function takeBackFocus(button: HTMLElement | undefined): void {
  if (button?.isConnected && (document.activeElement === document.body || document.activeElement === null)) button.focus();
}

/** Text whose `names` in backticks are code (a file's columns, typed as they are in either language): code elements. */
export function withCode(text: string): (string | HTMLElement)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', undefined, part) : part)).filter((part) => part !== '');
}

/**
 * A file input that speaks the page's language: a browser draws its own "Choose File / No file chosen" in the browser's
 * language, not the page's (an outside tester: English on Chinese pages). The input stays in its label, focusable and
 * hidden from sight (style.css, `.filepick-input`); after it, a button-like text and the chosen file's name. Returns the
 * function that writes the texts again (after a language switch).
 */
export function filePicker(input: HTMLInputElement, words: () => { choose: string; none: string }): () => void {
  const button = el('span', 'filepick-button');
  const name = el('span', 'filepick-name');
  button.setAttribute('aria-hidden', 'true');
  input.classList.add('filepick-input');
  input.after(button, name);
  const write = () => {
    const { choose, none } = words();
    button.textContent = choose;
    name.textContent = input.files?.[0]?.name ?? none;
  };
  input.addEventListener('change', write);
  write();
  return write;
}
