// Installs the service worker (homestretch/static/js/sw.js, served at /sw.js), and asks
// it to forget the pages it kept when someone logs out here.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" });
  document.addEventListener("submit", function (event) {
    const action = event.target.getAttribute("action") || "";
    if (action.startsWith("/accounts/logout/") && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
  });
})();
