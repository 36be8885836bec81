// Screens: the chrome, the pairing form, the competitor list (the outbox: outbox-screen.ts).
import { el } from '../kernel/dom';
import { drawUnlessPressed } from '../kernel/press';
import { t } from './strings';
import { defaultDeviceName, loadAssignment, pair, signOut, skillLabel } from './session';
import { competitorScreen } from './sheet';
import { button, competitorName, latestMark, mine, st, unanswered, unsent, waiting } from './state';
import { outboxScreen, unsentPanel } from './outbox-screen';
import { openOutbox } from './outbox-route';

export const app = document.getElementById('app')!;
export const banner = document.getElementById('banner')!;

// ---------------------------------------------------------------- rendering

export function renderChrome(): void {
  const net = document.getElementById('net')!;
  // Offline, the note on what that means is read out everywhere but shown only where it fits on the bar's line (found by an
  // outside tester: on a phone the bar took three rows, a third of the screen with the criterion's heading).
  // Online by the browser's word but the last send found no server (down, or the venue's network cut off beyond the
  // access point): said as such, not "Online" (an outside tester: the bar read "Online" with the server down).
  const unreachable = navigator.onLine && st.outboxState.lastError !== null && waiting().length > 0;
  // Written only when it changes: the bar is a live region, and rewriting "Online" at every push could have it said again
  // each time (found by an outside tester).
  if (navigator.onLine && !unreachable) { if (net.textContent !== t('net.online')) net.textContent = t('net.online'); }
  else if (net.firstChild?.textContent !== t(unreachable ? 'net.unreachable' : 'net.offline') || !net.querySelector('.jnetnote')) net.replaceChildren(t(unreachable ? 'net.unreachable' : 'net.offline'), el('span', 'jnetnote', t('net.offlineNote')));
  net.className = navigator.onLine && !unreachable ? 'jnet online' : 'jnet offline';
  const who = document.getElementById('who')!;
  who.textContent = st.session ? `${st.session.expertName} · ${st.session.competitionCode} ${skillLabel()}` : '';
  const chip = document.getElementById('outbox-toggle') as HTMLButtonElement;
  const count = waiting().length;
  // A mark the server refused and nothing has replaced needs the judge: the chip says so rather than "All sent" (found by
  // an outside tester).
  const refused = unanswered().length;
  chip.hidden = !st.session && unsent().length === 0;
  chip.textContent = count > 0 ? (st.outboxState.sending ? `${t('state.sending')} ${t('outbox.count', { count })}` : t('outbox.count', { count }))
    : refused > 0 ? t('outbox.refused', { count: refused }) : t('outbox.allSent');
  chip.className = count > 0 ? 'jchip waiting' : refused > 0 ? 'jchip refused' : 'jchip done';
  chip.dataset.count = String(count);
  chip.onclick = openOutbox;
  banner.hidden = true;
}

export function render(): void {
  renderChrome();
  // A screen that did change (an answer for another aspect, a push) would still replace the element under a pressing
  // finger (seen in a browser test: the second of two quick taps did nothing): it is drawn after the release.
  drawUnlessPressed(app, 'judge-screen', drawScreen);
}

function drawScreen(): void {
  const route = location.hash;
  if (!st.session) {
    const signedOut = !app.querySelector('section.jpair');
    app.replaceChildren(pairingScreen());
    // Signed out from a scrolled sheet: the form starts at its top, its heading and notice not under the sticky bar (found
    // by an outside tester: the scroll was kept and the "signed out" alert hidden).
    if (signedOut) window.scrollTo(0, 0);
  } else if (route === '#/outbox') {
    show(outboxScreen());
  } else if (route.startsWith('#/c/')) {
    const id = decodeURIComponent(route.slice(4));
    const competitor = st.assignment?.competitors.find(c => c.id === id);
    show(competitor ? competitorScreen(competitor) : homeScreen());
  } else {
    show(homeScreen());
  }
}

/**
 * Shows a screen, unless it equals the one shown: the tablet re-renders whenever an answer or a push arrives, mostly
 * with nothing changed, and replacing the elements under a finger that is pressing one loses the tap (the press and
 * the release land on different elements, so no click). Left alone, the page also keeps its focus and scroll.
 */
