// The stock page's price chart with the user's own trades as markers.
(function () {
  'use strict';
  var container = document.getElementById('price-chart');
  var data = JSON.parse(document.getElementById('price-data').textContent);
  if (!container || !window.LightweightCharts) return;
  if (data.closes.length === 0) {
    container.outerHTML = '<p class="text-body-secondary">No price history available.</p>';
    return;
  }
  var css = getComputedStyle(document.documentElement);
  function themeOptions() {
    css = getComputedStyle(document.documentElement);
    return {
      layout: { background: { color: 'transparent' }, textColor: css.getPropertyValue('--bs-body-color').trim() },
      grid: { vertLines: { color: css.getPropertyValue('--bs-border-color-translucent').trim() }, horzLines: { color: css.getPropertyValue('--bs-border-color-translucent').trim() } },
    };
  }
  var chart = LightweightCharts.createChart(container, Object.assign({ autoSize: true, timeScale: { borderVisible: false } }, themeOptions()));
  var series = chart.addSeries(LightweightCharts.AreaSeries, { lineColor: '#0d6efd', topColor: 'rgba(13,110,253,.25)', bottomColor: 'rgba(13,110,253,0)', lineWidth: 2 });
  series.setData(data.closes);
  var first = data.closes[0].time;
  var markers = data.trades.filter(function (t) { return t.time >= first; }).map(function (t) {
    return t.side === 'buy'
      ? { time: t.time, position: 'belowBar', color: '#198754', shape: 'arrowUp', text: t.text }
      : { time: t.time, position: 'aboveBar', color: '#dc3545', shape: 'arrowDown', text: t.text };
  }).sort(function (a, b) { return a.time < b.time ? -1 : a.time > b.time ? 1 : 0; });
  LightweightCharts.createSeriesMarkers(series, markers);
  container.setAttribute('data-markers', String(markers.length));
  chart.timeScale().fitContent();
  document.addEventListener('finsight:theme', function () { chart.applyOptions(themeOptions()); });
})();
