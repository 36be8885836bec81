import '../style.css';
import './board.css';
import { HubConnectionState } from '@microsoft/signalr';
import { applyStatic, currentLang } from '../i18n';
import { t } from './strings';
import { addFullscreenButton, ScreenPages } from './screen';
import { getJson, type CompetitionDetails } from '../api';
import { firstRead } from './load';
import { drawBadge, liveLink, type ConnectionState } from './hub';
import { Rotation } from './rotation';
import { el } from '../kernel/dom';
import { announceChange, hush, movesNews, withLeadersNews } from './news';
import { banner, resultsBanners } from './banners';
import { backLink, competitionName, heading, missingBox, moveMs, noteMoves, resultsGrid, skillName, standingsTable, unreachableBox, type Movements, type Results, type Standings } from './view';

// Live boards. /board/{code}/{skill}: one skill's standings; /board/{code}: medal table and each skill's leader.
// ?screen=1 is the big screen: large type, and /board/{code} rotates through the skills (every ?rotate= s, default 12).
// What HTTP reads is drawn first and goes live when the hub connects; with no answer the board says so and keeps
// trying (load.ts); only the server's "unknown" (a 404 problem) makes it a not-found page (view.ts, missingBox).
const params = new URLSearchParams(location.search);
const screenMode = params.get('screen') === '1';
// 3 s to an hour: a larger delay overflows the browser's timer, which then fires at once (an outside tester saw a
// Subscribe storm from rotate=3000000).
const rotateSeconds = Math.min(3600, Math.max(3, Number(params.get('rotate') ?? '12') || 12));
const [, , codePart, skillPart] = location.pathname.split('/');
const code = (codePart ?? '').toUpperCase();
const fixedSkill = skillPart ? Number(skillPart) : null;

const main = document.getElementById('main')!;
const connectionBadge = document.getElementById('connection')!;
let competition: CompetitionDetails | null = null;
let current: Standings | null = null;
let currentSkill: number | null = fixedSkill;
let movements: Movements = new Map();
let results: Results | null = null;
let connectionState: ConnectionState = 'connecting';
/** Seconds to the next try while the first reads get no answer; null once they have. */
let unreachable: number | null = null;
/** Whether the server answered the first reads with an error (not out of reach). */
let serverError = false;
let missing: (() => string) | null = null;
let loading = true; // until the first reads answer, the page says so (not only the badge's "Connecting…")
if (screenMode) document.body.classList.add('screen');

const name = () => competitionName(competition, code);

/** The tab's title in the page's language: skill, competition, site (an outside tester: "SkillsHub ·" first hid the board). */
function renderTitle(): void {
  const board = missing ? t('title.missing') : competition ? `${fixedSkill !== null ? skillName(competition, fixedSkill) + ' · ' : ''}${name()}` : t('title');
  document.title = `${board} · SkillsHub`;
}

/** An unknown competition or skill: say so, link home, and never show "Connecting…". */
function renderMissing(): void {
  if (!missing) return;
  connectionBadge.hidden = true;
  main.replaceChildren(missingBox(missing(), competition ? { href: `/board/${code}`, text: `${name()}${currentLang() === 'zh' ? '：' : ': '}${t('back')}` } : null));
}

function renderConnection(): void {
  drawBadge(connectionBadge, connectionState, connectionState === 'live' && currentSkill !== null && current !== null && !current.published && current.mode !== 'Live');
}

function renderSkill(): void {
  renderConnection();
  main.replaceChildren();
  if (!current || currentSkill === null) return;
  main.append(backLink(`/board/${code}`, 'back'), heading(skillName(competition, currentSkill), name()));
  const b = banner(current);
  if (b) main.appendChild(b);
  main.appendChild(standingsTable(current, movements));
  if (screenMode && fixedSkill === null) main.appendChild(el('p', 'rotation', rotation.text(true)));
  pages.fit();
}

// The big screen: nothing scrolls; long tables page through the rows that fit.
const pages = new ScreenPages(main, screenMode);

