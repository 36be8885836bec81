// A person's name as every page shows it (docs/scoring.md, "Names"), the same rule as the server's
// (Domain/Text/PersonNames.cs): written in Chinese, Japanese or Korean characters, family name first with no space
// (欧阳志明); otherwise first name first (Louis Martin).
const eastAsian = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\u{20000}-\u{3134f}·・•]+$/u;
const letter = /[^·・•]/u;

export const isEastAsian = (text: string): boolean => eastAsian.test(text) && letter.test(text);

export function personName(firstName: string, lastName: string): string {
  return isEastAsian(firstName) && isEastAsian(lastName) ? `${lastName}${firstName}` : `${firstName} ${lastName}`;
}
