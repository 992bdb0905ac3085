/* What waits (console): polls waiting.json to refresh the menu badges and the counts on the
   page, and — once the user has allowed it with a click — shows a browser notification when
   more work arrives. Notifications carry counts only: no name, no citizen's words. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) { return; }
  var url = script.getAttribute("data-url");
  var every = Math.max(2, parseInt(script.getAttribute("data-poll"), 10) || 60) * 1000;
  var KEY = "loaxa.waiting.total";
  var toggle = document.getElementById("notify-toggle");
  var canNotify = "Notification" in window;

  function setBadges(badges) {
    Object.keys(badges).forEach(function (route) {
      var el = document.querySelector('[data-badge="' + route + '"]');
      if (!el) { return; }
      el.textContent = String(badges[route]);
      el.hidden = !badges[route];
    });
  }

  function setCounts(counts) {
    Object.keys(counts).forEach(function (name) {
      var el = document.querySelector('[data-count="' + name + '"]');
      if (el) { el.textContent = String(counts[name]); }
    });
  }

  function notify(total, before) {
    if (!canNotify || Notification.permission !== "granted") { return; }
    var more = total - before;
    var n = new Notification("Loa Xã", {
      body: "Có " + more + " việc mới đang chờ (tổng " + total + ").",
      tag: "loaxa-waiting",
      icon: "/favicon.ico"
    });
    n.onclick = function () { window.focus(); window.location.href = "/console/"; };
  }

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        setBadges(data.badges);
        setCounts(data.counts);
        var total = data.counts.total;
        var before = parseInt(sessionStorage.getItem(KEY), 10);
        if (!isNaN(before) && total > before) { notify(total, before); }
        sessionStorage.setItem(KEY, String(total));
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function showToggle() {
    if (!toggle || !canNotify) { return; }
    toggle.hidden = Notification.permission !== "default";
  }

  if (toggle && canNotify) {
    toggle.addEventListener("click", function () {
      // Asked only on a click, as browsers require.
      Notification.requestPermission().then(function () { showToggle(); });
    });
  }
  showToggle();
  check();
  window.setInterval(check, every);
}());
