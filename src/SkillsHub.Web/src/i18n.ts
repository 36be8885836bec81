// Bilingual pages: English and Simplified Chinese. The choice is remembered per browser.
export type Lang = 'en' | 'zh';

type Dictionary = Record<string, string>;

const storageKey = 'skillshub.lang';

export function currentLang(): Lang {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(storageKey, lang);
}

export function translator(dictionaries: Record<Lang, Dictionary>) {
  return (key: string, values: Record<string, string | number> = {}): string => {
    const lang = currentLang();
    const template = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };
}

/** Fills every element carrying data-i18n and wires the language toggle button. */
export function applyStatic(t: (key: string) => string, onChange: () => void): void {
  document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n!);
  }
  const toggle = document.getElementById('lang');
  if (toggle) {
    toggle.textContent = currentLang() === 'zh' ? 'English' : '中文';
    // The accessible name starts with the visible text (WCAG 2.5.3), then says what the button is.
    toggle.setAttribute('aria-label', `${toggle.textContent} · Language · 语言`);
    toggle.onclick = () => {
      setLang(currentLang() === 'zh' ? 'en' : 'zh');
      applyStatic(t, onChange);
      onChange();
    };
  }
}
