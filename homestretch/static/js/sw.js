// The service worker (served at /sw.js, which puts VERSION and SHELL above this): keeps
// the app shell, and the member's homework and program pages as they were last opened,
// for reading offline. Pages are network-first, so a deploy never leaves a stale page;
// the cache is named after VERSION, and a new worker drops the old caches.
// Never cached: videos (playlists, segments, posters), the API, anything but a page or
// the shell; and everything is dropped when someone logs in or out on this device.
// It also shows practice reminders pushed to this browser (homestretch/practice/push.py)
// and opens the day's page when one is tapped.
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

function forgetPush() {
  // Logging out: the next person on this device must not get this member's reminders.
  // The push service then answers the site's next push with 410, and it forgets it too.
  return self.registration.pushManager.getSubscription()
    .then(function (subscription) { return subscription && subscription.unsubscribe(); })
    .catch(function () {});
}

self.addEventListener("message", function (event) {
  if (event.data === "forget") event.waitUntil(Promise.all([forgetEverything(), forgetPush()]));
});

// The page a notification opens: one of ours, never an address the message names elsewhere.
const REMINDER_HOME = "/me/#homework";

function ownPath(url) {
  try {
    const target = new URL(url || REMINDER_HOME, self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search + target.hash : REMINDER_HOME;
  } catch (error) {
    return REMINDER_HOME;
  }
}

self.addEventListener("push", function (event) {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (error) { message = {}; }
  event.waitUntil(self.registration.showNotification(message.title || "Time to practise", {
    body: message.body || "",
    tag: message.tag || "practice-reminder",
    icon: SHELL.find(function (url) { return url.includes("icon-192"); }),
    data: { url: ownPath(message.url) },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const path = ownPath(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      // A tab of the site already open goes to the page; else a new one opens.
      const open = windows.find(function (client) { return new URL(client.url).origin === self.location.origin; });
      if (open) {
        return open.focus()
          .then(function (client) { return client.navigate(path); })
          .catch(function () { return self.clients.openWindow(path); });
      }
      return self.clients.openWindow(path);
    })
  );
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
