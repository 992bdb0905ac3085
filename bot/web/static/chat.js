// Loa Xã web chat: posts messages, renders replies with their buttons, polls for news.
(function () {
  "use strict";
  var unit = document.body.dataset.unit;
  var kiosk = document.body.dataset.kiosk === "1";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var lastId = 0;
  var idleTimer = null;
  var lastTouch = Date.now();
  var generation = 0; // bumped by a kiosk reset: late answers of the old session are dropped
  var KIOSK_IDLE_MS = (parseInt(document.body.dataset.idle, 10) || 120) * 1000;
  var COUNTDOWN_MS = 15000;
  var countdown = document.getElementById("countdown");
  var countdownS = document.getElementById("countdown-s");
  var base = "/chat/api/" + encodeURIComponent(unit);

  function newId() {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var CODE = /PA-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/g;
  var icons = window.LoaxaIcons || { append: function (p, t) { p.appendChild(document.createTextNode(t)); } };

  // Text with emoji drawn as icons; in the bot's messages a tracking code is highlighted and
  // copied with one tap (on the code or on its "Chép mã" button).
  function appendText(parent, text, withCodes) {
    if (!withCodes) { icons.append(parent, text); return; }
    var last = 0;
    text.replace(CODE, function (code, offset) {
      icons.append(parent, text.slice(last, offset));
      parent.appendChild(codeChip(code));
      last = offset + code.length;
      return code;
    });
    icons.append(parent, text.slice(last));
  }

  function codeChip(code) {
    var wrap = document.createElement("span");
    wrap.className = "code";
    var value = document.createElement("span");
    value.className = "code-value";
    value.textContent = code;
    value.title = "Bấm để chép mã";
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "copy";
    copy.textContent = "Chép mã";
    copy.setAttribute("aria-label", "Chép mã " + code);
    function done() {
      copy.textContent = "Đã chép";
      setTimeout(function () { copy.textContent = "Chép mã"; }, 2500);
    }
    function doCopy() { copyText(code).then(done, function () { selectText(value); }); }
    value.addEventListener("click", doCopy);
    copy.addEventListener("click", doCopy);
    wrap.appendChild(value);
    wrap.appendChild(copy);
    return wrap;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) { // plain http on a local network
      var area = document.createElement("textarea");
      area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy")); }
    });
  }

  function selectText(node) { // copying refused: select the code so a long press copies it
    var range = document.createRange(); range.selectNodeContents(node);
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  }

  function buttonEl(b) {
    var el;
    if (b.kind === "url") {
      el = document.createElement("a"); el.href = b.url; el.target = "_blank"; el.rel = "noopener";
    } else if (b.kind === "call") {
      el = document.createElement("a"); el.href = "tel:" + b.phone;
    } else {
      el = document.createElement("button"); el.type = "button"; el.className = "act";
      el.addEventListener("click", function () {
        retire(null); // one press: this keyboard is used up (the server also ignores stale ones)
        if (b.payload === "pakn:loc") { shareLocation(b.label); return; }
        send({ payload: b.payload }, b.label);
      });
    }
    icons.append(el, b.label);
    return el;
  }

  // "📍 Gửi vị trí" in the PAKN form: the browser asks the citizen's permission; only on this
  // click, never in the background. A refusal or no GPS sends pakn:loc:off (the bot explains).
  function shareLocation(label) {
    if (!navigator.geolocation) { send({ payload: "pakn:loc:off" }, label); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var c = pos.coords;
      send({ location: { lat: c.latitude, lon: c.longitude, accuracy: c.accuracy } }, label);
    }, function () {
      send({ payload: "pakn:loc:off" }, label);
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  // Only the newest message's buttons can be pressed; older choices are shown, inactive.
  function retire(keep) {
    Array.prototype.forEach.call(log.querySelectorAll("button.act"), function (el) {
      if (!keep || !keep.contains(el)) { el.disabled = true; el.setAttribute("aria-disabled", "true"); }
    });
  }

  function revive() {
    var outs = log.querySelectorAll(".msg.out");
    if (!outs.length) return;
    Array.prototype.forEach.call(outs[outs.length - 1].querySelectorAll("button.act"), function (el) {
      el.disabled = false; el.removeAttribute("aria-disabled");
    });
  }

  function render(m) {
    if (m.id <= lastId) return null;
    lastId = m.id;
    var div = document.createElement("div");
    div.className = "msg " + (m.direction === "in" ? "in" : "out");
    div.dataset.id = m.id;
    var text = m.text || (m.payload ? "…" : "");
    if (m.direction === "in" && m.kind === "attachment") text = "📎 Đã gửi tệp" + (m.text ? ": " + m.text : "");
    if (kiosk && m.direction === "in") text = maskPersonal(text);
    appendText(div, text, m.direction === "out");
    var buttons = (m.direction === "out" && m.buttons) || [];
    var primary = buttons.filter(function (b) { return !b.compact; });
    var compact = buttons.filter(function (b) { return b.compact; });
    [[primary, "buttons"], [compact, "chips"]].forEach(function (pair) {
      if (!pair[0].length) return;
      var box = document.createElement("div");
      box.className = pair[1];
      pair[0].forEach(function (b) { box.appendChild(buttonEl(b)); });
      div.appendChild(box);
    });
    log.appendChild(div);
    retire(div);
    if (m.direction === "out") offerPhotos(buttons);
    return div;
  }

  // The photo buttons show while the PAKN form asks for photos (its "Bỏ qua"/"Xong" button
  // says pakn:skip; the area step, which also has one, lists pakn:area: choices).
  var photos = document.getElementById("photos");
  function offerPhotos(buttons) {
    if (!photos) return;
    var payloads = buttons.map(function (b) { return b.payload || ""; });
    photos.hidden = !(payloads.indexOf("pakn:skip") >= 0 &&
      !payloads.some(function (p) { return p.indexOf("pakn:area:") === 0; }));
  }

  function upload(file) {
    var form = new FormData();
    form.append("id", newId());
    form.append("after", String(lastId));
    form.append("caption", input.value.slice(0, 1000));
    form.append("file", file, file.name || "anh.jpg");
    input.value = "";
    var div = document.createElement("div"); div.className = "msg in pending"; icons.append(div, "📎 Đang gửi tệp…"); log.appendChild(div);
    reveal(div);
    var gen = generation;
    return fetch(base + "/upload", { method: "POST", credentials: "same-origin", body: form })
      .then(function (r) {
        if (r.ok) return r.json();
        return r.json().catch(function () { return {}; }).then(function (b) {
          var e = new Error(r.status); e.shown = b && b.error; throw e;
        });
      })
      .then(current(gen, function (data) { div.remove(); showAll(data); }))
      .catch(function (e) {
        div.remove();
        showError((e && e.shown) || "Không gửi được ảnh. Ông/bà kiểm tra mạng rồi thử lại.");
      });
  }
  ["photo-camera", "photo-pick"].forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    el.addEventListener("change", function () {
      var file = el.files && el.files[0];
      el.value = "";
      if (file) upload(file);
    });
  });

  // Keep the start of the new answer in view: to the bottom, unless that would scroll the
  // first line of the bot's first new message out of sight (a long answer, many buttons).
  function reveal(first) {
    if (!first) return;
    var bottom = log.scrollHeight - log.clientHeight;
    log.scrollTop = Math.max(0, Math.min(bottom, first.offsetTop - 8));
  }

  // Kiosk: a phone number typed by the visitor is not left readable on a public screen.
  function maskPersonal(text) {
    return text.replace(/\+?\d[\d .-]{6,}\d/g, function (num) {
      var digits = num.replace(/\D/g, "");
      return new Array(digits.length - 1).join("•") + digits.slice(-2);
    });
  }

  function current(gen, fn) {
    return function (data) { if (gen === generation) fn(data); };
  }

  function showAll(data, initial) {
    var first = null, last = null, lastOut = null;
    (data.messages || []).forEach(function (m) {
      if (m.direction === "in" && (!m.text || m.text === "/start")) {
        lastId = Math.max(lastId, m.id); // button presses were echoed as their label
        return;
      }
      var div = render(m);
      if (div && m.direction === "out") { first = first || div; lastOut = div; }
      if (div) last = div;
    });
    reveal((initial ? lastOut : first) || last); // a reloaded page: the latest answer
  }

  function showError(text) {
    var p = document.createElement("p"); p.className = "error"; p.textContent = text; log.appendChild(p);
    reveal(p);
  }

  function send(body, echo) {
    body.id = newId();
    body.after = lastId;
    if (echo && (body.payload || body.location)) {
      var div = document.createElement("div"); div.className = "msg in"; icons.append(div, echo); log.appendChild(div);
      reveal(div);
    }
    touch();
    var gen = generation;
    return fetch(base + "/send", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) return r.json();
      // Refusals (too long, too fast) carry a text to show; anything else is a network error.
      return r.json().catch(function () { return {}; }).then(function (b) {
        var e = new Error(r.status); e.shown = b && b.error; throw e;
      });
    }).then(current(gen, showAll)).catch(function (e) {
      revive(); // not sent: the newest buttons can be pressed again
      showError((e && e.shown) || "Không gửi được. Ông/bà kiểm tra mạng rồi thử lại.");
    });
  }

  var pollPausedUntil = 0; // after a 429: the server's Retry-After

  function poll() {
    if (Date.now() < pollPausedUntil) return;
    var gen = generation;
    fetch(base + "/messages?after=" + lastId, { credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 429) {
          var wait = parseInt(r.headers.get("Retry-After"), 10) || 30;
          pollPausedUntil = Date.now() + 1000 * wait;
        }
        return r.ok ? r.json() : { messages: [] };
      })
      .then(current(gen, showAll)).catch(function () {});
  }

  function touch() {
    if (!kiosk) return;
    lastTouch = Date.now();
    if (countdown) countdown.hidden = true;
  }

  // Kiosk: clear the screen and start a new session (the server issues a new cookie), so the
  // next visitor cannot scroll back to the previous one's conversation.
  function resetKiosk() {
    generation += 1;
    lastId = 0;
    log.textContent = "";
    input.value = "";
    if (countdown) countdown.hidden = true;
    lastTouch = Date.now();
    fetch(base + "/reset", { method: "POST", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); })
      .then(function () { send({ text: "/start" }); })
      .catch(function () { window.location.reload(); });
  }

  function tick() {
    var left = KIOSK_IDLE_MS - (Date.now() - lastTouch);
    if (left <= 0) { resetKiosk(); return; }
    if (countdown && left <= COUNTDOWN_MS) {
      countdownS.textContent = String(Math.ceil(left / 1000));
      countdown.hidden = false;
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    send({ text: text }); // the server echoes the message back in order, with its id
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });

  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) input.value = asked.slice(0, 500); // from a printed FAQ card: the visitor taps Gửi

  fetch(base + "/messages?after=0", { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.messages || !data.messages.length) { send({ text: "/start" }); } else { showAll(data, true); }
    });
  setInterval(poll, 5000);
  if (kiosk) {
    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, touch, { passive: true });
    });
    var restart = document.getElementById("restart");
    if (restart) restart.addEventListener("click", resetKiosk);
    setInterval(tick, 1000);
  }
  touch();
})();
