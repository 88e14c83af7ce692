// Installs the service worker (homestretch/static/js/sw.js, served at /sw.js); when
// someone logs out here, asks it to forget the pages it kept, and drops the logs kept
// offline (practice-log.js) so they are never sent as the next person's.
(function () {
  "use strict";
  const worker = navigator.serviceWorker;
  if (worker) worker.register("/sw.js", { scope: "/" });
  document.addEventListener("submit", function (event) {
    const action = event.target.getAttribute("action") || "";
    if (!action.startsWith("/accounts/logout/")) return;
    window.localStorage.removeItem("homestretch.pendingLogs");
    if (worker && worker.controller) worker.controller.postMessage("forget");
  });
})();
