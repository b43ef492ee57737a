// The desk's service worker (served by checkin.views_desk.DeskServiceWorkerView at .../desk/sw.js,
// so that it looks after the desk's pages only). The page and its static files come from the
// network when there is one and are kept; when the Wi-Fi is gone, the kept copy opens, so a phone
// that reloaded the page (or dropped the tab) can go on checking people in from the list the page
// keeps. Nothing personal is kept here: JSON (the list, verdicts), searches and POSTs pass through.
"use strict";
var CACHE = "civicmeet-desk-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// The page names itself and its files on its first visit (before this worker saw them go by).
self.addEventListener("message", function (event) {
  var urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  var mine = urls.filter(function (address) {
    try { return new URL(address, self.location.href).origin === self.location.origin; } catch (error) { return false; }
  });
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(mine); }).catch(function () {}));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.slice(-5) === ".json") return;
  var isPage = request.mode === "navigate";
  var keep = (isPage && url.search === "") || url.pathname.indexOf("/static/") === 0;
  event.respondWith(
    fetch(request).then(function (response) {
      if (keep && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }, function () {
      // Django's answers vary on the cookie and the language: the kept copy is this phone's own.
      var options = { ignoreSearch: isPage, ignoreVary: true };
      return caches.match(request, options).then(function (kept) {
        return kept || (isPage ? caches.match(self.registration.scope, options) : undefined);
      }).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
