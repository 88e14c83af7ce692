// The main menu on narrow screens. The stylesheet hides the menu behind the button only
// once this script has marked the nav, so without script every link stays on show.
// The button says whether the menu is open (aria-expanded); Escape closes it and gives
// the button its focus back, as a disclosure should.
const nav = document.querySelector(".site-nav");
const toggle = nav ? nav.querySelector(".nav-toggle") : null;
const menu = toggle ? document.getElementById(toggle.getAttribute("aria-controls")) : null;

if (nav && toggle && menu) {
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  };
  nav.classList.add("has-menu-button");
  toggle.addEventListener("click", () => {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}
