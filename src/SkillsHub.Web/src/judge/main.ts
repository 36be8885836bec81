// The judge tablet app: pair with a one-time code, mark competitors offline-first, and deliver every
// mark exactly once through the outbox. Screens: pairing, competitors, one competitor's sheet, outbox.
import '../style.css';
import './judge.css';
import { applyStatic, currentLang } from '../i18n';
import { t } from './strings';
import { call, RefusedError, RevokedError, TransientError } from './net';
import { belongsTo, Outbox } from './outbox';
import * as store from './store';
import type { MarkRecord, Session } from './store';
import { parseScheme, type Aspect, type Assignment, type Competitor, type Criterion, type MarkValue, type MarksAnswer, type OwnSheet, type Redeemed, type Scheme, type SubCriterion } from './types';
import { el } from '../kernel/dom';
import { problemMessage } from '../kernel/problems';

// ---------------------------------------------------------------- state

let session: Session | undefined;
let assignment: Assignment | undefined;
let scheme: Scheme = { criteria: [] };
let marks: MarkRecord[] = [];
const sheets = new Map<string, OwnSheet>();
let assignmentNote = '';
let pairMessage: { text: () => string; error: boolean } | null = null;
let pairBusy = false;
let outboxState: { sending: boolean; retryAt: number | null; lastError: string | null } = { sending: false, retryAt: null, lastError: null };
/** Deduction counts being edited, per competitor|aspect, until saved as one mark. */
const drafts = new Map<string, number[]>();

const app = document.getElementById('app')!;
const banner = document.getElementById('banner')!;

const outbox = new Outbox({
  changed(mark, answer) {
    replaceMark(mark);
    if (answer) mergeAnswer(mark.competitorId, answer, mark);
    if (mark.state === 'sent') scheduleSheetRefresh(mark.competitorId);
    // A lock the tablet did not know about yet: fetch the assignment so the form turns read-only.
    if (mark.refusal?.kind === 'Locked') void loadAssignment();
    if (mark.refusal?.kind === 'SpreadViolation') scheduleSheetRefresh(mark.competitorId);
    render();
  },
  revoked(detail) {
    void signOut(t('pair.revoked'), detail);
  },
  status(state) {
    outboxState = state;
    renderChrome();
  },
});

// ---------------------------------------------------------------- helpers


function button(text: string, className: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.disabled = disabled;
  b.onclick = onClick;
  return b;
}

/** A padlock drawn inline (tablets may lack an emoji font). */
function withLockIcon(node: HTMLElement): HTMLElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('jlockicon');
  svg.innerHTML = '<rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.8"/>';
  node.prepend(svg);
  return node;
}

/** A refused mark in the expert's language: Chinese by the problem's code, English as the server said it. */
function refusalText(r: store.Refusal, short = false): string {
  if (currentLang() === 'zh' && r.code) return problemMessage({ code: r.code, title: r.title, detail: r.detail });
  return short ? r.title ?? r.detail : r.detail;
}

const fmt = (n: number | null | undefined) => (n ?? 0).toFixed(2);

function replaceMark(mark: MarkRecord): void {
  const i = marks.findIndex(m => m.key === mark.key);
  if (i >= 0) marks[i] = mark;
  else marks.push(mark);
}

function mine(mark: MarkRecord): boolean {
  return !!session && belongsTo(mark, session);
}

/** The expert's latest mark for an aspect (the one that states their intent), if any. */
function latestMark(competitorId: string, aspectId: string): MarkRecord | undefined {
  let latest: MarkRecord | undefined;
  for (const m of marks) {
    if (m.competitorId === competitorId && m.aspectId === aspectId && m.state !== 'superseded' && mine(m) && (!latest || m.createdAt > latest.createdAt)) latest = m;
  }
  return latest;
}

const unsent = () => marks.filter(m => m.state === 'pending' || m.state === 'refused');
const waiting = () => marks.filter(m => m.state === 'pending');

