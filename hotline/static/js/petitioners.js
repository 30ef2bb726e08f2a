/* The petition registration form (templates/petitions/register.html), made quicker with JavaScript; every part
   works without it, and the server checks everything again:
   - petitioner rows added and removed in the page instead of a round trip;
   - the units accused shown only for an accusation (检举控告类), and not sent for any other kind;
   - the form sent once: the register button is disabled while it goes (the submission key makes one
     petition of a double click anyway). */
(function () {
  "use strict";

  var form = document.getElementById("petition-register");
  if (!form) { return; }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  var list = form.querySelector("[data-rows]");

  /* ---- rows ---------------------------------------------------------------------------------------- */
  function rows() { return list ? list.querySelectorAll("[data-row]") : []; }

  function renumber() {
    var all = rows();
    each(all, function (row, i) {
      var title = row.querySelector(".row-number");
      if (title) { title.textContent = title.textContent.replace(/\d+/, String(i + 1)); }
      var remove = row.querySelector("[data-remove]");
      if (remove) {
        remove.value = "remove:" + i;
        remove.hidden = all.length < 2;
      }
    });
  }

  function nextIndex() {
    var top = -1;
    each(form.querySelectorAll("[name^='petitioners-']"), function (input) {
      var m = /^petitioners-(\d+)-/.exec(input.name);
      if (m) { top = Math.max(top, parseInt(m[1], 10)); }
    });
    return top + 1;
  }

  function addRow() {
    var all = rows();
    if (!all.length) { return false; }
    var copy = all[all.length - 1].cloneNode(true);
    var index = nextIndex();
    var rename = function (value) { return value.replace(/petitioners-\d+-/, "petitioners-" + index + "-"); };
    each(copy.querySelectorAll("input, label, p"), function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        if (el.hasAttribute(attr)) { el.setAttribute(attr, rename(el.getAttribute(attr))); }
      });
    });
    each(copy.querySelectorAll("input"), function (input) {
      if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      input.setAttribute("aria-invalid", "false");
    });
    each(copy.querySelectorAll(".error"), function (p) { p.parentNode.removeChild(p); });
    each(copy.querySelectorAll(".has-error"), function (el) { el.classList.remove("has-error"); });
    copy.classList.remove("has-error");
    list.appendChild(copy);
    renumber();
    var first = copy.querySelector("input[type=text], input:not([type])");
    if (first) { first.focus(); }
    return true;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-add")) {
      if (addRow()) { event.preventDefault(); }
    } else if (button.hasAttribute("data-remove")) {
      var row = button.closest("[data-row]");
      if (row && rows().length > 1) {
        event.preventDefault();
        var neighbour = row.nextElementSibling || row.previousElementSibling;
        row.parentNode.removeChild(row);
        renumber();
        var focus = neighbour && neighbour.querySelector("input");
        if (focus) { focus.focus(); }
      }
    }
  });
  renumber();

  /* ---- the units accused: only for an accusation --------------------------------------------------- */
  var accused = form.querySelector("[data-accused]");
  function showAccused() {
    if (!accused) { return; }
    var kind = form.querySelector("input[name=kind]:checked");
    var on = !!kind && kind.value === "accusation";
    // hidden, the boxes are also disabled: a disabled box is not sent, so nothing ticked before stays chosen
    accused.hidden = !on && !accused.querySelector(".error");
    each(accused.querySelectorAll("input[type=checkbox]"), function (box) { box.disabled = accused.hidden; });
  }
  each(form.querySelectorAll("input[name=kind]"), function (radio) {
    radio.addEventListener("change", showAccused);
  });
  showAccused();

  /* ---- sent once ----------------------------------------------------------------------------------- */
  form.addEventListener("submit", function (event) {
    var by = event.submitter;
    if (by && by.id === "save") {
      setTimeout(function () { by.disabled = true; }, 0);  // after the browser has taken its name=value
    }
  });
})();
