import './style.css';
import { applyStatic, currentLang, translator } from './i18n';
import { getJson, type CompetitionDetails, type CompetitionSummary } from './api';

const t = translator({
  en: {
    'hero.title': 'Skills competitions and vocational certification',
    'hero.lead': 'Judges mark on tablets, spectators follow live leaderboards, and evaluation agencies issue verifiable skill certificates.',
    'competitions.title': 'Competitions',
    'competitions.loading': 'Loading competitions…',
    'competitions.failed': 'Could not load competitions: {reason}',
    'competitions.empty': 'No competitions yet.',
    'competition.skills': '{count} skills',
    'competition.showSkills': 'Show skills',
    'competition.hideSkills': 'Hide skills',
    'skill.number': 'No.',
    'skill.name': 'Skill',
    'skill.sector': 'Sector',
    'skill.team': 'Team size',
    'skill.age': 'Max age',
    footer: 'SkillsHub · marking schemes and standardisation follow the WorldSkills model; skill levels follow China\u2019s eight-level system.',
  },
  zh: {
    'hero.title': '技能竞赛与职业技能等级认定',
    'hero.lead': '裁判在平板上评分，观众实时查看排行榜，评价机构颁发可验证的职业技能等级证书。',
    'competitions.title': '赛事',
    'competitions.loading': '正在加载赛事…',
    'competitions.failed': '无法加载赛事：{reason}',
    'competitions.empty': '暂无赛事。',
    'competition.skills': '{count} 个项目',
    'competition.showSkills': '查看项目',
    'competition.hideSkills': '收起项目',
    'skill.number': '编号',
    'skill.name': '项目',
    'skill.sector': '领域',
    'skill.team': '团队人数',
    'skill.age': '年龄上限',
    footer: 'SkillsHub · 评分方案与标准化遵循世界技能大赛模式；技能等级遵循中国八级技能等级制度。',
  },
});

let competitions: CompetitionSummary[] = [];
const openDetails = new Map<string, CompetitionDetails>();

const status = document.getElementById('status')!;
const list = document.getElementById('competitions')!;

function displayName(item: { name: string; nameZh: string | null }): string {
  return currentLang() === 'zh' && item.nameZh ? item.nameZh : item.name;
}

function dateRange(c: CompetitionSummary): string {
  if (!c.startsOn) return '';
  const format = new Intl.DateTimeFormat(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  const start = format.format(new Date(c.startsOn));
  return c.endsOn ? `${start} – ${format.format(new Date(c.endsOn))}` : start;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function skillsTable(details: CompetitionDetails): HTMLTableElement {
  const table = el('table', 'skills');
  const head = table.createTHead().insertRow();
  for (const key of ['skill.number', 'skill.name', 'skill.sector', 'skill.team', 'skill.age']) {
    head.appendChild(el('th', undefined, t(key)));
  }
  const body = table.createTBody();
  for (const skill of details.skills) {
    const row = body.insertRow();
    row.insertCell().textContent = String(skill.number).padStart(2, '0');
    const name = row.insertCell();
    name.textContent = displayName(skill);
    if (currentLang() === 'en' && skill.nameZh) name.appendChild(el('span', 'alt', ` ${skill.nameZh}`));
    row.insertCell().textContent = skill.sector ?? '—';
    row.insertCell().textContent = skill.teamSize?.toString() ?? '—';
    row.insertCell().textContent = skill.competitorMaxAge?.toString() ?? '—';
  }
  return table;
}

function render(): void {
  list.replaceChildren();
  if (competitions.length === 0) {
    status.textContent = t('competitions.empty');
    return;
  }
  status.textContent = '';
  for (const c of competitions) {
    const card = el('article', 'card');
    card.dataset.code = c.code;
    card.appendChild(el('h3', undefined, displayName(c)));
    const meta = el('p', 'meta');
    meta.append(el('span', 'code', c.code), ` · ${c.city}, ${c.country} · ${dateRange(c)}`);
    card.appendChild(meta);
    card.appendChild(el('p', 'count', t('competition.skills', { count: c.skillCount })));
    const details = openDetails.get(c.code);
    const toggle = el('button', 'secondary', t(details ? 'competition.hideSkills' : 'competition.showSkills'));
    toggle.type = 'button';
    toggle.onclick = () => void toggleSkills(c.code);
    card.appendChild(toggle);
    if (details) card.appendChild(skillsTable(details));
    list.appendChild(card);
  }
}

async function toggleSkills(code: string): Promise<void> {
  if (openDetails.has(code)) {
    openDetails.delete(code);
  } else {
    openDetails.set(code, await getJson<CompetitionDetails>(`/api/competitions/${encodeURIComponent(code)}`));
  }
  render();
}

async function load(): Promise<void> {
  status.textContent = t('competitions.loading');
  try {
    competitions = await getJson<CompetitionSummary[]>('/api/competitions');
    render();
  } catch (e) {
    status.textContent = t('competitions.failed', { reason: e instanceof Error ? e.message : String(e) });
    status.classList.add('error');
  }
}

applyStatic(t, render);
void load();
