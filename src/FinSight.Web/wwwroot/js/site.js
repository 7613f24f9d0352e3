// Small progressive enhancements shared by every page; each page works without them.
(function () {
  'use strict';
  var root = document.documentElement;

  document.querySelectorAll('#theme-toggle').forEach(function (button) {
    button.addEventListener('click', function () {
      var next = root.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
      localStorage.setItem('finsight.theme', next);
      root.setAttribute('data-bs-theme', next);
      document.dispatchEvent(new CustomEvent('finsight:theme'));
    });
  });

  // Filters that apply as soon as they change (no inline handlers: the CSP allows only these files).
  document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
    select.addEventListener('change', function () { if (select.form) select.form.requestSubmit(); });
  });

  // Times are rendered in UTC by the server; the browser knows the reader's zone.
  function localTimes(scope) {
    scope.querySelectorAll('time[data-local]').forEach(function (el) {
      if (el.dataset.localDone) return;
      var at = new Date(el.getAttribute('datetime'));
      if (isNaN(at)) return;
      var text = el.dataset.local === 'time' && at.toDateString() === new Date().toDateString()
        ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
        : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
      el.title = el.textContent;
      el.textContent = text + ' (local)';
      el.dataset.localDone = '1';
    });
  }

  function tooltips(scope) {
    if (!window.bootstrap) return;
    scope.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }

  // Forms that change data for good ask first (delete).
  document.addEventListener('submit', function (e) {
    var message = e.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) e.preventDefault();
  });

  // Sortable tables: buttons in the header; the sort survives live refreshes of the body.
  var sortStates = {}; // by table id: a live refresh replaces the table element
  function sortTable(table) {
    var state = table && sortStates[table.id];
    if (!state) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[state.column].getAttribute('data-sort') || '';
      var y = b.cells[state.column].getAttribute('data-sort') || '';
      var result = state.text ? x.localeCompare(y) : (parseFloat(x) || 0) - (parseFloat(y) || 0);
      return state.ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.addEventListener('click', function (e) {
    var button = e.target.closest('.sort-btn');
    if (!button) return;
    var th = button.closest('th');
    var table = button.closest('table');
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var previous = sortStates[table.id];
    var ascending = previous && previous.column === column ? !previous.ascending : button.dataset.type === 'text';
    sortStates[table.id] = { column: column, ascending: ascending, text: button.dataset.type === 'text' };
    th.parentNode.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    sortTable(table);
  });

  // Live prices: compare each refreshed price with the one shown before and flash the change.
  var lastPrices = {};
  function flashPrices() {
    document.querySelectorAll('tr[data-symbol] [data-live-price]').forEach(function (cell) {
      var symbol = cell.closest('tr').getAttribute('data-symbol');
      var price = parseFloat(cell.getAttribute('data-live-price'));
      var before = lastPrices[symbol];
      lastPrices[symbol] = price;
      if (before === undefined || before === price) return;
      var direction = price > before ? 'up' : 'down';
      var row = cell.closest('tr');
      row.setAttribute('data-last-change', direction);
      cell.classList.remove('flash-up', 'flash-down');
      void cell.offsetWidth; // restart the animation
      cell.classList.add('flash-' + direction);
    });
  }

  document.addEventListener('htmx:oobAfterSwap', function (e) {
    var target = e.detail.target;
    if (target) target.querySelectorAll('table.sortable').forEach(function (table) {
      var state = sortStates[table.id];
      if (!state) return;
      sortTable(table);
      table.querySelectorAll('th')[state.column].setAttribute('aria-sort', state.ascending ? 'ascending' : 'descending');
    });
    localTimes(target || document);
    tooltips(target || document);
  });
  document.addEventListener('htmx:afterSettle', function (e) {
    flashPrices();
    localTimes(e.target || document);
    tooltips(e.target || document);
  });

  localTimes(document);
  tooltips(document);
  flashPrices();
})();
