// Judging report page (docs/judging-report.md): each expert's deviations from their group, leanings per
// member, and each group's Krippendorff alpha; re-fetched live while marking goes on.
import type { Schemas } from '../api-types';
import { currentLang } from '../i18n';
import { download, get, skillPath, type SkillDetails } from './api';
import { followProgress } from './live';
import { h, table } from './dom';
import { t } from './strings';
import { type Ctx, section, messageOf, errorLine, isOrganiser, emptyNote, scrollBox } from './context';

// The report's JSON shapes, generated from the API's OpenAPI document (src/api-types.ts).
export type Rational = Schemas['Rational'];
export type DeviationSummary = Schemas['DeviationSummary'];
export type ExpertReport = Schemas['ExpertReport'];
export type MemberCell = Schemas['MemberCell'];
export type GroupReport = Schemas['GroupReport'];
export type SkillJudgingReport = Schemas['SkillJudgingReport'];
export type SkillJudgingReportView = Schemas['SkillJudgingReportView'];
export type Finding = Schemas['Finding'];
export type CompetitionJudgingReportView = Schemas['CompetitionJudgingReportView'];

const SVG = 'http://www.w3.org/2000/svg';
const fmt = (x: number, places = 2) => (x > 0 ? '+' : x < 0 ? '−' : '') + Math.abs(x).toFixed(places);
/** A number as it is, its minus the minus sign (U+2212) as every signed figure of the page writes it. */
const plain = (x: number | null | undefined, places = 2) => (x === null || x === undefined ? '—' : x.toFixed(places).replace(/^-/, '−'));
/** A p-value to 4 places, or "< 0.0001" rather than a misleading 0.0000. */
const pv = (p: Rational | null | undefined) => (!p ? '' : p.value < 0.0001 ? '< 0.0001' : p.value.toFixed(4));

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

/** Each expert's mean (dot), interquartile range (box) and min..max (whisker) against the group's band (its deviations' quartiles). */
let measuring: CanvasRenderingContext2D | null = null;

/** The text as it fits in `width` drawing units at the chart's 12-unit label font (console.css, .jname), cut with an ellipsis. */
function fitLabel(text: string, width: number, bold: boolean): string {
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return text;
  measuring.font = `${bold ? '700 ' : ''}12px ${getComputedStyle(document.body).fontFamily}`;
  if (measuring.measureText(text).width <= width) return text;
  let n = text.length - 1;
  while (n > 1 && measuring.measureText(`${text.slice(0, n)}…`).width > width) n--;
  return `${text.slice(0, n)}…`;
}

