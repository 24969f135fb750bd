// Hovering a compared field lights up the words it came from in every report column, and back.
// Only an enhancement: without scripts the table and highlights read the same.
(function () {
  "use strict";
  // The column count rides in a data attribute: the CSP forbids inline style attributes.
  document.querySelectorAll(".reports[data-columns]").forEach(function (reports) {
    reports.style.setProperty("--columns", reports.getAttribute("data-columns"));
  });
  function light(field, on) {
    document.querySelectorAll('mark.ev[data-field="' + CSS.escape(field) + '"]').forEach(function (mark) {
      mark.classList.toggle("linked", on);
    });
    document.querySelectorAll('table.compare tr[data-field="' + CSS.escape(field) + '"]').forEach(function (row) {
      row.classList.toggle("linked", on);
    });
  }
  document.querySelectorAll("table.compare tr[data-field], mark.ev[data-field]").forEach(function (element) {
    var field = element.getAttribute("data-field");
    element.addEventListener("mouseenter", function () { light(field, true); });
    element.addEventListener("mouseleave", function () { light(field, false); });
  });
}());
