// Small progressive enhancements shared by every page; each page works without them.
(function () {
  'use strict';
  var root = document.documentElement;

  // Display toggles in the header: applied at once, then stored with the user's settings (a signed-out
  // visitor's theme stays in this browser). Without script the same buttons post the form.
  var displayForm = document.getElementById('display-form');
  var themeButton = document.getElementById('theme-toggle');
  var privacyButton = document.getElementById('privacy-toggle');
  function syncButtons() {
    var dark = root.getAttribute('data-bs-theme') === 'dark';
    if (themeButton) { themeButton.setAttribute('aria-pressed', dark ? 'true' : 'false'); themeButton.value = dark ? 'light' : 'dark'; }
    var hidden = root.getAttribute('data-privacy') === 'on';
    if (privacyButton) { privacyButton.setAttribute('aria-pressed', hidden ? 'true' : 'false'); privacyButton.value = hidden ? 'off' : 'on'; }
  }
  function store(name, value) {
    if (!root.hasAttribute('data-signed-in')) {
      if (name === 'theme') localStorage.setItem('finsight.theme', value);
      return;
    }
    var body = new FormData();
    var token = displayForm && displayForm.querySelector('input[name="__RequestVerificationToken"]');
    if (token) body.append(token.name, token.value);
    body.append(name, value);
    fetch('/settings?handler=Display', { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); })
      .catch(function () { showNotice('Your choice applies here but could not be saved; it will be forgotten on reload.'); });
  }
  function setTheme(next) {
    root.setAttribute('data-theme-setting', next);
    root.setAttribute('data-bs-theme', next);
    syncButtons();
    document.dispatchEvent(new CustomEvent('finsight:theme'));
    store('theme', next);
  }
  function setPrivacy(on) {
    if (on) root.setAttribute('data-privacy', 'on'); else root.removeAttribute('data-privacy');
    syncButtons();
    document.dispatchEvent(new CustomEvent('finsight:privacy'));
    store('privacy', on ? 'on' : 'off');
  }
  if (displayForm) displayForm.addEventListener('submit', function (e) {
    var button = e.submitter;
    if (!button) return;
    e.preventDefault();
    if (button === themeButton) setTheme(root.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark');
    if (button === privacyButton) setPrivacy(root.getAttribute('data-privacy') !== 'on');
  });
  document.addEventListener('keydown', function (e) {
    if (privacyButton && e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyP') {
      e.preventDefault();
      setPrivacy(root.getAttribute('data-privacy') !== 'on');
    }
  });
  document.addEventListener('finsight:theme', syncButtons);
  syncButtons();

  // A short message under the header (a failed save, being offline).
  var banner = document.getElementById('offline-banner');
  function showNotice(text) {
    if (!banner) return;
    banner.textContent = text;
    banner.hidden = false;
  }

  // Installable app: the service worker keeps the app shell and the last dashboard for offline use.
  // A page it served from its cache says so, with the time it was saved.
  var savedAt = root.getAttribute('data-offline-saved');
  if (savedAt) {
    var at = new Date(savedAt);
    showNotice('Offline: this is your dashboard as it was at ' +
      (isNaN(at) ? savedAt : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) + ' (local)') +
      '. Figures are not live; they refresh when you are back online.');
    root.setAttribute('data-offline', 'true');
  }
  window.addEventListener('offline', function () { showNotice('You are offline: figures on this page stop updating until the connection is back.'); });
  window.addEventListener('online', function () { if (!savedAt && banner) banner.hidden = true; });
  if ('serviceWorker' in navigator) {
    if (root.hasAttribute('data-signed-in')) {
      navigator.serviceWorker.register('/sw.js').catch(function () { /* the app works without it */ });
    }
  }
  // Signing out forgets every saved dashboard (each user's is kept apart by sw.js), so the next person
  // on this device cannot open one offline; the service worker does the same when it sees the sign-out.
  document.querySelectorAll('form[data-clears-offline]').forEach(function (form) {
    form.addEventListener('submit', function () {
      if (!window.caches) return;
      caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf('finsight-pages') === 0 || k === 'finsight-user') caches.delete(k); });
      });
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

  // Money in the browser (chart tooltips and summaries) as UiFormat.Money writes it on the server:
  // the currency's sign or code, two decimals ("€1,234.50", "CHF 1,234.50").
  window.finsightMoney = function (value, currency, digits) {
    var signs = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
    var d = digits === undefined ? 2 : digits;
    var text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    return (value < 0 ? '−' : '') + (signs[currency] || (currency + ' ')) + text;
  };

  // A panel that loads itself after the page (hx-trigger="load", aria-busy="true", a "Loading…" line)
  // says when it is done, or why it failed in place of the loading line instead of spinning for ever.
  document.addEventListener('htmx:afterRequest', function (e) {
    var elt = e.detail.elt;
    if (!elt || elt.getAttribute('aria-busy') !== 'true') return;
    elt.setAttribute('aria-busy', 'false');
    if (e.detail.successful) return;
    var line = elt.querySelector('.loading-line');
    var code = e.detail.xhr ? e.detail.xhr.status : 0;
    if (line) line.textContent = 'This panel could not be loaded (' + (code ? 'the server answered ' + code : navigator.onLine === false ? 'you are offline' : 'no answer') + '). Reload the page to try again.';
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
