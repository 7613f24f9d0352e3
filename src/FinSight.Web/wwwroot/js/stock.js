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
  // Privacy mode drops the markers' words (they hold quantities), keeping the arrows.
  function hidden() { return document.documentElement.getAttribute('data-privacy') === 'on'; }
  function markers() {
    return data.trades.filter(function (t) { return t.time >= first; }).map(function (t) {
      var text = hidden() ? '' : t.text;
      return t.side === 'buy'
        ? { time: t.time, position: 'belowBar', color: '#198754', shape: 'arrowUp', text: text }
        : { time: t.time, position: 'aboveBar', color: '#dc3545', shape: 'arrowDown', text: text };
    }).sort(function (a, b) { return a.time < b.time ? -1 : a.time > b.time ? 1 : 0; });
  }
  var markerLayer = LightweightCharts.createSeriesMarkers(series, markers());
  container.setAttribute('data-markers', String(markers().length));
  document.addEventListener('finsight:privacy', function () { markerLayer.setMarkers(markers()); });

  // The chart's figures in words, for screen readers and anyone who cannot read the chart.
  var summary = document.getElementById('price-summary');
  if (summary) {
    var closes = data.closes.map(function (c) { return c.value; });
    var last = data.closes[data.closes.length - 1];
    var money = function (v) { return window.finsightMoney(v, data.currency); };
    var parts = [['From ', money(data.closes[0].value)], [' on ' + data.closes[0].time + ' to ', money(last.value)],
      [' on ' + last.time + '; high ', money(Math.max.apply(null, closes))], ['; low ', money(Math.min.apply(null, closes))], ['.', null]];
    summary.textContent = '';
    parts.forEach(function (p) {
      summary.appendChild(document.createTextNode(p[0]));
      if (p[1]) { var span = document.createElement('span'); span.className = 'amount'; span.setAttribute('data-currency', data.currency); span.textContent = p[1]; summary.appendChild(span);
        // As UiFormat.Amount does: a figure not in the portfolio's currency says its code.
        if (data.currency !== data.baseCurrency) { var code = document.createElement('span'); code.className = 'currency-code'; code.textContent = '\u202F' + data.currency; summary.appendChild(code); }
      }
    });
  }
  chart.timeScale().fitContent();
  document.addEventListener('finsight:theme', function () { chart.applyOptions(themeOptions()); });
})();
