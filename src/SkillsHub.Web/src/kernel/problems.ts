// What a refusal says, in the page's language. The server's problem details carry a stable `code`
// (docs/pages.md, "Languages"); Chinese pages show this table's text for it, naming the fields at fault
// in Chinese. English pages show the server's own title and detail, which name the values involved.
// An unknown code falls back to the server's text in both languages.
import { currentLang, translator } from '../i18n';
import { ProblemError, type Problem } from './http';

const zhByCode: Record<string, string> = {
  'invalid-request': '请求内容有误',
  'text-not-accepted': '文本含有不允许的字符',
  'the-request-body-is-not-valid-json': '请求内容不是有效的 JSON',
  'request-body-too-large': '请求内容过大',
  'http-400': '请求有误', 'http-401': '请先登录', 'http-403': '无权执行此操作', 'http-404': '未找到', 'http-409': '与当前状态冲突',
  'http-413': '内容过大', 'http-422': '内容无法处理', 'http-429': '请求过于频繁，请稍后再试', 'http-500': '服务器出错', 'http-503': '服务暂时不可用，请稍后再试',
  'not-found': '未找到', 'unauthorized': '请先登录', 'forbidden': '无权执行此操作', 'too-many-requests': '请求过于频繁，请稍后再试',
  'timed-out': '服务器未能及时完成请求，请稍后用同一请求重试', 'database-unavailable': '数据库暂时不可用，请稍后再试',
  'cross-site-request-refused': '跨站请求已被拒绝', 'antiforgery-token-missing-or-invalid': '安全令牌缺失或无效，请刷新页面后重试',
  'sign-in-failed': '登录失败：用户名或密码错误，或账号已停用', 'https-required': '须通过 HTTPS 登录', 'password-change-required': '须先修改密码',
  'password-not-changed': '密码未修改：用户名或当前密码错误，或账号已停用', 'pairing-code-not-accepted': '配对码无效、已过期或已使用，请向首席专家索取新的配对码',
  'sign-in-to-create-tokens': '须登录后创建令牌', 'user-name-taken': '用户名已被占用', 'not-on-your-own-account': '不能对自己的账号执行此操作',
  'unknown-account': '账号不存在', 'unknown-token': '令牌不存在', 'unknown-device': '设备不存在或已撤销', 'unknown-expert': '专家未登记',
  'unknown-competition': '竞赛不存在', 'unknown-skill': '项目不存在', 'unknown-competitor': '选手不存在或不由您评分', 'unknown-report': '报告不存在',
  'invalid-competitor-id': '选手编号无效', 'not-registered': '本设备的专家已不在该项目登记', 'not-ready': '尚未就绪',
  'competition-exists': '竞赛代码已存在', 'the-marking-scheme-was-not-imported': '评分方案未导入', 'marking-scheme-locked': '评分方案已锁定',
  'no-marking-scheme': '尚无评分方案', 'already-locked': '已锁定', 'not-locked': '未锁定',
  'the-marks-are-not-valid': '评分数据有误', 'too-many-marks-in-one-batch': '一次提交的评分过多',
  'marks.not-assigned': '您未被分配评此项', 'marks.compatriot': '不允许为本国（地区）选手评分', 'marks.locked': '该评分标准已锁定',
  'marks.unknown-aspect': '评分方案中没有该评分项', 'marks.out-of-range': '分值超出范围', 'marks.spread-violation': '评价分差超出允许范围，请与评分组协商',
  'marks.unknown-competitor': '选手不存在', 'marks.no-scheme': '尚无评分方案', 'marks.unknown-expert': '专家未登记', 'marks.key-reused': '该批评分的请求编号已用于其他内容',
  'agency-exists': '评价机构已备案', 'agency-not-on-file': '评价机构未备案', 'outside-the-agencys-scope': '超出本机构备案范围',
  'unknown-session': '评价批次不存在', 'unknown-import': '导入记录不存在', 'unknown-run': '任务不存在', 'unknown-bundle': '打包任务不存在',
  'unknown-occupation': '职业不在目录中', 'unknown-person': '未登记该证件号码的人员，请先导入', 'unknown-promotion': '晋级记录不存在',
  'already-running': '该任务已在排队或进行中', 'nothing-to-rate': '没有可评定的考生：请先上传考生名单和考试成绩',
  'nothing-to-issue': '本批次没有待颁发证书的合格考生', 'nothing-to-download': '没有可下载的证书', 'already-appointed': '该人员已获本机构此项聘任',
  'promotion-not-certifiable-here': '本机构不能为该晋级颁发证书', 'name-does-not-match-the-id': '姓名与该证件号码登记的姓名不符',
  'level-already-held': '该人员已取得此等级或更高等级', 'already-certified': '已颁发过证书',
  'certificate-not-found': '未查到证书', 'unknown-certificate': '证书不存在', 'status-change-not-allowed': '不允许变更证书状态',
  'unknown-issuer': '发证机构不存在', 'unknown-key': '密钥不存在', 'unknown-status-purpose': '状态用途不存在',
  'pdf-rendering-unavailable': '暂时无法生成 PDF', 'signing-key-unavailable': '签名密钥暂不可用', 'page-not-built': '页面尚未构建',
  'job.failed': '任务失败', 'job.file-rejected': '文件有误，未保存其中任何内容',
};

