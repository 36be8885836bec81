// What a board draws from the data it holds (board.ts keeps the data and the connection): names in the page's
// language, a skill's standings, the medal table and the leaders, and the states with no data (unknown, unreachable).
import { currentLang } from '../i18n';
import { el, withLanguageRuns } from '../kernel/dom';
import type { CompetitionDetails } from '../api';
import type { Read } from '../api-types';
import { t } from './strings';

// The shapes the API sends (generated from its OpenAPI document, src/api-types.ts); the hub sends the same.
export type Standings = Read<'/api/competitions/{code}/skills/{number}/standings'>;
export type Results = Read<'/api/competitions/{code}/results'>;
type Key = Parameters<typeof t>[0];

/** A competitor's move, shown (arrow and highlight) for {@link moveMs} after the change (docs/pages.md, "Big screen"). */
export type Movements = Map<string, { delta: number; at: number }>;
export const moveMs = 4000;

/** Records each competitor whose place changed from `before` to `next`; true when one did. */
export function noteMoves(movements: Movements, before: Standings, next: Standings): boolean {
  const places = new Map(before.rows.map((r) => [r.competitorId, r.place]));
  const now = Date.now();
  let moved = false;
  for (const row of next.rows) {
    const place = places.get(row.competitorId);
    if (place !== undefined && place !== row.place) {
      movements.set(row.competitorId, { delta: place - row.place, at: now });
      moved = true;
    }
  }
  return moved;
}

/**
 * The region a member code's flag is drawn from, where it is not the code itself: WorldSkills UK is GB's. Chinese Taipei
 * (TW) competes under its own flag, which has no emoji: no flag is drawn for it (found by an outside tester: UK drew a
 * box, and TW a flag it does not compete under).
 */
const flagRegions: Record<string, string | null> = { UK: 'GB', TW: null };

/** Regional-indicator flag for a two-letter member code (shown beside the code). */
function flag(memberCode: string): string {
  const region = memberCode in flagRegions ? flagRegions[memberCode] : memberCode;
  return region && /^[A-Z]{2}$/.test(region) ? String.fromCodePoint(...[...region].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65)) : '';
}

export function skillName(competition: CompetitionDetails | null, number: number): string {
  const skill = competition?.skills.find((s) => s.number === number);
  if (!skill) return t('skill', { number: String(number).padStart(2, '0') });
  const name = currentLang() === 'zh' && skill.nameZh ? skill.nameZh : skill.name;
  return `${String(number).padStart(2, '0')} · ${name}`;
}

export function competitionName(competition: CompetitionDetails | null, code: string): string {
  if (!competition) return code;
  return currentLang() === 'zh' && competition.nameZh ? competition.nameZh : competition.name;
}

export function backLink(href: string, key: Key): HTMLAnchorElement {
  const link = el('a', 'backlink', `← ${t(key)}`);
  link.href = href;
  return link;
}

export function heading(title: string, sub: string): HTMLElement {
  const head = el('div', 'board-head');
  const h1 = el('h1', undefined, title);
  // The whole title as its tooltip: on the hall screen it is one line, and a long one ends in an ellipsis (board.css).
  h1.title = title;
  const line = el('span', 'sub', sub);
  line.title = sub;
  head.append(h1, line);
  return head;
}

/** An unknown competition or skill: a 404 box with links home (and to the competition, when it exists). */
export function missingBox(message: string, back: { href: string; text: string } | null): HTMLElement {
  const box = el('section', 'error-page');
  box.append(el('p', 'code-big', '404'), el('h1', undefined, message));
  const links = el('ul');
  for (const { href, text } of [{ href: '/', text: t('home') }, ...(back ? [back] : [])]) {
    const link = el('a', undefined, text);
    link.href = href;
    const item = el('li');
    item.appendChild(link);
    links.appendChild(item);
  }
  box.appendChild(links);
  return box;
}

