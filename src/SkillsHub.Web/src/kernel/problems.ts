// What a refusal says, in the page's language. The server's problem details and import row errors carry
// a stable `code` (docs/pages.md, "Languages"); Chinese pages show problem-texts.json's text for it, naming
// the fields at fault in Chinese and filling in the row error's arguments. English pages show the server's
// own title and detail (or row message), which name the values involved; the table's English text is used
// when the server sent none. An unknown code falls back to the server's text in both languages.
import { currentLang, fill, translator } from '../i18n';
import { ProblemError, type Problem } from './http';
import problemTexts from './problem-texts.json';

/** Every code the server sends (problem codes and import row codes), in both languages; a test checks it is complete. */
const texts: Record<string, { en: string; zh: string }> = problemTexts;

/** Request fields, CSV columns and marking-scheme columns, as the forms label them (looked up by {@link fieldKey}). */
const zhFieldNames: Record<string, string> = {
  body: '请求内容', userName: '用户名', password: '密码', code: '代码', reason: '原因', name: '姓名', idType: '证件类型', idNumber: '证件号码',
  idLast4: '证件号码后4位', id_type: '证件类型', id_number: '证件号码', occupation: '职业', level: '等级', workType: '工种', examOn: '考试日期',
  reviewOn: '综合评审日期', file: '文件', education: '学历', in_occupation_since: '从事本职业起始日期', held_level: '已取得等级', held_since: '取得日期',
  theory: '理论', practical: '技能', review: '综合评审', header: '表头', csv: 'CSV 格式', competitorId: '选手', marks: '评分', expertId: '专家',
  deviceSequence: '设备序号', scope: '备案范围', status: '状态', number: '编号', target: '锁定对象', mode: '显示方式',
  id: '编号', member: '成员', first_name: '名', last_name: '姓', role: '角色', targets: '评分对象', experts: '专家', name_en: '英文名称',
  name_zh: '中文名称', certificate_validity_years: '证书有效期（年）', related_worldskills_skill: '对应世界技能大赛项目', sector: '领域', team_size: '每队人数', competitor_max_age: '选手年龄上限', judges: '裁判人数', scheme: '评分方案',
  criteria: '评分标准', criterionId: '评分标准编号', criterionName: '评分标准名称', subCriteria: '子标准', subCriterionId: '子标准编号',
  subCriterionName: '子标准名称', aspects: '评分项', aspectId: '评分项编号', aspectType: '评分项类型', aspectDescription: '评分项描述',
  description: '描述', markingDay: '评分日', dayOfMarking: '评分日', maxMark: '满分', bands: '公差档', descriptors: '评价描述',
  deductions: '扣分项', judgementScore: '评价分', tolerance: '公差', requirement: '要求', extraDescription: '补充描述',
  extraAspectDescriptionOrJudgementScoreDescription: '补充描述或评价分描述', total: '总分', title: '标题', type: '类型',
  criterion: '评分标准', 'sub-criterion': '子标准', aspect: '评分项', 'score-row': '评价分行',
  // The JSON imports' own names (firstName, nameZh, teamSize ... read as their CSV columns through fieldKey).
  people: '队员', memberCode: '成员', expertIds: '专家', within: '公差', award: '得分', amount: '扣分',
  cityZh: '城市（中文）', countryZh: '国家（中文）',
};
/**
 * The server's field messages that say what is allowed with values of the request's own (a date range, a length), and
 * details that say which case a refusal is (a certificate already revoked or suspended), in Chinese: a Chinese page names
 * the field and the refusal in Chinese, and without these it dropped what the English page explains (found by outside
 * testers: a 1999 exam date refused without the range allowed; a status change refused without saying the certificate
 * was already revoked). `$1`... are the message's values. A message neither in this table nor one of the texts
 * ({@link textPatterns}) is left out: the title and the field say what was refused, in Chinese.
 */