function deviationChart(group: GroupReport, experts: Map<string, ExpertReport>): SVGSVGElement {
  // Phones get a narrower drawing (ids only), so the text stays readable when the SVG is scaled to the screen.
  const narrow = window.innerWidth < 600;
  // The phone's drawing is about as wide as a phone's card, in a larger type, so its text is drawn at about 12 px (an
  // outside tester measured 8 px when a 400-unit drawing was scaled down to the screen).
  const label = narrow ? 56 : 190, right = narrow ? 66 : 90, row = 30, top = 26, width = narrow ? 330 : 760;
  const plot = width - label - right;
  const height = top + row * group.experts.length + 24;
  const x = (v: number) => label + (plot * (Math.max(-1.5, Math.min(1.5, v)) + 1.5)) / 3;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: narrow ? 'jchart narrow' : 'jchart', role: 'img', 'data-group': group.groupId,
    'aria-label': t('judging.chartLabel', { group: group.groupId }) });
  if (group.bandLower && group.bandUpper) {
    chart.append(svg('rect', { x: x(group.bandLower.value), y: top - 8, width: Math.max(2, x(group.bandUpper.value) - x(group.bandLower.value)), height: row * group.experts.length + 4, class: 'jband' },
      svg('title', {}, t('judging.band', { lo: fmt(group.bandLower.value), hi: fmt(group.bandUpper.value) }))));
  }
  for (const tick of [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]) {
    chart.append(svg('line', { x1: x(tick), x2: x(tick), y1: top - 8, y2: height - 18, class: tick === 0 ? 'jzero' : 'jtick' }));
    chart.append(svg('text', { x: x(tick), y: height - 4, 'text-anchor': 'middle', class: 'jaxis' }, tick === 0 ? '0' : fmt(tick, 1)));
  }
  chart.append(svg('text', { x: label, y: 12, class: 'jaxis' }, t('judging.severe')));
  chart.append(svg('text', { x: label + plot, y: 12, 'text-anchor': 'end', class: 'jaxis' }, t('judging.lenient')));
  group.experts.forEach((e, i) => {
    const expert = experts.get(e.expertId);
    const y = top + i * row + row / 2 - 6;
    const kind = expert?.tendency === 'Lenient' ? 'lenient' : expert?.tendency === 'Severe' ? 'severe' : 'normal';
    const d = e.deviations;
    const g = svg('g', { class: `jrow ${kind}`, 'data-expert': e.expertId, 'data-mean': d.meanDeviation.exact });
    // A name longer than its column ends in an ellipsis and is shown whole as the label's tooltip: nothing is cut silently.
    // What fits is measured in the label's font (found by an outside tester: a count of 25 characters cut names that had room).
    // A leaning is said in the label, not only by its colour: an arrow first, so a cut name keeps it, and the finding in
    // the tooltip (found by an outside tester: a flagged expert's long name was cut before any word that said so).
    const name = narrow ? e.expertId : `${e.expertId} ${expert?.name ?? ''}`.trim();
    const marker = kind === 'lenient' ? '▲ ' : kind === 'severe' ? '▼ ' : '';
    const finding = expert && expert.tendency !== 'None' ? ` · ${t(`judging.tendency.${expert.tendency}`, { p: pv(expert.tendencyP) })}` : '';
    g.append(svg('text', { x: 0, y: y + 4, class: 'jname' }, fitLabel(marker + name, label - 8, kind !== 'normal'), svg('title', {}, name + finding)));
    g.append(svg('line', { x1: x(d.min.value), x2: x(d.max.value), y1: y, y2: y, class: 'jwhisker' }));
    g.append(svg('rect', { x: x(d.lowerQuartile.value), y: y - 6, width: Math.max(2, x(d.upperQuartile.value) - x(d.lowerQuartile.value)), height: 12, class: 'jbox' }));
    g.append(svg('circle', { cx: x(d.meanDeviation.value), cy: y, r: 6, class: 'jmean' },
      svg('title', {}, t('judging.meanTip', { mean: fmt(d.meanDeviation.value), exact: d.meanDeviation.exact, sets: d.sets }))));
    // Anchored at the right edge, so a long number grows into the plot's margin instead of off the drawing.
    g.append(svg('text', { x: width - 2, y: y + 4, 'text-anchor': 'end', class: 'jvalue' }, `${fmt(d.meanDeviation.value)} · ${d.sets}`));
    chart.append(g);
  });
  return chart;
}

/** Experts down, members across; colour by mean deviation, a leaning outlined and arrowed, the expert's own member blank. */
function heatMap(report: SkillJudgingReport): HTMLElement {
  const members = [...new Set(report.cells.map((c) => c.memberCode))].sort();
  const experts = report.experts.filter((e) => report.cells.some((c) => c.expertId === e.expertId));
  if (members.length === 0) return h('p', { class: 'cmuted' }, t('judging.noSets'));
  const cells = new Map(report.cells.map((c) => [`${c.expertId}|${c.memberCode}`, c]));
  // Red above 0, blue below, as the legend says; exactly 0 is neither (found by an outside tester: tinted as above).
  const colour = (v: number) => {
    const a = Math.min(1, Math.abs(v) / 1.5);
    if (v === 0) return 'transparent';
    return v > 0 ? `rgba(197, 34, 31, ${(0.08 + 0.72 * a).toFixed(2)})` : `rgba(26, 95, 180, ${(0.08 + 0.72 * a).toFixed(2)})`;
  };
  return scrollBox(h('table', { class: 'ctable jheat', id: 'heat-map' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('judging.expert')), members.map((m) => h('th', { scope: 'col' }, m)))),
    h('tbody', {}, experts.map((e) => h('tr', { 'data-expert': e.expertId },
      h('th', { scope: 'row' }, e.expertId, h('span', { class: 'cmuted small' }, ` ${e.memberCode}`)),
      members.map((m) => {
        if (m === e.memberCode) return h('td', { class: 'jown', title: t('judging.own') }, '·');
        const c = cells.get(`${e.expertId}|${m}`);
        if (!c) return h('td', { class: 'jnone' }, '');
        const v = c.meanDeviation.value;
        const td = h('td', {
          class: `jcell${c.leaning ? ' leaning' : ''}`, 'data-member': m, 'data-leaning': String(c.leaning), style: `background:${colour(v)}`,
          title: t('judging.cellTip', { mean: fmt(v), sets: c.sets, above: c.above, below: c.below, p: pv(c.pValue) }),
        }, c.leaning ? h('strong', {}, v > 0 ? '▲ ' : '▼ ') : null, fmt(v), h('span', { class: 'jsets' }, ` ${c.sets}`));
        return td;
      }))))), t('judging.heat'));
}

