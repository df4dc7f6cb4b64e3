// The rnn dashboard: polls the server for the runs under its folder and draws them with ECharts.
// Everything is computed from /api/runs and /api/run; nothing is sent back (the server is read-only).
'use strict';

const POLL_MS = 2000;
// Okabe-Ito, as the HTML reports use: distinguishable with the common colour-vision deficiencies.
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#999933'];
// Past 8 series the dash pattern changes: 8 colours x 6 patterns, every shown series drawn unlike the others.
const DASHES = ['solid', [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [14, 3, 2, 3, 2, 3]];
const MAX_SHOWN = COLORS.length * DASHES.length;
// The reports' fixed heatmap scale: ColorBrewer RdBu over ±8 decades relative to the last step.
const FLOW_DECADES = 8;
const FLOW_COLORS = ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582',
  '#d6604d', '#b2182b', '#67001f'];
const MAX_AUTO_SELECTED = 4;
// The list shows this many runs; a search narrows the rest down.
const LIST_LIMIT = 200;

const state = {
  runs: [],            // the listing, in the server's order
  byId: {},            // id -> listing line
  varied: [],          // settings that differ between runs
  groupBy: [],         // settings the runs are grouped by
  groups: [],          // [{label, ids}] from the server when grouped
  search: '',
  slots: {},           // series key ('run:ID' or 'group:LABEL') -> style slot, kept while shown
  selected: new Set(), // run ids shown one by one
  groupsShown: new Set(), // group labels shown as mean and band
  data: {},            // id -> accumulated run data
  groupData: {},       // label -> {key, band data}
  verdictOpen: {},     // id -> whether its verdict was opened or closed by hand
  smoothing: 0.6,
  log: true,
  detail: null,
  listed: false,
  listKey: '',
  polls: 0,
};
const charts = {};

// ------------------------------------------------------------------ fetching

async function getJson(url) {
  const r = await fetch(url, {cache: 'no-store'});
  if (!r.ok) {
    throw new Error(url + ' answered ' + r.status);
  }
  return r.json();
}

async function poll() {
  const start = Date.now();
  try {
    await refresh();
    state.polls++;
    setStatus('updated ' + new Date().toLocaleTimeString() + ' — ' + state.runs.length + ' runs', false);
  } catch (e) {
    setStatus('cannot reach the dashboard server: ' + e.message, true);
  } finally {
    // A folder so large that a refresh takes long is asked less often: the server stays responsive.
    setTimeout(poll, Math.max(POLL_MS, 4 * (Date.now() - start)));
  }
}

/** The listing, then what is new of every shown run and group; then the list and charts are drawn again. */
async function refresh() {
  const list = await getJson('api/runs' + (state.groupBy.length ? '?by=' + encodeURIComponent(state.groupBy.join(',')) : ''));
  document.getElementById('folder').textContent = list.folder;
  state.runs = list.runs;
  state.byId = {};
  // Settings every run shares come once; a run's line holds only the ones that differ.
  const common = Object.entries(list.common || {}).map(([k, v]) => k + '=' + v).join(' ');
  for (const r of list.runs) {
    r.haystack = (r.name + ' ' + r.title + ' ' + r.status + ' '
        + Object.entries(r.settings || {}).map(([k, v]) => k + '=' + v).join(' ') + ' ' + common).toLowerCase();
    state.byId[r.id] = r;
  }
  state.varied = list.varied || [];
  state.groups = list.groups || [];
  if (!state.listed) {
    state.listed = true;
    [...list.runs].sort((a, b) => a.updated - b.updated).slice(-MAX_AUTO_SELECTED).forEach(r => show('run:' + r.id, true));
  }
  for (const id of [...state.selected]) {
    if (!state.byId[id]) {
      show('run:' + id, false);
    }
  }
  for (const label of [...state.groupsShown]) {
    if (!state.groups.some(g => g.label === label)) {
      show('group:' + label, false);
    }
  }
  // A run that cannot be read is left out of the charts (the list says why); the others draw.
  await Promise.all([...state.selected].map(id => fetchRun(id).catch(() => { delete state.data[id]; })));
  await Promise.all([...state.groupsShown].map(label => fetchGroup(label).catch(() => { delete state.groupData[label]; })));
  renderGroupBy();
  renderList(false);
  render();
}

