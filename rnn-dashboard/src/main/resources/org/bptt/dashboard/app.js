// The rnn dashboard: polls the server for the runs under its folder and draws them with ECharts.
// Everything is computed from /api/runs and /api/run; nothing is sent back (the server is read-only).
'use strict';

const POLL_MS = 2000;
// Okabe-Ito, as the HTML reports use: distinguishable with the common colour-vision deficiencies.
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9', '#000000', '#999933'];
// The reports' fixed heatmap scale: ColorBrewer RdBu over ±8 decades relative to the last step.
const FLOW_DECADES = 8;
const FLOW_COLORS = ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582',
  '#d6604d', '#b2182b', '#67001f'];
const MAX_AUTO_SELECTED = 6;

const state = {
  runs: [],            // the listing, in the server's order
  colors: {},          // id -> colour, kept for the page's life
  selected: new Set(),
  data: {},            // id -> accumulated run data
  smoothing: 0.6,
  log: true,
  detail: null,
  listed: false,
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
  try {
    const list = await getJson('api/runs');
    document.getElementById('folder').textContent = list.folder;
    state.runs = list.runs;
    if (!state.listed) {
      state.listed = true;
      list.runs.slice(-MAX_AUTO_SELECTED).forEach(r => state.selected.add(r.id));
    }
    for (const r of list.runs) {
      if (!(r.id in state.colors)) {
        state.colors[r.id] = COLORS[Object.keys(state.colors).length % COLORS.length];
      }
    }
    for (const id of [...state.selected]) {
      if (!list.runs.some(r => r.id === id)) {
        state.selected.delete(id);
      }
    }
    // A run that cannot be read is left out of the charts (the list says why); the others draw.
    await Promise.all([...state.selected].map(id => fetchRun(id).catch(() => { delete state.data[id]; })));
    state.polls++;
    setStatus('updated ' + new Date().toLocaleTimeString(), false);
    renderList();
    render();
  } catch (e) {
    setStatus('cannot reach the dashboard server: ' + e.message, true);
  } finally {
    setTimeout(poll, POLL_MS);
  }
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
  for (const k of ['title', 'config', 'asked', 'reached', 'status', 'live', 'clip_threshold', 'baseline', 'spectrum_start',
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
  const names = series.filter(s => s.data.length > 0).map(s => s.name).filter(n => !n.endsWith(' (raw)'));
  return Object.assign({
    animation: false,
    title: {text: title, left: 10, top: 6, textStyle: {fontSize: 14}},
    legend: {type: 'scroll', bottom: 0, data: names},
    grid: {left: 70, right: 30, top: 40, bottom: 70},
    tooltip: {trigger: 'axis', axisPointer: {type: 'line'}, valueFormatter: fmt, confine: true},
    xAxis: {type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax'},
    yAxis: {type: log ? 'log' : 'value', name: yName, nameLocation: 'middle', nameGap: 52, scale: true,
      axisLabel: {formatter: fmt}},
    dataZoom: [{type: 'inside'}, {type: 'slider', height: 16, bottom: 26}],
    series: series,
  }, extra || {});
}

/** Raw (faint, no tooltip) and smoothed lines of one metric of every selected run. */
function rawAndSmoothed(metric, log, nameOf) {
  const series = [];
  for (const id of state.selected) {
    const d = state.data[id];
    if (!d) {
      continue;
    }
    const c = state.colors[id];
    const ys = metric === 'loss' ? d.loss.map((v, i) => d.skipped[i] ? null : v) : d[metric];
    if (state.smoothing > 0) {
      series.push({name: nameOf(id) + ' (raw)', type: 'line', data: pairs(d.iteration, ys, log), showSymbol: false,
        lineStyle: {width: 1, color: faint(c)}, itemStyle: {color: faint(c)}, silent: true, tooltip: {show: false},
        sampling: 'lttb', connectNulls: false, z: 1});
    }
    series.push({name: nameOf(id), type: 'line', data: pairs(d.iteration, state.smoothing > 0 ? smooth(ys, state.smoothing, log) : ys, log),
      showSymbol: false, lineStyle: {width: 2, color: c}, itemStyle: {color: c}, sampling: 'lttb', z: 2});
  }
  return series;
}

function render() {
  const log = state.log;
  const ids = [...state.selected].filter(id => state.data[id]);
  renderVerdicts(ids);

  // Loss, held-out loss and baselines.
  const loss = rawAndSmoothed('loss', log, id => id);
  for (const id of ids) {
    const d = state.data[id];
    const held = heldOut(d, k => k.includes('loss'));
    if (held.length) {
      loss.push({name: id + ' held-out', type: 'line', data: held.map(p => [p[0], log && p[1] <= 0 ? null : p[1]]),
        symbol: 'circle', symbolSize: 7, lineStyle: {type: 'dashed', color: state.colors[id]}, itemStyle: {color: state.colors[id]}, z: 3});
    }
    if (d.baseline !== null && d.baseline !== undefined && (!log || d.baseline > 0)) {
      loss.push({name: id + ' baseline', type: 'line', data: [], markLine: {silent: true, symbol: 'none',
        lineStyle: {type: 'dashed', color: state.colors[id]}, label: {formatter: 'baseline ' + fmt(d.baseline), position: 'insideEndTop'},
        data: [{yAxis: d.baseline}]}});
    }
  }
  chart('chart-loss').setOption(lineOption('Training loss', 'loss', log, loss), {notMerge: true});

  // Gradient norm against the clip threshold.
  const grad = rawAndSmoothed('grad_norm', log, id => id);
  for (const id of ids) {
    const d = state.data[id];
    if (d.clip_threshold !== null && d.clip_threshold !== undefined) {
      grad.push({name: id + ' clip threshold', type: 'line', data: [], markLine: {silent: true, symbol: 'none',
        lineStyle: {type: 'dashed', color: state.colors[id]}, label: {formatter: 'clip ' + fmt(d.clip_threshold), position: 'insideEndTop'},
        data: [{yAxis: d.clip_threshold}]}});
    }
  }
  chart('chart-grad').setOption(lineOption('Gradient norm ‖∇L‖ before clipping', '‖∇L‖', log, grad), {notMerge: true});

  // ρ(W) and ‖W‖₂, only the measured iterations.
  const spec = [];
  for (const id of ids) {
    const d = state.data[id];
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
      spec.push({name: id + ' ρ(W)', type: 'line', data: rho, showSymbol: rho.length < 60, lineStyle: {width: 2, color: state.colors[id]},
        itemStyle: {color: state.colors[id]}});
      spec.push({name: id + ' ‖W‖₂', type: 'line', data: nrm, showSymbol: false,
        lineStyle: {width: 1.5, type: 'dotted', color: state.colors[id]}, itemStyle: {color: state.colors[id]}});
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
  const hasAcc = ids.some(id => state.data[id].accuracy.some(v => v !== null));
  toggle('chart-accuracy', hasAcc);
  if (hasAcc) {
    const acc = rawAndSmoothed('accuracy', false, id => id);
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
    for (const k of names) {
      if (k.includes('loss') || k.includes('accuracy')) {
        continue;
      }
      ev.push({name: id + ' ' + k.replace(/_/g, ' '), type: 'line', data: heldOut(state.data[id], n => n === k),
        symbol: 'circle', symbolSize: 6, lineStyle: {color: state.colors[id]}, itemStyle: {color: state.colors[id]}});
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

function renderVerdicts(ids) {
  const box = document.getElementById('verdicts');
  box.replaceChildren();
  for (const id of ids) {
    const d = state.data[id];
    const v = d.verdict || 'unmeasured';
    const div = document.createElement('div');
    div.className = 'verdict ' + v;
    div.dataset.run = id;
    const h = document.createElement('h3');
    h.textContent = id;
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
    div.append(h, p1, p2);
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
    sel.replaceChildren(...ids.map(id => new Option(id, id)));
    sel.dataset.options = want;
  }
  sel.value = state.detail || '';
  const d = state.detail ? state.data[state.detail] : null;
  toggle('chart-flow', !!d);
  toggle('chart-eigen', !!d && (d.spectrum_start || d.spectrum_end));
  window.rnnLayers.render(d, state.detail);
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
    title: {text: 'Gradient flow of ' + state.detail + ': log₁₀ ‖∂L/∂h_k‖ / ‖∂L/∂h_T‖ (fixed scale)', left: 10, top: 6,
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
    title: {text: 'Eigenvalues of W: ' + state.detail, left: 10, top: 6, textStyle: {fontSize: 14}},
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

function renderList() {
  const ul = document.getElementById('runs');
  ul.replaceChildren();
  if (!state.runs.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'no runs in this folder yet (a run is a folder with config.json)';
    ul.appendChild(li);
  }
  for (const r of state.runs) {
    const li = document.createElement('li');
    li.dataset.run = r.id;
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = state.selected.has(r.id);
    box.addEventListener('change', async () => {
      if (box.checked) {
        state.selected.add(r.id);
        await fetchRun(r.id).catch(e => setStatus(e.message, true));
      } else {
        state.selected.delete(r.id);
      }
      render();
    });
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = state.colors[r.id];
    const text = document.createElement('span');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = r.id;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = (r.reached !== undefined ? r.reached + ' / ' + r.asked + ' iterations, ' : '') + r.status;
    text.append(name, meta);
    if (r.report) {
      const a = document.createElement('a');
      a.href = 'runs/' + r.id.split('/').map(encodeURIComponent).join('/') + '/report.html';
      a.textContent = 'report';
      a.target = '_blank';
      a.className = 'meta';
      text.appendChild(a);
    }
    label.append(box, sw, text);
    li.appendChild(label);
    ul.appendChild(li);
  }
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
  poll();
}

// For tests and curious users: what the page holds.
window.rnnDashboard = {
  state: state,
  charts: charts,
  lastIteration: id => (state.data[id] && state.data[id].iteration.length
    ? state.data[id].iteration[state.data[id].iteration.length - 1] : -1),
};

setup();
