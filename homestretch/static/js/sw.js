// The service worker (served at /sw.js, which puts VERSION and SHELL above this): keeps
// the app shell, and the member's homework and program pages as they were last opened,
// for reading offline. Pages are network-first, so a deploy never leaves a stale page;
// the cache is named after VERSION, and a new worker drops the old caches.
// Never cached: videos (playlists, segments, posters), the API, anything but a page or
// the shell; and everything is dropped when someone logs in or out on this device.
/* global VERSION, SHELL */
"use strict";

// The shell and the pages apart: logging out forgets the pages and keeps the shell.
const SHELL_CACHE = `homestretch-shell-${VERSION}`;
const PAGES_CACHE = `homestretch-pages-${VERSION}`;
// Pages kept for offline reading: the member's practice, homework and programs.
const KEPT_PAGES = [/^\/me\/$/, /^\/me\/homework\//, /^\/programs\/[^/]+\/$/, /^\/programs\/$/];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key !== SHELL_CACHE && key !== PAGES_CACHE; }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function forgetEverything() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key.startsWith("homestretch-pages-"); }).map(function (key) { return caches.delete(key); }));
  });
}

self.addEventListener("message", function (event) {
  if (event.data === "forget") event.waitUntil(forgetEverything());
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  // Another person may be about to use this device: drop what the last one read.
  if (request.method === "POST" && (url.pathname === "/accounts/logout/" || url.pathname === "/accounts/login/")) {
    event.waitUntil(forgetEverything());
    return;
  }
  if (request.method !== "GET") return;

  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});

async function page(request, url) {
  try {
    const response = await fetch(request);
    const keep = response.ok && !response.redirected && response.type === "basic"
      && KEPT_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
    if (keep) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    return (await caches.match(request)) || (await caches.match("/offline/")) || Response.error();
  }
}
