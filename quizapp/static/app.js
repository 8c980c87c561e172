// Site-wide behaviour, loaded on every page (the Content-Security-Policy allows no inline script).
// A form with data-confirm="question" asks before it is sent.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A hidden field marked data-browser-timezone gets the browser's IANA time zone (sign-up), and a
// time-zone picker with nothing chosen yet preselects it.
document.addEventListener("DOMContentLoaded", function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  document.querySelectorAll("[data-browser-timezone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
});
