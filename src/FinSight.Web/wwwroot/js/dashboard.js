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
    container.setAttribute('aria-busy', 'true');
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
        container.setAttribute('aria-busy', 'false');
      })
      .catch(function (status) {
        container.setAttribute('aria-busy', 'false');
        summary.textContent = (navigator.onLine === false ? 'You are offline, so ' : '') + 'the performance history could not be loaded' +
          (typeof status === 'number' ? ' (the server answered ' + status + ')' : '') + '. Try another range or reload.';
      });
  }

  document.querySelectorAll('input[name="range"]').forEach(function (radio) {
    radio.addEventListener('change', function () { if (radio.checked) load(radio.value); });
  });
  load((document.querySelector('input[name="range"]:checked') || { value: 'ALL' }).value);

  // Allocation: doughnuts whose legend is the HTML list under each chart. A slice or its legend entry
  // shows only that sector's or symbol's positions; the filter survives live refreshes of the table.
  var filter = null; // { kind: 'sector' | 'position', value }
  var filterBar = document.getElementById('positions-filter');
  function applyFilter() {
    document.querySelectorAll('#positions tbody tr').forEach(function (row) {
      var match = !filter || (filter.kind === 'sector' ? row.getAttribute('data-sector') : row.getAttribute('data-symbol')) === filter.value;
      row.hidden = !match;
    });
    document.querySelectorAll('.alloc-legend button').forEach(function (b) {
      b.setAttribute('aria-pressed', filter && b.dataset.filterKind === filter.kind && b.dataset.filter === filter.value ? 'true' : 'false');
    });
    if (filterBar) {
      filterBar.hidden = !filter;
      document.getElementById('positions-filter-name').textContent = filter ? filter.value : '';
    }
  }
  function setFilter(kind, value) {
    filter = filter && filter.kind === kind && filter.value === value ? null : { kind: kind, value: value };
    applyFilter();
  }
  document.querySelectorAll('.alloc-legend button').forEach(function (b) {
    b.addEventListener('click', function () { setFilter(b.dataset.filterKind, b.dataset.filter); });
  });
  var clear = document.getElementById('positions-filter-clear');
  if (clear) clear.addEventListener('click', function () { filter = null; applyFilter(); });
  document.addEventListener('htmx:oobAfterSwap', applyFilter);
  document.addEventListener('finsight:live', applyFilter);

  function hidden() { return document.documentElement.getAttribute('data-privacy') === 'on'; }
  var data = document.getElementById('allocation-data');
  if (data && window.Chart) {
    var allocation = JSON.parse(data.textContent);
    [['sector', allocation.sectors], ['position', allocation.positions]].forEach(function (pair) {
      var kind = pair[0];
      var canvas = document.getElementById(kind + '-chart');
      var colors = pair[1].map(function (_, i) { return palette[i % palette.length]; });
      document.querySelectorAll('#' + kind + '-legend .swatch').forEach(function (swatch, i) { swatch.style.background = colors[i]; });
      if (!canvas || pair[1].length === 0) return;
      new Chart(canvas, {
        type: 'doughnut',
        data: {
          labels: pair[1].map(function (x) { return x.label; }),
          datasets: [{ data: pair[1].map(function (x) { return x.value; }), backgroundColor: colors, borderWidth: 0 }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          onClick: function (_, elements, c) {
            if (elements.length) setFilter(kind, c.data.labels[elements[0].index]);
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var total = ctx.dataset.data.reduce(function (a, b) { return a + b; }, 0);
                  var share = (ctx.parsed / total * 100).toFixed(1) + ' %';
                  // Privacy mode keeps the share and hides the amount.
                  return hidden() ? ctx.label + ': ' + share : ctx.label + ': ' + window.finsightMoney(ctx.parsed, allocation.currency, 0) + ' (' + share + ')';
                },
              },
            },
          },
        },
      });
    });
  }

  // Live updates: a refresh that fails says so in place, with the time of the figures still shown,
  // instead of leaving stale figures looking live. The next successful refresh restores the line.
  var status = document.getElementById('live-status');
  var normal = ''; // the line as it was before the failure (poll or push), put back when updates resume
  function shownAsOf() {
    var t = document.querySelector('[data-testid="as-of"]');
    return t ? t.textContent.trim() : 'the last refresh';
  }
  function liveFailed(reason) {
    if (!status) return;
    var seconds = status.getAttribute('data-refresh-seconds');
    if (status.getAttribute('data-live') !== 'failed') normal = status.textContent.trim();
    status.classList.add('live-failed');
    status.classList.remove('text-body-secondary');
    status.setAttribute('data-live', 'failed');
    status.textContent = 'Live update failed at ' + new Date().toLocaleTimeString() + ': ' + reason +
      '. The figures below are from ' + shownAsOf() + '; trying again every ' + seconds + ' s.';
  }
  function liveOk() {
    if (!status || status.getAttribute('data-live') !== 'failed') return;
    status.classList.remove('live-failed');
    status.classList.add('text-body-secondary');
    status.removeAttribute('data-live');
    status.textContent = normal;
  }
  window.FinSightLive = { failed: liveFailed, ok: liveOk };
  document.addEventListener('htmx:responseError', function (e) {
    if (e.detail.elt && e.detail.elt.id !== 'live-poller') return;
    var code = e.detail.xhr ? e.detail.xhr.status : 0;
    liveFailed(code === 503 ? 'prices or the database are unavailable right now (503)'
      : code === 401 || code === 403 ? 'you were signed out (' + code + '); reload to sign in'
      : code === 429 ? 'too many requests (429)'
      : 'the server answered ' + code);
  });
  document.addEventListener('htmx:sendError', function (e) {
    if (e.detail.elt && e.detail.elt.id !== 'live-poller') return;
    liveFailed(navigator.onLine === false ? 'you are offline' : 'the server could not be reached');
  });
  document.addEventListener('htmx:afterRequest', function (e) {
    if (e.detail.elt && e.detail.elt.id === 'live-poller' && e.detail.successful) liveOk();
  });
})();
