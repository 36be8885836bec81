// Calendar days as every page writes them, in the page's language: "1 Jun 2025", "2025年6月1日". A day is read and
// written in UTC, so a browser west of Greenwich does not show the day before (docs/pages.md, "Ways in").
import { currentLang } from '../i18n';

const dayFormat = (timeZone = 'UTC') =>
  new Intl.DateTimeFormat(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });

/** A date (yyyy-mm-dd, or the start of an ISO timestamp) as a day, or null when it is not one. */
function dayOf(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date as a day; the text itself when it is not one. */
export function dateText(iso: string): string {
  const date = dayOf(iso);
  return date ? dayFormat().format(date) : iso;
}

/**
 * The day an instant (an ISO timestamp) falls on in China (UTC+8), where certification counts its days
 * (docs/certification.md): withdrawn at 17:08 UTC on 4 December is 5 December there. The text itself when it is not one.
 */
export function chinaDayText(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return dayFormat('Asia/Shanghai').format(date);
}

/**
 * Two optional days as a range written the way the language writes one, the month or year said once where the two share
 * it (English "11–14 Sept 2024"; Chinese, as the Unicode locale data write a range, "2024/9/11 – 2024/9/14"); one day when
 * only one is given; '' for none.
 */
export function dateRangeText(from: string | null | undefined, to: string | null | undefined): string {
  const [start, end] = [dayOf(from), dayOf(to)];
  const format = dayFormat();
  if (start && end) return end < start ? `${format.format(start)} – ${format.format(end)}` : format.formatRange(start, end);
  return start || end ? format.format((start ?? end)!) : '';
}
