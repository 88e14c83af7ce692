// Practice-log forms save through the API and say so in place; without JavaScript they
// post to the page instead. On the watch page, the end of the video opens the log.
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
    if (!payload.sequence) {
      status.textContent = "Choose a sequence first.";
      return;
    }
    if (data.get("program")) {
      payload.program = String(data.get("program"));
      payload.day = number(data, "day");
    }
    status.classList.remove("error");
    status.textContent = "Saving…";
    let response;
    try {
      response = await fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": String(data.get("csrfmiddlewaretoken")) },
        body: JSON.stringify(payload),
      });
    } catch (error) {
      status.classList.add("error");
      status.textContent = "No connection: your log was not saved. Please try again.";
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
    video.addEventListener("ended", function () {
      prompt.open = true;
      prompt.querySelector("[data-log-ask]").hidden = false;
      prompt.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  }
})();
