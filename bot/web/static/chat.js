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

  function render(m) {
    if (m.id <= lastId) return;
    lastId = m.id;
    var div = document.createElement("div");
    div.className = "msg " + (m.direction === "in" ? "in" : "out");
    div.dataset.id = m.id;
    var text = m.text || (m.payload ? "…" : "");
    if (kiosk && m.direction === "in") text = maskPersonal(text);
    div.appendChild(document.createTextNode(text));
    if (m.direction === "out" && m.buttons && m.buttons.length) {
      var box = document.createElement("div");
      box.className = "buttons";
      m.buttons.forEach(function (b) {
        var el;
        if (b.kind === "url") {
          el = document.createElement("a"); el.href = b.url; el.target = "_blank"; el.rel = "noopener";
        } else if (b.kind === "call") {
          el = document.createElement("a"); el.href = "tel:" + b.phone;
        } else {
          el = document.createElement("button"); el.type = "button";
          el.addEventListener("click", function () { send({ payload: b.payload }, b.label); });
        }
        el.textContent = b.label;
        box.appendChild(el);
      });
      div.appendChild(box);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
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

  function showAll(data) {
    (data.messages || []).forEach(function (m) {
      if (m.direction === "in" && ((m.payload && !m.text) || m.text === "/start")) {
        lastId = Math.max(lastId, m.id); // button presses were echoed as their label
        return;
      }
      render(m);
    });
  }

  function showError(text) {
    var p = document.createElement("p"); p.className = "error"; p.textContent = text; log.appendChild(p);
  }

  function send(body, echo) {
    body.id = newId();
    body.after = lastId;
    if (echo && body.payload) {
      var div = document.createElement("div"); div.className = "msg in"; div.textContent = echo; log.appendChild(div);
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
      if (!data.messages || !data.messages.length) { send({ text: "/start" }); } else { showAll(data); }
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
