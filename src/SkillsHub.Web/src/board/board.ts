import '../style.css';
import './board.css';
import * as signalR from '@microsoft/signalr';
import { applyStatic, currentLang } from '../i18n';
import { t } from './strings';
import { fitTables } from './screen';
import { getJson, type CompetitionDetails } from '../api';
import { leaderboardConnection } from './hub';
import type { Read } from '../api-types';
import { el } from '../kernel/dom';

// Live boards. /board/{code}/{skill}: one skill's standings; /board/{code}: medal table and each
// skill's leader. ?screen=1 is the big-screen mode: full screen, large type, and on /board/{code}
// it rotates through the skills with standings (every ?rotate= seconds, default 12).

// The shapes the API sends (generated from its OpenAPI document, src/api-types.ts); the hub sends the same.
type Standings = Read<'/api/competitions/{code}/skills/{number}/standings'>;
type Results = Read<'/api/competitions/{code}/results'>;

const params = new URLSearchParams(location.search);
const screenMode = params.get('screen') === '1';
const rotateSeconds = Math.max(3, Number(params.get('rotate') ?? '12') || 12);
const [, , codePart, skillPart] = location.pathname.split('/');
const code = (codePart ?? '').toUpperCase();
const fixedSkill = skillPart ? Number(skillPart) : null;

const main = document.getElementById('main')!;
const connectionBadge = document.getElementById('connection')!;
let competition: CompetitionDetails | null = null;
let current: Standings | null = null;
let currentSkill: number | null = fixedSkill;
// A competitor's move stays marked (arrow and highlight) for moveMs after the change, however often the
// board re-renders in between (docs/pages.md, "Big screen").
const moveMs = 4000;
let movements = new Map<string, { delta: number; at: number }>();
let results: Results | null = null;
let connectionState: 'connecting' | 'live' | 'reconnecting' | 'offline' = 'connecting';

if (screenMode) document.body.classList.add('screen');


/** Regional-indicator flag for a two-letter member code (shown beside the code). */
function flag(memberCode: string): string {
  return /^[A-Z]{2}$/.test(memberCode) ? String.fromCodePoint(...[...memberCode].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65)) : '';
}

function skillName(number: number): string {
  const skill = competition?.skills.find((s) => s.number === number);
  if (!skill) return t('skill', { number: String(number).padStart(2, '0') });
  const name = currentLang() === 'zh' && skill.nameZh ? skill.nameZh : skill.name;
  return `${String(number).padStart(2, '0')} · ${name}`;
}

function competitionName(): string {
  if (!competition) return code;
  return currentLang() === 'zh' && competition.nameZh ? competition.nameZh : competition.name;
}

function backLink(href: string, key: Parameters<typeof t>[0]): HTMLAnchorElement {
  const link = el('a', 'backlink', `← ${t(key)}`);
  link.href = href;
  return link;
}

let missing: (() => string) | null = null;
/** An unknown competition or skill: say so, link home, and never show "Connecting…". */
function renderMissing(): void {
  if (!missing) return;
  connectionBadge.hidden = true;
  const box = el('section', 'error-page');
  box.append(el('p', 'code-big', '404'), el('h1', undefined, missing()));
  const home = el('a', undefined, t('home'));
  home.href = '/';
  const links = el('ul');
  const item = el('li');
  item.appendChild(home);
  links.appendChild(item);
  if (competition) {
    const back = el('a', undefined, `${competitionName()}: ${t('back')}`);
    back.href = `/board/${code}`;
    const li = el('li');
    li.appendChild(back);
    links.appendChild(li);
  }
  box.appendChild(links);
  main.replaceChildren(box);
}

function renderConnection(): void {
  connectionBadge.className = `connection ${connectionState === 'connecting' ? 'reconnecting' : connectionState}`;
  connectionBadge.textContent = t(`conn.${connectionState}`);
}

function banner(s: Standings): HTMLElement | null {
  if (s.published) return el('div', 'banner published', t('banner.published'));
  if (s.mode === 'Frozen') {
    const time = new Date(s.asOf).toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
    return el('div', 'banner frozen', t('banner.frozen', { time }));
  }
  if (s.mode === 'Hidden') return el('div', 'banner hidden', t('banner.hidden'));
  return null;
}

