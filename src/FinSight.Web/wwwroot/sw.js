// FinSight's service worker: the app shell (styles, scripts, icons) for offline use, and the last
// dashboard the user loaded, served with its time when the network is gone. Nothing else is kept.
'use strict';
var SHELL = 'finsight-shell-v2';
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

// The saved dashboard belongs to the user who loaded it: each user's pages live in their own cache
// (finsight-pages-<key>, the key an opaque hash of the user's id that every signed-in page carries in
// <meta name="finsight-user">), and the worker remembers whose pages were loaded last. Offline, only
// that user's dashboard is shown; when another user (or nobody) loads a page, every other user's saved
// pages are deleted; signing out deletes them all.
var USER = 'finsight-user';
function pagesOf(key) { return PAGES + '-' + key; }
function currentUser() {
  return caches.open(USER).then(function (cache) { return cache.match('/current'); }).then(function (hit) { return hit ? hit.text() : ''; });
}
function forgetPages(keep) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return (k === PAGES || k.indexOf(PAGES + '-') === 0) && k !== keep; }).map(function (k) { return caches.delete(k); }));
  });
}
function setUser(key) {
  return currentUser().then(function (before) {
    if (before === key) return null;
    return forgetPages(key ? pagesOf(key) : null).then(function () {
      return caches.open(USER).then(function (cache) { return key ? cache.put('/current', new Response(key)) : cache.delete('/current'); });
    });
  });
}
function userIn(html) {
  var m = /<meta name="finsight-user" content="([0-9a-f]+)"/.exec(html);
  return m ? m[1] : '';
}

// The saved dashboard, marked with the time it was saved so the page can say it is not live.
function offlineDashboard() {
  return currentUser().then(function (key) {
    return key ? caches.open(pagesOf(key)).then(function (cache) { return cache.match('/'); }) : null;
  }).then(function (saved) {
    if (!saved) return new Response('<!DOCTYPE html><html lang="en"><title>Offline · FinSight</title><p>You are offline and no dashboard has been saved on this device yet.</p></html>',
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    var at = saved.headers.get('X-FinSight-Saved-At') || '';
    return saved.text().then(function (html) {
      return new Response(html.replace('<html ', '<html data-offline-saved="' + at + '" '), { status: 200, headers: saved.headers });
    });
  });
}

function save(key, url, body, response) {
  var headers = new Headers(response.headers);
  headers.set('X-FinSight-Saved-At', new Date().toISOString());
  return caches.open(pagesOf(key)).then(function (cache) { return cache.put(url.pathname + url.search, new Response(body, { status: 200, headers: headers })); });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    // Signing out forgets every saved dashboard: the next person on this device must not open one offline.
    if (url.pathname === '/account/signout') event.waitUntil(forgetPages(null).then(function () { return caches.delete(USER); }));
    return;
  }
  if (request.mode === 'navigate' || isDashboard(url)) {
    event.respondWith(fetch(request).then(function (response) {
      var html = response.ok && response.type === 'basic' && (response.headers.get('Content-Type') || '').indexOf('text/html') === 0;
      if (request.mode === 'navigate' && html) {
        var page = response.clone();
        event.waitUntil(page.text().then(function (text) {
          var key = userIn(text);
          return setUser(key).then(function () {
            if (key && isDashboard(url) && !response.redirected) return save(key, url, text, response);
            return null;
          });
        }));
      } else if (isDashboard(url) && response.ok && response.type === 'basic' && request.mode !== 'navigate') {
        var copy = response.clone();
        event.waitUntil(Promise.all([copy.blob(), currentUser()]).then(function (both) {
          return both[1] ? save(both[1], url, both[0], response) : null;
        }));
      }
      return response;
    }).catch(function () {
      if (request.mode === 'navigate') return offlineDashboard();
      return currentUser().then(function (key) {
        return key ? caches.open(pagesOf(key)).then(function (cache) { return cache.match(url.pathname + url.search); }) : null;
      }).then(function (saved) { return saved || Response.error(); });
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