function show(screen: HTMLElement): void {
  // Every screen's heading may take the focus (below), drawn the same each time so an unchanged screen stays equal.
  screen.querySelector('h1')?.setAttribute('tabindex', '-1');
  if (app.childElementCount === 1 && app.firstElementChild!.isEqualNode(screen)) return;
  const previous = app.firstElementChild as HTMLElement | null;
  const focus = focusedControl(screen);
  app.replaceChildren(screen);
  if (focus) focus();
  // Another screen (a competitor opened, back to the list): the keyboard starts at its heading, not at the top of the
  // page (an outside tester: after Enter on a competitor the next Tab began at the top bar again).
  else if (previous && (previous.className !== screen.className || previous.dataset.competitor !== screen.dataset.competitor)) {
    screen.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }
}

const controls = 'h1, a[href], button, input, select, textarea';

/**
 * When the screen drawn again is the same screen (the same competitor's sheet after a mark), keyboard focus goes back to
 * the same control: the same place in the same aspect card, else the same place on the screen. Found by an outside
 * tester: after each mark focus fell to the page, and a keyboard or screen-reader user tabbed through every earlier
 * aspect to mark the next.
 */
function focusedControl(next: HTMLElement): (() => void) | null {
  const active = document.activeElement;
  const shown = app.firstElementChild as HTMLElement | null;
  if (!active || !shown || !shown.contains(active) || shown.className !== next.className || shown.dataset.competitor !== next.dataset.competitor) return null;
  const card = active.closest<HTMLElement>('[data-aspect]');
  const within = card ?? shown;
  const index = [...within.querySelectorAll(controls)].indexOf(active);
  return () => {
    const target = card ? app.querySelector<HTMLElement>(`[data-aspect="${CSS.escape(card.dataset.aspect!)}"]`) : app.firstElementChild as HTMLElement | null;
    const control = target?.querySelectorAll<HTMLElement>(controls)[index];
    // A control a lock has just disabled cannot take the focus: its card does, so the focus does not fall to the page and
    // the next Tab goes on from the aspect (found by an outside tester: it went back to "‹ Competitors").
    if (control && !(control as HTMLButtonElement).disabled) control.focus({ preventScroll: true });
    else (card ? target : null)?.focus({ preventScroll: true });
  };
}

