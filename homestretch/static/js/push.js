// Notifications on /me/reminders/: asks the browser's permission, subscribes it with the
// site's VAPID public key through the service worker, and posts the subscription to the
// API (homestretch/practice/push.py sends to it). The list of devices is the page's own.
(function () {
  "use strict";
  const section = document.querySelector("[data-push]");
  if (!section) return;
  const button = section.querySelector("[data-push-subscribe]");
  const status = section.querySelector("[data-push-status]");

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = "This browser cannot show notifications from a site: reminders come by email.";
    return;
  }
  if (Notification.permission === "denied") {
    status.textContent = "Notifications are blocked for this site: allow them in the browser’s site settings to be reminded here.";
    return;
  }
  button.hidden = false;

  function keyBytes(base64url) {
    const base64 = (base64url + "=".repeat((4 - base64url.length % 4) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(window.atob(base64), function (c) { return c.charCodeAt(0); });
  }

  async function subscription(registration) {
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.vapidKey) };
    try {
      return await registration.pushManager.subscribe(options);
    } catch (error) {
      // Subscribed before with another key (the site's keys changed): start again.
      const old = await registration.pushManager.getSubscription();
      if (!old) throw error;
      await old.unsubscribe();
      return registration.pushManager.subscribe(options);
    }
  }

  button.addEventListener("click", async function () {
    button.disabled = true;
    try {
      if (await Notification.requestPermission() !== "granted") {
        status.textContent = "Notifications were not allowed, so none will come to this device.";
        return;
      }
      status.textContent = "Turning notifications on…";
      const registration = await navigator.serviceWorker.ready;
      const pushSubscription = await subscription(registration);
      const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
      const response = await fetch(section.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(pushSubscription.toJSON()),
      });
      if (!response.ok) {
        const body = await response.json().catch(function () { return {}; });
        status.textContent = (body.error && body.error.message) || "Notifications could not be turned on. Please try again.";
        return;
      }
      status.textContent = "Notifications are on for this device.";
      window.location.reload();
    } catch (error) {
      status.textContent = "This browser could not turn notifications on (" + error.name + ").";
    } finally {
      button.disabled = false;
    }
  });
})();
