import './style.css';
import { applyStatic, currentLang } from './i18n';
import { t, sectorsZh } from './landing-strings';
import { getJson, type CompetitionDetails, type CompetitionSummary } from './api';
import { serverAnswered, untilAnswered } from './kernel/http';
import { errorText } from './kernel/problems';
import { el } from './kernel/dom';
import { dateRangeText } from './kernel/dates';
import type { Read } from './api-types';

let competitions: CompetitionSummary[] = [];
/** What a skill's board has to show: results published, live, or frozen for spectators (nothing when undecided or hidden). */
type SkillState = 'skill.published' | 'skill.live' | 'skill.frozen';
const openDetails = new Map<string, { details: CompetitionDetails; states: Map<number, SkillState> }>();

/**
 * Each skill's state from the competition's public results (its leaders): a person choosing a board sees which have
 * results (found by an outside tester: the list did not say). Without an answer the list is shown plain.
 */
function skillStates(results: Read<'/api/competitions/{code}/results'> | null): Map<number, SkillState> {
  const states = new Map<number, SkillState>();
  for (const l of results?.leaders ?? []) {
    // A published skill whose marks were corrected down to no total above 0 has no leader and no results: nothing is said
    // (found by an outside tester: "Results published").
    if (l.published) { if (l.competitorId !== null) states.set(l.skillNumber, 'skill.published'); }
    else if (l.competitorId !== null && l.mode === 'Live') states.set(l.skillNumber, 'skill.live');
    else if (l.competitorId !== null && l.mode === 'Frozen') states.set(l.skillNumber, 'skill.frozen');
  }
  return states;
}

const status = document.getElementById('status')!;
const list = document.getElementById('competitions')!;

function displayName(item: { name: string; nameZh: string | null }): string {
  return currentLang() === 'zh' && item.nameZh ? item.nameZh : item.name;
}



function skillsTable(details: CompetitionDetails, states: Map<number, SkillState>): HTMLTableElement {
  const table = el('table', 'skills');
  const head = table.createTHead().insertRow();
  for (const key of ['skill.number', 'skill.name', 'skill.sector', 'skill.team', 'skill.age'] as const) {
    head.appendChild(el('th', key === 'skill.number' || key === 'skill.name' ? undefined : 'hide-phone', t(key)));
  }
  const body = table.createTBody();
  for (const skill of details.skills) {
    const row = body.insertRow();
    const number = String(skill.number).padStart(2, '0');
    row.insertCell().textContent = number;
    const name = row.insertCell();
    const link = el('a', undefined, displayName(skill));
    link.href = `/board/${encodeURIComponent(details.code)}/${number}`;
    name.appendChild(link);
    // The English page gives the Chinese name beside the English one (as the venue's bilingual signs do), marked as Chinese;
    // the Chinese page shows no English outside names and codes (docs/pages.md, "Languages").
    if (currentLang() === 'en' && skill.nameZh) name.append(' ', Object.assign(el('span', 'alt', skill.nameZh), { lang: 'zh' }));
    const state = states.get(skill.number);
    if (state) name.append(' ', el('span', `state ${state.slice('skill.'.length)}`, t(state)));
    const sector = row.insertCell();
    sector.className = 'hide-phone';
    sector.textContent = skill.sector ? (currentLang() === 'zh' ? sectorsZh[skill.sector] ?? skill.sector : skill.sector) : '—';
    const team = row.insertCell();
    team.className = 'hide-phone';
    team.textContent = skill.teamSize?.toString() ?? '—';
    const age = row.insertCell();
    age.className = 'hide-phone';
    age.textContent = skill.competitorMaxAge?.toString() ?? '—';
  }
  return table;
}

/** The status line, drawn again on a language switch (docs/pages.md, "Switching language"). */
let statusText: () => string = () => t('competitions.loading');

/**
 * Where a competition is, in Chinese: country then city (中国上海), each in Chinese where it has a Chinese name. A city
 * without one keeps its name after the Chinese country (中国 Shanghai): found by an outside tester, the whole place fell
 * back to "Shanghai, China" when only the city had no Chinese name.
 */
function placeZh(c: { city: string; country: string; cityZh?: string | null; countryZh?: string | null }): string {
  const country = c.countryZh || c.country;
  const city = c.cityZh || c.city;
  return c.countryZh && c.cityZh ? `${country}${city}` : `${country} ${city}`;
}

