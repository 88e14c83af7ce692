// The custom-sequence builder: add library moves, order them by drag and drop or with
// Up/Down buttons, remove them. The form posts the rows' fields as aligned lists.
(function () {
  "use strict";

  const form = document.querySelector("[data-builder]");
  if (!form) return;
  const rows = form.querySelector("[data-rows]");
  const empty = form.querySelector("[data-empty]");
  const template = document.querySelector("[data-row-template]");
  const filter = document.querySelector("[data-move-filter]");

  function label(row) { return row.querySelector("[data-row-title]").textContent; }

  function refresh() {
    empty.hidden = rows.children.length > 0;
    Array.from(rows.children).forEach(function (row, index) {
      const name = `${label(row)}, move ${index + 1}`;
      row.querySelector("[data-row-up]").setAttribute("aria-label", `Move up: ${name}`);
      row.querySelector("[data-row-down]").setAttribute("aria-label", `Move down: ${name}`);
      row.querySelector("[data-row-remove]").setAttribute("aria-label", `Remove ${name}`);
    });
  }

  rows.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    const row = button.closest("[data-row]");
    if (button.hasAttribute("data-row-up") && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
    } else if (button.hasAttribute("data-row-down") && row.nextElementSibling) {
      rows.insertBefore(row.nextElementSibling, row);
    } else if (button.hasAttribute("data-row-remove")) {
      row.remove();
    } else {
      return;
    }
    refresh();
    if (row.isConnected) button.focus();
  });

  document.querySelectorAll("[data-add-move]").forEach(function (button) {
    button.addEventListener("click", function () {
      const row = template.content.firstElementChild.cloneNode(true);
      row.querySelector('[name="move"]').value = button.dataset.key;
      row.querySelector('[name="move_title"]').value = button.dataset.title;
      row.querySelector('[name="move_source"]').value = button.dataset.source;
      row.querySelector("[data-row-title]").textContent = button.dataset.title;
      row.querySelector("[data-row-source]").textContent = `from ${button.dataset.source}`;
      rows.append(row);
      refresh();
    });
  });

  // Drag and drop: a dragged row goes before the row it is dropped on (after the last).
  let dragged = null;
  rows.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("[data-row]");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  rows.addEventListener("dragover", function (event) {
    if (dragged) event.preventDefault();
  });
  rows.addEventListener("drop", function (event) {
    event.preventDefault();
    const target = event.target.closest("[data-row]");
    if (!dragged || !target || target === dragged) return;
    const box = target.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    rows.insertBefore(dragged, after ? target.nextElementSibling : target);
    dragged = null;
    refresh();
  });
  rows.addEventListener("dragend", function () { dragged = null; });

  // The move list narrows in the browser: every word typed must be in a card's words
  // (its title, its sequence's title, level, focus areas and equipment), and each chosen
  // focus area, level and equipment must be its sequence's.
  const selects = document.querySelectorAll("[data-move-select]");
  const count = document.querySelector("[data-move-count]");
  const none = document.querySelector("[data-move-none]");
  function narrow() {
    const words = filter ? filter.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    const cards = document.querySelectorAll("[data-move-card]");
    let shown = 0;
    cards.forEach(function (card) {
      const text = card.dataset.words;
      let match = words.every(function (word) { return text.includes(word); });
      selects.forEach(function (select) {
        const kind = select.dataset.moveSelect;
        if (select.value && !` ${card.dataset[kind]} `.includes(` ${select.value} `)) match = false;
      });
      card.hidden = !match;
      if (match) shown += 1;
    });
    const narrowed = words.length > 0 || Array.from(selects).some(function (s) { return s.value; });
    if (count) {
      count.textContent = narrowed ? `${shown} of ${cards.length} move${cards.length === 1 ? "" : "s"} shown` : "";
    }
    if (none) none.hidden = !(narrowed && shown === 0);
  }
  if (filter) filter.addEventListener("input", narrow);
  selects.forEach(function (select) { select.addEventListener("change", narrow); });
  refresh();
})();