/** No data from the server yet (offline, or the server answering with an error): not "unknown", and the board keeps trying. */
export function unreachableBox(seconds: number, serverError = false): HTMLElement {
  const box = el('section', 'unreachable');
  box.setAttribute('role', 'status');
  box.append(el('h1', undefined, t(serverError ? 'server.error' : 'unreachable')), el('p', undefined, t('unreachable.retry', { seconds })));
  return box;
}

export function standingsTable(s: Standings, movements: Movements): HTMLElement {
  if (s.rows.length === 0) return el('p', 'empty', s.mode === 'Hidden' ? '' : t('empty'));
  const table = el('table', 'standings');
  const head = table.createTHead().insertRow();
  const columns: [Key, string][] = [['col.rank', ''], ['col.competitor', ''], ['col.member', ''], ['col.raw', 'num hide-phone'], ['col.scaled', 'num'], ['col.medal', '']];
  for (const [key, cls] of columns) head.appendChild(el('th', cls, t(key)));
  const body = table.createTBody();
  for (const row of s.rows) {
    const tr = body.insertRow();
    tr.dataset.competitor = row.competitorId;
    const rank = tr.insertCell();
    rank.className = 'rank';
    rank.textContent = s.decided ? String(row.place) : '–';
    const move = movements.get(row.competitorId);
    const age = move ? Date.now() - move.at : moveMs;
    if (move && age < moveMs) {
      tr.classList.add('moved');
      // The highlight continues where it was rather than restarting at each render.
      tr.style.animationDelay = `-${age}ms`;
      const up = move.delta > 0;
      // The arrow is seen; a screen reader says it in words (found by an outside tester: "1▲33").
      const arrow = el('span', `move ${up ? 'up' : 'down'}`, `${up ? '▲' : '▼'}${Math.abs(move.delta)}`);
      arrow.ariaHidden = 'true';
      rank.append(arrow, el('span', 'visually-hidden', ` ${t(up ? 'move.up' : 'move.down', { n: Math.abs(move.delta) })}`));
    }
    const name = tr.insertCell();
    name.className = 'name';
    // A Chinese name on an English board is marked as Chinese (WCAG 3.1.2; found by an outside tester).
    name.replaceChildren(...withLanguageRuns(row.name));
    const member = tr.insertCell();
    member.className = 'member';
    member.append(el('span', 'flag', flag(row.memberCode)), row.memberCode);
    const raw = tr.insertCell();
    raw.className = 'num hide-phone';
    raw.textContent = row.raw.toFixed(2);
    const scaled = tr.insertCell();
    scaled.className = 'num';
    scaled.textContent = s.decided ? String(row.scaled) : '–';
    const medal = tr.insertCell();
    medal.className = 'medal-cell';
    if (row.award !== 'None') medal.appendChild(el('span', `medal ${row.award}`, t.maybe(`medal.${row.award}`) ?? row.award));
  }
  return table;
}