function standingsTable(s: Standings): HTMLElement {
  if (s.rows.length === 0) return el('p', 'empty', s.mode === 'Hidden' ? '' : t('empty'));
  const table = el('table', 'standings');
  const head = table.createTHead().insertRow();
  const columns: [Parameters<typeof t>[0], string][] = [['col.rank', ''], ['col.competitor', ''], ['col.member', ''], ['col.raw', 'num hide-phone'], ['col.scaled', 'num'], ['col.medal', '']];
  for (const [key, cls] of columns) head.appendChild(el('th', cls, t(key)));
  const body = table.createTBody();
  for (const row of s.rows) {
    const tr = body.insertRow();
    tr.dataset.competitor = row.competitorId;
    const rank = tr.insertCell();
    rank.className = 'rank';
    rank.textContent = String(row.place);
    const move = movements.get(row.competitorId);
    const age = move ? Date.now() - move.at : moveMs;
    if (move && age < moveMs) {
      tr.classList.add('moved');
      // The highlight continues where it was rather than restarting at each render.
      tr.style.animationDelay = `-${age}ms`;
      const up = move.delta > 0;
      rank.appendChild(el('span', `move ${up ? 'up' : 'down'}`, `${up ? '▲' : '▼'}${Math.abs(move.delta)}`));
    }
    tr.insertCell().textContent = row.name;
    const member = tr.insertCell();
    member.className = 'member';
    member.append(el('span', 'flag', flag(row.memberCode)), row.memberCode);
    const raw = tr.insertCell();
    raw.className = 'num hide-phone';
    raw.textContent = row.raw.toFixed(2);
    const scaled = tr.insertCell();
    scaled.className = 'num';
    scaled.textContent = String(row.scaled);
    const medal = tr.insertCell();
    if (row.award !== 'None') medal.appendChild(el('span', `medal ${row.award}`, t.maybe(`medal.${row.award}`) ?? row.award));
  }
  return table;
}

function renderSkill(): void {
  main.replaceChildren();
  if (!current || currentSkill === null) return;
  main.appendChild(backLink(`/board/${code}`, 'back'));
  const head = el('div', 'board-head');
  head.append(el('h1', undefined, skillName(currentSkill)), el('span', 'sub', competitionName()));
  main.appendChild(head);
  const b = banner(current);
  if (b) main.appendChild(b);
  main.appendChild(standingsTable(current));
  if (screenMode && fixedSkill === null) main.appendChild(el('p', 'rotation', rotationText()));
  fitScreen();
}

// ---- big screen: nothing scrolls; long tables page through the rows that fit ----
let screenPage = 0;
let screenPages = 1;

function fitScreen(): void {
  if (!screenMode) return;
  ({ pages: screenPages, page: screenPage } = fitTables(main, screenPage));
}

function renderCurrent(): void {
  if (missing) renderMissing();
  else if (currentSkill !== null) renderSkill();
  else renderCompetition();
}

