import './style.css';
import './cert-style.css';
import { applyStatic, currentLang, translator } from './i18n';
import { ProblemError } from './api';
import { antiforgeryHeader } from './antiforgery';
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
interface Promotion {
  id: number; competition: string; competitionName: string | null; skill: number; skillName: string | null; skillNameZh: string | null;
  competitorId: string; name: string; memberCode: string; occupation: string; occupationZh: string; occupationEn: string;
  level: number; reason: string; decidedAt: string;
  certificateNumber: string | null; certificateLevel: number | null; holderName: string | null; idNumberMasked: string | null; issuedOn: string | null;
}
interface PromotionList { members: string[]; items: Promotion[] }
interface IssuedCertificate { number: string; holderName: string; idNumberMasked: string; level: number }
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
    'promotions.title': 'Competition promotions',
    'promotions.note': 'Levels earned from published competition results (national rule: excellence award or better \u2192 Level 2; already Level 2 \u2192 Level 1), for occupations and levels in your filed scope, competitors of {members} only. Results carry no ID: enter the holder\u2019s to issue the certificate.',
    'promotions.empty': 'No promotions in your scope yet. They appear after an organiser publishes a skill\u2019s final results and the hourly promotions job has run.',
    'col.competition': 'Competition, skill', 'col.competitor': 'Competitor', 'col.reason': 'Earned by', 'col.action': 'Certificate',
    'promotion.issue': 'Issue certificate', 'promotion.formTitle': 'Certificate for {name} ({competition} skill {skill}, {level})',
    'promotion.idType': 'ID type', 'promotion.idNumber': 'Full ID number', 'promotion.name': 'Legal name (if different)', 'promotion.submit': 'Issue', 'promotion.cancel': 'Cancel',
    'promotion.hint': 'The ID is stored in full but shown masked everywhere public. If the person is already registered, their recorded name is used and levels they already hold are taken into account.',
    'promotion.issued': 'Certificate {number} issued to {name} ({id}).', 'promotion.existing': 'Certificate {number} had already been issued for this promotion.',
    'idType.resident': 'Resident identity card', 'idType.passport': 'Passport', 'idType.hk-macao': 'Mainland travel permit (Hong Kong, Macao)',
    'idType.taiwan': 'Mainland travel permit (Taiwan)', 'idType.foreign-pr': 'Foreign permanent resident ID card', 'idType.other': 'Other',
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
    'promotions.title': '竞赛晋级',
    'promotions.note': '依据已公布的竞赛最终成绩晋升的等级（全国竞赛规则：获优胜奖及以上晋升二级/技师；已是二级的晋升一级/高级技师），仅列出本机构备案范围内的职业和等级，且仅限 {members} 选手。竞赛成绩不含证件信息：请录入持证人证件号码后颁发证书。',
    'promotions.empty': '备案范围内暂无竞赛晋级。组织方公布某一项目的最终成绩、且每小时运行的晋级任务完成后，晋级记录将显示在这里。',
    'col.competition': '竞赛与项目', 'col.competitor': '选手', 'col.reason': '晋级依据', 'col.action': '证书',
    'promotion.issue': '颁发证书', 'promotion.formTitle': '为 {name} 颁发证书（{competition} 第 {skill} 项，{level}）',
    'promotion.idType': '证件类型', 'promotion.idNumber': '完整证件号码', 'promotion.name': '证件姓名（与选手姓名不同时填写）', 'promotion.submit': '颁发', 'promotion.cancel': '取消',
    'promotion.hint': '证件号码完整保存，但在任何公开场合均做脱敏显示。若该人员已登记，将使用登记的姓名，并考虑其已取得的等级。',
    'promotion.issued': '已为 {name}（{id}）颁发证书 {number}。', 'promotion.existing': '该晋级已颁发过证书 {number}。',
    'idType.resident': '居民身份证', 'idType.passport': '护照', 'idType.hk-macao': '港澳居民来往内地通行证',
    'idType.taiwan': '台湾居民来往大陆通行证', 'idType.foreign-pr': '外国人永久居留身份证', 'idType.other': '其他',
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
let promotions: PromotionList = { members: [], items: [] };
let issuing: number | null = null;
const idTypes = ['resident', 'passport', 'hk-macao', 'taiwan', 'foreign-pr', 'other'];
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
  renderPromotions();
}

const awardsZh: Record<string, string> = { Gold: '金牌', Silver: '银牌', Bronze: '铜牌', MedallionForExcellence: '优胜奖' };

/** The job records reasons in English ("Gold in WSC2024 skill 7", "place 4 in NSC2025 skill 12"); shown in the page's language. */
function reasonText(reason: string): string {
  const award = /^(\w+) in (\S+) skill (\d+)$/.exec(reason);
  const place = /^place (\d+) in (\S+) skill (\d+)$/.exec(reason);
  if (currentLang() === 'zh') {
    if (place) return `${place[2]} 第 ${place[3]} 项第 ${place[1]} 名`;
    if (award) return `${award[2]} 第 ${award[3]} 项${awardsZh[award[1]] ?? award[1]}`;
    return reason;
  }
  if (award) return `${award[1] === 'MedallionForExcellence' ? 'Medallion for Excellence' : award[1]}, ${award[2]} skill ${award[3]}`;
  return reason;
}

