import './style.css';
import './cert-style.css';
import { applyStatic, currentLang, translator } from './i18n';
import { ProblemError } from './api';
import { call, el, problemText } from './cert-api';

interface ScopeEntry { occupation: string; nameZh: string; nameEn: string; levels: number[] }
interface Agency { key: string; type: string; name: string; status: string; scope: ScopeEntry[] }
interface Session {
  id: number; occupation: string; occupationZh: string; occupationEn: string; workType: string; level: number; examOn: string; reviewOn: string | null;
  candidates: number; withResults: number; decided: number; passed: number; failed: number; ineligible: number; certificates: number;
}
interface RowError { line: number; field: string; message: string }
interface ImportView { id: string; kind: string; fileName: string; status: string; totalRows: number; processed: number; storedRows: number; errorCount: number; message: string | null; firstErrors: RowError[] }
interface RunView { id: string; kind: string; status: string; total: number; processed: number; summary: string | null; message: string | null; jobId: string | null }
interface Decision { evaluationId: number; name: string; idNumberMasked: string; theory: number | null; practical: number | null; review: number | null; outcome: string | null; reasons: string[]; certificateNumber: string | null }

const t = translator({
  en: {
    'agency.title': 'Evaluation agency', 'agency.footer': 'Levels follow China\u2019s eight-level system (人社部发〔2022〕14号); certificates are numbered per 人社鉴发〔2019〕2号.',
    'signin.title': 'Sign in as an agency officer', 'signin.user': 'User name', 'signin.password': 'Password', 'signin.submit': 'Sign in', 'signin.failed': 'Sign-in failed: {reason}',
    'signin.notOfficer': 'This account is not an agency officer.',
    'scope.title': 'Filed scope', 'scope.occupation': 'Occupation', 'scope.levels': 'Levels',
    'session.new': 'New evaluation session', 'session.occupation': 'Occupation', 'session.level': 'Level', 'session.workType': 'Type of work',
    'session.examOn': 'Exam date', 'session.reviewOn': 'Review date (L2, L1)', 'session.create': 'Create session',
    'sessions.title': 'Sessions', 'sessions.empty': 'No sessions yet.',
    'col.id': 'No.', 'col.occupation': 'Occupation', 'col.level': 'Level', 'col.exam': 'Exam', 'col.candidates': 'Candidates', 'col.results': 'Results',
    'col.passed': 'Passed', 'col.failed': 'Failed', 'col.ineligible': 'Ineligible', 'col.certificates': 'Certificates',
    'col.name': 'Name', 'col.idNumber': 'ID number', 'col.theory': 'Theory', 'col.practical': 'Practical', 'col.review': 'Review',
    'col.outcome': 'Decision', 'col.reasons': 'Reasons', 'col.certificate': 'Certificate',
    'session.title': 'Session {id}: {occupation}, {level}',
    'upload.candidates': 'Upload candidates (CSV)', 'upload.results': 'Upload results (CSV)',
    'run.rate': 'Rate candidates', 'run.issue': 'Issue certificates', 'run.bundle': 'Download all (ZIP)',
    'bundle.progress': 'ZIP of PDFs and credentials: {processed} / {total}', 'bundle.ready': 'ZIP ready ({size} MB):', 'bundle.download': 'download',
    'import.progress': '{file}: {processed} / {total} rows', 'import.done': '{file}: {message}', 'import.report': 'Download the error report',
    'run.progress': '{kind}: {processed} / {total}', 'run.kind.rate': 'Rating', 'run.kind.issue': 'Issuing',
    'decisions.title': 'Decisions and certificates', 'decisions.empty': 'No candidates yet.',
    'outcome.passed': 'passed', 'outcome.failed': 'failed', 'outcome.ineligible': 'ineligible', 'outcome.out-of-scope': 'outside scope',
    'status.succeeded': 'done', 'status.rejected': 'rejected', 'status.failed': 'failed', 'status.running': 'running', 'status.queued': 'queued',
  },
  zh: {
    'agency.title': '评价机构', 'agency.footer': '等级遵循八级技能等级制度（人社部发〔2022〕14号）；证书编号遵循人社鉴发〔2019〕2号。',
    'signin.title': '评价机构工作人员登录', 'signin.user': '用户名', 'signin.password': '密码', 'signin.submit': '登录', 'signin.failed': '登录失败：{reason}',
    'signin.notOfficer': '该账号不是评价机构工作人员。',
    'scope.title': '备案范围', 'scope.occupation': '职业', 'scope.levels': '等级',
    'session.new': '新建评价批次', 'session.occupation': '职业', 'session.level': '等级', 'session.workType': '工种',
    'session.examOn': '考试日期', 'session.reviewOn': '综合评审日期（二级、一级）', 'session.create': '创建批次',
    'sessions.title': '评价批次', 'sessions.empty': '暂无批次。',
    'col.id': '编号', 'col.occupation': '职业', 'col.level': '等级', 'col.exam': '考试', 'col.candidates': '考生', 'col.results': '成绩',
    'col.passed': '合格', 'col.failed': '不合格', 'col.ineligible': '不符合条件', 'col.certificates': '证书',
    'col.name': '姓名', 'col.idNumber': '证件号码', 'col.theory': '理论', 'col.practical': '技能', 'col.review': '综合评审',
    'col.outcome': '结论', 'col.reasons': '原因', 'col.certificate': '证书编号',
    'session.title': '批次 {id}：{occupation}，{level}',
    'upload.candidates': '上传考生名单（CSV）', 'upload.results': '上传考试成绩（CSV）',
    'run.rate': '评定等级', 'run.issue': '颁发证书', 'run.bundle': '打包下载（ZIP）',
    'bundle.progress': '证书PDF与数字凭证打包：{processed} / {total}', 'bundle.ready': 'ZIP 已生成（{size} MB）：', 'bundle.download': '下载',
    'import.progress': '{file}：已处理 {processed} / {total} 行', 'import.done': '{file}：{message}', 'import.report': '下载错误报告',
    'run.progress': '{kind}：{processed} / {total}', 'run.kind.rate': '评定', 'run.kind.issue': '发证',
    'decisions.title': '评定结论与证书', 'decisions.empty': '暂无考生。',
    'outcome.passed': '合格', 'outcome.failed': '不合格', 'outcome.ineligible': '不符合申报条件', 'outcome.out-of-scope': '超出备案范围',
    'status.succeeded': '完成', 'status.rejected': '已拒绝', 'status.failed': '失败', 'status.running': '进行中', 'status.queued': '排队中',
  },
});

