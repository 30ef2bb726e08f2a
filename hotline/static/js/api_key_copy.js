/* The page that shows a new API key once: a "Copy" button that puts the key on the clipboard. Without
   JavaScript (or a clipboard) the button stays hidden and the key, selectable in one tap, is copied by hand. */
(function () {
  "use strict";

  function copyKey(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (status) { status.textContent = button.getAttribute("data-done"); }
    }, function () {
      if (status) { status.textContent = button.getAttribute("data-failed"); }
    });
  }

  function init() {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copyKey(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