function renderPromotions(): void {
  document.getElementById('promotions-note')!.textContent = t('promotions.note', { members: promotions.members.join(', ') });
  const target = document.getElementById('promotions') as HTMLTableElement;
  if (promotions.items.length === 0) {
    target.replaceChildren(el('caption', 'meta', t('promotions.empty')));
  } else {
    table(target, ['col.competition', 'col.competitor', 'col.occupation', 'col.level', 'col.reason', 'col.action'],
      promotions.items.map((p) => {
        const skillName = (currentLang() === 'zh' ? p.skillNameZh ?? p.skillName : p.skillName) ?? '';
        let action: Node;
        if (p.certificateNumber) {
          const issued = el('div', 'issued');
          action = issued;
          issued.append(Object.assign(el('a', 'mono', p.certificateNumber), { href: `/verify/${p.certificateNumber}` }),
            el('div', 'meta', `${p.holderName ?? ''} · ${p.idNumberMasked ?? ''}${p.certificateLevel && p.certificateLevel !== p.level ? ` · ${levelName(p.certificateLevel)}` : ''}`));
        } else {
          const button = el('button', p.id === issuing ? 'primary' : 'secondary', t('promotion.issue'));
          button.type = 'button';
          button.dataset.promotion = String(p.id);
          button.onclick = () => openIssue(p.id);
          action = button;
        }
        const competitor = el('div');
        competitor.append(el('div', undefined, p.name), el('div', 'meta', `${p.memberCode} · ${p.competitorId}`));
        return [`${p.competition} · ${String(p.skill).padStart(2, '0')} ${skillName}`, competitor, `${p.occupation} ${occupationName(p)}`,
          levelName(p.level), reasonText(p.reason), action];
      }));
    target.tBodies[0]?.querySelectorAll('tr').forEach((tr, i) => {
      tr.dataset.promotion = String(promotions.items[i]!.id);
      tr.classList.toggle('selected', promotions.items[i]!.id === issuing);
    });
  }
  const form = document.getElementById('promotion-form') as HTMLFormElement;
  const promotion = promotions.items.find((p) => p.id === issuing && !p.certificateNumber);
  form.hidden = !promotion;
  const idType = document.getElementById('promotion-id-type') as HTMLSelectElement;
  const chosen = idType.value || 'resident';
  idType.replaceChildren(...idTypes.map((v) => new Option(t(`idType.${v}`), v)));
  idType.value = chosen;
  if (promotion) {
    document.getElementById('promotion-form-title')!.textContent = t('promotion.formTitle',
      { name: promotion.name, competition: promotion.competition, skill: promotion.skill, level: levelName(promotion.level) });
    (document.getElementById('promotion-name') as HTMLInputElement).placeholder = promotion.name;
  }
}

function openIssue(id: number): void {
  issuing = id;
  (document.getElementById('promotion-id-number') as HTMLInputElement).value = '';
  (document.getElementById('promotion-name') as HTMLInputElement).value = '';
  document.getElementById('promotion-error')!.textContent = '';
  renderPromotions();
  document.getElementById('promotion-form')!.scrollIntoView({ block: 'nearest' });
  (document.getElementById('promotion-id-number') as HTMLInputElement).focus();
}

async function issuePromotion(): Promise<void> {
  if (issuing === null) return;
  const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value.trim();
  const error = document.getElementById('promotion-error')!;
  error.textContent = '';
  try {
    const response = await fetch(`/api/agency/promotions/${issuing}/certificate`, {
      method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...antiforgeryHeader('POST') },
      body: JSON.stringify({ idType: value('promotion-id-type'), idNumber: value('promotion-id-number'), name: value('promotion-name') || null }),
    });
    if (!response.ok) throw new ProblemError(response.status, await response.json().catch(() => ({})));
    const certificate = (await response.json()) as IssuedCertificate;
    setStatus(response.status === 201
      ? t('promotion.issued', { number: certificate.number, name: certificate.holderName, id: certificate.idNumberMasked })
      : t('promotion.existing', { number: certificate.number }));
    issuing = null;
    await load();
  } catch (e) {
    // Problem details name the field at fault (errors.{field} or the field extension): mark that input.
    const field = e instanceof ProblemError ? (Object.keys(e.problem.errors ?? {})[0] ?? (e.problem as { field?: string }).field) : undefined;
    const input = field === 'idType' ? 'promotion-id-type' : field === 'name' ? 'promotion-name' : field === 'idNumber' ? 'promotion-id-number' : null;
    for (const id of ['promotion-id-type', 'promotion-id-number', 'promotion-name']) {
      document.getElementById(id)!.toggleAttribute('aria-invalid', id === input);
    }
    error.textContent = problemText(e);
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
  promotions = await call<PromotionList>('GET', '/api/agency/promotions?limit=500');
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
document.getElementById('promotion-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  void issuePromotion();
});
for (const id of ['promotion-id-type', 'promotion-id-number', 'promotion-name']) {
  document.getElementById(id)!.addEventListener('input', (e) => (e.target as HTMLElement).removeAttribute('aria-invalid'));
}
document.getElementById('promotion-cancel')!.addEventListener('click', () => {
  issuing = null;
  renderPromotions();
});
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
