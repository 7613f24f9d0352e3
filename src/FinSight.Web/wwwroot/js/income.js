// Income page: dividends received by month and the 12-month forecast (Chart.js). The same figures are in the tables under the chart.
(function () {
  'use strict';
  var canvas = document.getElementById('income-chart');
  var data = document.getElementById('income-data');
  if (!canvas || !data || !window.Chart) return;
  var figures = JSON.parse(data.textContent);
  var labels = figures.received.map(function (m) { return m.label; }).concat(figures.forecast.map(function (m) { return m.label; }));
  var received = figures.received.map(function (m) { return m.value; }).concat(figures.forecast.map(function () { return null; }));
  var forecast = figures.received.map(function () { return null; }).concat(figures.forecast.map(function (m) { return m.value; }));
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: labels,
      datasets: [
        { label: 'Received', data: received, backgroundColor: '#4e79a7' },
        { label: 'Forecast', data: forecast, backgroundColor: 'rgba(242, 142, 43, 0.6)' },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: function (v) { return window.finsightMoney(v, figures.currency, 0); } } } },
    },
  });
})();
