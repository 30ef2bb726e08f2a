/* The citizen's filing pages, made easier with JavaScript; every part works without it (the server checks
   everything again):
   - a search box over the subject list: type a word, tap a subject;
   - "anonymous" offered only for a suggestion or praise, and the name hidden when it is ticked;
   - the photos chosen listed with a thumbnail, and the ones that will be refused named at once;
   - a form sent once: the button is disabled while it goes (the server makes one case of a double tap anyway);
   - the "send a new code" button waits out its cool-down. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  /* ---- the subject picker ------------------------------------------------------------------------ */
  function picker() {
    var select = document.getElementById("category_id");
    var box = document.querySelector(".picker-search");
    var input = document.getElementById("category-search");
    var results = document.getElementById("category-results");
    var data = document.getElementById("category-index");
    if (!select || !box || !input || !results || !data) { return; }
    var subjects;
    try { subjects = JSON.parse(data.textContent); } catch (e) { return; }
    var status = box.querySelector(".picker-status");
    var MAX = 8;
    box.hidden = false;

    function mark() {
      each(results.children, function (b) {
        b.setAttribute("aria-pressed", b.value === select.value ? "true" : "false");
      });
    }

    function choose(subject) {
      select.value = String(subject.id);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      mark();
    }

    function search() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      results.textContent = "";
      status.textContent = "";
      if (!words.length) { return; }
      var found = subjects.filter(function (s) {
        return words.every(function (w) { return s.words.indexOf(w) !== -1; });
      });
      found.slice(0, MAX).forEach(function (s) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "suggestion";
        button.value = String(s.id);
        var name = document.createElement("span");
        name.textContent = s.name;
        var group = document.createElement("span");
        group.className = "group";
        group.textContent = s.group;
        button.appendChild(name);
        button.appendChild(group);
        button.addEventListener("click", function () { choose(s); });
        results.appendChild(button);
      });
      status.textContent = found.length
        ? fmt(input.getAttribute("data-found"), { n: found.length })
        : input.getAttribute("data-none");
      mark();
    }

    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();  // Enter in the search box picks the first match; it never sends the form
      var first = results.querySelector("button");
      if (first) { first.click(); }
    });
    select.addEventListener("change", mark);
  }

  /* ---- anonymous: only for a suggestion or praise ----------------------------------------------- */
  function anonymity() {
    var kind = document.getElementById("kind");
    var box = document.getElementById("anonymous");
    if (!kind || !box) { return; }
    var option = box.closest(".field");
    var identity = document.querySelectorAll(".field.identity");
    var form = document.getElementById("filing-form");
    var phoneHint = document.querySelector("p.hint#phone-msg");  // not when it shows an error instead
    var namedHint = phoneHint ? phoneHint.textContent : "";
    var ALLOWED = ["suggestion", "praise"];

    function update() {
      var allowed = ALLOWED.indexOf(kind.value) !== -1;
      if (!allowed && box.checked && !option.classList.contains("has-error")) { box.checked = false; }
      option.hidden = !allowed && !option.classList.contains("has-error");
      var anonymous = allowed && box.checked;
      each(identity, function (field) { field.hidden = anonymous; });
      if (phoneHint && form) {
        phoneHint.textContent = anonymous ? form.getAttribute("data-anonymous-phone") : namedHint;
      }
    }
    kind.addEventListener("change", update);
    box.addEventListener("change", update);
    update();
  }

  /* ---- photos ----------------------------------------------------------------------------------- */
  function photos() {
    var input = document.getElementById("photos");
    var list = document.getElementById("photo-preview");
    if (!input || !list) { return; }
    var field = input.closest(".field");
    var max = parseInt(field.getAttribute("data-max"), 10) || 5;
    var maxBytes = parseInt(field.getAttribute("data-max-bytes"), 10) || 10485760;
    var TYPES = ["image/jpeg", "image/png", "image/webp"];

    function held() {
      var kept = parseInt(field.getAttribute("data-held"), 10) || 0;
      var removed = field.querySelectorAll('input[name="remove_photo"]:checked').length;
      return kept - removed;
    }

    function size(bytes) {
      return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
    }

    function show() {
      list.textContent = "";
      var room = max - held();
      each(input.files || [], function (file) {
        var item = document.createElement("li");
        var problem = "";
        if (file.size > maxBytes) {
          problem = fmt(field.getAttribute("data-too-large"), { name: file.name });
        } else if (room <= 0) {
          problem = fmt(field.getAttribute("data-too-many"), { name: file.name });
        } else {
          room -= 1;
        }
        if (!problem && TYPES.indexOf(file.type) !== -1 && window.FileReader) {
          var img = document.createElement("img");
          img.alt = "";
          img.width = 72;
          img.height = 72;
          var reader = new FileReader();
          reader.onload = function () { img.src = reader.result; };
          reader.readAsDataURL(file);
          item.appendChild(img);
        }
        var text = document.createElement("span");
        text.className = problem ? "error" : "held-name";
        text.textContent = problem || file.name;
        if (!problem) {
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = size(file.size);
          text.appendChild(meta);
        }
        item.appendChild(text);
        list.appendChild(item);
      });
    }
    input.addEventListener("change", show);
    each(field.querySelectorAll('input[name="remove_photo"]'), function (box) {
      box.addEventListener("change", show);
    });
  }

  /* ---- send once -------------------------------------------------------------------------------- */
  function sendOnce() {
    each(document.querySelectorAll("form[data-sending]"), function (form) {
      var button = form.querySelector('button[type="submit"]');
      if (!button) { return; }
      var label = button.textContent;
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        button.setAttribute("aria-disabled", "true");
        button.classList.add("busy");
        button.textContent = form.getAttribute("data-sending");
      });
      window.addEventListener("pageshow", function () {  // back to a page kept in the browser's cache
        form.removeAttribute("data-sent");
        button.removeAttribute("aria-disabled");
        button.classList.remove("busy");
        button.textContent = label;
      });
    });
  }

  /* ---- the code's cool-down --------------------------------------------------------------------- */
  function coolDown() {
    var button = document.getElementById("resend");
    if (!button) { return; }
    var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
    var label = button.textContent;
    var waiting = button.getAttribute("data-waiting");
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = fmt(waiting, { n: left });
      left -= 1;
      setTimeout(tick, 1000);
    }
    tick();
  }

  picker();
  anonymity();
  photos();
  sendOnce();
  coolDown();
})();