function renderCurrent(): void {
  renderTitle();
  if (missing) renderMissing();
  else if (unreachable !== null) main.replaceChildren(unreachableBox(unreachable, serverError));
  else if (loading) main.replaceChildren(el('p', 'status', t('loading')));
  else if (currentSkill !== null) renderSkill();
  else renderCompetition();
}

function renderCompetition(): void {
  main.replaceChildren(backLink('/', 'home'), heading(name(), code));
  if (!results) return;
  main.append(...resultsBanners(results, screenMode));
  main.appendChild(resultsGrid(results, competition, code));
  if (screenMode && fixedSkill === null && rotation.skills().length > 0) main.appendChild(el('p', 'rotation', rotation.text(false)));
  pages.fit();
}

const { connection, start } = liveLink({
  state: (state) => { connectionState = state; renderConnection(); },
  connected: subscribeOnce,
  // Without the hub the board still shows what HTTP reads: read again at each of the hub's retries.
  offline: () => {
    if (currentSkill !== null) getJson<Standings>(standingsUrl(currentSkill)).then(accept, () => undefined);
    if (fixedSkill === null) loadResults().catch(() => undefined);
  },
});

function accept(next: Standings): void {
  if (currentSkill === null || next.skillNumber !== currentSkill || next.competitionCode !== code) return;
  if (current && next.sequence <= current.sequence) return;
  if (current) announceChange(current, next, movesNews);
  if (current && noteMoves(movements, current, next)) window.setTimeout(() => { if (currentSkill !== null && !missing) renderSkill(); }, moveMs + 50);
  current = next;
  renderSkill();
}

const standingsUrl = (skill: number) => `/api/competitions/${code}/skills/${skill}/standings`;
const resultsUrl = () => `/api/competitions/${code}/results`;
async function subscribeSkill(skill: number): Promise<void> {
  if (currentSkill !== null && currentSkill !== skill && connection.state === HubConnectionState.Connected) {
    await connection.invoke('Unsubscribe', code, currentSkill).catch(() => undefined);
  }
  // The next skill's standings are read before the screen leaves the ones it shows: a read that fails or hangs (the
  // network down, the server not answering) leaves the last standings up under the connection badge, never an empty
  // hall screen (found by an outside tester).
  const snapshot = connection.state === HubConnectionState.Connected
    ? await connection.invoke<Standings>('Subscribe', code, skill)
    : await getJson<Standings>(standingsUrl(skill));
  if (currentSkill !== skill) {
    current = null;
    [movements, pages.page] = [new Map(), 0];
    hush();
  }
  currentSkill = skill;
  // The hub's snapshot may be older than what HTTP showed (a sequence is per grain activation): take it as the truth.
  if (current && snapshot.sequence < current.sequence) current = null;
  accept(snapshot);
}

async function loadResults(): Promise<void> {
  results = withLeadersNews(results, await getJson<Results>(resultsUrl()), competition, currentSkill === null);
  // A skill hidden (or left without a leader) while the hall screen shows it leaves at once, for the medal table; the
  // next turn is the first skill's (found by an outside tester: "Skill 1 of 0" for good).
  if (screenMode && fixedSkill === null && currentSkill !== null && !rotation.skills().includes(currentSkill)) {
    rotation.toMedals();
    return showMedals();
  }
  if (currentSkill === null && !missing && unreachable === null) renderCompetition();
}

let resultsTimer: number | undefined;
function refreshResultsSoon(): void {
  // Many skills may change at once; one refetch per second at most.
  if (resultsTimer !== undefined) return;
  resultsTimer = window.setTimeout(() => {
    resultsTimer = undefined;
    loadResults().catch(() => refreshResultsSoon());
  }, 1000);
}

