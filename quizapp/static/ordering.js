/* One ordering widget, for study cards (study.js) and quiz questions (quiz.js).
 *
 * Without JavaScript the learner numbers the steps with their position menus. With it the menus
 * are hidden (the page's CSS, keyed on the list's class) but kept in step, so the form still
 * carries the order; a step moves with its up/down buttons, the arrow keys when it has the focus,
 * or drag and drop; choosing a number moves the step there; a live region says where it went.
 */
(function () {
  "use strict";

  function items(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.tagName === "LI";
    });
  }

  // The menus follow the steps' order on the page.
  function renumber(list) {
    items(list).forEach(function (li, index) {
      var select = li.querySelector("select");
      if (select) select.value = String(index + 1);
    });
  }

  function moveTo(li, position) {
    var list = li.parentNode;
    var others = items(list).filter(function (el) { return el !== li; });
    position = Math.max(0, Math.min(others.length, position));
    list.insertBefore(li, others[position] || null);
    renumber(list);
  }

  /* Enhance one list of steps (once). options.text: the selector of a step's text inside its
   * <li>; options.say(text): announce a move; options.moved(): called after every move. */
  function enhance(list, options) {
    if (list.hasAttribute("data-ordering-ready")) return;
    list.setAttribute("data-ordering-ready", "");
    var moved = options.moved || function () {};
    var count = items(list).length;
    var dragged = null;

    function textOf(li) {
      return li.querySelector(options.text).textContent;
    }

    function place(li, position) {
      moveTo(li, position);
      options.say(textOf(li) + ": step " + (items(list).indexOf(li) + 1) + " of " + count);
      moved();
    }

    items(list).forEach(function (li) {
      var text = textOf(li);
      li.setAttribute("tabindex", "0");
      li.setAttribute("draggable", "true");
      li.setAttribute("aria-label", text + ". Arrow up or down moves it.");
      var buttons = document.createElement("span");
      buttons.className = "step-move";
      [["↑", "Move up: ", -1], ["↓", "Move down: ", 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = spec[0];
        button.setAttribute("aria-label", spec[1] + text);
        button.addEventListener("click", function () {
          place(li, items(list).indexOf(li) + spec[2]);
          button.focus();
        });
        buttons.appendChild(button);
      });
      li.appendChild(buttons);
      li.addEventListener("keydown", function (event) {
        if (event.target !== li) return;
        var delta = { ArrowUp: -1, ArrowDown: 1 }[event.key];
        if (!delta) return;
        place(li, items(list).indexOf(li) + delta);
        li.focus();
        event.preventDefault();
      });
      var select = li.querySelector("select");
      if (select) {
        select.addEventListener("change", function (event) {
          place(li, parseInt(event.target.value, 10) - 1);
        });
      }
      li.addEventListener("dragstart", function (event) {
        dragged = li;
        li.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", text);
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("dragging");
        dragged = null;
        renumber(list);
        moved();
      });
      li.addEventListener("dragover", function (event) {
        if (!dragged || dragged === li) return;
        event.preventDefault();
        var box = li.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
      });
      li.addEventListener("drop", function (event) { event.preventDefault(); });
    });
  }

  window.quizappOrdering = { enhance: enhance, renumber: renumber };
})();