const levelNames: Record<number, [string, string]> = {
  5: ['Level 5 / Junior', '五级/初级工'], 4: ['Level 4 / Intermediate', '四级/中级工'], 3: ['Level 3 / Senior', '三级/高级工'],
  2: ['Level 2 / Technician', '二级/技师'], 1: ['Level 1 / Senior technician', '一级/高级技师'], [-6]: ['Special-grade technician', '特级技师'], [-7]: ['Chief technician', '首席技师'],
};
const levelName = (digit: number) => (levelNames[digit] ?? [String(digit), String(digit)])[currentLang() === 'zh' ? 1 : 0];
const occupationName = (o: { occupationZh?: string; occupationEn?: string; nameZh?: string; nameEn?: string }) =>
  currentLang() === 'zh' ? (o.occupationZh ?? o.nameZh ?? '') : (o.occupationEn ?? o.nameEn ?? '');

const status = document.getElementById('status')!;
let agency: Agency | null = null;
let sessions: Session[] = [];
let selected: number | null = null;
let decisions: Decision[] = [];
const progress = new Map<string, HTMLElement>();

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

function table(target: HTMLTableElement, headers: string[], rows: (string | Node)[][]): void {
  target.replaceChildren();
  const head = target.createTHead().insertRow();
  for (const h of headers) head.append(el('th', undefined, t(h)));
  const body = target.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const cell of cells) row.insertCell().append(cell);
  }
}