/** English for the codes a job records (docs/certification.md, "Jobs and their progress"); {message} is the server's English message. */
const enJobByCode: Record<string, string> = {
  'job.failed': 'The job failed: {message}', 'job.file-rejected': '{message}',
};

/** Request fields and CSV columns, as the forms label them. */
const zhFields: Record<string, string> = {
  body: '请求内容', userName: '用户名', password: '密码', code: '代码', reason: '原因', name: '姓名', idType: '证件类型', idNumber: '证件号码',
  idLast4: '证件号码后4位', id_type: '证件类型', id_number: '证件号码', occupation: '职业', level: '等级', workType: '工种', examOn: '考试日期',
  reviewOn: '综合评审日期', file: '文件', education: '学历', in_occupation_since: '从事本职业起始日期', held_level: '已取得等级', held_since: '取得日期',
  theory: '理论', practical: '技能', review: '综合评审', header: '表头', csv: 'CSV 格式', competitorId: '选手', marks: '评分', expertId: '专家',
  deviceSequence: '设备序号', scope: '备案范围', status: '状态', number: '编号', target: '锁定对象', mode: '显示方式',
};

const t = translator({
  en: { 'fields': '{title} ({fields})', 'retry': '{title}. Try again in {seconds} s.' },
  zh: { 'fields': '{title}（{fields}）', 'retry': '{title}，请在 {seconds} 秒后重试。' },
});

export const fieldName = (field: string) => (currentLang() === 'zh' ? zhFields[field.replace(/^row \d+: /, '')] ?? field : field);

/** The problem's message in the page's language. */
export function problemMessage(problem: Problem, status = problem.status ?? 0): string {
  const server = [problem.title, problem.detail].filter(Boolean).join(': ') || (status === 401 ? 'Not signed in' : status === 403 ? 'Not allowed' : `HTTP ${status}`);
  const zh = currentLang() === 'zh' ? zhByCode[problem.code ?? ''] : undefined;
  if (zh === undefined) return server;
  const fields = Object.keys(problem.errors ?? {});
  const named = fields.length > 0 ? t('fields', { title: zh, fields: fields.map(fieldName).join('、') })
    : typeof problem.field === 'string' && zhFields[problem.field] ? t('fields', { title: zh, fields: fieldName(problem.field) }) : zh;
  return typeof problem.retryAfter === 'number' ? t('retry', { title: named, seconds: problem.retryAfter }) : named;
}

/** How a job failed or why it refused its input (its stable code and English message), in the page's language. */
export function jobMessage(code: string | null | undefined, message: string | null | undefined): string {
  const zh = currentLang() === 'zh' && code ? zhByCode[code] : undefined;
  if (zh !== undefined) return zh;
  const en = code ? enJobByCode[code] : undefined;
  return en !== undefined ? en.replace('{message}', message ?? '') : message ?? '';
}

/** Any error as one line for the page: a problem translated by its code, otherwise the error's message. */
export function errorText(e: unknown): string {
  if (e instanceof ProblemError) return problemMessage(e.problem, e.status);
  return e instanceof Error ? e.message : String(e);
}