function renderCompetition(): void {
  main.replaceChildren();
  main.appendChild(backLink('/', 'home'));
  const head = el('div', 'board-head');
  head.append(el('h1', undefined, competitionName()), el('span', 'sub', code));
  main.appendChild(head);
  if (!results) return;
  if (results.albertVidal.length > 0) {
    main.appendChild(el('div', 'banner published', t('albert', { names: results.albertVidal.map((w) => `${w.name} (${w.memberCode}, ${w.scaled})`).join(', ') })));
  }
  const grid = el('div', 'grid2');
  const medals = el('section', 'panel');
  medals.appendChild(el('h2', undefined, t('medals.title')));
  const table = el('table', 'standings medals');
  const hr = table.createTHead().insertRow();
  for (const [key, cls] of <[Parameters<typeof t>[0], string][]>[['medals.member', ''], ['medals.gold', 'num'], ['medals.silver', 'num'], ['medals.bronze', 'num'], ['medals.medallions', 'num hide-phone'], ['medals.points', 'num']]) {
    hr.appendChild(el('th', cls, t(key)));
  }
  const tb = table.createTBody();
  for (const m of results.medalTable) {
    const tr = tb.insertRow();
    const member = tr.insertCell();
    member.className = 'member';
    member.append(el('span', 'flag', flag(m.memberCode)), `${m.memberCode} · ${currentLang() === 'zh' && m.memberNameZh ? m.memberNameZh : m.memberName}`);
    for (const [value, cls] of [[m.gold, 'num'], [m.silver, 'num'], [m.bronze, 'num'], [m.medallions, 'num hide-phone'], [m.medalPoints, 'num']] as const) {
      const td = tr.insertCell();
      td.className = cls;
      td.textContent = String(value);
    }
  }
  medals.appendChild(results.medalTable.length > 0 ? table : el('p', 'empty', t('empty')));
  const leaders = el('section', 'panel leaders');
  leaders.appendChild(el('h2', undefined, t('leaders.title')));
  const list = el('table', 'standings');
  const lb = list.createTBody();
  for (const l of results.leaders) {
    const tr = lb.insertRow();
    const name = tr.insertCell();
    const link = el('a', undefined, skillName(l.skillNumber));
    link.href = `/board/${code}/${String(l.skillNumber).padStart(2, '0')}`;
    name.appendChild(link);
    const who = tr.insertCell();
    if (l.mode === 'Hidden' && !l.published) who.textContent = t('leaders.hidden');
    else if (l.name && l.memberCode) who.append(el('span', 'flag', flag(l.memberCode)), `${l.name} · ${l.scaled}`, l.mode === 'Frozen' && !l.published ? ` (${t('leaders.frozen')})` : '');
    else who.textContent = t('leaders.none');
  }
  leaders.appendChild(list);
  grid.append(medals, leaders);
  main.appendChild(grid);
  if (screenMode && fixedSkill === null) main.appendChild(el('p', 'rotation', rotationText()));
  fitScreen();
}

// ---- connection and updates ----
const connection = leaderboardConnection((ctx) => Math.min(10000, 500 * 2 ** ctx.previousRetryCount));

function accept(next: Standings): void {
  if (currentSkill === null || next.skillNumber !== currentSkill || next.competitionCode !== code) return;
  if (current && next.sequence <= current.sequence) return;
  if (current) {
    const before = new Map(current.rows.map((r) => [r.competitorId, r.place]));
    const now = Date.now();
    let moved = false;
    for (const row of next.rows) {
      const place = before.get(row.competitorId);
      if (place !== undefined && place !== row.place) {
        movements.set(row.competitorId, { delta: place - row.place, at: now });
        moved = true;
      }
    }
    if (moved) window.setTimeout(() => { if (currentSkill !== null && !missing) renderSkill(); }, moveMs + 50);
  }
  current = next;
  renderSkill();
}

async function subscribeSkill(skill: number): Promise<void> {
  if (currentSkill !== null && currentSkill !== skill && connection.state === signalR.HubConnectionState.Connected) {
    await connection.invoke('Unsubscribe', code, currentSkill);
  }
  currentSkill = skill;
  current = null;
  movements = new Map();
  screenPage = 0;
  const snapshot = connection.state === signalR.HubConnectionState.Connected
    ? await connection.invoke<Standings>('Subscribe', code, skill)
    : await getJson<Standings>(`/api/competitions/${code}/skills/${skill}/standings`);
  accept(snapshot);
}

let resultsTimer: number | undefined;
function refreshResultsSoon(): void {
  // Many skills may change at once; one refetch per second at most.
  if (resultsTimer !== undefined) return;
  resultsTimer = window.setTimeout(async () => {
    resultsTimer = undefined;
    results = await getJson<Results>(`/api/competitions/${code}/results`);
    if (currentSkill === null) renderCompetition();
  }, 1000);
}

connection.on('standings', (s: Standings) => {
  if (current && s.sequence > current.sequence + 1 && s.mode === 'Live' && !s.published) {
    // A gap: something was missed; take a fresh snapshot rather than trusting the stream.
    void subscribeSkill(s.skillNumber);
    return;
  }
  accept(s);
});
connection.on('resultsChanged', () => refreshResultsSoon());
connection.onreconnecting(() => { connectionState = 'reconnecting'; renderConnection(); });
connection.onreconnected(async () => {
  connectionState = 'live';
  renderConnection();
  await resubscribe();
});
connection.onclose(() => { connectionState = 'offline'; renderConnection(); setTimeout(start, 3000); });