const zhFieldMessages: [RegExp, string][] = [
  [/^The (?:new )?password is too easy to guess: .*$/, '密码太容易被猜中：它是常用密码，或由常用密码、单词或姓名、日期、键盘上相邻的按键或连续的字符组成（如 password123、qwertyuiop）。请换一个更长的密码，如几个互不相关的词语'],
  [/^The exam date is between (\S+) and a year from today \((\S+)\)\.$/, '考试日期须在 $1 至 $2（今天起一年内）之间'],
  [/^The comprehensive review is on or after the exam \((\S+)\) and within a year of it\.$/, '综合评审日期须在考试日期（$1）当天或之后一年内'],
  [/^The appointment date (\S+) is after today \((\S+)\); record appointments once made\.$/, '聘任日期 $1 晚于今天（$2）；请在聘任后再登记'],
  [/^The appointment date (\S+) is before (\S+), when special-grade and chief technician became levels of the ladder\.$/, '聘任日期 $1 早于 $2（特级技师和首席技师自该日起列入职业技能等级）'],
  [/^The appointment date (\S+) is before the person was born \((\S+)\)\.$/, '聘任日期 $1 早于本人出生日期（$2）'],
  [/^Level must be 5 \(junior\) to 1 \(senior technician\);.*$/, '等级应为 5 级（初级工）至 1 级（高级技师）；特级技师和首席技师由聘任产生，不经考核评价'],
  [/^An occupation code D-DD-DD-DD \(major group 1 to 8, e\.g\. (\S+)\) is required\.$/, '须填写职业代码 D-DD-DD-DD（大类 1 至 8，如 $1）'],
  [/^The request body is larger than this endpoint's limit of (\d+) KB\.$/, '请求内容超过此接口的上限 $1 KB'],
  [/^Level 2 and Level 1 need a comprehensive review date\.$/, '2 级和 1 级须填写综合评审日期'],
  [/^Only Level 2 and Level 1 have a comprehensive review: leave reviewOn out for this level\.$/, '只有 2 级和 1 级有综合评审：本等级请不填综合评审日期'],
  [/^The certificate is revoked; revocation is final\.$/, '该证书已撤销，撤销不可恢复'],
  [/^The certificate is already suspended\.$/, '该证书已处于暂停状态'],
  [/^Only a suspended certificate can be reinstated\.$/, '只有已暂停的证书才能恢复'],
  [/^Give the reason \((\d+) to (\d+) characters\); it is shown on the verify page\.$/, '请填写原因（$1 至 $2 个字符），原因会显示在证书查验页面上'],
  [/^The last 4 characters of the ID number: 4 letters or digits\.$/, '证件号码后4位：4 个字母或数字'],
  [/^The exam is on (\S+), after today \((\S+)\): results, rating and certificates wait for the exam date\.$/, '考试日期为 $1，晚于今天（$2）：考试当天起方可上传成绩、评定等级和颁发证书'],
  [/^The comprehensive review is on (\S+), after today \((\S+)\): review marks, rating and certificates wait for the review date\.$/, '综合评审日期为 $1，晚于今天（$2）：评审当天起方可上传评审成绩、评定等级和颁发证书'],
];

/**
 * Every text's English as a pattern of a server message: its {placeholders} stand for any words, a closing full stop may
 * follow. A field's message that is one of the texts (an import row's, or the text rule's "At most 500 characters (this
 * has 501).") is said by the text's Chinese, filled with the message's own values (found by an outside tester: an invisible
 * reason was only "输入内容不被接受（原因）", without why). A text that is only a placeholder ("{message}": a job's own
 * words) would match any message: left out.
 */
const textPatterns = Object.values(texts).filter((text) => /[A-Za-z]/.test(text.en.replace(/\{[^}]*\}/g, ''))).map((text) => {
  const names: string[] = [];
  const source = text.en.split(/\{(\w+)\}/).map((part, i) => {
    if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(part);
    return '(.+?)';
  }).join('');
  return { pattern: new RegExp(`^${source}\\.?$`), names, zh: text.zh };
});

function fromText(message: string): string | undefined {
  for (const { pattern, names, zh } of textPatterns) {
    const match = pattern.exec(message);
    if (match) return fill(zh, Object.fromEntries(names.map((name, i) => [name, match[i + 1]])));
  }
  return undefined;
}

/** An ID number's fault as the server words it inside a message ("The ID number is not valid: <fault>."), by its import text. */
const idFault = (fault: string) => Object.values(texts).find((text) => text.en === fault)?.zh;

/**
 * The server's field messages (or, for a refusal without them, its detail) that {@link zhFieldMessages} or the ID number's
 * faults translate, in Chinese.
 */
function zhDetails(problem: Problem): string[] {
  const fields = Object.values(problem.errors ?? {}).flat();
  const messages = (fields.length > 0 ? fields : [problem.detail]).filter((m): m is string => typeof m === 'string');
  return [...new Set(messages.flatMap((message) => {
    const known = zhFieldMessages.find(([pattern]) => pattern.test(message));
    if (known) return [message.replace(known[0], known[1])];
    const id = /^The ID number is not valid: (.+)\.$/.exec(message);
    const fault = id ? idFault(id[1]) : undefined;
    if (fault) return [`证件号码无效：${fault}`];
    const text = fromText(message);
    return text ? [text] : [];
  }))];
}

