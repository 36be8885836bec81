// Bilingual pages: English and Simplified Chinese. The choice is remembered per browser.
// Translation keys are typed: a page's dictionary defines its keys (the Chinese table must have every
// English key, or tsc fails), and t() accepts only those keys. Keys built at run time from server
// values (an outcome, a status) go through t.maybe(), which answers undefined for an unknown key.
import { withLanguageRuns } from './kernel/dom';

export type Lang = 'en' | 'zh';

export type Values = Record<string, string | number>;

export interface Translate<K extends string> {
  (key: K, values?: Values): string;
  /** A key made at run time: its translation, or undefined when the dictionary has no such key. */
  maybe(key: string, values?: Values): string | undefined;
}

const storageKey = 'skillshub.lang';

export function currentLang(): Lang {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(storageKey, lang);
  // An address that chose the language follows the button's choice, so a reload keeps it (found by an outside tester: a
  // reload of ?lang=en after pressing 中文 went back to English, and remembered English).
  const url = new URL(location.href);
  if (url.searchParams.has('lang') && url.searchParams.get('lang') !== lang) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url);
  }
}

// A link may choose the language (?lang=zh or ?lang=en), remembered like the button's choice: a hall screen or a kiosk
// opened from a URL has no one to press the button (docs/pages.md, "Languages").
const requested = new URLSearchParams(location.search).get('lang');
if (requested === 'en' || requested === 'zh') setLang(requested);

/**
 * A template with its values: {name} is the value; {name|one|other} is "one" when the value is 1 and "other" otherwise,
 * for English's singular ("1 skill", found by an outside tester: "1 skills"). Chinese templates need no such choice.
 */
export function fill(template: string, values: Values = {}): string {
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (_, name: string, one: string, other: string) => (Number(values[name]) === 1 ? one : other))
    .replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

export function translator<const E extends Record<string, string>>(dictionaries: { en: E; zh: { [K in keyof E]: string } }): Translate<keyof E & string> {
  const lookup = (key: string): string | undefined => {
    const zh = dictionaries.zh as Record<string, string>;
    const en = dictionaries.en as Record<string, string>;
    return (currentLang() === 'zh' ? zh[key] : undefined) ?? en[key];
  };
  const t = ((key: string, values: Values = {}) => fill(lookup(key) ?? key, values)) as Translate<keyof E & string>;
  t.maybe = (key, values = {}) => {
    const template = lookup(key);
    return template === undefined ? undefined : fill(template, values);
  };
  return t;
}

/** A page's dictionaries from one table of [English, Chinese] pairs, so each text is written once with its translation. */
export function bilingual<const P extends Record<string, readonly [string, string]>>(pairs: P): { en: { [K in keyof P]: string }; zh: { [K in keyof P]: string } } {
  const side = (i: 0 | 1) => Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, v[i]])) as { [K in keyof P]: string };
  return { en: side(0), zh: side(1) };
}

/** Fills every element carrying data-i18n and wires the language toggle button. */
export function applyStatic(t: Translate<string> | ((key: never) => string), onChange: () => void): void {
  document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
  const lookup = t as unknown as (key: string) => string;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.replaceChildren(...withLanguageRuns(lookup(node.dataset.i18n!)));
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) node.setAttribute('aria-label', lookup(node.dataset.i18nLabel!));
  const toggle = document.getElementById('lang');
  if (toggle) {
    // Its name is its text, marked with the language it is in (WCAG 3.1.2), so a screen reader says "中文" in a Chinese
    // voice on an English page; what the button is, in the page's language, is its description (found by an outside tester:
    // "中文" was read in an English voice, and the name mixed three languages).
    const word = document.createElement('span');
    word.lang = currentLang() === 'zh' ? 'en' : 'zh-CN';
    word.textContent = currentLang() === 'zh' ? 'English' : '中文';
    toggle.removeAttribute('aria-label');
    toggle.replaceChildren(word);
    let what = document.getElementById('lang-what');
    if (!what) {
      what = document.createElement('span');
      what.id = 'lang-what';
      what.className = 'visually-hidden';
      toggle.after(what);
    }
    what.textContent = currentLang() === 'zh' ? '切换语言' : 'Language';
    toggle.setAttribute('aria-describedby', 'lang-what');
    toggle.onclick = () => {
      setLang(currentLang() === 'zh' ? 'en' : 'zh');
      applyStatic(t, onChange);
      onChange();
    };
  }
}

// A field left empty or too short is said in the page's language, not the browser's (found by an outside tester: Chromium's
// "Please fill out this field." on the Chinese console, its browser being English). The browser's message is replaced when
// the field is found invalid, and cleared as soon as the field changes; a message the page itself set is left alone.
document.addEventListener('invalid', (e) => {
  const field = e.target;
  if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement || field instanceof HTMLTextAreaElement) || field.validity.customError) return;
  const zh = currentLang() === 'zh';
  const short = !(field instanceof HTMLSelectElement) && field.validity.tooShort;
  if (!field.validity.valueMissing && !short) return;
  field.setCustomValidity(short
    ? (zh ? `请至少输入 ${field.minLength} 个字符（当前 ${field.value.length} 个）。` : `Use at least ${field.minLength} characters (now ${field.value.length}).`)
    : (zh ? '请填写此项。' : 'Please fill in this field.'));
  const clear = () => field.setCustomValidity('');
  field.addEventListener('input', clear, { once: true });
  field.addEventListener('change', clear, { once: true });
}, true);
