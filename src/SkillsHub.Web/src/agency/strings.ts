// The agency page's words, and the server's decision reasons in the page's language. Reasons are stored
// as the server wrote them ("l5-work-years: needs 1 year ...; has 0"); the code before the colon picks
// the Chinese text, and the numbers are taken from the message in order (docs/pages.md, "Languages").
// Import row errors carry their own code and arguments and are worded by kernel/problems.ts.
// A document number (〔2022〕14号) is held together by word joiners (U+2060): a line never breaks inside it.
import { currentLang, fill, translator } from '../i18n';

export const t = translator({
  en: {
    'file.choose': 'Choose file', 'file.none': 'No file chosen', 'page.title': 'Agency · SkillsHub', 'agency.title': 'Evaluation agency', 'agency.footer': 'Levels follow China\u2019s eight-level system (人社部发〔2022〕\u206014\u2060号); certificates are numbered per 人社鉴发〔2019〕\u20602\u2060号.',
    'signin.title': 'Sign in as an agency officer', 'signin.user': 'User name', 'signin.password': 'Password', 'signin.submit': 'Sign in', 'signin.failed': 'Sign-in failed: {reason}', 'signin.wrong': 'Sign-in failed: the user name or password is wrong, or the account is disabled.', 'signout': 'Sign out',
    'signin.notOfficer': 'This account is not an agency officer.', 'agency.loading': 'Loading…', 'agency.retrying': '{reason}. Trying again in a few seconds…',
    'scope.title': 'Filed scope', 'scope.occupation': 'Occupation', 'scope.levels': 'Levels',
    'agency.details': '{name} · {key} · {type}', 'agency.type.Y': 'employer on file', 'agency.type.S': 'social training and evaluation organisation',
    'agency.status.suspended': 'filing suspended', 'agency.status.revoked': 'filing revoked',
    'session.new': 'New evaluation session', 'session.occupation': 'Occupation', 'session.level': 'Level', 'session.workType': 'Type of work',
    'session.examOn': 'Exam date', 'session.reviewOn': 'Review date (L2, L1)', 'session.reviewOnField': 'Review date', 'session.create': 'Create session',
    'sessions.title': 'Sessions', 'sessions.empty': 'No sessions yet.',
    'col.id': 'No.', 'col.occupation': 'Occupation', 'col.workType': 'Type of work', 'col.level': 'Level', 'col.exam': 'Exam', 'col.candidates': 'Candidates', 'col.results': 'Results',
    'col.passed': 'Passed', 'col.failed': 'Failed', 'col.ineligible': 'Ineligible', 'col.certificates': 'Certificates',
    'col.name': 'Name', 'col.idNumber': 'ID number', 'col.theory': 'Theory', 'col.practical': 'Practical', 'col.review': 'Review',
    'col.outcome': 'Decision', 'col.reasons': 'Reasons', 'col.certificate': 'Certificate',
    'session.title': 'Session {id}: {occupation}, {level}', 'session.open': 'Open session {id}',
    'upload.candidates': 'Upload candidates (CSV)', 'upload.results': 'Upload results (CSV)',
    'upload.columns': 'Candidates: `name`, `id_type`, `id_number`; then `education`, `in_occupation_since`, `held_level`, `held_since`, which decide who may sit the level. Results: `id_type`, `id_number`, `theory`, `practical`; `review` for Levels 2 and 1.',
    'run.rate': 'Rate candidates', 'run.issue': 'Issue certificates', 'run.bundle': 'Download all (ZIP)',
    'bundle.progress': 'ZIP of PDFs and credentials: {processed} / {total}', 'bundle.waiting': 'ZIP of PDFs and credentials: waiting to start', 'bundle.starting': 'ZIP of PDFs and credentials: finding the certificates', 'bundle.ready': 'ZIP ready ({size} MB):', 'bundle.download': 'download',
    'import.progress': '{file}: {processed} / {total} {total|row|rows}', 'import.waiting': '{file}: waiting to start', 'import.reading': '{file}: reading the file', 'import.storing': '{file}: all {total} {total|row|rows} read; checking and storing', 'import.done': '{file}: {message}', 'import.report': 'Download the error report',
    'import.stored': '{file}: {count} {count|row|rows} stored', 'import.rejected': '{file}: {count} {count|problem|problems}; nothing from this file was stored', 'import.line': 'line {line}, {field}: {message}',
    'run.progress': '{kind}: {processed} / {total}', 'run.waiting': '{kind}: waiting to start', 'run.starting': '{kind}: finding the candidates', 'run.kind.rate': 'Rating', 'run.kind.issue': 'Issuing',
    'rate.confirm': 'Rate session {id}: {count} {count|candidate|candidates} with results to decide? A decision, once made, stays: a corrected file does not change it.',
    'rate.awaiting': '{count} more {count|candidate is|candidates are} missing a result and not rated now.',
    'rate.ineligible': 'Rating now would find {count} of {total} ineligible, for good (the commonest reason: {reason}). If the candidates file lacks what they have (years in the occupation, levels held, education), upload it corrected first.',
    'run.awaiting': '{count} await results (a part the level needs has no mark yet; enter 0 for a part not sat)',
    'decisions.title': 'Decisions and certificates', 'decisions.empty': 'No candidates yet.',
    'decisions.shown': 'Showing {shown} of {total} {total|candidate|candidates}.', 'decisions.more': 'Show more',
    'outcome.passed': 'passed', 'outcome.failed': 'failed', 'outcome.ineligible': 'ineligible', 'outcome.out-of-scope': 'outside scope',
    'status.succeeded': 'Done', 'status.rejected': 'Rejected', 'status.failed': 'Failed', 'status.running': 'Running', 'status.queued': 'Queued',
    'certificate.valid': 'valid', 'certificate.suspended': 'suspended', 'certificate.revoked': 'revoked',
    'certificate.suspend': 'Suspend', 'certificate.reinstate': 'Reinstate', 'certificate.revoke': 'Revoke', 'certificate.cancel': 'Cancel',
    'certificate.reason': 'Reason (shown on the public verify page)',
    'certificate.suspend.title': 'Suspend certificate {number} ({name})', 'certificate.reinstate.title': 'Lift the suspension of certificate {number} ({name})',
    'certificate.revoke.title': 'Revoke certificate {number} ({name})',
    'certificate.suspend.hint': 'A suspended certificate does not prove the level until the suspension is lifted; verifiers see it as suspended, with your reason.',
    'certificate.reinstate.hint': 'The certificate proves the level again from now on; verifiers see it as valid.',
    'certificate.revoke.hint': 'Revocation is final: the certificate no longer proves the level and cannot be reinstated. Verifiers see it as revoked, with your reason.',
    'certificate.changed': 'Certificate {number} is now {status}.',
    'promotions.title': 'Competition promotions',
    'promotions.note': 'Levels earned from published competition results, under each competition\u2019s promotion rule (unless the organiser set another, the national rule: excellence award or better \u2192 Level 2; already Level 2 \u2192 Level 1), for occupations and levels in your filed scope, competitors of {members} only. Results carry no ID: enter the holder\u2019s to issue the certificate.',
    'promotions.empty': 'No promotions in your scope yet. They appear after an organiser publishes a skill\u2019s final results and the hourly promotions job has run.',
    'col.competition': 'Competition, skill', 'col.competitor': 'Competitor', 'col.reason': 'Earned by', 'col.action': 'Certificate',
    'promotion.issue': 'Issue certificate', 'promotion.formTitle': 'Certificate for {name} ({competition} skill {skill}, {level})',
    'promotion.idType': 'ID type', 'promotion.idNumber': 'Full ID number', 'promotion.name': 'Legal name (if different)', 'promotion.submit': 'Issue', 'promotion.cancel': 'Cancel',
    'promotion.hint': 'The ID is stored in full but shown masked everywhere public. If the person is already registered, their recorded name is used and levels they already hold are taken into account.',
    'promotion.issued': 'Certificate {number} issued to {name} ({id}).', 'promotion.existing': 'Certificate {number} had already been issued for this promotion.',
    'promotion.withdrawn.valid': 'Promotion withdrawn on {date}: the published results no longer justify it. The certificate stays valid; revoke it if it should not stand.',
    'promotion.withdrawn.suspended': 'Promotion withdrawn on {date}: the published results no longer justify it. The certificate is suspended; revoke it if it should not stand.',
    'promotion.withdrawn.revoked': 'Promotion withdrawn on {date}: the published results no longer justify it. The certificate is revoked.',
    'idType.resident': 'Resident identity card', 'idType.passport': 'Passport', 'idType.hk-macao': 'Mainland travel permit (Hong Kong, Macao)',
    'idType.taiwan': 'Mainland travel permit (Taiwan)', 'idType.foreign-pr': 'Foreign permanent resident ID card', 'idType.other': 'Other',
  },
  zh: {
    'file.choose': '选择文件', 'file.none': '未选择文件', 'page.title': '评价机构 · SkillsHub', 'agency.title': '评价机构', 'agency.footer': '等级遵循八级技能等级制度（人社部发〔2022〕\u206014\u2060号）；证书编号遵循人社鉴发〔2019〕\u20602\u2060号。',
    'signin.title': '评价机构工作人员登录', 'signin.user': '用户名', 'signin.password': '密码', 'signin.submit': '登录', 'signin.failed': '登录失败：{reason}', 'signin.wrong': '登录失败：用户名或密码错误，或账号已停用。', 'signout': '退出登录',
    'signin.notOfficer': '该账号不是评价机构工作人员。', 'agency.loading': '正在加载…', 'agency.retrying': '{reason}。几秒后自动重试…',
    'scope.title': '备案范围', 'scope.occupation': '职业', 'scope.levels': '等级',
    'agency.details': '{name} · {key} · {type}', 'agency.type.Y': '用人单位', 'agency.type.S': '社会培训评价组织',
    'agency.status.suspended': '备案已暂停', 'agency.status.revoked': '备案已撤销',
    'session.new': '新建评价批次', 'session.occupation': '职业', 'session.level': '等级', 'session.workType': '工种',
    'session.examOn': '考试日期', 'session.reviewOn': '综合评审日期（二级、一级）', 'session.reviewOnField': '综合评审日期', 'session.create': '创建批次',
    'sessions.title': '评价批次', 'sessions.empty': '暂无批次。',
    'col.id': '编号', 'col.occupation': '职业', 'col.workType': '工种', 'col.level': '等级', 'col.exam': '考试', 'col.candidates': '考生', 'col.results': '成绩',
    'col.passed': '合格', 'col.failed': '不合格', 'col.ineligible': '不符合条件', 'col.certificates': '证书',
    'col.name': '姓名', 'col.idNumber': '证件号码', 'col.theory': '理论', 'col.practical': '技能', 'col.review': '综合评审',
    'col.outcome': '结论', 'col.reasons': '原因', 'col.certificate': '证书编号',
    'session.title': '批次 {id}：{occupation}，{level}', 'session.open': '打开批次 {id}',
    'upload.candidates': '上传考生名单（CSV）', 'upload.results': '上传考试成绩（CSV）',
    'upload.columns': '考生名单列：`name`、`id_type`、`id_number`；其后 `education`、`in_occupation_since`、`held_level`、`held_since`，决定考生能否申报该等级。考试成绩列：`id_type`、`id_number`、`theory`、`practical`；二级和一级另需 `review`。',
    'run.rate': '评定等级', 'run.issue': '颁发证书', 'run.bundle': '打包下载（ZIP）',
    'bundle.progress': '证书PDF与数字凭证打包：{processed} / {total}', 'bundle.waiting': '证书PDF与数字凭证打包：等待开始', 'bundle.starting': '证书PDF与数字凭证打包：正在查找证书', 'bundle.ready': 'ZIP 已生成（{size} MB）：', 'bundle.download': '下载',
    'import.progress': '{file}：已处理 {processed} / {total} 行', 'import.waiting': '{file}：等待开始', 'import.reading': '{file}：正在读取文件', 'import.storing': '{file}：{total} 行已全部读取，正在核对并保存', 'import.done': '{file}：{message}', 'import.report': '下载错误报告',
    'import.stored': '{file}：已保存 {count} 行', 'import.rejected': '{file}：发现 {count} 个问题，本文件的数据均未保存', 'import.line': '第 {line} 行，{field}：{message}',
    'run.progress': '{kind}：{processed} / {total}', 'run.waiting': '{kind}：等待开始', 'run.starting': '{kind}：正在查找考生', 'run.kind.rate': '评定', 'run.kind.issue': '发证',
    'rate.confirm': '评定批次 {id} 中有成绩待评定的 {count} 名考生？评定结果一经作出即不再更改：之后上传更正的文件也不会改变。',
    'rate.awaiting': '另有 {count} 名考生成绩不全，本次不评定。',
    'rate.ineligible': '现在评定，{total} 名考生中将有 {count} 名被判定为不符合申报条件，且不可更改（最常见的原因：{reason}）。如考生文件缺少相关信息（从事本职业年限、已有等级、学历），请先上传更正后的文件。',
    'run.awaiting': '{count} 人待录成绩（该等级所需的某项成绩尚未录入；缺考的科目请录入 0 分）',
    'decisions.title': '评定结论与证书', 'decisions.empty': '暂无考生。',
    'decisions.shown': '已显示 {shown} / {total} 名考生。', 'decisions.more': '显示更多',
    'outcome.passed': '合格', 'outcome.failed': '不合格', 'outcome.ineligible': '不符合申报条件', 'outcome.out-of-scope': '超出备案范围',
    'status.succeeded': '完成', 'status.rejected': '已拒绝', 'status.failed': '失败', 'status.running': '进行中', 'status.queued': '排队中',
    'certificate.valid': '有效', 'certificate.suspended': '已暂停', 'certificate.revoked': '已撤销',
    'certificate.suspend': '暂停', 'certificate.reinstate': '恢复', 'certificate.revoke': '撤销', 'certificate.cancel': '取消',
    'certificate.reason': '原因（在公开查验页面显示）',
    'certificate.suspend.title': '暂停证书 {number}（{name}）', 'certificate.reinstate.title': '恢复证书 {number}（{name}）',
    'certificate.revoke.title': '撤销证书 {number}（{name}）',
    'certificate.suspend.hint': '证书暂停期间不能证明该等级，恢复后重新有效；查验时显示为已暂停，并显示您填写的原因。',
    'certificate.reinstate.hint': '证书自现在起重新证明该等级；查验时显示为有效。',
    'certificate.revoke.hint': '撤销不可恢复：证书不再证明该等级，也不能恢复。查验时显示为已撤销，并显示您填写的原因。',
    'certificate.changed': '证书 {number} 现为{status}。',
    'promotions.title': '竞赛晋级',
    'promotions.note': '依据已公布的竞赛最终成绩、按各竞赛的晋升规则晋升的等级（主办方未另定规则时适用全国竞赛规则：获优胜奖及以上晋升二级/技师；已是二级的晋升一级/高级技师），仅列出本机构备案范围内的职业和等级，且仅限 {members} 选手。竞赛成绩不含证件信息：请录入持证人证件号码后颁发证书。',
    'promotions.empty': '备案范围内暂无竞赛晋级。组织方公布某一项目的最终成绩、且每小时运行的晋级任务完成后，晋级记录将显示在这里。',
    'col.competition': '竞赛与项目', 'col.competitor': '选手', 'col.reason': '晋级依据', 'col.action': '证书',
    'promotion.issue': '颁发证书', 'promotion.formTitle': '为 {name} 颁发证书（{competition} 第 {skill} 项，{level}）',
    'promotion.idType': '证件类型', 'promotion.idNumber': '完整证件号码', 'promotion.name': '证件姓名（与选手姓名不同时填写）', 'promotion.submit': '颁发', 'promotion.cancel': '取消',
    'promotion.hint': '证件号码完整保存，但在任何公开场合均做脱敏显示。若该人员已登记，将使用登记的姓名，并考虑其已取得的等级。',
    'promotion.issued': '已为 {name}（{id}）颁发证书 {number}。', 'promotion.existing': '该晋级已颁发过证书 {number}。',
    'promotion.withdrawn.valid': '该晋级已于 {date} 撤回：已公布的成绩不再支持此晋级。证书仍然有效；如不应保留，请撤销。',
    'promotion.withdrawn.suspended': '该晋级已于 {date} 撤回：已公布的成绩不再支持此晋级。证书已暂停；如不应保留，请撤销。',
    'promotion.withdrawn.revoked': '该晋级已于 {date} 撤回：已公布的成绩不再支持此晋级。证书已撤销。',
    'idType.resident': '居民身份证', 'idType.passport': '护照', 'idType.hk-macao': '港澳居民来往内地通行证',
    'idType.taiwan': '台湾居民来往大陆通行证', 'idType.foreign-pr': '外国人永久居留身份证', 'idType.other': '其他',
  },
});

