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

// A secret shown once (a new API token, a reset link): its Copy button (hidden without
// JavaScript) copies the field's value and says so.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var input = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(ok) {
        if (status) status.textContent = ok ? "Copied." : "Select the text and copy it.";
      }
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); },
          function () { done(document.execCommand && document.execCommand("copy")); });
      } else {
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  });
});