function render(): void {
  if (!agency) return;
  document.getElementById('agency-name')!.textContent = `${agency.name} · ${agency.key} (${agency.type})`;
  table(document.getElementById('scope') as HTMLTableElement, ['scope.occupation', 'scope.levels'],
    agency.scope.map((s) => [`${s.occupation} ${occupationName(s)}`, s.levels.map(levelName).join('; ')]));
  const occupation = document.getElementById('occupation') as HTMLSelectElement;
  const chosen = occupation.value;
  occupation.replaceChildren(...agency.scope.map((s) => new Option(`${s.occupation} ${occupationName(s)}`, s.occupation)));
  if (chosen) occupation.value = chosen;
  fillLevels();
  const sessionTable = document.getElementById('sessions') as HTMLTableElement;
  table(sessionTable, ['col.id', 'col.occupation', 'col.level', 'col.exam', 'col.candidates', 'col.results', 'col.passed', 'col.failed', 'col.ineligible', 'col.certificates'],
    sessions.map((s) => {
      const open = el('button', 'secondary', String(s.id));
      open.type = 'button';
      open.onclick = () => void select(s.id);
      return [open, `${s.occupation} ${occupationName(s)}`, levelName(s.level), s.examOn, String(s.candidates), String(s.withResults),
        String(s.passed), String(s.failed), String(s.ineligible), String(s.certificates)];
    }));
  sessionTable.tBodies[0]?.querySelectorAll('tr').forEach((tr, i) => tr.classList.toggle('selected', sessions[i]?.id === selected));
  const panel = document.getElementById('session-panel')!;
  const session = sessions.find((s) => s.id === selected);
  panel.hidden = !session;
  if (session) {
    document.getElementById('session-title')!.textContent = t('session.title', { id: session.id, occupation: `${session.occupation} ${occupationName(session)}`, level: levelName(session.level) });
    table(document.getElementById('decisions') as HTMLTableElement,
      ['col.name', 'col.idNumber', 'col.theory', 'col.practical', 'col.review', 'col.outcome', 'col.reasons', 'col.certificate'],
      decisions.map((d) => {
        const certificate: Node = d.certificateNumber ? Object.assign(el('a', 'mono', d.certificateNumber), { href: `/verify/${d.certificateNumber}` }) : document.createTextNode('');
        return [d.name, d.idNumberMasked, d.theory?.toString() ?? '—', d.practical?.toString() ?? '—', d.review?.toString() ?? '—',
          d.outcome ? el('span', `badge ${d.outcome}`, t(`outcome.${d.outcome}`)) : '—', d.reasons.join('; '), certificate];
      }));
  }
}

function fillLevels(): void {
  const occupation = (document.getElementById('occupation') as HTMLSelectElement).value;
  const level = document.getElementById('level') as HTMLSelectElement;
  const entry = agency?.scope.find((s) => s.occupation === occupation);
  level.replaceChildren(...(entry?.levels ?? []).filter((l) => l > 0).map((l) => new Option(levelName(l), String(l))));
}

async function load(): Promise<void> {
  agency = await call<Agency>('GET', '/api/agency');
  sessions = await call<Session[]>('GET', '/api/agency/sessions');
  if (selected !== null) decisions = await call<Decision[]>('GET', `/api/agency/sessions/${selected}/decisions?limit=500`);
  document.getElementById('signin')!.hidden = true;
  document.getElementById('workspace')!.hidden = false;
  render();
}

async function select(id: number): Promise<void> {
  selected = id;
  await load();
}

function progressLine(key: string): HTMLElement {
  let line = progress.get(key);
  if (!line) {
    line = el('div', 'progress-line');
    line.dataset.key = key;
    progress.set(key, line);
    document.getElementById('progress')!.prepend(line);
  }
  return line;
}

