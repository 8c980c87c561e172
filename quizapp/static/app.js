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