function lockFor(criterion: Criterion, sub: SubCriterion, aspect: Aspect) {
  const targets = [criterion.id, sub.id, aspect.id, aspect.markingDay].filter(Boolean);
  return assignment?.locks.find(l => targets.includes(l.target));
}

function myAspects(criterion: Criterion): { sub: SubCriterion; aspect: Aspect }[] {
  const allowed = new Set(assignment?.aspectIds ?? []);
  return criterion.subCriteria.flatMap(sub => sub.aspects.filter(a => allowed.has(a.id)).map(aspect => ({ sub, aspect })));
}

function competitorName(c: Competitor): string {
  return c.name || c.people.map(p => `${p.firstName} ${p.lastName}`).join(', ');
}

function describeValue(aspect: Aspect | undefined, value: MarkValue): string {
  if ('achieved' in value) return value.achieved ? t('aspect.achieved') : t('aspect.notAchieved');
  if ('score' in value) return String(value.score);
  if ('deviation' in value) {
    // The smallest band the deviation falls within (a band is "within ±x").
    const band = [...(aspect?.bands ?? [])].sort((a, b) => a.within - b.within).find(b => Math.abs(value.deviation) <= b.within);
    return band ? bandText(band) : t('aspect.outOfBands');
  }
  return t('aspect.deductions', { list: value.deductions.join(' / ') });
}

/** A band's label: its own description when the scheme gives one (it already says "within ±x mm"). */
function bandText(band: { within: number; description?: string }): string {
  return band.description ? band.description : t('aspect.within', { within: band.within });
}

/**
 * The server's value of an aspect ("achieved", "deviation 0.021", "deductions 1/2", "score 2": the
 * contestant sheet's plain form) in the expert's language.
 */
function describeServerValue(aspect: Aspect | undefined, text: string): string {
  const [kind, ...rest] = text.split(' ');
  const arg = rest.join(' ');
  if (text === 'achieved') return describeValue(aspect, { achieved: true });
  if (text === 'not achieved') return describeValue(aspect, { achieved: false });
  if (kind === 'deviation' && !Number.isNaN(Number(arg))) return describeValue(aspect, { deviation: Number(arg) });
  if (kind === 'deductions') return t('aspect.deductions', { list: arg.split('/').join(' / ') });
  if (kind === 'score') return t('aspect.score', { score: arg });
  return text;
}

