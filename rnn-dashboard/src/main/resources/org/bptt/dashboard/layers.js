// The per-layer charts of a stacked or bidirectional run (app.js calls render with the detail run's data):
// each layer's gradient flow at the last diagnostic iteration, and ρ(W) of each layer's recurrent matrix.
'use strict';

window.rnnLayers = (function () {
  function render(d, id) {
    const l = d && d.layers;
    toggle('chart-layer-flow', !!l);
    toggle('chart-layer-spectral', !!l && l.radius.some(s => s.some(v => v !== null)));
    if (!l) {
      return;
    }
    const flow = l.flow.map((norms, i) => ({name: 'layer ' + i, type: 'line', showSymbol: norms.length <= 60,
      data: norms.map((v, k) => [k, v !== null && v > 0 ? v : null]), lineStyle: {width: 2, color: COLORS[i % COLORS.length]},
      itemStyle: {color: COLORS[i % COLORS.length]}}));
    chart('chart-layer-flow').setOption(lineOption('Gradient flow ‖∂L/∂h_k‖ per layer of ' + id + ' at iteration '
        + l.flow_iteration, '‖∂L/∂h_k‖', true, flow, {xAxis: {type: 'value', name: 'time step k', nameLocation: 'middle',
      nameGap: 26, min: 'dataMin', max: 'dataMax'}}), {notMerge: true});
    const rho = [];
    l.radius.forEach((values, i) => {
      if (values.some(v => v !== null)) {
        rho.push({name: 'ρ(W) ' + l.names[i], type: 'line', showSymbol: values.length <= 60,
          data: values.map((v, j) => [l.iteration[j], v]), lineStyle: {width: 2, color: COLORS[i % COLORS.length]},
          itemStyle: {color: COLORS[i % COLORS.length]}});
      }
    });
    if (rho.length) {
      chart('chart-layer-spectral').setOption(lineOption('Spectral radius ρ(W) per layer of ' + id + ' (before each update)',
          'ρ(W)', false, rho), {notMerge: true});
    }
  }
  return {render: render};
})();
