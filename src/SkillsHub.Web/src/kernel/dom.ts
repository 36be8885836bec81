// The one DOM helper of the pages: el('td', 'num', '12.5'). (The console's h() builds on it.)
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Sends a form once at a time: its submit buttons are disabled and the form marked busy (aria-busy, shown by the pages'
 * CSS) until the answer has come; a submission while one is under way does nothing. Found by an outside tester: a second
 * tap while the server was slow filed a second, identical exam session, and the page showed no sign of working.
 */
export async function submitting(form: HTMLFormElement, send: () => Promise<void>): Promise<void> {
  if (form.getAttribute('aria-busy') === 'true') return;
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type=submit]')].filter((b) => !b.disabled);
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await send();
  } finally {
    form.removeAttribute('aria-busy');
    buttons.forEach((b) => { b.disabled = false; });
  }
}