/** "Criterion ID", "CriterionId" and "criterion_id" are one column. */
const fieldKey = (field: string) => field.toLowerCase().replace(/[^a-z0-9]/g, '');
const zhFields = new Map(Object.entries(zhFieldNames).map(([k, v]) => [fieldKey(k), v]));
const zhField = (field: string) => zhFields.get(fieldKey(field));

const t = translator({
  en: {
    'fields': '{title} ({fields})', 'retry': '{title}. Try again in {wait}.', 'unavailable': 'The database is unavailable for a moment. Try again in {wait}.',
    'seconds': '{n} s', 'minutes': '{n} {n|minute|minutes}', 'hours': '{n} {n|hour|hours}',
  },
  zh: { 'fields': '{title}（{fields}）', 'retry': '{title}，请在 {wait}后重试。', 'unavailable': '数据库暂时不可用，请在 {wait}后重试。', 'seconds': '{n} 秒', 'minutes': '{n} 分钟', 'hours': '{n} 小时' },
});

/**
 * A field or column in the page's language; "A1.MaxMark" (an id and a field) keeps the id. A JSON import's path
 * (people[0].lastName, bands[1].award, $[0].nameZh) names each property it knows, keeping the positions: 队员[0] 姓.
 */
export function fieldName(field: string): string {
  if (currentLang() !== 'zh') return field;
  const bare = field.replace(/^row \d+: /, '');
  const whole = zhField(bare);
  if (whole) return whole;
  // A column named by its place, having no name of its own ("column 7"; found by an outside tester in English on a Chinese page).
  const place = /^column (\d+)$/.exec(bare);
  if (place) return `第 ${place[1]} 列`;
  if (bare.includes('[')) return bare.split('.').map((part) => part.replace(/^[^[\]]+/, (name) => zhField(name) ?? name)).join(' ');
  const dot = /^(.+)\.([A-Za-z]+)$/.exec(bare);
  return dot && zhField(dot[2]) ? `${dot[1]} ${zhField(dot[2])}` : bare;
}

/** The text for a code in the page's language, or undefined for an unknown code. */
const textOf = (code: string | undefined) => (code ? texts[code]?.[currentLang()] : undefined);

/**
 * A refusal in a page's own words, in the page's language, where the problem's code has a text: the server's English is
 * written for API clients (field keys, "leave frozenAt out", times in UTC). Undefined for a code without one.
 */