function sameValue(a: MarkValue, b: MarkValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function findAspect(aspectId: string): Aspect | undefined {
  for (const c of scheme.criteria) for (const s of c.subCriteria) for (const a of s.aspects) if (a.id === aspectId) return a;
  return undefined;
}

// ---------------------------------------------------------------- marks

/** A v4 UUID; crypto.randomUUID where the page is a secure context, the same from getRandomValues elsewhere. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function enterMark(competitorId: string, aspect: Aspect, value: MarkValue): Promise<void> {
  if (!session) return;
  const latest = latestMark(competitorId, aspect.id);
  if (latest && latest.state !== 'refused' && sameValue(latest.value, value)) return;
  const mark: MarkRecord = {
    key: newKey(),
    competitionCode: session.competitionCode,
    skillNumber: session.skillNumber,
    expertId: session.expertId,
    deviceId: session.deviceId,
    competitorId,
    aspectId: aspect.id,
    value,
    createdAt: Date.now(),
    state: 'pending',
    attempts: 0,
  };
  // Durable first: the mark is on the tablet before anything else happens.
  await store.recordMark(mark, outbox.inFlight);
  marks = await store.allMarks();
  render();
  outbox.kick();
}

function mergeAnswer(competitorId: string, answer: MarksAnswer, mark: MarkRecord): void {
  const sheet = sheets.get(competitorId) ?? { competitorId, aspects: [], version: 0 };
  for (const a of answer.aspects) {
    let own = sheet.aspects.find(x => x.aspectId === a.aspectId);
    if (!own) {
      own = { aspectId: a.aspectId, complete: false, spreadViolation: false, scoresReceived: 0, ownScore: null, measurement: null, mark: null };
      sheet.aspects.push(own);
    }
    own.complete = a.complete;
    own.scoresReceived = a.scoresReceived;
    own.mark = a.complete ? a.mark : null;
    if (a.aspectId === mark.aspectId && 'score' in mark.value) {
      own.ownScore = mark.value.score;
      own.spreadViolation = false;
    }
  }
  sheets.set(competitorId, sheet);
  void store.saveSheet(sheet);
}

const sheetTimers = new Map<string, ReturnType<typeof setTimeout>>();

function scheduleSheetRefresh(competitorId: string): void {
  clearTimeout(sheetTimers.get(competitorId));
  sheetTimers.set(competitorId, setTimeout(() => void refreshSheet(competitorId), 400));
}

/** Every competitor's sheet, so the list shows own and group progress before any sheet is opened. */
async function refreshAllSheets(): Promise<void> {
  if (!session || !assignment) return;
  for (const c of assignment.competitors) {
    try {
      const sheet = await call<OwnSheet>('GET', `/api/me/sheet/${encodeURIComponent(c.id)}`, session.token);
      sheets.set(c.id, sheet);
      await store.saveSheet(sheet);
    } catch (e) {
      if (e instanceof RevokedError) { void signOut(t('pair.revoked'), e.detail); return; }
      break; // offline or refused: the cached sheets stay
    }
  }
  render();
}

async function refreshSheet(competitorId: string): Promise<void> {
  if (!session) return;
  try {
    const sheet = await call<OwnSheet>('GET', `/api/me/sheet/${encodeURIComponent(competitorId)}`, session.token);
    sheets.set(competitorId, sheet);
    await store.saveSheet(sheet);
    render();
  } catch (e) {
    if (e instanceof RevokedError) void signOut(t('pair.revoked'), e.detail);
  }
}

function exportUnsent(): void {
  const list = unsent();
  const payload = {
    exportedAt: new Date().toISOString(),
    note: 'SkillsHub judge tablet: marks not accepted by the server. Each keeps its Idempotency-Key, so importing one twice counts once.',
    marks: list.map(m => ({
      idempotencyKey: m.key, competitionCode: m.competitionCode, skillNumber: m.skillNumber, expertId: m.expertId, deviceId: m.deviceId,
      competitorId: m.competitorId, aspectId: m.aspectId, ...m.value, enteredAt: new Date(m.createdAt).toISOString(), state: m.state,
      refusal: m.refusal?.detail,
    })),
  };
  const blob = new Blob([JSON.stringify(payload, null, 2)], { type: 'application/json' });
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = `skillshub-unsent-marks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

// ---------------------------------------------------------------- session

async function pair(code: string, deviceName: string): Promise<void> {
  pairBusy = true;
  pairMessage = { text: () => t('pair.pairing'), error: false };
  render();
  try {
    const redeemed = await call<Redeemed>('POST', '/api/pairing/redeem', null, { code: code.trim().toUpperCase(), deviceName: deviceName.trim() || t('pair.defaultName') });
    await store.clearSession();
    session = { ...redeemed, deviceId: String(redeemed.deviceId), pairedAt: new Date().toISOString() };
    await store.saveSession(session);
    sheets.clear();
    assignment = undefined;
    pairMessage = null;
    pendingCode = '';
    location.hash = '';
    await loadAssignment();
    outbox.now();
  } catch (e) {
    const reason = () => e instanceof RefusedError ? problemMessage(e.problem, e.status) : e instanceof TransientError ? t('pair.offline') : String(e);
    pairMessage = { text: () => e instanceof TransientError ? reason() : t('pair.failed', { reason: reason() }), error: true };
  } finally {
    pairBusy = false;
    render();
  }
}

async function signOut(message: string, detail?: string): Promise<void> {
  await store.clearSession();
  session = undefined;
  assignment = undefined;
  sheets.clear();
  pairMessage = { text: () => detail && detail !== 'Unauthorized' ? `${message} (${detail})` : message, error: true };
  marks = await store.allMarks();
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  render();
}

async function loadAssignment(): Promise<void> {
  if (!session) return;
  try {
    assignment = await call<Assignment>('GET', '/api/me/assignment', session.token);
    await store.saveAssignment(assignment);
    assignmentNote = '';
    void refreshAllSheets();
  } catch (e) {
    if (e instanceof RevokedError) {
      await signOut(t('pair.revoked'), e.detail);
      return;
    }
    assignment ??= await store.getAssignment();
    assignmentNote = assignment ? t('home.cached') : t('home.failed', { reason: e instanceof Error ? e.message : String(e) });
  }
  scheme = parseScheme(assignment?.schemeJson ?? null);
  render();
}

// ---------------------------------------------------------------- rendering

function renderChrome(): void {
  const net = document.getElementById('net')!;
  net.textContent = navigator.onLine ? t('net.online') : t('net.offline');
  net.className = navigator.onLine ? 'jnet online' : 'jnet offline';
  const who = document.getElementById('who')!;
  who.textContent = session ? `${session.expertName} · ${session.competitionCode} ${String(session.skillNumber).padStart(2, '0')}` : '';
  const chip = document.getElementById('outbox-toggle') as HTMLButtonElement;
  const count = waiting().length;
  chip.hidden = !session && unsent().length === 0;
  chip.textContent = count > 0 ? (outboxState.sending ? `${t('state.sending')} ${t('outbox.count', { count })}` : t('outbox.count', { count })) : t('outbox.allSent');
  chip.className = count > 0 ? 'jchip waiting' : 'jchip done';
  chip.dataset.count = String(count);
  chip.onclick = () => (location.hash = '#/outbox');
  banner.hidden = true;
}

function render(): void {
  renderChrome();
  const route = location.hash;
  if (!session) {
    app.replaceChildren(pairingScreen());
  } else if (route === '#/outbox') {
    app.replaceChildren(outboxScreen());
  } else if (route.startsWith('#/c/')) {
    const id = decodeURIComponent(route.slice(4));
    const competitor = assignment?.competitors.find(c => c.id === id);
    app.replaceChildren(competitor ? competitorScreen(competitor) : homeScreen());
  } else {
    app.replaceChildren(homeScreen());
  }
}

function pairingScreen(): HTMLElement {
  const section = el('section', 'jpair');
  section.appendChild(el('h1', undefined, t('pair.title')));
  section.appendChild(el('p', 'jlead', t('pair.lead')));
  if (pairMessage) {
    const msg = el('p', pairMessage.error ? 'jmsg error' : 'jmsg', pairMessage.text());
    msg.id = 'pair-message';
    msg.setAttribute('role', 'alert');
    section.appendChild(msg);
  }
  const form = el('form', 'jpairform');
  const codeLabel = el('label', undefined, t('pair.code'));
  const code = el('input');
  code.id = 'pair-code';
  code.name = 'code';
  code.autocomplete = 'off';
  code.autocapitalize = 'characters';
  code.spellcheck = false;
  code.placeholder = 'ABCDE-FGHJK';
  code.required = true;
  code.value = new URLSearchParams(location.search).get('code') ?? pendingCode;
  codeLabel.appendChild(code);
  const nameLabel = el('label', undefined, t('pair.deviceName'));
  const name = el('input');
  name.id = 'pair-device';
  name.value = localStorage.getItem('skillshub.judge.deviceName') ?? t('pair.defaultName');
  nameLabel.appendChild(name);
  const submit = el('button', 'primary big', pairBusy ? t('pair.pairing') : t('pair.submit'));
  submit.type = 'submit';
  submit.disabled = pairBusy;
  form.append(codeLabel, nameLabel, submit);
  form.onsubmit = ev => {
    ev.preventDefault();
    pendingCode = code.value;
    localStorage.setItem('skillshub.judge.deviceName', name.value);
    void pair(code.value, name.value);
  };
  section.appendChild(form);
  const left = unsent();
  if (left.length > 0) section.appendChild(unsentPanel(left));
  return section;
}

let pendingCode = '';

function unsentPanel(list: MarkRecord[]): HTMLElement {
  const panel = el('section', 'junsent');
  panel.id = 'unsent';
  panel.appendChild(el('h2', undefined, t('unsent.title', { count: list.length })));
  panel.appendChild(el('p', 'jlead', t('unsent.lead')));
  panel.appendChild(markTable(list));
  panel.appendChild(button(t('export'), 'secondary big', exportUnsent));
  return panel;
}

function stateBadge(mark: MarkRecord, inTable = false): HTMLElement {
  const sending = outbox.inFlight === mark.key;
  // A spread refusal's reason is spelled out in the aspect's spread warning; elsewhere the badge carries it.
  const reason = mark.refusal?.kind === 'SpreadViolation' && !inTable ? refusalText(mark.refusal, true) : mark.refusal ? refusalText(mark.refusal) : '';
  const text = sending ? t('state.sending') : mark.state === 'refused' ? t('state.refused', { reason }) : t(`state.${mark.state}`);
  const badge = el('span', `jstate ${sending ? 'sending' : mark.state}`, text);
  badge.dataset.state = mark.state;
  return badge;
}

function markTable(list: MarkRecord[]): HTMLElement {
  const table = el('table', 'jmarks');
  const body = table.createTBody();
  for (const m of [...list].sort((a, b) => b.createdAt - a.createdAt)) {
    const row = body.insertRow();
    row.dataset.key = m.key;
    row.insertCell().textContent = new Date(m.createdAt).toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB');
    row.insertCell().textContent = m.competitorId;
    row.insertCell().textContent = m.aspectId;
    row.insertCell().textContent = describeValue(findAspect(m.aspectId), m.value);
    row.insertCell().appendChild(stateBadge(m, true));
  }
  return table;
}

function outboxScreen(): HTMLElement {
  const section = el('section', 'joutbox');
  section.appendChild(button(t('back'), 'secondary jback', () => (location.hash = '')));
  const list = marks.filter(m => mine(m) || m.state === 'pending' || m.state === 'refused');
  section.appendChild(el('h1', undefined, waiting().length > 0 ? t('outbox.count', { count: waiting().length }) : t('outbox.allSent')));
  if (outboxState.lastError && waiting().length > 0) section.appendChild(el('p', 'jmsg', outboxState.lastError));
  const actions = el('div', 'jactions');
  actions.appendChild(button(t('export'), 'secondary big', exportUnsent, unsent().length === 0));
  section.appendChild(actions);
  section.appendChild(markTable(list));
  return section;
}

function homeScreen(): HTMLElement {
  const section = el('section', 'jhome');
  if (!assignment) {
    section.appendChild(el('p', 'jmsg', assignmentNote || t('home.loading')));
    section.appendChild(button(t('home.refresh'), 'secondary big', () => void loadAssignment()));
    return section;
  }
  const head = el('div', 'jhead');
  const title = el('div');
  title.appendChild(el('h1', undefined, t('home.skill', { competition: assignment.competitionCode, number: String(assignment.skillNumber).padStart(2, '0') })));
  title.appendChild(el('p', 'jlead', `${assignment.expert.name} (${assignment.expert.memberCode})`));
  head.appendChild(title);
  const actions = el('div', 'jactions');
  actions.appendChild(button(t('home.refresh'), 'secondary', () => void loadAssignment()));
  actions.appendChild(button(t('home.signOut'), 'secondary', () => {
    if (confirm(t('home.signOutConfirm'))) void signOut(t('pair.signedOut'));
  }));
  head.appendChild(actions);
  section.appendChild(head);
  if (assignmentNote) section.appendChild(el('p', 'jmsg', assignmentNote));

  const mineGroups = assignment.groups.filter(g => g.expertIds.includes(assignment!.expert.id));
  if (mineGroups.length > 0) {
    section.appendChild(el('h2', undefined, t('home.groups')));
    const groups = el('div', 'jgroups');
    for (const g of mineGroups) {
      const card = el('div', 'jgroup');
      card.appendChild(el('strong', undefined, `${g.id} · ${g.name}`));
      card.appendChild(el('span', 'jmuted', t('group.targets', { targets: g.targets.join(', ') })));
      groups.appendChild(card);
    }
    section.appendChild(groups);
  }

  section.appendChild(el('h2', undefined, t('home.competitors')));
  if (assignment.competitors.length === 0) section.appendChild(el('p', 'jmsg', t('home.noCompetitors')));
  const list = el('div', 'jcompetitors');
  const total = assignment.aspectIds.length;
  for (const c of assignment.competitors) {
    // This expert's own progress (marks from this tablet, own scores on the server), apart from the
    // group's: aspects the server counts complete, whoever entered them.
    const done = assignment.aspectIds.filter(a => {
      const m = latestMark(c.id, a);
      return (m && m.state !== 'refused') || sheets.get(c.id)?.aspects.some(x => x.aspectId === a && x.ownScore !== null);
    }).length;
    const complete = assignment.aspectIds.filter(a => sheets.get(c.id)?.aspects.some(x => x.aspectId === a && x.complete)).length;
    const pending = waiting().filter(m => m.competitorId === c.id && mine(m)).length;
    const card = el('a', 'jcompetitor');
    card.href = `#/c/${encodeURIComponent(c.id)}`;
    card.dataset.competitor = c.id;
    card.appendChild(el('span', 'jmember', c.memberCode));
    const names = el('span', 'jname');
    names.appendChild(el('strong', undefined, competitorName(c)));
    names.appendChild(el('small', 'jmuted', c.id));
    card.appendChild(names);
    const progress = el('span', 'jprogresses');
    progress.append(
      el('span', done === total ? 'jprogress full' : 'jprogress', t('home.marked', { done, total })),
      el('span', complete === total ? 'jprogress group full' : 'jprogress group', t('home.complete', { done: complete, total })));
    card.appendChild(progress);
    if (pending > 0) card.appendChild(el('span', 'jstate pending', t('outbox.count', { count: pending })));
    list.appendChild(card);
  }
  section.appendChild(list);
  return section;
}

