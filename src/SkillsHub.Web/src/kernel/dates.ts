// Calendar days as every page writes them, in the page's language: "1 Jun 2025", "2025年6月1日". A day is read and
// written in UTC, so a browser west of Greenwich does not show the day before (docs/pages.md, "Ways in").
import { currentLang } from '../i18n';

/** A date (yyyy-mm-dd, or the start of an ISO timestamp) as a day; the text itself when it is not one. */
export function dateText(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}
