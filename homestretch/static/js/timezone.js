// Sign-up: fill the hidden time zone field from the browser, so a new member's days,
// reminders and class times are their own from the start. Without it the server uses UTC.
document.querySelectorAll("input[name=timezone]").forEach((input) => {
  try {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    input.value = "";
  }
});
