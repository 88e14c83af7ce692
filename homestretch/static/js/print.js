// The handout's Print button (custom/handout.html): shown only where script runs, since
// without it the button could do nothing (the browser's own Print still works).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