function competitorScreen(c: Competitor): HTMLElement {
  const section = el('section', 'jsheet');
  section.dataset.competitor = c.id;
  const head = el('div', 'jhead');
  head.appendChild(button(t('back'), 'secondary jback', () => (location.hash = '')));
  const title = el('div', 'jtitle');
  title.appendChild(el('h1', undefined, competitorName(c)));
  title.appendChild(el('p', 'jlead', `${c.memberCode} · ${c.id}`));
  head.appendChild(title);
  section.appendChild(head);
  const sheet = sheets.get(c.id);
  for (const criterion of scheme.criteria) {
    const aspects = myAspects(criterion);
    if (aspects.length === 0) continue;
    const block = el('section', 'jcriterion');
    block.dataset.criterion = criterion.id;
    const all = criterion.subCriteria.flatMap(s => s.aspects);
    const max = all.reduce((sum, a) => sum + a.maxMark, 0);
    const total = all.reduce((sum, a) => sum + (sheet?.aspects.find(x => x.aspectId === a.id)?.mark ?? 0), 0);
    const header = el('header', 'jcritheader');
    header.appendChild(el('h2', undefined, `${criterion.id} · ${criterion.name}`));
    const criterionLock = assignment?.locks.find(l => l.target === criterion.id);
    if (criterionLock) header.appendChild(withLockIcon(el('span', 'jlock', t('criterion.locked', { by: criterionLock.lockedBy }))));
    const totalEl = el('span', 'jtotal', t('criterion.total', { total: fmt(total), max: fmt(max) }));
    totalEl.dataset.total = total.toFixed(2);
    header.appendChild(totalEl);
    block.appendChild(header);
    for (const { sub, aspect } of aspects) block.appendChild(aspectCard(c, criterion, sub, aspect, sheet));
    section.appendChild(block);
  }
  return section;
}