function expertTable(report: SkillJudgingReport): HTMLElement {
  const rows = report.experts.map((e) => {
    const d = e.deviations;
    const finding = e.tendency === 'None' ? '' : t(`judging.tendency.${e.tendency}`, { p: pv(e.tendencyP) });
    const leanings = report.cells.filter((c) => c.expertId === e.expertId && c.leaning)
      // Joined as the page's language writes a list (found by an outside tester: an English comma on the Chinese page).
      .map((c) => t('judging.leaningTo', { member: c.memberCode, mean: fmt(c.meanDeviation.value) })).join(currentLang() === 'zh' ? '；' : ', ');
    return [
      h('span', { 'data-expert': e.expertId, class: e.tendency === 'Lenient' ? 'jlenient' : e.tendency === 'Severe' ? 'jsevere' : '' }, h('strong', {}, e.expertId), ` ${e.name}`),
      e.memberCode, d?.sets ?? 0, d ? fmt(d.meanDeviation.value) : '—', plain(d?.meanAbsoluteDeviation.value), d ? t('judging.outlierCount', { sets: d.outlierSets, share: Math.round(d.outlierShare.value * 100) }) : '—',
      e.spreadRefusals, e.rescores, e.corrections, h('span', { class: 'jfinding' }, [finding, leanings].filter(Boolean).join(' · ')),
    ];
  });
  return scrollBox(table([t('judging.expert'), t('judging.member'), t('judging.sets'), t('judging.mean'), t('judging.mad'), t('judging.outliers'),
    t('judging.spread'), t('judging.rescores'), t('judging.corrections'), t('judging.finding')], rows, 'ctable jexperts'), t('judging.experts'));
}

async function competitionFindings(code: string): Promise<HTMLElement> {
  const view = await get<CompetitionJudgingReportView>(`/api/competitions/${encodeURIComponent(code)}/judging-report`);
  const rows = view.report.findings.map((f) => [f.skillKey.split('/')[1], f.expertId, t(`judging.kind.${f.kind}`) + (f.memberCode ? ` → ${f.memberCode}` : ''),
    fmt(f.meanDeviation.value), f.sets, pv(f.pValue)]);
  const csv = h('button', { class: 'secondary', type: 'button', id: 'judging-all-csv' }, t('judging.allCsv'));
  csv.onclick = () => void download(`/api/competitions/${encodeURIComponent(code)}/judging-report.csv`, `${code}-judging-report.csv`);
  // Counted as said: the skills with a complete judgement set, not every skill with a scheme (an outside tester: 4 "with
  // marks" where one had none).
  const title = t('judging.competition', { code, skills: view.report.skills.filter((s) => s.sets > 0).length });
  return section(title,
    h('div', { class: 'crow cnoprint' }, csv),
    rows.length ? scrollBox(table([t('judging.skill'), t('judging.expert'), t('judging.finding'), t('judging.mean'), t('judging.sets'), 'p'], rows, 'ctable jfindings'), title)
      : h('p', { class: 'cmuted' }, t('judging.noFindings')));
}

