/* The study page without full page reloads (progressive enhancement, no framework, no build).
 *
 * Every step of #study is server-rendered HTML with plain forms and links that work without
 * JavaScript. This script sends those forms and links with fetch (header X-Requested-With: fetch),
 * gets back the HTML of the next step (header X-Study-Fragment: 1) and swaps it in (after an
 * answer, the result comes with the following question pre-rendered: no request). Grading
 * happens on the server: the page never holds an answer before the learner has answered.
 *
 * It also adds: response timing, keyboard shortcuts (Enter/Space check, reveal or go on; 1-4 rate
 * or pick a choice; t/f for true/false; u undo), and ordering by drag and drop or the arrow keys.
 */
(function () {
  "use strict";

  var root = document.getElementById("study");
  if (!root || !window.fetch) return;
  document.documentElement.classList.add("js");

  var shownAt = performance.now();
  var busy = false;

  function step() { return root.querySelector(".study-step"); }
  function phase() { var s = step(); return s ? s.getAttribute("data-step") : ""; }

  // --- swapping steps ---------------------------------------------------------------------
  function swap(html) {
    root.innerHTML = html;
    var s = step();
    if (!s || s.getAttribute("data-timer") !== "keep") shownAt = performance.now();
    enhance();
    focusStep();
  }

  function fail(message) {
    var note = root.querySelector(".study-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "flash error study-error";
      note.setAttribute("role", "alert");
      root.insertBefore(note, root.firstChild);
    }
    note.textContent = message;
  }

  function send(url, options) {
    if (busy) return;
    busy = true;
    root.setAttribute("aria-busy", "true");
    options.headers = { "X-Requested-With": "fetch", "Accept": "text/html" };
    options.credentials = "same-origin";
    fetch(url, options).then(function (response) {
      if (response.headers.get("X-Study-Fragment") === "1") {
        return response.text().then(swap);
      }
      if (response.redirected || response.status === 401) {
        window.location.assign(response.url);  // signed out meanwhile: show the sign-in page
        return;
      }
      return response.text().then(function () {
        fail("Something went wrong (" + response.status + "). Reload the page and try again.");
      });
    }).catch(function () {
      // Nothing was lost: resending the same form reuses its idempotency key.
      fail("Could not reach the server. Check the connection and try again.");
    }).then(function () {
      busy = false;
      root.removeAttribute("aria-busy");
    });
  }

  // The result of an answer carries the next step (a <template>): "Continue", or the rating
  // already chosen, shows it without a request.
  function continueNow(control) {
    if (busy || !control.hasAttribute("data-continue")) return false;
    var next = root.querySelector("template[data-next-step]");
    if (!next) return false;
    swap(next.innerHTML);
    return true;
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-js")) return;
    event.preventDefault();
    if (continueNow(form)) return;
    syncOrder(form);
    var duration = form.querySelector("input[name=duration_ms]");
    if (duration) duration.value = String(Math.round(performance.now() - shownAt));
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name && !data.has(submitter.name)) {
      data.append(submitter.name, submitter.value);
    }
    var method = (form.getAttribute("method") || "get").toUpperCase();
    if (method === "GET") {
      var query = new URLSearchParams(data).toString();
      send(form.action + (query ? "?" + query : ""), { method: "GET" });
    } else {
      send(form.action, { method: "POST", body: data });
    }
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-js]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (continueNow(link)) return;
    send(link.href, { method: "GET" });
  });

  // --- focus and keyboard ----------------------------------------------------------------
  function focusStep() {
    var s = step();
    if (!s) return;
    var target = null;
    if (phase() === "question") {
      target = s.querySelector(".flash.error") ? s.querySelector("input:not([type=hidden]), li.step") : null;
      target = target || s.querySelector("input.blank-input, input[name=choice], li.step, [data-primary]");
    } else {
      target = s.querySelector("[data-primary]");
    }
    (target || s).focus();
  }

  function isTyping(element) {
    if (!element) return false;
    var tag = element.tagName;
    return (tag === "INPUT" && /^(text|search|email|number|password)$/i.test(element.type)) ||
      tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function click(selector) {
    var element = root.querySelector(selector);
    if (element) { element.click(); return true; }
    return false;
  }

  // An auto-graded answer has its rating already: a key for another one says why it does nothing
  // (the note is re-set so a screen reader announces it again).
  function sayWhyNot() {
    var note = root.querySelector("[data-rating-note]");
    if (!note) return;
    var text = note.textContent;
    note.textContent = "";
    note.classList.add("rating-note-shown");
    window.setTimeout(function () { note.textContent = text; }, 50);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || busy) return;
    var active = document.activeElement;
    if (isTyping(active)) return;  // Enter in a blank submits the form natively
    var key = event.key;
    var current = phase();
    var onControl = active && active !== document.body && root.contains(active) &&
      /^(BUTTON|A)$/.test(active.tagName);

    if (key === "u" || key === "U") {
      if (click("[data-undo]")) event.preventDefault();
      return;
    }
    if (current === "question") {
      var choice = /^[1-9]$/.test(key) && root.querySelector("input[data-choice='" + key + "']");
      if (choice) { choice.click(); choice.focus(); event.preventDefault(); return; }
      var tf = (key === "t" || key === "f") && root.querySelector("button[data-key='" + key + "']");
      if (tf) { tf.click(); event.preventDefault(); return; }
      if (key === "Enter" && active && active.form && active.type !== "submit" &&
          active.tagName !== "BUTTON") {
        event.preventDefault();
        active.form.requestSubmit();
        return;
      }
      if (key === "Enter" && active && active.matches && active.matches("li.step")) {
        event.preventDefault();
        active.closest("form").requestSubmit();
        return;
      }
    } else if (/^[1-4]$/.test(key)) {
      if (click("[data-rating='" + key + "']")) {
        event.preventDefault();
      } else {
        sayWhyNot();
      }
      return;
    }
    if (key === " " && onControl && active.tagName === "A") {
      active.click();  // a link ignores Space natively; here it means "go on"
      event.preventDefault();
      return;
    }
    if ((key === "Enter" || key === " ") && !onControl &&
        !(active && /^(INPUT|LI)$/.test(active.tagName) && key === " ")) {
      if (click("[data-primary]")) event.preventDefault();
    }
  });

  // --- ordering: the shared widget (ordering.js) -----------------------------------------
  function syncOrder(form) {
    form.querySelectorAll("ol[data-sortable]").forEach(window.quizappOrdering.renumber);
  }

  function enhance() {
    root.querySelectorAll("ol[data-sortable]").forEach(function (list) {
      var live = list.parentNode.querySelector("[data-announce]");
      window.quizappOrdering.enhance(list, {
        text: ".step-text",
        say: function (text) { if (live) live.textContent = text; }
      });
    });
  }

  enhance();
  focusStep();
})();