function aspectCard(c: Competitor, criterion: Criterion, sub: SubCriterion, aspect: Aspect, sheet: OwnSheet | undefined): HTMLElement {
  const card = el('article', 'jaspect');
  card.dataset.aspect = aspect.id;
  const lock = lockFor(criterion, sub, aspect);
  if (lock) card.classList.add('locked');
  const latest = latestMark(c.id, aspect.id);
  const server = sheet?.aspects.find(x => x.aspectId === aspect.id);

  const top = el('div', 'jaspecttop');
  const label = el('div');
  label.appendChild(el('span', 'jaspectid', aspect.id));
  label.appendChild(el('span', 'jdesc', aspect.description));
  top.appendChild(label);
  const meta = el('div', 'jmeta');
  meta.appendChild(el('span', 'jkind', aspect.type === 'J' ? t('aspect.judgement') : t('aspect.measurement')));
  if (aspect.markingDay) meta.appendChild(el('span', undefined, t('aspect.day', { day: aspect.markingDay })));
  meta.appendChild(el('span', 'jmax', t('aspect.max', { max: fmt(aspect.maxMark) })));
  top.appendChild(meta);
  card.appendChild(top);

  if (lock) {
    const lockEl = withLockIcon(el('p', 'jlock', `${t('criterion.locked', { by: lock.lockedBy })} · ${t('aspect.locked')}`));
    lockEl.dataset.lock = lock.target;
    card.appendChild(lockEl);
  }

  const disabled = !!lock;
  const chosen = latest?.value;
  const controls = el('div', 'jcontrols');
  const pick = (value: MarkValue) => void enterMark(c.id, aspect, value);
  const option = (text: string, value: MarkValue, extra?: string) => {
    const b = button(text, 'jopt', () => pick(value), disabled);
    if (extra) b.appendChild(el('small', undefined, extra));
    const selected = chosen ? sameValue(chosen, value) : false;
    b.setAttribute('aria-pressed', String(selected));
    if (selected) b.classList.add(`sel-${latest!.state}`);
    return b;
  };

  if (aspect.type === 'J') {
    controls.classList.add('jscores');
    for (let score = 0; score <= 3; score++) {
      const b = option(String(score), { score }, aspect.descriptors?.[score]);
      b.dataset.score = String(score);
      if (!chosen && server?.ownScore === score) b.classList.add('sel-server');
      controls.appendChild(b);
    }
  } else if (aspect.bands && aspect.bands.length > 0) {
    controls.classList.add('jbands');
    const bands = [...aspect.bands].sort((a, b) => a.within - b.within);
    for (const band of bands) {
      const b = option(`${fmt(band.award)}`, { deviation: band.within }, bandText(band));
      b.dataset.deviation = String(band.within);
      controls.appendChild(b);
    }
    const outside = bands[bands.length - 1].within + 1;
    const b = option(fmt(0), { deviation: outside }, t('aspect.outOfBands'));
    b.dataset.deviation = 'outside';
    controls.appendChild(b);
  } else if (aspect.deductions && aspect.deductions.length > 0) {
    controls.classList.add('jdeductions');
    const draftKey = `${c.id}|${aspect.id}`;
    const saved = chosen && 'deductions' in chosen ? chosen.deductions : aspect.deductions.map(() => 0);
    const counts = drafts.get(draftKey) ?? [...saved];
    aspect.deductions.forEach((d, i) => {
      const row = el('div', 'jdeduction');
      row.appendChild(el('span', 'jdesc', `−${fmt(d.amount)} ${d.description ?? ''}`));
      const set = (n: number) => {
        counts[i] = Math.max(0, n);
        drafts.set(draftKey, counts);
        render();
      };
      row.appendChild(button('−', 'jstep', () => set(counts[i] - 1), disabled || counts[i] === 0));
      row.appendChild(el('span', 'jcount', String(counts[i])));
      row.appendChild(button('+', 'jstep', () => set(counts[i] + 1), disabled));
      controls.appendChild(row);
    });
    const result = Math.max(0, aspect.maxMark - aspect.deductions.reduce((s, d, i) => s + d.amount * counts[i], 0));
    const unchanged = !!chosen && latest?.state !== 'refused' && sameValue(chosen, { deductions: counts });
    const save = button(`${t('aspect.deductionsSave')} (${t('aspect.deductionsResult', { mark: fmt(result), max: fmt(aspect.maxMark) })})`, unchanged ? 'secondary jsave' : 'primary jsave', () => {
      drafts.delete(draftKey);
      pick({ deductions: [...counts] });
    }, disabled);
    controls.appendChild(save);
  } else {
    controls.classList.add('jpassfail');
    const yes = option(t('aspect.achieved'), { achieved: true }, fmt(aspect.maxMark));
    yes.dataset.achieved = 'true';
    const no = option(t('aspect.notAchieved'), { achieved: false }, fmt(0));
    no.dataset.achieved = 'false';
    controls.append(yes, no);
  }
  card.appendChild(controls);

  // What the server says about the aspect: completion, spread, own earlier value.
  const status = el('div', 'jstatus');
  if (latest) status.appendChild(stateBadge(latest));
  else if (server?.measurement) status.appendChild(el('span', 'jmuted', t('aspect.server', { value: describeServerValue(aspect, server.measurement) })));
  else if (server?.ownScore !== null && server?.ownScore !== undefined) status.appendChild(el('span', 'jmuted', t('aspect.yourScore', { score: server.ownScore })));
  else if (!server?.complete) status.appendChild(el('span', 'jmuted', t('none')));
  if (server?.complete) status.appendChild(el('span', 'jcomplete', t('aspect.complete', { mark: fmt(server.mark) })));
  else if (aspect.type === 'J' && server) status.appendChild(el('span', 'jmuted', t('aspect.progress', { received: server.scoresReceived, required: assignment?.judges ?? 3 })));
  card.appendChild(status);

  const spreadRefusal = latest?.state === 'refused' && latest.refusal?.kind === 'SpreadViolation' ? latest.refusal : undefined;
  if (spreadRefusal || server?.spreadViolation) {
    const scores = spreadRefusal?.scores?.join(', ') ?? '';
    const warn = el('p', 'jspread', t('aspect.spread', { scores }));
    // The server's detail is English; in Chinese the warning above already names the scores.
    if (spreadRefusal && currentLang() !== 'zh') warn.appendChild(el('small', undefined, spreadRefusal.detail));
    warn.setAttribute('role', 'alert');
    card.appendChild(warn);
  }
  return card;
}