export type Key = Parameters<typeof t>[0];

// The same names as the certificate's (Domain/Certification/Levels.cs, EnglishName; an outside tester found "Junior" here).
const levelNames: Record<number, [string, string]> = {
  5: ['Level 5 / Junior worker', '五级/初级工'], 4: ['Level 4 / Intermediate worker', '四级/中级工'], 3: ['Level 3 / Senior worker', '三级/高级工'],
  2: ['Level 2 / Technician', '二级/技师'], 1: ['Level 1 / Senior technician', '一级/高级技师'], 6: ['Special-grade technician', '特级技师'], 7: ['Chief technician', '首席技师'],
};
/** Items of one cell joined as the page's language writes a list (an outside tester: "; " between Chinese reasons). */
export const joinList = (items: string[]) => items.join(currentLang() === 'zh' ? '；' : '; ');
export const levelName = (digit: number) => (levelNames[digit] ?? [String(digit), String(digit)])[currentLang() === 'zh' ? 1 : 0];
export const occupationName = (o: { occupationZh?: string; occupationEn?: string; nameZh?: string; nameEn?: string }) =>
  currentLang() === 'zh' ? (o.occupationZh ?? o.nameZh ?? '') : (o.occupationEn ?? o.nameEn ?? '');

const awardsZh: Record<string, string> = { Gold: '金牌', Silver: '银牌', Bronze: '铜牌', MedallionForExcellence: '优胜奖' };

