// aidmap serve: reloads the page after a rebuild and shows content errors over it.
// Served only by `aidmap serve` (never part of a built site). An external file, not an
// inline script, so it runs under the site's Content-Security-Policy (script-src 'self').
// Styles are set through the CSSOM, which style-src 'self' allows.
(function () {
  "use strict";
  var build = null;
  var page = null;
  var OVERLAY = "aidmap-errors";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.parentNode.removeChild(old);
  }

  function showOverlay(text) {
    removeOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    var s = box.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0";
    s.maxHeight = "80vh"; s.overflow = "auto"; s.zIndex = "2147483647";
    s.background = "#fff4f4"; s.color = "#1a1a1a"; s.borderBottom = "4px solid #b00020";
    s.padding = "1rem"; s.font = "14px/1.4 monospace"; s.boxShadow = "0 2px 12px rgba(0,0,0,.3)";
    var title = document.createElement("strong");
    title.textContent = "aidmap: the site could not be rebuilt. You are seeing the last good version.";
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap"; pre.style.margin = "0.5rem 0 0";
    pre.textContent = text;
    box.appendChild(title);
    box.appendChild(pre);
    document.body.appendChild(box);
  }

  function get(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.onloadend = function () {
      var r = null;
      if (xhr.status === 200) { try { r = JSON.parse(xhr.responseText); } catch (e) { r = null; } }
      done(r);
    };
    xhr.send();
  }

  function checkErrors(reloadIfClean) {
    get("/__aidmap/errors", function (r) {
      if (!r) return;
      if (r.ok) {
        if (reloadIfClean) location.reload(); else removeOverlay();
      } else {
        showOverlay(r.text);
      }
    });
  }

  // Asks for the latest build and the build in which this page last changed: a
  // rebuild that left this page as it was updates the overlay without reloading.
  function poll() {
    get("/__aidmap/events" + location.pathname, function (r) {
      if (r) {
        if (build !== null && r.build !== build) checkErrors(r.page !== page);
        build = r.build;
        page = r.page;
      }
      setTimeout(poll, r ? 250 : 2000);
    });
  }

  checkErrors(false);
  poll();
})();