/** Shows or hides a run ('run:ID') or a group ('group:LABEL'), giving it the first free style; false when all are taken. */
function show(key, on) {
  const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const set = kind === 'run' ? state.selected : state.groupsShown;
  if (!on) {
    set.delete(name);
    delete state.slots[key];
    return true;
  }
  if (!(key in state.slots)) {
    const used = new Set(Object.values(state.slots));
    let slot = 0;
    while (used.has(slot)) {
      slot++;
    }
    if (slot >= MAX_SHOWN) {
      setStatus('at most ' + MAX_SHOWN + ' runs and groups are drawn at once (each in its own colour and dash); hide some first', true);
      return false;
    }
    state.slots[key] = slot;
  }
  set.add(name);
  return true;
}

function styleOf(key) {
  const slot = state.slots[key] || 0;
  return {color: COLORS[slot % COLORS.length], dash: DASHES[Math.floor(slot / COLORS.length) % DASHES.length]};
}

function nameOf(id) {
  return state.byId[id] ? state.byId[id].name : id;
}

/** The runs of a group that the search lets through. */
function members(group) {
  return group.ids.filter(id => matches(state.byId[id]));
}

/** Fetches a group's mean and band again when its runs or their progress changed. */
async function fetchGroup(label) {
  const g = state.groups.find(x => x.label === label);
  const ids = members(g);
  const key = ids.map(id => id + '@' + state.byId[id].reached).join('\n');
  if (state.groupData[label] && state.groupData[label].key === key) {
    return;
  }
  const j = await getJson('api/group?' + ids.map(id => 'id=' + encodeURIComponent(id)).join('&'));
  j.key = key;
  state.groupData[label] = j;
}

/** Fetches what is new of one run and appends it (or starts over when the run went back, as a resumed run does). */
async function fetchRun(id) {
  const have = state.data[id];
  const since = have ? have.next : 0;
  const j = await getJson('api/run?id=' + encodeURIComponent(id) + '&since=' + since);
  let d = have;
  if (!d || j.reached < since) {
    d = {iteration: [], loss: [], accuracy: [], grad_norm: [], clipped: [], skipped: [], spectral_radius: [],
      spectral_norm: [], flow: [], next: 0};
    if (have && j.reached < since) {
      state.data[id] = d;
      return fetchRun(id);
    }
  }
  const m = j.metrics;
  for (const k of ['iteration', 'loss', 'accuracy', 'grad_norm', 'clipped', 'skipped', 'spectral_radius', 'spectral_norm']) {
    for (const v of m[k]) {
      d[k].push(v);
    }
  }
  for (const s of j.flow) {
    if (!d.flow.length || d.flow[d.flow.length - 1].iteration < s.iteration) {
      d.flow.push(s);
    }
  }
  for (const k of ['name', 'title', 'config', 'asked', 'reached', 'status', 'live', 'clip_threshold', 'baseline', 'spectrum_start',
    'spectrum_end', 'evaluations', 'summary', 'final_loss', 'learning', 'verdict', 'factor', 'verdict_text', 'single_w',
    'gain', 'gain_low', 'gain_high', 'lyapunov_exponent', 'lyapunov_low', 'lyapunov_high', 'layers']) {
    d[k] = j[k];
  }
  d.next = d.iteration.length ? d.iteration[d.iteration.length - 1] + 1 : 0;
  state.data[id] = d;
}

function setStatus(text, error) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.className = error ? 'error' : '';
}

// ------------------------------------------------------------------ numbers

/** TensorBoard's smoothing: a debiased exponential moving average, of the logarithms on a log axis. */
function smooth(values, w, log) {
  const out = new Array(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !isFinite(v) || (log && v <= 0)) {
      out[i] = null;
      continue;
    }
    const x = log ? Math.log(v) : v;
    last = last * w + (1 - w) * x;
    seen++;
    const debiased = w === 0 ? last : last / (1 - Math.pow(w, seen));
    out[i] = log ? Math.exp(debiased) : debiased;
  }
  return out;
}

function pairs(xs, ys, log) {
  const out = [];
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    out.push([xs[i], y === null || !isFinite(y) || (log && y <= 0) ? null : y]);
  }
  return out;
}