/** The promotions job records reasons in English ("Gold in WSC2024 skill 7", "place 4 in NSC2025 skill 12"). */
export function promotionReason(reason: string): string {
  const award = /^(\w+) in (\S+) skill (\d+)$/.exec(reason);
  const place = /^place (\d+) in (\S+) skill (\d+)$/.exec(reason);
  if (currentLang() === 'zh') {
    // No break inside "第 3 项" or "第 1 名" (no-break spaces; found by an outside tester: 第 1/名).
    if (place) return `${place[2]} 第\u00a0${place[3]}\u00a0项第\u00a0${place[1]}\u00a0名`;
    if (award) return `${award[2]} 第\u00a0${award[3]}\u00a0项${awardsZh[award[1]!] ?? award[1]}`;
    return reason;
  }
  if (award) return `${award[1] === 'MedallionForExcellence' ? 'Medallion for Excellence' : award[1]}, ${award[2]} skill ${award[3]}`;
  return reason;
}

/** Decision reason codes (docs/certification.md): {0}, {1}, ... are the numbers of the server's detail, in order. */
const reasonsZh: Record<string, string> = {
  'l5-work-years': '需在本职业工作满 {0} 年或完成学徒培训；现为 {1} 年',
  'l4-route': '需取得五级后满 {0} 年、在本职业工作满 {2} 年，或具有技工学校毕业证书；现在本职业工作 {3} 年，未取得五级',
  // With Level 5 held the detail has one number more, the years since it (a template by the count of numbers: code/count).
  'l4-route/6': '需取得五级后满 {0} 年、在本职业工作满 {2} 年，或具有技工学校毕业证书；现在本职业工作 {3} 年，取得五级 {4} 年',
  'l3-needs-l4': '需已取得本职业四级', 'l3-years': '需取得四级后满 {0} 年（大专学历 {2} 年，高级技工学校毕业不限）；现为 {3} 年',
  'l2-needs-l3': '需已取得本职业三级', 'l2-years': '需取得三级后满 {0} 年；现为 {2} 年',
  'l1-needs-l2': '需已取得本职业二级', 'l1-years': '需取得二级后满 {0} 年；现为 {2} 年',
  'appointment-only': '特级技师、首席技师通过聘任取得，不经评价', 'agency-inactive': '本机构已停止评价', 'not-evaluated': '该等级不经评价取得',
  'outside-scope': '该职业和等级不在本机构备案范围内',
  theory: '理论知识考试不合格', practical: '操作技能考核不合格', review: '综合评审不合格',
};
const reasonsEn: Record<string, string> = {
  theory: 'theory exam failed', practical: 'practical exam failed', review: 'comprehensive review failed',
  // The agency's scope (Rating.Decide, docs/certification.md): found by an outside tester, "outside-scope" had no Chinese text.
  'appointment-only': 'special-grade and chief technician are appointed, not evaluated', 'agency-inactive': 'the agency no longer evaluates',
  'not-evaluated': 'this level is not obtained by evaluation', 'outside-scope': 'the occupation and level are outside the agency\u2019s filed scope',
};
const eligibleBy: Record<string, [string, string]> = {
  'work-years': ['years in the occupation', '本职业工作年限'], apprenticeship: ['completed apprenticeship', '完成学徒培训'],
  'after-l5': ['years since Level 5', '取得五级后的年限'], 'technical-school': ['technical-school diploma', '技工学校毕业'],
  'after-l4': ['years since Level 4', '取得四级后的年限'], 'senior-technical-school': ['senior technical school diploma', '高级技工学校毕业'],
  college: ['college diploma', '大专学历'], 'after-l3': ['years since Level 3', '取得三级后的年限'], 'after-l2': ['years since Level 2', '取得二级后的年限'],
  're-examination': ['holds this level or a higher one (re-examination)', '已取得本等级或更高等级（复评）'],
};

