// Small behaviours that must not need inline handlers (the CSP forbids them): a select marked
// data-autosubmit submits its form when changed; a button marked data-print prints the page.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// The staff menu: on a phone it is folded behind the menu button (one line of header); without
// JavaScript it simply stays open above the page. Escape or a click outside folds it again.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-menu-toggle]");
  const menu = document.getElementById("staff-menu");
  if (!menu) return;
  if (toggle) {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("menu-open", open);
    if (open) menu.querySelector("a")?.focus();
  } else if (document.body.classList.contains("menu-open") && !event.target.closest("#staff-menu")) {
    closeStaffMenu();
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && document.body.classList.contains("menu-open")) {
    closeStaffMenu();
    document.querySelector("[data-menu-toggle]")?.focus();
  }
});
function closeStaffMenu() {
  document.body.classList.remove("menu-open");
  document.querySelector("[data-menu-toggle]")?.setAttribute("aria-expanded", "false");
}
