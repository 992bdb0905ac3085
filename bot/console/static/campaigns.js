/* Live progress of a campaign (console): polls progress.json every few seconds, no library. */
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.getAttribute("data-live") !== "yes" || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var bar = document.getElementById("progress-bar");
  var badge = document.getElementById("campaign-state");
  var LIVE = ["scheduled", "sending", "paused"];
  var EVERY = 3000;

  // Vietnamese numbers, as the page shows them: 1.234 and 99,5
  function vn(value, decimals) {
    if (typeof value !== "number") { return String(value); }
    return value.toLocaleString("vi-VN", {
      minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 2
    });
  }

  function put(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) { el.textContent = String(value); }
  }

  function show(p) {
    if (box.getAttribute("data-started") === "no") {
      // nothing was shown before sending began: reload once it has
      if (p.total > 0) { window.location.reload(); }
      if (badge && p.status_label) { badge.textContent = p.status_label; }
      return;
    }
    put("sent", vn(p.sent));
    put("problems", vn(p.failed + p.blocked + p.dropped));
    put("left", vn(p.pending + p.inflight));
    put("total", vn(p.total));
    put("done_percent", vn(p.done_percent, 1));
    put("rate_per_sec", vn(p.rate_per_sec));
    put("eta", p.eta_seconds === null ? "–" : vn(p.eta_seconds) + " giây");
    if (bar) {
      bar.value = p.total ? p.done_percent : 0;
      bar.textContent = vn(p.done_percent, 1) + " %";
    }
    if (badge && p.status_label) { badge.textContent = p.status_label; }
    box.setAttribute("data-status", p.status);
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { window.setTimeout(tick, EVERY * 3); return; }
        show(p);
        if (LIVE.indexOf(p.status) >= 0) {
          window.setTimeout(tick, EVERY);
        } else {
          var note = document.getElementById("progress-live");
          if (note) { note.textContent = "Đã kết thúc."; }
        }
      })
      .catch(function () { window.setTimeout(tick, EVERY * 3); });
  }

  window.setTimeout(tick, EVERY);
})();
