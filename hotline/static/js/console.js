/* The operator's call console (templates/operator/console.html), made for the keyboard. As the operator types,
   the panels beside the form are fetched from the server as HTML fragments: the caller's history when the number
   is entered, subject suggestions, the emergency prompt and likely duplicates as the description grows, and the
   knowledge base. Enter moves on to the next field (and looks the number up); Ctrl+Enter saves; Alt+1..3 picks a
   suggested subject; Alt+K, Alt+D, Alt+P jump to the knowledge base, the duplicates and the number; Alt+N starts
   the next call. Without JavaScript the buttons "Look up" and "Search" send the form back with the same panels. */
(function () {
  "use strict";
  var form = document.getElementById("console");
  if (!form || !window.fetch) { return; }

  function byId(id) { return document.getElementById(id); }
  var phone = byId("phone"), name = byId("name"), description = byId("description"), category = byId("category_id"),
    area = byId("area_id"), address = byId("location_text"), confidential = byId("confidential"), q = byId("q"),
    save = byId("save"), nextCall = byId("next-call");
  var callerPanel = byId("caller-panel"), suggestBox = byId("console-suggest"), emergencyBox = byId("console-emergency"),
    duplicatesBox = byId("console-duplicates"), knowledgeBox = byId("console-knowledge");
  var suggestList = suggestBox.querySelector(".suggestions-list");
  var suggestStatus = suggestBox.querySelector(".suggestions-status");
  var areaStatus = form.querySelector(".area-status");
  var urls = form.dataset;

  var asked = {};  // per panel, the last request made: an older answer arriving late is dropped
  var submitting = false, lastPhone = null, lastText = null, areaAuto = false, knowledgeTyped = false;
  var timers = {};

  function later(key, fn, ms) {
    clearTimeout(timers[key]);
    timers[key] = setTimeout(fn, ms);
  }

  function load(key, url, params, target, done) {
    var mine = (asked[key] = (asked[key] || 0) + 1);
    var query = Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k] || "");
    }).join("&");
    fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok || response.status === 422, text: text }; });
      })
      .then(function (answer) {
        if (mine !== asked[key] || !answer.ok) { return; }
        target.innerHTML = answer.text;  // our own server's template, escaped there
        if (done) { done(); }
      })
      .catch(function () { /* offline: the form still saves without the panels */ });
  }

  function checked(nameOf) {
    var input = form.querySelector("input[name=" + nameOf + "]:checked");
    return input ? input.value : "";
  }

  // --- the caller -------------------------------------------------------------------------------------------
  function lookUp(force) {
    var value = phone.value.trim();
    if (value === lastPhone && !force) { return; }
    lastPhone = value;
    if (!value) { callerPanel.innerHTML = ""; return; }
    load("caller", urls.callerUrl, { phone: value }, callerPanel);
    duplicates();
  }

  // --- what the description suggests --------------------------------------------------------------------------
  function markSuggestions() {
    Array.prototype.forEach.call(suggestList.querySelectorAll(".suggestion"), function (button) {
      button.setAttribute("aria-pressed", button.value === category.value ? "true" : "false");
    });
  }

  function chooseSuggestion(button) {
    if (!button) { return; }
    category.value = button.value;
    category.dispatchEvent(new Event("change", { bubbles: true }));
    var said = urls.chosen;
    suggestStatus.textContent = said + (said.slice(-1) === "\uFF1A" ? "" : " ") + button.getAttribute("data-name");
    markSuggestions();
  }

  function suggest(text) {
    if (text.length < 4) { suggestBox.hidden = true; suggestList.textContent = ""; return; }
    load("suggest", urls.suggestUrl, { text: text }, suggestList, function () {
      Array.prototype.forEach.call(suggestList.querySelectorAll(".suggestion"), function (button) {
        if (!category.querySelector('option[value="' + button.value + '"]')) { button.remove(); }
      });
      suggestBox.hidden = suggestList.children.length === 0;
      suggestStatus.textContent = "";
      markSuggestions();
    });
  }

  function emergency() {
    load("emergency", urls.emergencyUrl, { text: description.value, urgency: checked("urgency") }, emergencyBox,
      function () {
        var prompt = emergencyBox.querySelector(".emergency");
        if (prompt && prompt.scrollIntoView) { prompt.scrollIntoView({ block: "nearest" }); }  // never below the fold
      });
  }

  function duplicates() {
    later("duplicates", function () {
      load("duplicates", urls.duplicatesUrl, {
        phone: phone.value.trim(), category_id: category.value, area_id: area.value,
        text: (description.value + " " + address.value).trim()
      }, duplicatesBox);
    }, 150);
  }

  function knowledge(text) {
    if (!text) { knowledgeBox.innerHTML = ""; return; }
    load("knowledge", urls.knowledgeUrl, { q: text.slice(0, 200) }, knowledgeBox);
  }

  function analyse() {
    var text = description.value.trim();
    if (text === lastText) { return; }
    lastText = text;
    suggest(text);
    emergency();
    duplicates();
    if (checked("kind") === "consult" && !knowledgeTyped) { knowledge(text); }
  }

  // --- the area, from the address when the operator has not chosen one ------------------------------------------
  function areaFromWords() {
    if (area.value && !areaAuto) { return; }
    var text = address.value + " " + description.value;
    var found = null, district = null;
    Array.prototype.forEach.call(area.querySelectorAll("optgroup"), function (group) {
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option, i) {
        if (!found && i > 0 && text.indexOf(option.textContent.trim()) >= 0) { found = option; }
      });
      if (!district && text.indexOf(group.label) >= 0) { district = group.querySelector("option"); }
    });
    found = found || district;
    if (!found || found.value === area.value) { return; }
    area.value = found.value;
    areaAuto = true;
    areaStatus.textContent = urls.areaSaid + " " + found.parentNode.label + " " + found.textContent.trim();
    duplicates();
  }

  // --- moving through the form with Enter -----------------------------------------------------------------
  function stops() {
    var kind = form.querySelector("input[name=kind]:checked") || form.querySelector("input[name=kind]");
    var urgency = form.querySelector("input[name=urgency]:checked") || form.querySelector("input[name=urgency]");
    return [phone, name, kind, description, category, address, area, urgency, confidential, save];
  }

  function next(from) {
    var list = stops();
    var at = list.indexOf(from);
    if (at < 0 && from.type === "radio") {
      at = list.findIndex(function (el) { return el && el.name === from.name; });
    }
    if (at >= 0 && list[at + 1]) { list[at + 1].focus(); }
  }

  function saveNow() {
    if (submitting) { return; }
    form.requestSubmit(save);
  }

  // --- wiring -------------------------------------------------------------------------------------------------
  phone.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      lookUp(false);
      name.focus();
    }
  });
  phone.addEventListener("change", function () { lookUp(false); });
  description.addEventListener("input", function () { later("analyse", analyse, 500); later("area", areaFromWords, 500); });
  address.addEventListener("input", function () { later("area", areaFromWords, 300); duplicates(); });
  category.addEventListener("change", function () { markSuggestions(); duplicates(); });
  area.addEventListener("change", function (e) {
    if (e.isTrusted) { areaAuto = false; areaStatus.textContent = ""; }
    duplicates();
  });
  form.addEventListener("change", function (e) {
    if (e.target.name === "urgency") { emergency(); }
    if (e.target.name === "kind" && e.target.value === "consult" && !knowledgeTyped) { knowledge(description.value.trim()); }
  });
  suggestList.addEventListener("click", function (e) { chooseSuggestion(e.target.closest(".suggestion")); });
  q.addEventListener("input", function () {
    knowledgeTyped = q.value.trim() !== "";
    later("knowledge", function () { knowledge(q.value.trim()); }, 400);
  });
  q.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) { e.preventDefault(); knowledge(q.value.trim()); }
  });

  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || t === phone || t === q) { return; }
    if (t.tagName === "INPUT" || t.tagName === "SELECT") {  // not a submit: the next field, as a call goes on
      e.preventDefault();
      next(t);
    }
  });

  form.addEventListener("submit", function (e) {
    var by = e.submitter;
    if (by && by.getAttribute("data-role") === "lookup") { e.preventDefault(); lookUp(true); return; }
    if (by && by.getAttribute("data-role") === "search") { e.preventDefault(); knowledgeTyped = true; knowledge(q.value.trim()); return; }
    if (submitting) { e.preventDefault(); return; }  // a second Ctrl+Enter while the first is on its way
    submitting = true;
  });

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); saveNow(); return; }
    if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
    var digit = /^Digit([1-3])$/.exec(e.code);
    if (digit) {
      e.preventDefault();
      var picked = suggestList.querySelector('.suggestion[data-key="' + digit[1] + '"]');
      if (picked) { chooseSuggestion(picked); address.focus(); }  // the subject chosen, the call goes on: where?
    } else if (e.code === "KeyK") {
      e.preventDefault(); q.focus(); q.select();
    } else if (e.code === "KeyD") {
      e.preventDefault();
      var first = duplicatesBox.querySelector("button, a");
      if (first) { first.focus(); }
    } else if (e.code === "KeyP") {
      e.preventDefault(); phone.focus(); phone.select();
    } else if (e.code === "KeyN") {
      e.preventDefault(); window.location.href = nextCall.href;
    }
  });

  // The page came back (an error, or a case made from a text or voice message): the panels for what is there.
  if (phone.value.trim()) {
    lastPhone = phone.value.trim();
    if (!callerPanel.innerHTML.trim()) { lookUp(true); }
  }
  if (description.value.trim()) { lastText = null; analyse(); }
  if (q.value.trim()) { knowledgeTyped = true; }
  var invalid = form.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
})();
