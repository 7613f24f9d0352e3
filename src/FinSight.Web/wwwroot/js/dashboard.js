// Dashboard charts: performance (lightweight-charts) and allocation (Chart.js).
(function () {
  'use strict';
  var css = getComputedStyle(document.documentElement);
  function color(name) { return css.getPropertyValue(name).trim(); }
  var palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

  var container = document.getElementById('performance-chart');
  var summary = document.getElementById('performance-summary');
  var chart, portfolioSeries, benchmarkSeries;

  function themeOptions() {
    css = getComputedStyle(document.documentElement);
    return {
      layout: { background: { color: 'transparent' }, textColor: color('--bs-body-color') },
      grid: { vertLines: { color: color('--bs-border-color-translucent') }, horzLines: { color: color('--bs-border-color-translucent') } },
    };
  }

  if (container && window.LightweightCharts) {
    chart = LightweightCharts.createChart(container, Object.assign({
      autoSize: true,
      rightPriceScale: { borderVisible: false },
      timeScale: { borderVisible: false },
      localization: { priceFormatter: function (v) { return v.toFixed(1) + ' %'; } },
    }, themeOptions()));
    portfolioSeries = chart.addSeries(LightweightCharts.LineSeries, { color: '#0d6efd', lineWidth: 2, title: 'Portfolio' });
    benchmarkSeries = chart.addSeries(LightweightCharts.LineSeries, { color: '#adb5bd', lineWidth: 2, title: 'Benchmark' });
    document.addEventListener('finsight:theme', function () { chart.applyOptions(themeOptions()); });
  }

  // Returns arrive in percent (12.34 = 12.34 %), as on every dashboard route.
  function pct(value) { return value === null || value === undefined ? '—' : (value > 0 ? '+' : '') + value.toFixed(2) + ' %'; }

  function load(range) {
    if (!chart) return;
    summary.textContent = 'Loading…';
    fetch('/?handler=Performance&range=' + encodeURIComponent(range), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (body) {
        var p = body.data;
        // The server rebases the index to 1 at the range's baseline; when the history starts inside the
        // range the first point already holds the first day's return, so it must not be divided out.
        portfolioSeries.setData(p.series.map(function (s) { return { time: s.date, value: (s.twr_index - 1) * 100 }; }));
        var base = p.series.find(function (s) { return s.benchmark_index; });
        benchmarkSeries.setData(base ? p.series.filter(function (s) { return s.benchmark_index; })
          .map(function (s) { return { time: s.date, value: (s.benchmark_index / base.benchmark_index - 1) * 100 }; }) : []);
        benchmarkSeries.applyOptions({ title: p.benchmark });
        chart.timeScale().fitContent();
        summary.textContent = p.series.length === 0
          ? 'No history yet: the chart starts after your first trading day closes.'
          : p.range + ': portfolio ' + pct(p.twr) + ', ' + p.benchmark + ' ' + pct(p.benchmark_return) +
            (p.is_partial ? ' (your history is shorter than this range)' : '') + (p.is_simulated ? ' · simulated prices' : '');
        container.setAttribute('data-points', String(p.series.length));
      })
      .catch(function () { summary.textContent = 'The performance history could not be loaded. Try another range or reload.'; });
  }

  document.querySelectorAll('input[name="range"]').forEach(function (radio) {
    radio.addEventListener('change', function () { if (radio.checked) load(radio.value); });
  });
  load((document.querySelector('input[name="range"]:checked') || { value: 'ALL' }).value);

  var data = document.getElementById('allocation-data');
  if (data && window.Chart) {
    var allocation = JSON.parse(data.textContent);
    [['sector-chart', allocation.sectors], ['position-chart', allocation.positions]].forEach(function (pair) {
      var canvas = document.getElementById(pair[0]);
      if (!canvas || pair[1].length === 0) return;
      new Chart(canvas, {
        type: 'doughnut',
        data: {
          labels: pair[1].map(function (x) { return x.label; }),
          datasets: [{ data: pair[1].map(function (x) { return x.value; }), backgroundColor: palette, borderWidth: 0 }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { position: 'right', labels: { color: color('--bs-body-color'), boxWidth: 12 } },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var total = ctx.dataset.data.reduce(function (a, b) { return a + b; }, 0);
                  return ctx.label + ': $' + ctx.parsed.toLocaleString(undefined, { maximumFractionDigits: 0 }) + ' (' + (ctx.parsed / total * 100).toFixed(1) + ' %)';
                },
              },
            },
          },
        },
      });
    });
  }
})();