function render(): void {
  // A redraw keeps the keyboard on the "Show skills" / "Hide skills" button it was on (docs/pages.md, "Ways in").
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.toggle : undefined;
  list.replaceChildren();
  status.textContent = statusText();
  if (competitions.length === 0) return;
  for (const c of competitions) {
    const card = el('article', 'card');
    card.dataset.code = c.code;
    // A competition whose skills are open takes the whole row: its table of 60 skills squeezed into half of it, beside an
    // emptier card (found by an outside tester).
    if (openDetails.has(c.code)) card.classList.add('open');
    const title = el('h3');
    title.id = `competition-${c.code}`;
    const boardLink = el('a', undefined, displayName(c));
    boardLink.href = `/board/${encodeURIComponent(c.code)}`;
    title.appendChild(boardLink);
    card.appendChild(title);
    const meta = el('p', 'meta');
    const place = currentLang() === 'zh' ? placeZh(c) : `${c.city}, ${c.country}`;
    // Only the parts it has, so a competition without dates has no dangling "·" (docs/pages.md, "Ways in").
    // The date range is read whole: it wraps before itself, never inside.
    const dates = dateRangeText(c.startsOn, c.endsOn);
    meta.append(el('span', 'code', c.code), ...(place ? [` · ${place}`] : []), ...(dates ? [' · ', el('span', 'nowrap', dates)] : []));
    card.appendChild(meta);
    card.appendChild(el('p', 'count', t('competition.skills', { count: c.skillCount })));
    const links = el('p', 'links');
    const medals = el('a', undefined, t('competition.board'));
    medals.href = `/board/${encodeURIComponent(c.code)}`;
    const screen = el('a', undefined, t('competition.screen'));
    screen.href = `/board/${encodeURIComponent(c.code)}?screen=1`;
    links.append(medals, ' · ', screen);
    card.appendChild(links);
    const details = openDetails.get(c.code);
    const toggle = el('button', 'secondary', t(details ? 'competition.hideSkills' : 'competition.showSkills'));
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', String(details !== undefined));
    // Which competition's skills: every card's button says "Show skills" (found by an outside tester).
    toggle.setAttribute('aria-describedby', title.id);
    toggle.dataset.toggle = c.code;
    toggle.onclick = () => void toggleSkills(c.code);
    card.appendChild(toggle);
    if (focused === c.code) queueMicrotask(() => toggle.focus());
    if (details) card.appendChild(skillsTable(details.details, details.states));
    list.appendChild(card);
  }
}

async function toggleSkills(code: string): Promise<void> {
  if (openDetails.has(code)) {
    openDetails.delete(code);
  } else {
    const path = `/api/competitions/${encodeURIComponent(code)}`;
    const [details, results] = await Promise.all([getJson<CompetitionDetails>(path),
      getJson<Read<'/api/competitions/{code}/results'>>(`${path}/results`).catch(() => null)]);
    openDetails.set(code, { details, states: skillStates(results) });
  }
  render();
}

async function load(): Promise<void> {
  render();
  const waiting = (text: () => string) => {
    statusText = text;
    status.classList.add('error');
    render();
  };
  for (;;) {
    try {
      // No answer (offline, a database outage's 503): say which and try again until the list comes.
      competitions = await untilAnswered(() => getJson<CompetitionSummary[]>('/api/competitions'),
        (e, seconds) => waiting(() => t(serverAnswered(e) ? 'competitions.busy' : 'competitions.retrying', { seconds })));
      break;
    } catch (e) {
      // Any other refusal (a 500 while a node starts) is said in a sentence, and the list is read again (an outside
      // tester: "Could not load competitions (HTTP 500)", and the page never tried again).
      waiting(() => t('competitions.failed', { reason: errorText(e).replace(/[.。]$/, ''), seconds: 10 }));
      await new Promise((resolve) => setTimeout(resolve, 10000));
    }
  }
  status.classList.remove('error');
  statusText = () => (competitions.length === 0 ? t('competitions.empty') : '');
  render();
}

// The number goes into the path, as on a certificate's QR code: /verify/{number}.
const verifyBox = document.getElementById('verify-box') as HTMLFormElement;
verifyBox.addEventListener('submit', (event) => {
  event.preventDefault();
  const number = (document.getElementById('verify-number') as HTMLInputElement).value.trim().toUpperCase();
  location.assign(number ? `/verify/${encodeURIComponent(number)}` : '/verify');
});

applyStatic(t, render);
void load();