connection.on('standings', (s: Standings) => {
  if (current && s.sequence > current.sequence + 1 && s.mode === 'Live' && !s.published) {
    // A gap: something was missed; take a fresh snapshot rather than trusting the stream.
    // Failing (the connection going down), the next connection subscribes again (subscribeOnce).
    subscribeSkill(s.skillNumber).catch(() => undefined);
    return;
  }
  accept(s);
});
connection.on('resultsChanged', () => refreshResultsSoon());
async function subscribeOnce(): Promise<void> {
  if (currentSkill !== null) await subscribeSkill(currentSkill);
  if (fixedSkill === null) {
    await connection.invoke('SubscribeMedals', code);
    await loadResults();
  }
}

// ---- big-screen rotation through skills that have standings ----
const rotation = new Rotation(rotateSeconds, () => results);
async function rotate(): Promise<void> {
  rotation.restart();
  // A long table shows its next rows before the rotation moves on.
  if (pages.turn()) return renderCurrent();
  const skill = rotation.advance();
  if (skill === null) await showMedals();
  else await subscribeSkill(skill);
}
async function showMedals(): Promise<void> {
  if (currentSkill !== null) await connection.invoke('Unsubscribe', code, currentSkill).catch(() => undefined);
  currentSkill = null;
  hush();
  renderCurrent();
}

/** A first read, drawn as "cannot reach the server" while it waits (load.ts). */
async function read<T>(url: string): Promise<T | null> {
  const answer = await firstRead<T>(url, (seconds, error) => {
    [unreachable, serverError, connectionState] = [seconds, error, error ? 'reconnecting' : 'offline'];
    renderConnection(); renderCurrent();
  });
  [unreachable, connectionState] = [null, 'connecting'];
  renderConnection();
  return answer;
}

async function init(): Promise<void> {
  if (screenMode) addFullscreenButton(connectionBadge);
  // The rows that fit are measured: measure again when the window or a font (the flags') changes them.
  window.addEventListener('resize', () => renderCurrent());
  document.fonts.addEventListener('loadingdone', () => renderCurrent());
  applyStatic(t, () => {
    const button = document.getElementById('fullscreen');
    if (button) button.textContent = t('fullscreen');
    if (!missing) renderConnection();
    renderCurrent();
  });
  renderConnection();
  renderCurrent();
  // The competition and the standings (or results) are read at once, not one after the other (docs/pages.md, "Errors").
  const competitionRead = code ? read<CompetitionDetails>(`/api/competitions/${encodeURIComponent(code)}`) : null;
  const standingsRead = code && fixedSkill !== null ? read<Standings>(standingsUrl(fixedSkill)) : null;
  const resultsRead = code && fixedSkill === null ? read<Results>(resultsUrl()) : null;
  competition = await competitionRead;
  if (!competition) missing = () => (code ? t('notfound.competition', { code }) : t('notfound'));
  else if (fixedSkill !== null && !competition.skills.some((s) => s.number === fixedSkill)) {
    missing = () => t('notfound.skill', { competition: name(), skill: skillPart ?? '' });
  }
  // What HTTP reads is drawn at once; the hub (which may be blocked or full) makes it live later.
  if (!missing) [current, results] = [await standingsRead, await resultsRead];
  loading = false;
  renderCurrent();
  if (missing) return;
  await start();
  if (screenMode && fixedSkill === null) {
    rotation.index = -1;
    rotation.restart();
    // A turn whose read fails (the network down) leaves the last standings up (subscribeSkill); the next turn tries the
    // next skill. Caught, not left to the page as an error (found by an outside tester: "HTTP 0" twice in an outage).
    window.setInterval(() => rotate().catch(() => undefined), rotateSeconds * 1000);
    // The countdown line changes every second, nothing else: redrawing the table (and measuring which rows fit) each
    // second cost a hall screen CPU all day and restarted a moved row's highlight.
    window.setInterval(() => main.querySelector('p.rotation')?.replaceChildren(rotation.text(currentSkill !== null)), 1000);
  } else if (screenMode) {
    window.setInterval(() => { pages.turn(); renderCurrent(); }, rotateSeconds * 1000);
  }
}

void init();
