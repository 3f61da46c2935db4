// Small behaviours that must not need inline handlers (the CSP forbids them): a select marked
// data-autosubmit submits its form when changed; a button marked data-print prints the page.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
