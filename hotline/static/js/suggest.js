/* Subject suggestions on the complaint form: after the person pauses typing the description, ask the
   server for the three likeliest subjects and offer them as buttons; a tap chooses that subject in the
   form's subject list. Without JavaScript the form works as before and this box stays hidden. */
(function () {
  "use strict";
  var box = document.getElementById("subject-suggestions");
  var description = document.getElementById("description");
  var subject = document.getElementById("category_id");
  if (!box || !description || !subject || !window.fetch) { return; }

  var list = box.querySelector(".suggestions-list");
  var status = box.querySelector(".suggestions-status");
  var PAUSE_MS = 600, MIN_CHARS = 6;
  var timer = null, asked = 0, lastText = "";

  function hide() {
    box.hidden = true;
    list.textContent = "";
    status.textContent = "";
  }

  function mark() {
    Array.prototype.forEach.call(list.children, function (button) {
      button.setAttribute("aria-pressed", button.value === subject.value ? "true" : "false");
    });
  }

  function choose(button) {
    subject.value = button.value;
    subject.dispatchEvent(new Event("change", { bubbles: true }));
    var said = box.getAttribute("data-chosen");
    status.textContent = said + (said.slice(-1) === "\uFF1A" ? "" : " ") + button.getAttribute("data-name");
    mark();
  }

  function show(suggestions) {
    list.textContent = "";
    status.textContent = "";
    suggestions.forEach(function (s) {
      if (!subject.querySelector('option[value="' + s.id + '"]')) { return; }  // not offered on this form
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.value = String(s.id);
      button.setAttribute("data-name", s.name);
      button.title = s.parent ? s.parent + " › " + s.name : s.name;
      var name = document.createElement("span");
      name.textContent = s.name;
      var score = document.createElement("span");
      score.className = "score";
      score.textContent = Math.round(s.score * 100) + "%";
      button.appendChild(name);
      button.appendChild(score);
      button.addEventListener("click", function () { choose(button); });
      list.appendChild(button);
    });
    box.hidden = list.children.length === 0;
    mark();
  }

  function ask() {
    var text = description.value.trim();
    if (text.length < MIN_CHARS) { lastText = ""; hide(); return; }
    if (text === lastText) { return; }
    lastText = text;
    var mine = ++asked;
    fetch(box.getAttribute("data-url") + "?text=" + encodeURIComponent(text), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (mine !== asked) { return; }  // an older answer arriving after a newer question
      if (body && body.suggestions) { show(body.suggestions); } else { hide(); }
    }).catch(function () {
      if (mine === asked) { hide(); }  // offline or refused: the form still works without suggestions
    });
  }

  description.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, PAUSE_MS);
  });
  subject.addEventListener("change", mark);
  if (description.value.trim().length >= MIN_CHARS) { ask(); }  // the form came back with an error
})();
