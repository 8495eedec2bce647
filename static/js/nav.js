// The navigation's menus (templates/_nav.html): <details> open and close with the mouse and
// the keyboard by themselves; this keeps one open at a time, and closes it with Escape (the
// focus back on its title) or a click anywhere else.
(function () {
  const groups = Array.from(document.querySelectorAll("nav.mainnav details.navgroup"));
  if (!groups.length) return;
  for (const group of groups) {
    group.addEventListener("toggle", function () {
      if (!group.open) return;
      for (const other of groups) if (other !== group) other.open = false;
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    for (const group of groups) {
      if (!group.open) continue;
      group.open = false;
      group.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    for (const group of groups) if (group.open && !group.contains(event.target)) group.open = false;
  });
})();