async function follow<T extends { status: string }>(url: string, key: string, show: (item: T, line: HTMLElement) => void): Promise<T> {
  for (;;) {
    const item = await call<T>('GET', url);
    show(item, progressLine(key));
    if (!['queued', 'running'].includes(item.status)) return item;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function upload(kind: 'candidates' | 'results', input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  if (!file || selected === null) return;
  try {
    const accepted = await call<{ id: string; location: string }>('POST', `/api/agency/sessions/${selected}/${kind}`, file,
      { 'Content-Type': 'text/csv', 'X-File-Name': encodeURIComponent(file.name) });
    await follow<ImportView>(accepted.location, accepted.id, (i, line) => {
      const bar = el('progress');
      bar.max = Math.max(i.totalRows, 1);
      bar.value = i.processed;
      const label = el('div');
      label.append(el('span', `badge ${i.status}`, t(`status.${i.status}`)), ' ',
        i.status === 'running' || i.status === 'queued'
          ? t('import.progress', { file: i.fileName, processed: i.processed, total: i.totalRows })
          : t('import.done', { file: i.fileName, message: i.message ?? '' }));
      if (i.errorCount > 0) {
        const list = el('ul', 'errors');
        for (const e of i.firstErrors) list.append(el('li', undefined, `line ${e.line}, ${e.field}: ${e.message}`));
        const report = el('a', undefined, t('import.report'));
        report.href = `/api/agency/imports/${i.id}/errors.csv`;
        label.append(list, report);
      }
      line.replaceChildren(label, bar);
    });
  } catch (e) {
    setStatus(problemText(e), true);
  }
  input.value = '';
  await load();
}

async function run(kind: 'rate' | 'issue'): Promise<void> {
  if (selected === null) return;
  try {
    const started = await call<RunView>('POST', `/api/agency/sessions/${selected}/${kind}`);
    await follow<RunView>(`/api/agency/runs/${started.id}`, started.id, (r, line) => {
      const bar = el('progress');
      bar.max = Math.max(r.total, 1);
      bar.value = r.processed;
      const label = el('div');
      label.append(el('span', `badge ${r.status}`, t(`status.${r.status}`)), ' ',
        t('run.progress', { kind: t(`run.kind.${r.kind}`), processed: r.processed, total: r.total }), r.message ? ` — ${r.message}` : '');
      line.replaceChildren(label, bar);
    });
    setStatus('');
  } catch (e) {
    setStatus(problemText(e), true);
  }
  await load();
}

interface BundleView { id: string; sessionId: number; status: string; total: number; processed: number; sizeBytes: number; message?: string | null; download?: string | null }

/** Starts the bundle job for the session and shows its progress until the ZIP can be downloaded. */
async function bundle(): Promise<void> {
  if (selected === null) return;
  try {
    const started = await call<BundleView>('POST', `/api/agency/sessions/${selected}/bundle`);
    const done = await follow<BundleView>(`/api/agency/bundles/${started.id}`, started.id, (b, line) => {
      const bar = el('progress');
      bar.max = Math.max(b.total, 1);
      bar.value = b.processed;
      const label = el('div', 'bundle-progress');
      label.append(el('span', `badge ${b.status}`, t(`status.${b.status}`)), ' ');
      if (b.download) {
        const a = el('a', undefined, t('bundle.download'));
        a.href = b.download;
        a.id = 'bundle-download';
        label.append(t('bundle.ready', { size: (b.sizeBytes / 1048576).toFixed(1) }), ' ', a);
      } else {
        label.append(t('bundle.progress', { processed: b.processed, total: b.total }), b.message ? ` — ${b.message}` : '');
      }
      line.replaceChildren(label, bar);
    });
    setStatus(done.status === 'succeeded' ? '' : done.message ?? done.status, done.status !== 'succeeded');
  } catch (e) {
    setStatus(problemText(e), true);
  }
}

document.getElementById('occupation')!.addEventListener('change', fillLevels);
document.getElementById('new-session')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
  try {
    const created = await call<Session>('POST', '/api/agency/sessions', {
      occupation: value('occupation'), level: Number(value('level')), workType: value('work-type'),
      examOn: value('exam-on'), reviewOn: value('review-on') || null,
    });
    setStatus('');
    await select(created.id);
  } catch (e) {
    setStatus(problemText(e), true);
  }
});
document.getElementById('candidates-file')!.addEventListener('change', (e) => void upload('candidates', e.target as HTMLInputElement));
document.getElementById('results-file')!.addEventListener('change', (e) => void upload('results', e.target as HTMLInputElement));
document.getElementById('rate')!.addEventListener('click', () => void run('rate'));
document.getElementById('issue')!.addEventListener('click', () => void run('issue'));
document.getElementById('bundle')!.addEventListener('click', () => void bundle());
document.getElementById('signin')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await call('POST', '/api/auth/login', {
      userName: (document.getElementById('user') as HTMLInputElement).value,
      password: (document.getElementById('password') as HTMLInputElement).value,
    });
    setStatus('');
    await start();
  } catch (e) {
    setStatus(t('signin.failed', { reason: problemText(e) }), true);
  }
});

async function start(): Promise<void> {
  try {
    await load();
  } catch (e) {
    if (e instanceof ProblemError && (e.status === 401 || e.status === 403)) {
      document.getElementById('signin')!.hidden = false;
      document.getElementById('workspace')!.hidden = true;
      if (e.status === 403) setStatus(t('signin.notOfficer'), true);
      return;
    }
    setStatus(problemText(e), true);
  }
}

applyStatic(t, render);
void start();