function fmt(v) {
  if (v === null || v === undefined || !isFinite(v)) {
    return 'n/a';
  }
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

function faint(color) {
  return color + '40';
}

// ------------------------------------------------------------------ drawing

function chart(id) {
  if (!charts[id]) {
    charts[id] = echarts.init(document.getElementById(id), null, {renderer: 'canvas'});
    window.addEventListener('resize', () => charts[id].resize());
  }
  return charts[id];
}

function lineOption(title, yName, log, series, extra) {
  const names = series.filter(s => s.data.length > 0 && !s.silent).map(s => s.name);
  return Object.assign({
    animation: false,
    title: {text: title, left: 10, top: 6, textStyle: {fontSize: 14}},
    legend: {type: 'scroll', bottom: 0, data: names, itemWidth: 34},
    grid: {left: 70, right: 30, top: 40, bottom: 70},
    tooltip: {trigger: 'axis', axisPointer: {type: 'line', snap: true}, confine: true, formatter: p => tooltip(p, series, log)},
    xAxis: {type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax'},
    yAxis: {type: log ? 'log' : 'value', name: yName, nameLocation: 'middle', nameGap: 52, scale: true,
      axisLabel: {formatter: fmt}},
    dataZoom: [{type: 'inside'}, {type: 'slider', height: 16, bottom: 26}],
    series: series,
  }, extra || {});
}

/** The value of [x, y] points at iteration x: the last point at or before it (points sorted by x). */
function valueAt(points, x) {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid][0] <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? null : points[found][1];
}

/**
 * Every shown series' value at the hovered iteration, from the page's own data rather than
 * ECharts' nearest points, so that no run is left out: one row each, with its colour and dash.
 */
function tooltip(params, series, log) {
  const list = Array.isArray(params) ? params : [params];
  if (!list.length) {
    return '';
  }
  const x = list[0].axisValue;
  const rows = series.filter(s => s.tip).map(s => {
    const v = valueAt(s.data, x);
    const band = s.tip.band ? valueAt(s.tip.band, x) : null;
    return '<div class="tip-row" data-series="' + escapeHtml(s.name) + '">' + swatch(s.tip.color, s.tip.dash)
        + '<span class="tip-name">' + escapeHtml(s.name) + '</span> <b>' + fmt(v) + '</b>'
        + (band ? ' <span class="tip-band">(' + fmt(band[0]) + ' … ' + fmt(band[1]) + ')</span>' : '') + '</div>';
  });
  return '<div class="tip" data-iteration="' + x + '"><div class="tip-head">iteration ' + fmt(x) + '</div>'
      + '<div class="tip-rows' + (rows.length > 12 ? ' many' : '') + '">' + rows.join('') + '</div></div>';
}

function escapeHtml(t) {
  return String(t).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
}

/** A short line in a series' colour and dash, as an inline SVG. */
function swatch(color, dash) {
  const pattern = Array.isArray(dash) ? dash.join(' ') : '';
  return '<svg class="swatch" width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" stroke="' + color
      + '" stroke-width="2.5"' + (pattern ? ' stroke-dasharray="' + pattern + '"' : '') + '/></svg>';
}

/** Raw (faint, no tooltip) and smoothed lines of one metric of every shown run, then every shown group's mean and band. */
function rawAndSmoothed(metric, log) {
  const series = [];
  for (const id of state.selected) {
    const d = state.data[id];
    if (!d) {
      continue;
    }
    const st = styleOf('run:' + id);
    const ys = metric === 'loss' ? d.loss.map((v, i) => d.skipped[i] ? null : v) : d[metric];
    if (state.smoothing > 0) {
      series.push({name: nameOf(id) + ' (raw)', type: 'line', data: pairs(d.iteration, ys, log), showSymbol: false,
        lineStyle: {width: 1, color: faint(st.color), type: st.dash}, itemStyle: {color: faint(st.color)}, silent: true,
        tooltip: {show: false}, sampling: 'lttb', connectNulls: false, z: 1});
    }
    series.push({name: nameOf(id), type: 'line', data: pairs(d.iteration, state.smoothing > 0 ? smooth(ys, state.smoothing, log) : ys, log),
      showSymbol: false, lineStyle: {width: 2, color: st.color, type: st.dash}, itemStyle: {color: st.color}, sampling: 'lttb', z: 2,
      tip: {color: st.color, dash: st.dash}});
  }
  for (const label of state.groupsShown) {
    const g = state.groupData[label];
    if (!g || !g[metric] || !g[metric].iteration.length) {
      continue;
    }
    series.push(...bandSeries(label, g, metric, log));
  }
  return series;
}

/**
 * A group's mean (smoothed as the runs are) over its band: mean ± one standard deviation across
 * the group's runs, already clipped by the server to the quantity's range, drawn as one polygon.
 */
function bandSeries(label, g, metric, log) {
  const b = g[metric];
  const st = styleOf('group:' + label);
  const w = state.smoothing;
  const mean = w > 0 ? smooth(b.mean, w, log) : b.mean;
  const lower = w > 0 ? smooth(b.lower, w, false) : b.lower;
  const upper = w > 0 ? smooth(b.upper, w, false) : b.upper;
  const name = label + ' (mean of ' + g.runs + ')';
  const band = b.iteration.map((x, i) => [x, [lower[i], upper[i]]]);
  const polygon = {name: name + ' band', type: 'custom', silent: true, tooltip: {show: false}, z: 0,
    data: b.iteration.map((x, i) => [x, upper[i]]),
    renderItem: (params, api) => {
      if (params.dataIndexInside !== 0) {
        return null;
      }
      const cs = params.coordSys;
      const at = (x, y) => {
        const p = api.coord([x, y]);
        // On a log axis a lower edge at 0 lies below the chart: draw it at the bottom.
        return [p[0], isFinite(p[1]) ? p[1] : cs.y + cs.height];
      };
      const top = b.iteration.map((x, i) => at(x, upper[i]));
      const bottom = b.iteration.map((x, i) => at(x, log && lower[i] <= 0 ? null : lower[i])).reverse();
      return {type: 'polygon', shape: {points: top.concat(bottom)}, style: {fill: faint(st.color), stroke: null},
        clipPath: {type: 'rect', shape: {x: cs.x, y: cs.y, width: cs.width, height: cs.height}}};
    },
    encode: {x: 0, y: 1}};
  const line = {name: name, type: 'line', data: pairs(b.iteration, mean, log), showSymbol: false, z: 3,
    lineStyle: {width: 3, color: st.color, type: st.dash}, itemStyle: {color: st.color}, sampling: 'lttb',
    tip: {color: st.color, dash: st.dash, band: band}};
  return [polygon, line];
}

function render() {
  const log = state.log;
  const ids = [...state.selected].filter(id => state.data[id]);
  renderVerdicts(ids);

  // Loss, held-out loss and baselines.
  const loss = rawAndSmoothed('loss', log);
  for (const id of ids) {
    const d = state.data[id];
    const st = styleOf('run:' + id);
    const held = heldOut(d, k => k.includes('loss'));
    if (held.length) {
      loss.push({name: nameOf(id) + ' held-out', type: 'line', data: held.map(p => [p[0], log && p[1] <= 0 ? null : p[1]]),
        symbol: 'circle', symbolSize: 7, lineStyle: {type: 'dashed', color: st.color}, itemStyle: {color: st.color}, z: 3,
        tip: {color: st.color, dash: 'dashed'}});
    }
    if (d.baseline !== null && d.baseline !== undefined && (!log || d.baseline > 0)) {
      loss.push({name: nameOf(id) + ' baseline', type: 'line', data: [], markLine: {silent: true, symbol: 'none',
        lineStyle: {type: 'dashed', color: st.color}, label: {formatter: 'baseline ' + fmt(d.baseline), position: 'insideEndTop'},
        data: [{yAxis: d.baseline}]}});
    }
  }
  chart('chart-loss').setOption(lineOption('Training loss', 'loss', log, loss), {notMerge: true});

  // Gradient norm against the clip threshold.
  const grad = rawAndSmoothed('grad_norm', log);
  for (const id of ids) {
    const d = state.data[id];
    if (d.clip_threshold !== null && d.clip_threshold !== undefined) {
      grad.push({name: nameOf(id) + ' clip threshold', type: 'line', data: [], markLine: {silent: true, symbol: 'none',
        lineStyle: {type: 'dashed', color: styleOf('run:' + id).color}, label: {formatter: 'clip ' + fmt(d.clip_threshold),
          position: 'insideEndTop'}, data: [{yAxis: d.clip_threshold}]}});
    }
  }
  chart('chart-grad').setOption(lineOption('Gradient norm ‖∇L‖ before clipping', '‖∇L‖', log, grad), {notMerge: true});

  // ρ(W) and ‖W‖₂, only the measured iterations.
  const spec = [];
  for (const id of ids) {
    const d = state.data[id];
    const st = styleOf('run:' + id);
    const rho = [];
    const nrm = [];
    for (let i = 0; i < d.iteration.length; i++) {
      if (d.spectral_radius[i] !== null) {
        rho.push([d.iteration[i], d.spectral_radius[i]]);
      }
      if (d.spectral_norm[i] !== null) {
        nrm.push([d.iteration[i], d.spectral_norm[i]]);
      }
    }
    if (rho.length) {
      spec.push({name: nameOf(id) + ' ρ(W)', type: 'line', data: rho, showSymbol: rho.length < 60,
        lineStyle: {width: 2, color: st.color, type: st.dash}, itemStyle: {color: st.color}, tip: {color: st.color, dash: st.dash}});
      spec.push({name: nameOf(id) + ' ‖W‖₂', type: 'line', data: nrm, showSymbol: false,
        lineStyle: {width: 1.5, type: 'dotted', color: st.color}, itemStyle: {color: st.color}, tip: {color: st.color, dash: [2, 3]}});
    }
  }
  if (spec.length) {
    spec.push({name: '1', type: 'line', data: [], markLine: {silent: true, symbol: 'none', lineStyle: {color: '#000', type: 'dashed'},
      label: {formatter: 'growth needs ρ(W) > 1', position: 'insideEndTop'}, data: [{yAxis: 1}]}});
  }
  toggle('chart-spectral', spec.length > 0);
  if (spec.length) {
    chart('chart-spectral').setOption(lineOption('Spectral radius ρ(W) and norm ‖W‖₂ (before each update)', 'value', false, spec),
      {notMerge: true});
  }

  // Accuracy, when a task has it.
  const hasAcc = ids.some(id => state.data[id].accuracy.some(v => v !== null))
      || [...state.groupsShown].some(l => state.groupData[l] && state.groupData[l].accuracy.iteration.length > 0);
  toggle('chart-accuracy', hasAcc);
  if (hasAcc) {
    const acc = rawAndSmoothed('accuracy', false);
    chart('chart-accuracy').setOption(lineOption('Accuracy', 'accuracy', false, acc,
      {yAxis: {type: 'value', min: 0, max: 1, name: 'accuracy', nameLocation: 'middle', nameGap: 52}}), {notMerge: true});
  }

  // Held-out metrics other than loss and accuracy: bits per character, perplexity, …
  const ev = [];
  for (const id of ids) {
    const names = new Set();
    for (const e of state.data[id].evaluations || []) {
      Object.keys(e.values).forEach(k => names.add(k));
    }
    const st = styleOf('run:' + id);
    for (const k of names) {
      if (k.includes('loss') || k.includes('accuracy')) {
        continue;
      }
      ev.push({name: nameOf(id) + ' ' + k.replace(/_/g, ' '), type: 'line', data: heldOut(state.data[id], n => n === k),
        symbol: 'circle', symbolSize: 6, lineStyle: {color: st.color, type: st.dash}, itemStyle: {color: st.color},
        tip: {color: st.color, dash: st.dash}});
    }
  }
  toggle('chart-evals', ev.length > 0);
  if (ev.length) {
    chart('chart-evals').setOption(lineOption('Held-out metrics (bits per character, …)', 'value', false, ev), {notMerge: true});
  }

  renderDetail();
}

/** [iteration, value] of the held-out metric whose name passes {@code which}. */
function heldOut(d, which) {
  const out = [];
  for (const e of d.evaluations || []) {
    const k = Object.keys(e.values).find(which);
    if (k !== undefined) {
      out.push([e.iteration, e.values[k]]);
    }
  }
  return out;
}

function toggle(id, on) {
  document.getElementById(id).classList.toggle('hidden', !on);
  if (on && charts[id]) {
    charts[id].resize();
  }
}

/** Each shown run's verdict; past 3 runs only their headlines, opened on a click, so that the charts stay in view. */
function renderVerdicts(ids) {
  const box = document.getElementById('verdicts');
  box.replaceChildren();
  for (const id of ids) {
    const d = state.data[id];
    const v = d.verdict || 'unmeasured';
    const div = document.createElement('details');
    div.open = id in state.verdictOpen ? state.verdictOpen[id] : ids.length <= 3;
    div.className = 'verdict ' + v;
    div.dataset.run = id;
    const h = document.createElement('h3');
    h.textContent = nameOf(id);
    const badge = document.createElement('span');
    badge.className = 'badge ' + v;
    // The measured gain over T with its interval decided; λ₁ beside it is the rate it approaches.
    const num = (x) => x !== null && x !== undefined;
    badge.textContent = v + (num(d.gain) ? ' ×' + fmt(d.gain) + (num(d.gain_low) && d.gain_low !== d.gain_high
        ? ' (×' + fmt(d.gain_low) + ' … ×' + fmt(d.gain_high) + ')' : '') + ' over T' : '')
        + (num(d.lyapunov_exponent) ? ', λ₁ ' + fmt(d.lyapunov_exponent) + '/step' : '');
    h.appendChild(badge);
    const p1 = document.createElement('p');
    p1.className = 'summary';
    p1.textContent = d.summary;
    const p2 = document.createElement('p');
    p2.textContent = d.verdict_text;
    const head = document.createElement('summary');
    // Only a click is remembered: the page's own opening (toggle events) is not the user's choice.
    head.addEventListener('click', () => { state.verdictOpen[id] = !div.open; });
    head.appendChild(h);
    div.append(head, p1, p2);
    box.appendChild(div);
  }
}

/** The heatmap and eigenvalues of the run chosen under "Heatmap and eigenvalues of". */
function renderDetail() {
  const sel = document.getElementById('detail');
  const ids = [...state.selected].filter(id => state.data[id]);
  if (!ids.includes(state.detail)) {
    state.detail = ids.length ? ids[ids.length - 1] : null;
  }
  const want = ids.join('\n');
  if (sel.dataset.options !== want) {
    sel.replaceChildren(...ids.map(id => new Option(nameOf(id), id)));
    sel.dataset.options = want;
  }
  sel.value = state.detail || '';
  const d = state.detail ? state.data[state.detail] : null;
  toggle('chart-flow', !!d);
  toggle('chart-eigen', !!d && (d.spectrum_start || d.spectrum_end));
  window.rnnLayers.render(d, nameOf(state.detail));
  if (!d) {
    return;
  }
  // Gradient flow: log10 of each step's norm over the last step's, on the reports' fixed scale; overflow black.
  const steps = d.flow.reduce((a, s) => Math.max(a, s.norms.length), 0);
  const rows = d.flow.map(s => s.iteration);
  const cells = [];
  d.flow.forEach((s, r) => {
    let ref = null;
    for (let k = s.norms.length - 1; k >= 0; k--) {
      if (s.norms[k] !== null && s.norms[k] > 0) {
        ref = s.norms[k];
        break;
      }
    }
    s.norms.forEach((v, k) => {
      let z;
      if (v === null || ref === null) {
        z = FLOW_DECADES + 1;   // overflowed: beyond the scale, drawn black
      } else if (v <= 0) {
        z = -FLOW_DECADES;
      } else {
        z = Math.max(-FLOW_DECADES, Math.log10(v / ref));
      }
      cells.push([k, r, z]);
    });
  });
  chart('chart-flow').setOption({
    animation: false,
    title: {text: 'Gradient flow of ' + nameOf(state.detail) + ': log₁₀ ‖∂L/∂h_k‖ / ‖∂L/∂h_T‖ (fixed scale)', left: 10, top: 6,
      textStyle: {fontSize: 14}},
    tooltip: {formatter: p => 'iteration ' + rows[p.value[1]] + ', step k=' + p.value[0] + ': '
        + (p.value[2] > FLOW_DECADES ? 'overflow' : '10^' + p.value[2].toFixed(2) + ' of the last step')},
    grid: {left: 70, right: 110, top: 40, bottom: 50},
    xAxis: {type: 'category', name: 'time step k', nameLocation: 'middle', nameGap: 28,
      data: Array.from({length: steps}, (_, k) => k)},
    yAxis: {type: 'category', name: 'iteration', nameLocation: 'middle', nameGap: 52, data: rows},
    visualMap: {type: 'continuous', min: -FLOW_DECADES, max: FLOW_DECADES, calculable: false, orient: 'vertical', right: 10,
      top: 'middle', text: ['+8 exploding', '−8 vanishing'], inRange: {color: FLOW_COLORS}, outOfRange: {color: '#000'}},
    series: [{type: 'heatmap', data: cells, progressive: 0}],
  }, {notMerge: true});

  const eig = [];
  let extent = 1.1;
  for (const [key, label, symbol] of [['spectrum_start', 'start', 'circle'], ['spectrum_end', 'last checkpoint', 'rect']]) {
    const s = d[key];
    if (!s) {
      continue;
    }
    const pts = s.real.map((re, i) => [re, s.imag[i]]).filter(p => p[0] !== null && p[1] !== null);
    pts.forEach(p => { extent = Math.max(extent, Math.abs(p[0]) * 1.08, Math.abs(p[1]) * 1.08); });
    eig.push({name: label + ' (ρ = ' + fmt(s.radius) + ')', type: 'scatter', data: pts, symbol: symbol, symbolSize: 7,
      itemStyle: {color: key === 'spectrum_start' ? '#0072B2' : '#D55E00', opacity: 0.7}});
  }
  const circle = Array.from({length: 181}, (_, i) => [Math.cos(i * Math.PI / 90), Math.sin(i * Math.PI / 90)]);
  eig.push({name: 'unit circle', type: 'line', data: circle, showSymbol: false, silent: true,
    lineStyle: {type: 'dashed', color: '#666'}, tooltip: {show: false}});
  const r = Math.ceil(extent * 10) / 10;
  chart('chart-eigen').setOption({
    animation: false,
    title: {text: 'Eigenvalues of W: ' + nameOf(state.detail), left: 10, top: 6, textStyle: {fontSize: 14}},
    legend: {bottom: 0},
    tooltip: {trigger: 'item', formatter: p => p.seriesName + ': ' + fmt(p.value[0]) + (p.value[1] < 0 ? ' − ' : ' + ')
        + fmt(Math.abs(p.value[1])) + 'i, |λ| = ' + fmt(Math.hypot(p.value[0], p.value[1]))},
    grid: {left: 60, right: 30, top: 40, bottom: 60},
    xAxis: {type: 'value', name: 'Re λ', min: -r, max: r, nameLocation: 'middle', nameGap: 26},
    yAxis: {type: 'value', name: 'Im λ', min: -r, max: r, nameLocation: 'middle', nameGap: 40},
    series: eig,
  }, {notMerge: true});
  squareUp();
}

/** Keeps the eigenvalue plot's data area square, so that the unit circle is round. */
function squareUp() {
  const el = document.getElementById('chart-eigen');
  const w = el.clientWidth - 90;
  const h = el.clientHeight - 100;
  const side = Math.max(100, Math.min(w, h));
  charts['chart-eigen'].setOption({grid: {left: 60, top: 40, width: side, height: side}});
}

/** Whether a run passes the search: every word of it appears in the run's name, settings (key=value) or status. */
function matches(r) {
  if (!r) {
    return false;
  }
  return state.search.toLowerCase().split(/\s+/).filter(w => w).every(w => r.haystack.includes(w));
}

/** The "group by" choices: the settings that differ between runs (a sweep's varied keys). */
function renderGroupBy() {
  const box = document.getElementById('groupby');
  const want = state.varied.join('\n');
  if (box.dataset.keys === want) {
    return;
  }
  box.dataset.keys = want;
  box.replaceChildren();
  if (!state.varied.length) {
    box.textContent = 'every run has the same settings';
  }
  for (const k of state.varied) {
    const label = document.createElement('label');
    const c = document.createElement('input');
    c.type = 'checkbox';
    c.value = k;
    c.checked = state.groupBy.includes(k);
    c.addEventListener('change', () => {
      state.groupBy = [...box.querySelectorAll('input:checked')].map(x => x.value);
      for (const l of [...state.groupsShown]) {
        show('group:' + l, false);
      }
      state.groupData = {};
      refresh().catch(e => setStatus(e.message, true));
    });
    label.append(c, ' ' + k);
    box.appendChild(label);
  }
}

/** The run list, filtered by the search and grouped; redrawn only when something in it changed. */
function renderList(force) {
  const shown = state.runs.filter(matches);
  const key = [state.search, state.groupBy.join(','), shown.map(r => r.id + ' ' + r.reached + ' ' + r.status).join('|'),
    Object.entries(state.slots).join('|')].join('\n');
  if (!force && key === state.listKey) {
    return;
  }
  state.listKey = key;
  const ul = document.getElementById('runs');
  ul.replaceChildren();
  document.getElementById('matching').textContent = shown.length === state.runs.length
    ? state.runs.length + ' runs' : shown.length + ' of ' + state.runs.length + ' runs match';
  if (!state.runs.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'no runs in this folder yet (a run is a folder with config.json)';
    ul.appendChild(li);
  }
  // At most LIST_LIMIT runs are listed; grouped, every group's heading is, with its share of them.
  const list = (runs, limit) => {
    runs.slice(0, limit).forEach(r => ul.appendChild(runItem(r)));
    if (runs.length > limit) {
      const li = document.createElement('li');
      li.className = 'empty more';
      li.textContent = (runs.length - limit) + ' more runs match: narrow the search to list them';
      ul.appendChild(li);
    }
  };
  if (state.groupBy.length) {
    const groups = state.groups.map(g => [g, members(g)]).filter(([, ids]) => ids.length);
    const share = Math.max(5, Math.floor(LIST_LIMIT / Math.max(1, groups.length)));
    for (const [g, ids] of groups) {
      ul.appendChild(groupItem(g, ids));
      list(ids.map(id => state.byId[id]), share);
    }
  } else {
    list(shown, LIST_LIMIT);
  }
}

/** A checkbox with a swatch of the style its series is drawn in, for a run or a group. */
function toggleItem(key, checked, onChange) {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = checked;
  box.addEventListener('change', async () => {
    if (!show(key, box.checked)) {
      box.checked = false;
      return;
    }
    await onChange(box.checked);
    renderList(true);
    render();
  });
  const sw = document.createElement('span');
  sw.className = 'swatch-box';
  if (checked) {
    const st = styleOf(key);
    sw.innerHTML = swatch(st.color, st.dash);
  }
  label.append(box, sw);
  return label;
}

function runItem(r) {
  const li = document.createElement('li');
  li.dataset.run = r.id;
  const label = toggleItem('run:' + r.id, state.selected.has(r.id), on => on
    ? fetchRun(r.id).catch(e => setStatus(e.message, true)) : null);
  const text = document.createElement('span');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = r.name;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = (r.reached !== undefined ? r.reached + ' / ' + r.asked + ' iterations, ' : '') + r.status
      + (r.last_loss !== null && r.last_loss !== undefined ? ', loss ' + fmt(r.last_loss) : '');
  text.append(name, meta);
  if (r.report) {
    const a = document.createElement('a');
    a.href = 'runs/' + r.id.split('/').map(encodeURIComponent).join('/') + '/report.html';
    a.textContent = 'report';
    a.target = '_blank';
    a.className = 'meta';
    text.appendChild(a);
  }
  label.appendChild(text);
  li.appendChild(label);
  return li;
}

function groupItem(g, ids) {
  const li = document.createElement('li');
  li.className = 'group';
  li.dataset.group = g.label;
  const label = toggleItem('group:' + g.label, state.groupsShown.has(g.label), on => on
    ? fetchGroup(g.label).catch(e => setStatus(e.message, true)) : null);
  const text = document.createElement('span');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = g.label;
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = ids.length + ' runs: mean and ±1 sd band';
  text.append(name, meta);
  label.appendChild(text);
  li.appendChild(label);
  return li;
}

// ------------------------------------------------------------------ controls and start

function setup() {
  const s = document.getElementById('smoothing');
  s.addEventListener('input', () => {
    state.smoothing = Number(s.value);
    document.getElementById('smoothing-value').textContent = state.smoothing.toFixed(2);
    render();
  });
  const y = document.getElementById('yscale');
  y.addEventListener('change', () => {
    state.log = y.value === 'log';
    render();
  });
  document.getElementById('detail').addEventListener('change', e => {
    state.detail = e.target.value;
    renderDetail();
  });
  const q = document.getElementById('search');
  q.addEventListener('input', () => {
    state.search = q.value;
    renderList(false);
    // A shown group's mean follows the search: fetched again for the runs that now match.
    Promise.all([...state.groupsShown].map(l => fetchGroup(l))).then(render).catch(e => setStatus(e.message, true));
  });
  document.getElementById('show-matching').addEventListener('click', async () => {
    const ids = state.runs.filter(matches).map(r => r.id).filter(id => !state.selected.has(id));
    for (const id of ids) {
      if (!show('run:' + id, true)) {
        break;
      }
    }
    await Promise.all([...state.selected].map(id => fetchRun(id).catch(() => { delete state.data[id]; })));
    renderList(true);
    render();
  });
  document.getElementById('hide-all').addEventListener('click', () => {
    Object.keys(state.slots).forEach(k => show(k, false));
    renderList(true);
    render();
  });
  poll();
}

// For tests and curious users: what the page holds.
window.rnnDashboard = {
  state: state,
  charts: charts,
  styleOf: styleOf,
  lastIteration: id => (state.data[id] && state.data[id].iteration.length
    ? state.data[id].iteration[state.data[id].iteration.length - 1] : -1),
};

setup();
