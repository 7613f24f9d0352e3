// FinSight's service worker: the app shell (styles, scripts, icons) for offline use, and the last
// dashboard the user loaded, served with its time when the network is gone. Nothing else is kept.
'use strict';
var SHELL = 'finsight-shell-v1';
var PAGES = 'finsight-pages';
var SHELL_FILES = [
  '/css/site.css', '/js/site.js', '/js/theme.js', '/js/dashboard.js',
  '/lib/bootstrap/bootstrap.min.css', '/lib/bootstrap/bootstrap.bundle.min.js', '/lib/htmx/htmx.min.js',
  '/lib/chart.js/chart.umd.min.js', '/lib/lightweight-charts/lightweight-charts.standalone.production.js',
  '/icons/icon-192.png', '/icons/icon-512.png', '/manifest.webmanifest',
];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('finsight-shell-') === 0 && k !== SHELL; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isDashboard(url) { return url.pathname === '/' && (url.search === '' || url.search.indexOf('handler=Performance') >= 0); }
function isShell(url) { return /^\/(css|js|lib|icons)\//.test(url.pathname) || url.pathname === '/manifest.webmanifest'; }

// The saved dashboard, marked with the time it was saved so the page can say it is not live.
function offlineDashboard() {
  return caches.open(PAGES).then(function (cache) { return cache.match('/'); }).then(function (saved) {
    if (!saved) return new Response('<!DOCTYPE html><html lang="en"><title>Offline · FinSight</title><p>You are offline and no dashboard has been saved on this device yet.</p></html>',
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    var at = saved.headers.get('X-FinSight-Saved-At') || '';
    return saved.text().then(function (html) {
      return new Response(html.replace('<html ', '<html data-offline-saved="' + at + '" '), { status: 200, headers: saved.headers });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    // Signing out forgets the saved dashboard: the next person on this device must not open it offline.
    if (url.pathname === '/account/signout') event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.mode === 'navigate' || isDashboard(url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (isDashboard(url) && response.ok && !response.redirected && response.type === 'basic') {
        var headers = new Headers(response.headers);
        headers.set('X-FinSight-Saved-At', new Date().toISOString());
        var copy = response.clone();
        event.waitUntil(copy.blob().then(function (body) {
          return caches.open(PAGES).then(function (cache) { return cache.put(url.pathname + url.search, new Response(body, { status: 200, headers: headers })); });
        }));
      }
      return response;
    }).catch(function () {
      if (request.mode === 'navigate') return offlineDashboard();
      return caches.open(PAGES).then(function (cache) { return cache.match(url.pathname + url.search); })
        .then(function (saved) { return saved || Response.error(); });
    }));
    return;
  }
  if (isShell(url)) {
    // Network first so a new release is picked up at once; the cache is the fallback offline.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.put(url.pathname, copy); }));
      }
      return response;
    }).catch(function () {
      return caches.open(SHELL).then(function (cache) { return cache.match(url.pathname); }).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
