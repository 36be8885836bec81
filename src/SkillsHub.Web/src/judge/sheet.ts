// Screen: one competitor's sheet, an aspect card per aspect this expert marks.
import { currentLang } from '../i18n';
import { bandHolding, byWidth } from '../kernel/bands';
import { el } from '../kernel/dom';
import { t } from './strings';
import { type Aspect, type Competitor, type Criterion, type MarkValue, type OwnSheet } from './types';
import { enterMark } from './marks';
import { render } from './screens';
import { stateBadge } from './outbox-screen';
import { aspectView, button, competitorName, droppedMark, fmt, lockFor, myAspects, st, withLockIcon } from './state';
import { bandText, describeServerValue, describeValue, sameValue } from './values';

export function competitorScreen(c: Competitor): HTMLElement {
  const section = el('section', 'jsheet');
  section.dataset.competitor = c.id;
  const head = el('div', 'jhead');
  head.appendChild(button(t('back'), 'secondary jback', () => (location.hash = '')));
  const title = el('div', 'jtitle');
  title.appendChild(el('h1', undefined, competitorName(c)));
  title.appendChild(el('p', 'jlead', `${c.memberCode} · ${c.id}`));
  head.appendChild(title);
  section.appendChild(head);
  const sheet = st.sheets.get(c.id);
  for (const criterion of st.scheme.criteria) {
    const aspects = myAspects(criterion);
    if (aspects.length === 0) continue;
    const block = el('section', 'jcriterion');
    block.dataset.criterion = criterion.id;
    // The expert's own aspects of the criterion: the server shows no other group's marks.
    const max = aspects.reduce((sum, { aspect }) => sum + aspect.maxMark, 0);
    // The server's exact total, rounded once: a sum of the rounded aspect marks drifts (docs/pages.md, "Found by an outside tester (2026-12-03)").
    const total = sheet?.criterionTotals?.[criterion.id] ?? 0;
    const header = el('header', 'jcritheader');
    header.appendChild(el('h2', undefined, `${criterion.id} · ${criterion.name}`));
    const criterionLock = st.assignment?.locks.find(l => l.target === criterion.id);
    if (criterionLock) header.appendChild(withLockIcon(el('span', 'jlock', t('criterion.locked', { by: criterionLock.lockedBy }))));
    const totalEl = el('span', 'jtotal', t('criterion.total', { total: fmt(total), max: fmt(max) }));
    totalEl.dataset.total = total.toFixed(2);
    header.appendChild(totalEl);
    block.appendChild(header);
    for (const { aspect } of aspects) block.appendChild(aspectCard(c, criterion, aspect, sheet));
    section.appendChild(block);
  }
  // An expert in no marking group has nothing to mark here either: the sheet says so, as the list does (found by an outside
  // tester: it showed the name alone).
  if (!section.querySelector('.jcriterion')) section.appendChild(el('p', 'jmsg', t('home.noAspects')));
  return section;
}