export function pairingScreen(): HTMLElement {
  const section = el('section', 'jpair');
  section.appendChild(el('h1', undefined, t('pair.title')));
  section.appendChild(el('p', 'jlead', t('pair.lead')));
  if (st.pairMessage) {
    const msg = el('p', st.pairMessage.error ? 'jmsg error' : 'jmsg', st.pairMessage.text());
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
  // A code is ten letters and digits with a dash; a shorter one is not sent (found by an outside tester: "x" was).
  code.minLength = 6;
  code.value = st.pendingCode || (new URLSearchParams(location.search).get('code') ?? '');
  // What is typed is kept as it is typed, so a language switch (which draws the screen anew) loses none of it (found by an
  // outside tester: the code and the tablet's name were emptied).
  code.oninput = () => (st.pendingCode = code.value);
  codeLabel.appendChild(code);
  if (st.pairMessage?.error) {
    // A refused code marks the field and gives it the focus back, once (found by an outside tester: the focus fell to the
    // page, as the screen is drawn anew), so the judge types the code again where they were.
    code.setAttribute('aria-invalid', 'true');
    code.setAttribute('aria-describedby', 'pair-message');
    if (!st.pairMessage.focused) {
      st.pairMessage.focused = true;
      queueMicrotask(() => code.focus({ preventScroll: true }));
    }
  }
  const nameLabel = el('label', undefined, t('pair.deviceName'));
  const name = el('input');
  name.id = 'pair-device';
  name.value = st.pendingDeviceName ?? localStorage.getItem('skillshub.judge.deviceName') ?? defaultDeviceName();
  name.oninput = () => (st.pendingDeviceName = name.value);
  nameLabel.appendChild(name);
  const submit = el('button', 'primary big', st.pairBusy ? t('pair.pairing') : t('pair.submit'));
  submit.type = 'submit';
  submit.disabled = st.pairBusy;
  form.append(codeLabel, nameLabel, submit);
  form.onsubmit = ev => {
    ev.preventDefault();
    st.pendingCode = code.value;
    localStorage.setItem('skillshub.judge.deviceName', name.value);
    void pair(code.value, name.value);
  };
  section.appendChild(form);
  // Marks still to send, which go out when the same expert pairs again; a refused one is not resent, so it is not listed as
  // unsent (found by an outside tester: refused marks counted as "not yet sent" while the bar said "All sent").
  const left = waiting();
  if (left.length > 0) section.appendChild(unsentPanel(left));
  return section;
}

export function homeScreen(): HTMLElement {
  const section = el('section', 'jhome');
  if (!st.assignment) {
    section.appendChild(el('p', 'jmsg', st.assignmentNote || t('home.loading')));
    section.appendChild(button(t('home.refresh'), 'secondary big', () => void loadAssignment()));
    return section;
  }
  const head = el('div', 'jhead');
  const title = el('div');
  title.appendChild(el('h1', undefined, t('home.skill', { competition: st.assignment.competitionCode, number: skillLabel() })));
  title.appendChild(el('p', 'jlead', `${st.assignment.expert.name} (${st.assignment.expert.memberCode})`));
  head.appendChild(title);
  const actions = el('div', 'jactions');
  actions.appendChild(button(t('home.refresh'), 'secondary', () => void loadAssignment()));
  actions.appendChild(button(t('home.signOut'), 'secondary', () => {
    if (confirm(t('home.signOutConfirm'))) void signOut(() => t('pair.signedOut'), true);
  }));
  head.appendChild(actions);
  section.appendChild(head);
  if (st.assignmentNote) section.appendChild(el('p', 'jmsg', st.assignmentNote));

  const mineGroups = st.assignment.groups.filter(g => g.expertIds.includes(st.assignment!.expert.id));
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
  if (st.assignment.competitors.length === 0) section.appendChild(el('p', 'jmsg', t('home.noCompetitors')));
  const total = st.assignment.aspectIds.length;
  // Nothing to mark is said, not drawn as every competitor complete (found by an outside tester: "You: 0 / 0" in green).
  if (total === 0) section.appendChild(el('p', 'jmsg', t('home.noAspects')));
  const list = el('div', 'jcompetitors');
  for (const c of st.assignment.competitors) {
    // This expert's own progress (marks from this tablet, own scores and measurements on the server, from any tablet of
    // theirs) out of what is theirs to mark: a judgement set full without them is not (found by an outside tester: "You: 1 /
    // 2" for good). Apart from it, the group's: aspects the server counts complete, whoever entered them.
    const server = (a: string) => st.sheets.get(c.id)?.aspects.find(x => x.aspectId === a);
    const mineToMark = st.assignment.aspectIds.filter(a => !(server(a)?.ownScore === null && server(a)!.scoresReceived >= st.assignment!.judges));
    const done = mineToMark.filter(a => { const m = latestMark(c.id, a); return (m && m.state !== 'refused') || server(a)?.ownScore != null || server(a)?.ownMeasurement; }).length;
    const own = mineToMark.length;
    const complete = st.assignment.aspectIds.filter(a => st.sheets.get(c.id)?.aspects.some(x => x.aspectId === a && x.complete)).length;
    const pending = waiting().filter(m => m.competitorId === c.id && mine(m)).length;
    const card = el('a', 'jcompetitor');
    card.href = `#/c/${encodeURIComponent(c.id)}`;
    card.dataset.competitor = c.id;
    card.appendChild(el('span', 'jmember', c.memberCode));
    const names = el('span', 'jname');
    names.appendChild(el('strong', undefined, competitorName(c)));
    names.appendChild(el('small', 'jmuted', c.id));
    card.appendChild(names);
    if (total > 0) {
      const progress = el('span', 'jprogresses');
      progress.append(
        el('span', done === own ? 'jprogress full' : 'jprogress', t('home.marked', { done, total: own })),
        el('span', complete === total ? 'jprogress group full' : 'jprogress group', t('home.complete', { done: complete, total })));
      card.appendChild(progress);
    }
    if (pending > 0) card.appendChild(el('span', 'jstate pending', t('outbox.count', { count: pending })));
    // A refused mark waits for the judge: its competitor says so in the list (found by an outside tester: only the bar did).
    const refused = unanswered().filter(m => m.competitorId === c.id && mine(m)).length;
    if (refused > 0) card.appendChild(el('span', 'jstate refused', t('outbox.refused', { count: refused })));
    list.appendChild(card);
  }
  section.appendChild(list);
  return section;
}