export async function judgingPage(ctx: Ctx): Promise<HTMLElement> {
  if (!ctx.code || !ctx.skill) return h('p', { class: 'cmuted' }, t('import.needSkill'));
  const code = ctx.code;
  const number = ctx.skill;
  const path = skillPath(code, number);
  const skill = await get<SkillDetails>(path);
  const lang = currentLang();
  const live = h('span', { class: 'clive', id: 'judging-live', 'data-state': 'connecting' }, t('progress.connecting'));
  const updated = h('span', { class: 'cmuted', id: 'judging-updated' });
  const body = h('div', { id: 'judging-body' });
  const stamp = `${code}-${String(number).padStart(2, '0')}`;

  const draw = async () => {
    const view = await get<SkillJudgingReportView>(`${path}/judging-report`);
    const report = view.report;
    const experts = new Map(report.experts.map((e) => [e.expertId, e]));
    const findings = report.experts.filter((e) => e.tendency !== 'None').length + report.cells.filter((c) => c.leaning).length;
    body.dataset.sets = String(report.sets);
    body.dataset.findings = String(findings);
    body.replaceChildren(
      // Without a complete set there is nothing to report yet: the page says so and what fills it (docs/pages.md, "Console").
      report.sets > 0 ? h('p', { class: 'clead' }, t('judging.lead', { sets: report.sets, judges: report.judges })) : emptyNote(ctx, t('judging.noSets')),
      ...report.groups.map((g) => h('section', { class: 'cpanel jgroup', 'data-group': g.groupId },
        // The sets of aspects no marking group names are the group "-" (docs/judging-report.md), said in words (found by an
        // outside tester: "Marking group -" told a Chief Expert nothing).
        h('div', { class: 'crow cspread' }, h('h2', {}, g.groupId === '-' ? t('judging.noGroup') : t('judging.group', { group: g.groupId })),
          h('span', { class: 'jalpha', 'data-alpha': g.alpha?.exact ?? '' }, t('judging.alpha', { alpha: g.alpha ? plain(g.alpha.value, 3) : '—', sets: g.sets }))),
        h('div', { class: 'jchartwrap' }, deviationChart(g, experts)),
        h('p', { class: 'cmuted small' }, t('judging.chartHelp')))),
      // No judges per aspect is no marking scheme yet, the one thing missing then (found by an outside tester: "no experts"
      // while experts were on file).
      section(t('judging.experts'), report.experts.length ? expertTable(report) : emptyNote(ctx, t(report.judges === 0 ? 'judging.noScheme' : 'judging.noExperts'), true)),
      section(t('judging.heat'), h('p', { class: 'cmuted small' }, t('judging.heatHelp')), heatMap(report)),
      h('p', { class: 'cmuted small' }, t('judging.rules')));
    updated.textContent = t('progress.updated', { at: new Date(view.asOf).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB') });
  };
  await draw();

  // Live: any sheet change in the skill (the marking floor's progress feed) re-fetches the report, at most once a second.
  const setLive = (state: 'live' | 'connecting' | 'offline') => {
    live.dataset.state = state;
    live.textContent = t(state === 'live' ? 'progress.live' : state === 'connecting' ? 'progress.connecting' : 'progress.offline');
  };
  let timer = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => draw().catch((e) => ctx.toast(messageOf(e), true)), 1000);
  };
  ctx.onLeave(() => clearTimeout(timer));
  // Read again once subscribed: the first time too, since the report was read before (console/live.ts).
  const connection = followProgress(ctx, code, number, { live: (on) => setLive(on ? 'live' : 'offline'), again: refresh });
  connection.on('sheetsChanged', refresh);
  // A new scheme or new groups change the report as marks do.
  connection.on('rulesChanged', refresh);

  const print = h('button', { class: 'secondary', type: 'button', id: 'judging-print' }, t('judging.print'));
  print.onclick = () => window.print();
  const pdf = h('button', { class: 'primary', type: 'button', id: 'judging-pdf' }, t('judging.pdf'));
  pdf.onclick = () => download(`${path}/judging-report.pdf`, `${stamp}-judging-report.pdf`).catch((e) => ctx.toast(messageOf(e), true));
  const csv = h('button', { class: 'secondary', type: 'button', id: 'judging-csv' }, t('judging.csv'));
  csv.onclick = () => download(`${path}/judging-report.csv`, `${stamp}-judging-report.csv`).catch((e) => ctx.toast(messageOf(e), true));

  let across: HTMLElement | null = null;
  if (isOrganiser(ctx.me)) {
    try {
      across = await competitionFindings(code);
    } catch (e) {
      across = errorLine(e);
    }
  }
  return h('div', { class: 'cjudging' },
    h('div', { class: 'crow cspread' },
      h('h1', {}, `${t('judging.title')} · ${skill.competitionCode} ${String(skill.number).padStart(2, '0')} ${lang === 'zh' && skill.nameZh ? skill.nameZh : skill.name}`),
      h('span', { class: 'crow cnoprint' }, live, updated)),
    h('div', { class: 'crow cwrap cnoprint' }, pdf, csv, print),
    body,
    across);
}