export function aspectCard(c: Competitor, criterion: Criterion, aspect: Aspect, sheet: OwnSheet | undefined): HTMLElement {
  const card = el('article', 'jaspect');
  card.dataset.aspect = aspect.id;
  // The card itself takes the focus when its control cannot (screens.ts, focusedControl).
  card.tabIndex = -1;
  const lock = lockFor(criterion, aspect);
  if (lock) card.classList.add('locked');
  const server = sheet?.aspects.find(x => x.aspectId === aspect.id);
  // This tablet's own last mark, unless the server holds a newer entry from elsewhere (state.ts, aspectView).
  const { latest, held, ownScore, refused, onFile } = aspectView(c.id, aspect, server);

  const top = el('div', 'jaspecttop');
  const label = el('div');
  // The card and its buttons are named by the aspect, so a screen reader says which aspect "Achieved" marks (an outside
  // tester: every aspect's buttons sounded the same).
  label.id = `aspect-label-${aspect.id}`;
  card.setAttribute('aria-labelledby', label.id);
  // A space between the id and the description in what is read (found by an outside tester: "A1.1Measurement 1").
  label.append(el('span', 'jaspectid', aspect.id), ' ', el('span', 'jdesc', aspect.description));
  // The requirement the judge marks against, as the scheme gives it (found by an outside tester: the tablet never showed it).
  if (aspect.requirement) label.append(el('span', 'jreq', t('aspect.requirement', { requirement: aspect.requirement })));
  // And how it is measured, the scheme's extra description (found by an outside tester: left out).
  if (aspect.extraDescription) label.append(el('span', 'jreq', aspect.extraDescription));
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

  // A judgement set already holding its judges' scores, none of them this expert's, takes no more: said, and its buttons
  // off (found by an outside tester: a fourth judge was offered the scores and refused at the tap).
  const judges = st.assignment?.judges ?? 3;
  const full = aspect.type === 'J' && !!server && ownScore === null && server.scoresReceived >= judges;
  if (full && !lock) card.appendChild(el('p', 'jmsg jfull', t('aspect.setFull', { judges })));
  const disabled = !!lock || full;
  const chosen = latest?.value;
  // The answer on file (onFile) is the pressed option; a refused choice is shown as refused but not pressed (found by an
  // outside tester: after a refusal the refused score was announced as pressed, and the score the server kept was shown nowhere).
  // Where the deduction counts start: this tablet's own last counts (a refused count stays, to be corrected), else the group's.
  const recorded = chosen ?? held;
  const controls = el('div', 'jcontrols');
  controls.setAttribute('role', 'group');
  controls.setAttribute('aria-labelledby', label.id);
  const pick = (value: MarkValue) => void enterMark(c.id, aspect, value);
  const option = (text: string, value: MarkValue, extra?: string, isOnFile = onFile !== null && sameValue(onFile, value)) => {
    const b = button(text, 'jopt', () => pick(value), disabled);
    if (extra) b.appendChild(el('small', undefined, extra));
    const mine = !!chosen && sameValue(chosen, value);
    if (mine) b.classList.add(`sel-${latest!.state}`);
    if (isOnFile && !(mine && !refused)) b.classList.add('sel-server');
    b.setAttribute('aria-pressed', String(isOnFile));
    return b;
  };

  if (aspect.type === 'J') {
    controls.classList.add('jscores');
    for (let score = 0; score <= 3; score++) {
      const b = option(String(score), { score }, aspect.descriptors?.[score]);
      b.dataset.score = String(score);
      controls.appendChild(b);
    }
  } else if (aspect.bands && aspect.bands.length > 0) {
    controls.classList.add('jbands');
    const bands = byWidth(aspect.bands);
    // The band the deviation on file falls in (the smallest that holds it), or none: outside every band.
    const recordedBand = onFile && 'deviation' in onFile ? bandHolding(bands, onFile.deviation) ?? null : undefined;
    for (const band of bands) {
      const b = option(`${fmt(band.award)}`, { deviation: band.within }, bandText(band), recordedBand === band);
      b.dataset.deviation = String(band.within);
      controls.appendChild(b);
    }
    const outside = bands[bands.length - 1].within + 1;
    const b = option(fmt(0), { deviation: outside }, t('aspect.outOfBands'), recordedBand === null);
    b.dataset.deviation = 'outside';
    controls.appendChild(b);
  } else if (aspect.deductions && aspect.deductions.length > 0) {
    controls.classList.add('jdeductions');
    const draftKey = `${c.id}|${aspect.id}`;
    const saved = recorded && 'deductions' in recorded && recorded.deductions.length === aspect.deductions.length ? recorded.deductions : aspect.deductions.map(() => 0);
    const counts = st.drafts.get(draftKey) ?? [...saved];
    aspect.deductions.forEach((d, i) => {
      const row = el('div', 'jdeduction');
      row.appendChild(el('span', 'jdesc', `−${fmt(d.amount)} ${d.description ?? ''}`));
      const set = (n: number) => {
        counts[i] = Math.max(0, n);
        st.drafts.set(draftKey, counts);
        render();
      };
      // The steppers are named for what they count (found by an outside tester: read as "−" and "+").
      const what = `${fmt(d.amount)} ${d.description ?? ''}`.trim();
      const less = button('−', 'jstep', () => set(counts[i] - 1), disabled || counts[i] === 0);
      less.setAttribute('aria-label', t('aspect.deductionLess', { what }));
      row.appendChild(less);
      row.appendChild(el('span', 'jcount', String(counts[i])));
      const more = button('+', 'jstep', () => set(counts[i] + 1), disabled);
      more.setAttribute('aria-label', t('aspect.deductionMore', { what, count: counts[i] }));
      row.appendChild(more);
      controls.appendChild(row);
    });
    const result = Math.max(0, aspect.maxMark - aspect.deductions.reduce((s, d, i) => s + d.amount * counts[i], 0));
    const unchanged = !!recorded && latest?.state !== 'refused' && sameValue(recorded, { deductions: counts });
    const save = button(`${t('aspect.deductionsSave')} (${t('aspect.deductionsResult', { mark: fmt(result), max: fmt(aspect.maxMark) })})`, unchanged ? 'secondary jsave' : 'primary jsave', () => {
      st.drafts.delete(draftKey);
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
  // Without a mark of this tablet's own, or after a refusal, what the server holds is said.
  if (!latest || refused) {
    if (server?.measurement) status.appendChild(el('span', 'jmuted', t('aspect.server', { value: describeServerValue(aspect, server.measurement) })));
    else if (ownScore !== null) status.appendChild(el('span', 'jmuted', t('aspect.yourScore', { score: ownScore })));
    else if (!latest && !server?.complete) status.appendChild(el('span', 'jmuted', t('none')));
  }
  // This tablet's last entry that the server did not apply (a newer one from elsewhere was on file) is said on the card.
  const dropped = droppedMark(c.id, aspect.id);
  if (dropped) status.appendChild(el('span', 'jdropped', t('aspect.notApplied', { value: describeValue(aspect, dropped.value) })));
  if (server?.complete) status.appendChild(el('span', 'jcomplete', t('aspect.complete', { mark: fmt(server.mark) })));
  else if (aspect.type === 'J' && server) status.appendChild(el('span', 'jmuted', t('aspect.progress', { received: server.scoresReceived, required: st.assignment?.judges ?? 3 })));
  card.appendChild(status);

  const spreadRefusal = latest?.state === 'refused' && latest.refusal?.kind === 'SpreadViolation' ? latest.refusal : undefined;
  if (spreadRefusal || server?.spreadViolation) {
    const scores = spreadRefusal?.scores?.join(', ') ?? '';
    const warn = el('p', 'jspread', t('aspect.spread', { scores }));
    // The warning names the scores; the server's own sentence (English) is added only where it has none to name (found by
    // an outside tester: the same refusal three times on the English card).
    if (spreadRefusal && !scores && currentLang() !== 'zh') warn.appendChild(el('small', undefined, spreadRefusal.detail));
    warn.setAttribute('role', 'alert');
    card.appendChild(warn);
  }
  return card;
}
