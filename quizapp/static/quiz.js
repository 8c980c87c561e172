// Quiz pages, enhanced: autosave on every change, a live countdown that submits at zero, and
// the ordering widget (ordering.js) for ordering questions. Without this file every page still
// works: answers are saved whenever the learner moves between questions.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  var status = document.createElement("p");
  status.className = "quiz-status muted small";
  status.setAttribute("role", "status");

  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle("quiz-bad", !!isError);
  }

  // --- autosave ---------------------------------------------------------------------------
  // One save at a time, in order: a slow earlier save must never land after a newer answer.
  // Moving to another question waits for the save in flight, for the same reason.
  var pending = null;
  var inflight = null;
  var dirty = false;
  var leaving = false;

  function save() {
    if (!form || !form.dataset.autosave || leaving) return;
    if (inflight) { dirty = true; return; }
    var token = document.querySelector('meta[name="csrf-token"]');
    inflight = fetch(form.dataset.autosave, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token ? token.content : ""}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          document.querySelectorAll("[data-answered-count]").forEach(function (el) {
            el.textContent = data.answered;
          });
          show("Saved.");
        } else {
          show(data.error ? data.error.message : "Not saved.", true);
          // Submitted elsewhere, or time is up: the page shows the result and says why.
          if (response.status === 409 && !leaving) window.location.reload();
        }
      });
    }).catch(function () {
      show("Not saved: no connection. Your answers are sent again when you move on.", true);
    }).then(function () {
      inflight = null;
      if (dirty) { dirty = false; save(); }
    });
  }

  function scheduleSave(delay) {
    window.clearTimeout(pending);
    pending = window.setTimeout(save, delay);
  }

  // A page restored by the browser's Back button saves again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) leaving = false; });

  if (form) {
    form.appendChild(status);
    form.addEventListener("change", function () { scheduleSave(50); });
    form.addEventListener("input", function (event) {
      if (event.target.type === "text") scheduleSave(800);
    });
    form.addEventListener("submit", function (event) {
      window.clearTimeout(pending);
      leaving = true;  // the form carries every answer on the page: no more autosaves
      if (!inflight) return;
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        inflight = null;
        if (submitter && form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
    });
  }

  // --- ordering: the shared widget (ordering.js); every move is saved ---------------------
  // Without script the learner numbers the steps with the menus; with it the menus are hidden
  // (kept in step, they carry the order in the form) and the arrows move the steps.
  document.querySelectorAll("[data-quiz-order]").forEach(function (list) {
    list.classList.add("quiz-order-moving");
    var hint = list.parentNode.querySelector("[data-order-hint]");
    if (hint) hint.textContent = "(put the steps in order, first to last, with the arrows)";
    var said = document.createElement("p");
    said.className = "visually-hidden";
    said.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(said, list.nextSibling);
    window.quizappOrdering.enhance(list, {
      text: ".quiz-step-text",
      say: function (text) { said.textContent = text; },
      moved: function () { scheduleSave(50); }
    });
  });

  // --- countdown ------------------------------------------------------------------------------
  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var text = timer.querySelector("[data-timer-text]");
    var endsAt = Date.now() + 1000 * parseInt(timer.dataset.secondsLeft, 10);
    var done = false;
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      text.textContent = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" +
        String(s).padStart(2, "0");
      timer.classList.toggle("quiz-hurry", left <= 60);
      if (left === 0 && !done) {
        done = true;
        if (form) {
          // Time is up: send what is on the page and submit (the server allows a short grace).
          ["submit", "confirm"].forEach(function (name) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = "1";
            form.appendChild(input);
          });
          window.clearTimeout(pending);
          leaving = true;
          form.submit();
        } else if (document.getElementById("quiz-submit-form")) {
          document.getElementById("quiz-submit-form").submit();
        }
      }
    };
    tick();
    window.setInterval(tick, 1000);
  }
})();