const partNames: Record<string, [string, string]> = { theory: ['theory', '理论知识'], practical: ['practical', '操作技能'], review: ['comprehensive review', '综合评审'] };

export function decisionReason(reason: string): string {
  const zh = currentLang() === 'zh';
  // Not decided yet: the parts still without a score (docs/certification.md, "Jobs").
  const awaiting = /^awaiting-results: (.+)$/.exec(reason);
  if (awaiting) {
    const parts = awaiting[1]!.split(', ').map((p) => partNames[p]?.[zh ? 1 : 0] ?? p);
    return zh ? `待上传成绩：${parts.join('、')}` : `awaiting results: ${parts.join(', ')}`;
  }
  const eligible = /^eligible (\S+)$/.exec(reason);
  if (eligible) {
    const by = eligibleBy[eligible[1]!];
    return by ? (zh ? `符合申报条件（${by[1]}）` : `eligible: ${by[0]}`) : reason;
  }
  const [, code = reason, detail = ''] = /^([a-z0-9-]+)(?:: (.*))?$/.exec(reason) ?? [];
  if (!zh) return detail || reasonsEn[code] || reason;
  const numbers = detail.match(/\d+/g) ?? [];
  const template = reasonsZh[`${code}/${numbers.length}`] ?? reasonsZh[code];
  return template ? fill(template, Object.fromEntries(numbers.map((n, i) => [String(i), n]))) : reason;
}
