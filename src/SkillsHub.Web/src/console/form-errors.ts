// A refused form of the console (a new competition, a new account): its refusal in the page's language, its fields marked
// and described by it, and the focus on the first of them.
import { currentLang } from '../i18n';
import { ProblemError } from './api';
import * as Kernel from '../kernel/problems';
import { h } from './dom';
import { t } from './strings';
import { errorLine } from './context';

/**
 * A refused form (a new competition, a new account) in the page's language, each field named as the form labels it
 * (`labels`): in English the server's reason for each field; in Chinese the translated refusal naming the fields, as the
 * server words its reasons in English only. Found by an outside tester: a form's refusal was shown as a file's ("The
 * file was refused", a "Row" column) with the request's field keys.
 */
export function formErrors(e: unknown, labels: Record<string, string>, form?: HTMLFormElement, focus = true): HTMLElement {
  const shown = refusal(e, labels);
  if (form) markInvalid(form, e, focus, shown);
  return shown;
}

function refusal(e: unknown, labels: Record<string, string>): HTMLElement {
  if (!(e instanceof ProblemError)) return errorLine(e);
  const problem = e.problem;
  const errors = Object.entries(problem.errors ?? {});
  const name = (field: string) => labels[field] ?? Kernel.fieldName(field);
  if (currentLang() === 'zh' || errors.length === 0) {
    const line = h('p', { class: 'cerror' }, t('error', { message: Kernel.problemMessage(problem, e.status, labels) }));
    // The reasons the server gives in fixed words, in Chinese too (found by an outside tester: only the fields were named).
    const reasons = currentLang() === 'zh' ? errors.flatMap(([field, messages]) => messages.flatMap((m) => (zhReasons[m] ? [`${name(field)}：${zhReasons[m]}`] : []))) : [];
    if (reasons.length === 0) {
      line.setAttribute('role', 'alert');
      return line;
    }
    return h('div', { class: 'crefused', role: 'alert' }, line, h('ul', {}, ...reasons.map((r) => h('li', {}, r))));
  }
  return h('div', { class: 'crefused', role: 'alert' },
    h('p', { class: 'cerror' }, t('error', { message: Kernel.problemTitle(problem) })),
    h('ul', {}, ...errors.flatMap(([field, messages]) => messages.map((m) => h('li', {}, `${name(field)}: ${m}`)))));
}

/** The server's fixed words for a form's fields (Api/SetupApi.cs), in Chinese. */
const zhReasons: Record<string, string> = {
  'The code is 3 to 16 letters or digits, e.g. NSC2026.': '代码为 3 至 16 位字母或数字，例如 NSC2026。',
  "The competition's name is required.": '须填写赛事名称。',
  'The city is required.': '须填写城市。',
  'The country is required.': '须填写国家或地区。',
  'The competition cannot end before it starts.': '结束日期不能早于开始日期。',
  "A competition's dates are between 1950 and 2100.": '赛事日期应在 1950 年至 2100 年之间。',
};

let refusals = 0;

/**
 * The fields a refusal names are marked invalid, described by the refusal (`aria-describedby`, so a screen reader on
 * the field says why; found by an outside tester: it said only "invalid entry"), and the first of them takes the focus
 * once the refusal is on the page (found by an outside tester: the fields were not marked, and the focus fell to the page
 * when the submit button was disabled while sending).
 */
function markInvalid(form: HTMLFormElement, e: unknown, focus: boolean, shown: HTMLElement): void {
  const fields = e instanceof ProblemError ? Kernel.namedFields(e.problem) : [];
  const inputs = fields.map((f) => form.querySelector<HTMLElement>(`[name="${CSS.escape(f)}"]`)).filter((x): x is HTMLElement => x !== null);
  markFields(form, inputs, shown, focus);
}

/**
 * Marks `inputs` invalid and described by `shown` (the refusal), after taking out the marks an earlier refusal left in
 * `container`; a form of the console's own, or a roster row's edit form (found by an outside tester: its fields were
 * marked but not described).
 */
export function markFields(container: HTMLElement, inputs: HTMLElement[], shown: HTMLElement, focus: boolean): void {
  container.querySelectorAll<HTMLElement>('[aria-invalid]').forEach((x) => {
    x.removeAttribute('aria-invalid');
    describe(x, x.dataset.refusal, false);
    delete x.dataset.refusal;
  });
  if (inputs.length > 0) shown.id ||= `refusal-${++refusals}`;
  for (const input of inputs) {
    input.setAttribute('aria-invalid', 'true');
    input.dataset.refusal = shown.id;
    describe(input, shown.id, true);
  }
  // The caller puts the refusal on the page right after: the focus waits for it, so the description is there to read.
  if (focus) queueMicrotask(() => inputs[0]?.focus());
}

/** Adds or takes out one id of an element's `aria-describedby`, keeping the others (a hint's). */
function describe(element: HTMLElement, id: string | undefined, add: boolean): void {
  if (!id) return;
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (add) ids.push(id);
  if (ids.length > 0) element.setAttribute('aria-describedby', ids.join(' '));
  else element.removeAttribute('aria-describedby');
}
