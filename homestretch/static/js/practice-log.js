// Practice-log forms save through the API and say so in place; without JavaScript they
// post to the page instead. On the watch page, the end of the video opens the log.
// A log made without a connection is kept in this browser and sent when it is back
// online, with an Idempotency-Key so that a log sent twice is saved once, and with the
// time it was made (practised_at), so that it is saved for that time and day.
(function () {
  "use strict";

  function number(data, name) {
    const text = String(data.get(name) || "").trim();
    return text === "" ? null : Number(text);
  }

  function labelFor(form, name) {
    const input = form.elements.namedItem(name);
    const label = input && input.id ? form.querySelector('label[for="' + input.id + '"]') : null;
    return label ? label.textContent.trim() : name;
  }

  function problem(form, body) {
    // Every API error is {"error": {"message": …, "fields": [{"field", "message"}]}}.
    const error = body.error || {};
    if (Array.isArray(error.fields) && error.fields.length) {
      return error.fields.map(function (item) {
        const name = String(item.field).split(".").pop();
        return labelFor(form, name) + ": " + item.message;
      }).join(" ");
    }
    if (typeof error.message === "string") return error.message;
    return "Your log was not saved. Please try again.";
  }

  // Logs waiting for a connection ---------------------------------------------------------
  const PENDING = "homestretch.pendingLogs";

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  }

  function pendingLogs() {
    try { return JSON.parse(window.localStorage.getItem(PENDING)) || []; } catch (error) { return []; }
  }

  function setPending(list) {
    if (list.length) window.localStorage.setItem(PENDING, JSON.stringify(list));
    else window.localStorage.removeItem(PENDING);
  }

  function localTime(date) {
    // ISO 8601 in this device's time, with its offset: 2026-03-01T08:30:00.000+01:00.
    function pad(value, width) { return String(Math.abs(value)).padStart(width || 2, "0"); }
    const offset = -date.getTimezoneOffset();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      "." + pad(date.getMilliseconds(), 3) + (offset < 0 ? "-" : "+") +
      pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
  }

  function keep(pending) {
    setPending(pendingLogs().concat([pending]));
  }

  function send(pending) {
    // The page's own CSRF token: the one the log was made with may have changed since.
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    return fetch(pending.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Idempotency-Key": pending.key },
      body: JSON.stringify(pending.payload),
    });
  }

  let flushing = false;

  async function sendPending() {
    // Each kept log in turn; one the site answers (saved, or refused for good) leaves the
    // list, one that meets no connection or a server error stays for the next time.
    if (flushing || !navigator.onLine) return;
    flushing = true;
    const status = document.querySelector("[data-log-status]");
    try {
      for (const pending of pendingLogs()) {
        let response;
        try { response = await send(pending); } catch (error) { break; }
        if (response.status >= 500) break;
        setPending(pendingLogs().filter(function (other) { return other.key !== pending.key; }));
        if (status) {
          status.textContent = response.ok
            ? "The log you made offline has been sent."
            : "A log made offline could not be saved: " + problem(document.createElement("form"), await response.json().catch(function () { return {}; }));
        }
      }
    } finally {
      flushing = false;
    }
  }

  window.addEventListener("online", sendPending);
  sendPending();

  async function submit(form) {
    const status = form.querySelector("[data-log-status]");
    const data = new FormData(form);
    const payload = {
      sequence: String(data.get("sequence") || ""),
      done: data.get("done") !== "false",
      pain_before: number(data, "pain_before"),
      pain_after: number(data, "pain_after"),
      difficulty: data.get("difficulty") || null,
      note: String(data.get("note") || ""),
    };
    if (data.get("custom_sequence")) {
      // A custom sequence is logged as the version practised.
      delete payload.sequence;
      payload.custom_sequence = number(data, "custom_sequence");
      payload.version = number(data, "version");
    } else if (!payload.sequence) {
      status.textContent = "Choose a sequence first.";
      return;
    }
    if (data.get("program")) {
      payload.program = String(data.get("program"));
      payload.day = number(data, "day");
    }
    status.classList.remove("error");
    status.textContent = "Saving…";
    // The time it is made: sent only with a log kept offline (a log sent now is saved now).
    const madeAt = localTime(new Date());
    const pending = { key: newKey(), api: form.dataset.api, payload: payload };
    let response;
    try {
      response = await send(pending);
    } catch (error) {
      pending.payload = Object.assign({}, payload, { practised_at: madeAt });
      const time = form.querySelector("[data-log-time]");
      if (time) time.value = madeAt;
      keep(pending);
      status.textContent = "No connection: your log is kept on this device and will be sent when you are back online.";
      return;
    }
    const body = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      status.classList.add("error");
      status.textContent = problem(form, body);
      return;
    }
    const pain = body.pain_before !== null && body.pain_after !== null
      ? ": pain " + body.pain_before + " → " + body.pain_after : "";
    status.textContent = (response.status === 201 ? "Logged" : "Updated today’s log") + pain + ".";
    const alert = form.querySelector("[data-log-alert]");
    if (alert) {
      alert.textContent = body.safety_message || "";
      alert.hidden = !body.safety_message;
    }
    form.dataset.logged = "true";
    form.querySelector("button[type=submit]").textContent = "Update today’s log";
  }

  document.querySelectorAll("form[data-log-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(form);
    });
  });

  const prompt = document.querySelector("[data-log-prompt]");
  const video = document.querySelector(".player video");
  if (prompt && video) {
    const ask = function () {
      prompt.open = true;
      prompt.querySelector("[data-log-ask]").hidden = false;
      prompt.scrollIntoView({ behavior: "smooth", block: "center" });
    };
    video.addEventListener("ended", ask);
    // A custom sequence's page pauses at its last move's end, before the video's.
    video.addEventListener("homestretch:practice-done", ask);
  }
})();