async function resubscribe(): Promise<void> {
  try {
    await subscribeOnce();
  } catch {
    // Right after a node dies the skill's grain may still be moving to a live node: try again.
    setTimeout(() => void resubscribe(), 2000);
  }
}

async function subscribeOnce(): Promise<void> {
  if (currentSkill !== null) await subscribeSkill(currentSkill);
  if (fixedSkill === null) {
    await connection.invoke('SubscribeMedals', code);
    results = await getJson<Results>(`/api/competitions/${code}/results`);
    if (currentSkill === null) renderCompetition();
  }
}

async function start(): Promise<void> {
  try {
    await connection.start();
    connectionState = 'live';
    renderConnection();
    await resubscribe();
  } catch {
    connectionState = 'offline';
    renderConnection();
    // Spread the retries: a full node (503) should not see every refused phone come back at once.
    setTimeout(start, 3000 + Math.random() * 7000);
  }
}

// ---- big-screen rotation through skills that have standings ----
let rotationIndex = 0;
let nextSwitch = Date.now() + rotateSeconds * 1000;
function rotationSkills(): number[] {
  return (results?.leaders ?? []).filter((l) => l.competitorId !== null).map((l) => l.skillNumber);
}
function rotationText(): string {
  const skills = rotationSkills();
  return t('rotation', { index: rotationIndex + 1, count: skills.length, seconds: Math.max(0, Math.round((nextSwitch - Date.now()) / 1000)) });
}
async function rotate(): Promise<void> {
  const skills = rotationSkills();
  nextSwitch = Date.now() + rotateSeconds * 1000;
  if (screenPage + 1 < screenPages) {
    // A long table shows its next rows before the rotation moves on.
    screenPage++;
    renderCurrent();
    return;
  }
  screenPage = 0;
  if (skills.length === 0) { renderCurrent(); return; }
  rotationIndex = (rotationIndex + 1) % (skills.length + 1);
  if (rotationIndex === skills.length) {
    // The medal table takes its turn in the rotation.
    if (currentSkill !== null) await connection.invoke('Unsubscribe', code, currentSkill).catch(() => undefined);
    currentSkill = null;
    renderCompetition();
  } else {
    await subscribeSkill(skills[rotationIndex]);
  }
}

/** Full screen needs a gesture: a visible button, hidden while full screen. */
function addFullscreenButton(): void {
  if (!screenMode || !document.documentElement.requestFullscreen) return;
  const button = el('button', 'lang fullscreen', t('fullscreen'));
  button.id = 'fullscreen';
  button.type = 'button';
  button.addEventListener('click', () => void document.documentElement.requestFullscreen().catch(() => undefined));
  document.addEventListener('fullscreenchange', () => { button.hidden = document.fullscreenElement !== null; });
  connectionBadge.after(button);
}

async function init(): Promise<void> {
  addFullscreenButton();
  window.addEventListener('resize', () => renderCurrent());
  applyStatic(t, () => {
    const button = document.getElementById('fullscreen');
    if (button) button.textContent = t('fullscreen');
    if (!missing) renderConnection();
    renderCurrent();
  });
  renderConnection();
  try {
    if (!code) throw new Error('no competition code');
    competition = await getJson<CompetitionDetails>(`/api/competitions/${encodeURIComponent(code)}`);
  } catch {
    missing = () => code ? t('notfound.competition', { code }) : t('notfound');
    renderMissing();
    return;
  }
  if (fixedSkill !== null && !competition.skills.some((s) => s.number === fixedSkill)) {
    missing = () => t('notfound.skill', { competition: competitionName(), skill: skillPart ?? '' });
    renderMissing();
    return;
  }
  document.title = `SkillsHub · ${competitionName()}${fixedSkill !== null ? ' · ' + skillName(fixedSkill) : ''}`;
  if (fixedSkill === null) renderCompetition();
  await start();
  if (screenMode && fixedSkill === null) {
    rotationIndex = -1;
    nextSwitch = Date.now() + rotateSeconds * 1000;
    window.setInterval(() => void rotate(), rotateSeconds * 1000);
    window.setInterval(() => { if (currentSkill !== null) renderSkill(); }, 1000);
  } else if (screenMode) {
    window.setInterval(() => { screenPage = (screenPage + 1) % screenPages; renderCurrent(); }, rotateSeconds * 1000);
  }
}

void init();
