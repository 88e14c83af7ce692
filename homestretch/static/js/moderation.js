// The moderation queue's keyboard: j/k move between items, a/r/s press the current
// item's Approve/Reject/Spam button (its data-key). htmx swaps the list after each action;
// the same position then holds the next item, so j/k/a can carry on without the mouse.
(() => {
  "use strict";
  let index = 0;

  const items = () => Array.from(document.querySelectorAll("#queue .queue-item"));

  function select(position, focus) {
    const list = items();
    if (list.length === 0) return;
    index = Math.max(0, Math.min(position, list.length - 1));
    list.forEach((item, n) => item.classList.toggle("is-current", n === index));
    if (focus) list[index].focus();
  }

  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.closest("textarea, select, [contenteditable]")) return true;
    const input = target.closest("input");
    return input !== null && input.type !== "checkbox";
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      select(index + (key === "j" ? 1 : -1), true);
    } else if (key === "a" || key === "r" || key === "s") {
      const item = items()[index];
      const button = item && item.querySelector(`button[data-key="${key}"]`);
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
  });

  document.addEventListener("focusin", (event) => {
    const item = event.target instanceof Element && event.target.closest("#queue .queue-item");
    if (item) select(items().indexOf(item), false);
  });

  document.addEventListener("htmx:load", (event) => {
    if (event.target instanceof Element && event.target.id === "queue") select(index, true);
  });
  document.addEventListener("DOMContentLoaded", () => select(0, false));
})();