export function pageText(problem: Problem): string | undefined {
  const template = textOf(problem.code);
  return template === undefined ? undefined : fill(template, Object.fromEntries(Object.entries(problem).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number')));
}

/** A refusal's title (an import refused as a whole): translated by its code in Chinese, the server's title in English. */
export function problemTitle(problem: Problem): string {
  const server = problem.title ?? problem.detail ?? '';
  return (currentLang() === 'zh' ? textOf(problem.code) : undefined) ?? (server || textOf(problem.code) || problem.code || '');
}

/** One import row error as the server sends it: the English message, and a stable code with its arguments. */
export interface RowProblem {
  code?: string | null;
  args?: Record<string, string> | null;
  message: string;
}

/** A row error in the page's language: the code's template filled with its arguments (columns and kinds named in Chinese). */
export function rowMessage(row: RowProblem): string {
  const zh = currentLang() === 'zh' ? textOf(row.code ?? undefined) : undefined;
  if (zh === undefined) return row.message;
  // An unknown column is named as the file wrote it: translated, "name" read as 姓名, a column the file does not have
  // (found by an outside tester).
  const literal = row.code === 'csv.unknown-column';
  const args = Object.fromEntries(Object.entries(row.args ?? {}).map(([k, v]) => [k, !literal && (k === 'column' || k === 'kind') ? fieldName(v) : v]));
  return fill(zh, args);
}

/**
 * The problem's message in the page's language. `labels` names a form's fields as the form labels them (the judge's
 * "code" is its 配对码, not the generic 代码); a field the text already names is not named again.
 */
export function problemMessage(problem: Problem, status = problem.status ?? 0, labels: Record<string, string> = {}): string {
  // A database outage is said to a person in the page's words with its wait, once: the server's detail is advice for API
  // clients (resend with the same Idempotency-Key), and the Chinese said "try again" twice (found by an outside tester).
  if (problem.code === 'database-unavailable') {
    return typeof problem.retryAfter === 'number' ? t('unavailable', { wait: waitText(problem.retryAfter) }) : (textOf(problem.code) ?? problem.title ?? '');
  }
  const server = [problem.title, problem.detail].filter(Boolean).join(': ') || (status === 401 ? 'Not signed in' : status === 403 ? 'Not allowed' : `HTTP ${status}`);
  // A text's {placeholders} are the problem's own extensions (an expert's removal names the marking groups).
  const values = Object.fromEntries(Object.entries(problem).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
  const template = textOf(problem.code);
  const text = template === undefined ? undefined : fill(template, values);
  const zh = currentLang() === 'zh' ? text : undefined;
  if (zh === undefined) return apiNamesLabelled(problem.title || problem.detail ? server : (text ?? server), problem, labels);
  const name = (field: string) => labels[field] ?? fieldName(field);
  // The resource's id in the address (a session, an import, a bundle) is not something the person typed: a conflict or
  // a not-found about it is not followed by （编号） (found by an outside tester).
  const single = typeof problem.field === 'string' && problem.field !== 'id' && (labels[problem.field] ?? zhField(problem.field)) ? [problem.field] : [];
  const fields = [...new Set((Object.keys(problem.errors ?? {}).length > 0 ? Object.keys(problem.errors ?? {}) : single).map(name))].filter((n) => !zh.includes(n));
  const fieldsNamed = fields.length > 0 ? t('fields', { title: zh, fields: fields.join('、') }) : zh;
  // A text with placeholders already carries the problem's values (text.too-long: at most {max} characters).
  // A detail that says what the title's text says is not said twice (found by an outside tester: a locked scheme's sentence, twice).
  const details = template?.includes('{') ? [] : zhDetails(problem).filter((d) => d !== zh);
  const named = details.length > 0 ? `${fieldsNamed}：${details.join('；')}` : fieldsNamed;
  return typeof problem.retryAfter === 'number' ? t('retry', { title: named, wait: waitText(problem.retryAfter) }) : named;
}

/** The fields a problem names: its errors' keys and its field, each once. */
export const namedFields = (problem: Problem): string[] =>
  [...new Set([...Object.keys(problem.errors ?? {}), ...(typeof problem.field === 'string' ? [problem.field] : [])])];

/**
 * The server's English names a field by its API name ("Session dates not acceptable: examOn: ...", "leave reviewOn out"):
 * a field the form labels is said by its label instead (found by an outside tester on the agency page). Only names that are
 * not plain words (camelCase, snake_case) are replaced, so "reason" or "level" in a sentence stay as they are.
 */
function apiNamesLabelled(text: string, problem: Problem, labels: Record<string, string>): string {
  for (const field of namedFields(problem)) {
    if (labels[field] && /^[a-z][A-Za-z0-9_]*$/.test(field) && /[A-Z_]/.test(field)) text = text.replace(new RegExp(`\\b${field}\\b`, 'g'), labels[field]);
  }
  return text;
}

/**
 * A wait in the unit a person reads it in (an outside tester: "Try again in 3600 s"): seconds up to a minute and a half,
 * then whole minutes, whole hours where the minutes make them, and hours from two hours on; rounded up, so the advice
 * is never too early.
 */
export function waitText(seconds: number): string {
  if (seconds < 90) return t('seconds', { n: Math.max(1, Math.ceil(seconds)) });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60 || (minutes < 120 && minutes % 60 !== 0)) return t('minutes', { n: minutes });
  return t('hours', { n: Math.ceil(minutes / 60) });
}

/** How a job failed or why it refused its input (its stable code and English message), in the page's language. */
export function jobMessage(code: string | null | undefined, message: string | null | undefined): string {
  const text = textOf(code ?? undefined);
  return text !== undefined ? fill(text, { message: message ?? '' }) : message ?? '';
}

/** Any error as one line for the page: a problem translated by its code, otherwise the error's message. */
/** What went wrong, in the page's language; <labels> names a form's fields as the form labels them. */
export function errorText(e: unknown, labels: Record<string, string> = {}): string {
  if (e instanceof ProblemError) return problemMessage(e.problem, e.status, labels);
  // fetch() fails with a TypeError whose text is the browser's, in English ("Failed to fetch"): no answer came.
  if (e instanceof TypeError) return problemMessage({ code: 'network' }, 0);
  return e instanceof Error ? e.message : String(e);
}

