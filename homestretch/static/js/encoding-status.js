// Admin: live transcode progress on a sequence's page, without reloading.
// The admin loads this in <head>, before the page's body exists.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("[data-encoding-status]").forEach(function (box) {
    const bar = box.querySelector("progress");
    const label = box.querySelector("[data-label]");
    const error = box.querySelector("[data-error]");
    const names = { queued: "Queued", running: "Transcoding", ready: "Ready", failed: "Failed" };

    function eta(seconds) {
      if (seconds === null || seconds === undefined) return "";
      return seconds >= 60 ? `, about ${Math.round(seconds / 60)} min left` : `, about ${seconds} s left`;
    }

    async function poll() {
      const response = await fetch(box.dataset.url, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      bar.value = data.progress;
      label.textContent = `${names[data.state]} ${Math.round(data.progress * 100)}%` +
        (data.state === "running" ? eta(data.eta_seconds) : "");
      error.textContent = data.error;
      box.dataset.state = data.state;
      if (data.state === "queued" || data.state === "running") setTimeout(poll, 2000);
    }

    if (box.dataset.state === "queued" || box.dataset.state === "running") poll();
  });
});