// ---------------------------------------------------------------- start

async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/judge-sw.js', { scope: '/judge' });
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    document.body.dataset.offlineReady = 'true';
  } catch (e) {
    console.warn('Service worker not available', e);
  }
}

async function start(): Promise<void> {
  applyStatic(t, render);
  window.addEventListener('online', () => {
    renderChrome();
    if (session) void loadAssignment();
  });
  window.addEventListener('offline', renderChrome);
  window.addEventListener('hashchange', () => {
    render();
    const route = location.hash;
    if (route.startsWith('#/c/')) void refreshSheet(decodeURIComponent(route.slice(4)));
    window.scrollTo(0, 0);
  });
  void registerServiceWorker();

  session = await store.getSession();
  marks = await store.allMarks();
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    // A QR code opened /judge?code=…: pair with it once, then drop it from the address.
    history.replaceState(null, '', location.pathname + location.hash);
    pendingCode = code;
    if (session) await store.clearSession();
    session = undefined;
    render();
    await pair(code, localStorage.getItem('skillshub.judge.deviceName') ?? t('pair.defaultName'));
    return;
  }
  if (session) {
    assignment = await store.getAssignment();
    scheme = parseScheme(assignment?.schemeJson ?? null);
    for (const c of assignment?.competitors ?? []) {
      const cached = await store.getSheet(c.id);
      if (cached) sheets.set(c.id, cached);
    }
    render();
    await loadAssignment();
    const route = location.hash;
    if (session && route.startsWith('#/c/')) void refreshSheet(decodeURIComponent(route.slice(4)));
    outbox.kick();
  } else {
    render();
  }
}

void start();