/** The medal table and each skill's leader, side by side (stacked on a phone). */
export function resultsGrid(results: Results, competition: CompetitionDetails | null, code: string): HTMLElement {
  const medals = el('section', 'panel medalpanel');
  medals.appendChild(el('h2', undefined, t('medals.title')));
  const table = el('table', 'standings medals');
  const hr = table.createTHead().insertRow();
  // Every column on a phone too: the points count the medallions, so a table without them did not add up (found by an
  // outside tester). The short headings say in full what they count, as a tooltip and to a screen reader.
  for (const [key, cls] of <[Key, string][]>[['medals.member', ''], ['medals.gold', 'num'], ['medals.silver', 'num'], ['medals.bronze', 'num'], ['medals.medallions', 'num'], ['medals.points', 'num']]) {
    const th = el('th', cls);
    const long = key === 'medals.member' ? undefined : t.maybe(`${key}.long`);
    if (long) {
      const abbr = el('abbr', undefined, t(key));
      abbr.title = long;
      th.append(abbr);
      th.setAttribute('aria-label', long);
    } else {
      th.textContent = t(key);
    }
    hr.appendChild(th);
  }
  const tb = table.createTBody();
  for (const m of results.medalTable) {
    const tr = tb.insertRow();
    // The member's name wraps (anywhere, if it must); the flag and code stay together.
    const member = tr.insertCell();
    member.className = 'name';
    const ident = el('span', 'member');
    ident.append(el('span', 'flag', flag(m.memberCode)), m.memberCode);
    member.append(ident, ` · ${currentLang() === 'zh' && m.memberNameZh ? m.memberNameZh : m.memberName}`);
    for (const [value, cls] of [[m.gold, 'num'], [m.silver, 'num'], [m.bronze, 'num'], [m.medallions, 'num'], [m.medalPoints, 'num']] as const) {
      const td = tr.insertCell();
      td.className = cls;
      td.textContent = String(value);
    }
  }
  // Empty also when every skill with results is hidden or undecided, so it does not say there are no competitors
  // (found by an outside tester).
  medals.appendChild(results.medalTable.length > 0 ? table : el('p', 'empty', t('medals.empty')));
  const leaders = el('section', 'panel leaders');
  leaders.appendChild(el('h2', undefined, t('leaders.title')));
  const list = el('table', 'standings');
  const lb = list.createTBody();
  // What each cell is, for a screen reader (the card's title says it on the screen): a header row would take a line of the
  // hall screen, and these words take no room (found by an outside tester: no header cells at all).
  const said = (key: 'leaders.skill' | 'leaders.leader' | 'leaders.score') => el('span', 'visually-hidden', `${t(key)} `);
  // Each leader is one line (two on a phone): the skill's number with its name, the flag with the competitor's name, and
  // the score. A name that does not fit ends in an ellipsis (the whole of it is the cell's tooltip): wrapped, a flag or a
  // skill's number was left on a line of its own (found by an outside tester on the hall screen; board.css, docs/pages.md
  // "Phones").
  for (const l of results.leaders) {
    const tr = lb.insertRow();
    const name = tr.insertCell();
    name.className = 'lskill';
    const link = el('a', undefined, skillName(competition, l.skillNumber));
    link.href = `/board/${code}/${String(l.skillNumber).padStart(2, '0')}`;
    link.title = link.textContent ?? '';
    name.append(said('leaders.skill'), link);
    // A frozen skill's leader is its leader at the freeze: said under the skill's name, where it takes no room from the
    // leader's (found by outside testers: beside the name, "(frozen)" was cut short, and then left no room for the name).
    if (l.mode === 'Frozen' && !l.published && l.name) name.appendChild(el('span', 'lnote', t('leaders.frozen')));
    const who = tr.insertCell();
    who.className = 'lwho';
    // The score has a column of its own, as narrow as it is.
    const score = tr.insertCell();
    score.className = 'num score';
    if (l.mode === 'Hidden' && !l.published) who.textContent = t('leaders.hidden');
    else if (l.name && l.memberCode) {
      const line = el('span', 'lline');
      line.append(el('span', 'flag', flag(l.memberCode)), lname(l.name));
      who.title = l.name;
      who.append(line);
      score.textContent = String(l.scaled);
    } else who.textContent = t('leaders.none');
    // Any text that may end in an ellipsis has the whole of it as a tooltip (found by an outside tester: "no standi…").
    if (!who.title) who.title = who.textContent ?? '';
    who.prepend(said('leaders.leader'));
    if (score.textContent) score.prepend(said('leaders.score'));
  }
  // A competition with no skills yet, or none with results, says so rather than showing an empty card.
  leaders.appendChild(results.leaders.length > 0 ? list : el('p', 'empty', t('leaders.empty')));
  const grid = el('div', 'grid2');
  grid.append(medals, leaders);
  return grid;
}

/** A leader's name, its Chinese marked as such on an English board. */
function lname(name: string): HTMLElement {
  const span = el('span', 'lname');
  span.append(...withLanguageRuns(name));
  return span;
}
