// Loa Xã web chat icons: the emoji of the bot's texts drawn as inline SVG, so the page does not
// depend on an emoji font (many computers and kiosks have none and show boxes). Telegram and
// Zalo keep the emoji: phones have the fonts. Unknown emoji are dropped; the words stay.
(function () {
  "use strict";
  var S = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"';
  var PHONE = '<path ' + S + ' d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"/>';
  var PENCIL = '<path ' + S + ' d="M16 3l5 5L8 21H3v-5z"/>';
  var BELL = '<path ' + S + ' d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0"/>';
  var THUMB = '<path ' + S + ' d="M7 11v10H3V11zM7 11l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.3 7A2 2 0 0 1 18.2 21H7"/>';
  var PERSON = '<circle ' + S + ' cx="12" cy="7" r="4"/><path ' + S + ' d="M4 21a8 8 0 0 1 16 0"/>';
  var CROSS = '<path fill="none" stroke="#c62828" stroke-width="2.6" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/>';
  var DOC = '<path ' + S + ' d="M6 2h8l5 5v15H6zM14 2v5h5M9 13h7M9 17h7"/>';
  var ICONS = {
    "✅": '<rect x="2.5" y="2.5" width="19" height="19" rx="4" fill="#2e7d32"/><path fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round" d="M7 12.5l3.2 3.2L17 9"/>',
    "✔": '<path fill="none" stroke="#2e7d32" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" d="M4 12.5l5 5L20 7"/>',
    "⬜": '<rect x="3.5" y="3.5" width="17" height="17" rx="4" fill="#fff" stroke="currentColor" stroke-width="2"/>',
    "❓": '<circle ' + S + ' cx="12" cy="12" r="10"/><path ' + S + ' d="M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01"/>',
    "📝": PENCIL, "✏": PENCIL, "✍": PENCIL,
    "🔎": '<circle ' + S + ' cx="11" cy="11" r="7"/><path ' + S + ' d="M16.5 16.5L21 21"/>',
    "🔔": BELL,
    "🔕": BELL + '<path ' + S + ' d="M3 3l18 18"/>',
    "📞": PHONE, "🚒": PHONE, "🚑": PHONE, "🚓": PHONE,
    "📵": PHONE + '<path ' + S + ' d="M3 3l18 18"/>',
    "🌐": '<circle ' + S + ' cx="12" cy="12" r="10"/><path ' + S + ' d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20"/>',
    "☰": '<path ' + S + ' d="M4 6h16M4 12h16M4 18h16"/>',
    "🙋": PERSON, "🧑‍💼": PERSON,
    "👍": THUMB,
    "👎": '<g transform="rotate(180 12 12)">' + THUMB + '</g>',
    "⭐": '<path fill="#f9a825" stroke="#f57f17" stroke-width="1" stroke-linejoin="round" d="M12 2l3 6.9 7.5.7-5.7 5 1.7 7.4L12 18.1 5.5 22l1.7-7.4-5.7-5 7.5-.7z"/>',
    "⬅": '<path ' + S + ' d="M20 12H4M10 6l-6 6 6 6"/>',
    "➡": '<path ' + S + ' d="M4 12h16M14 6l6 6-6 6"/>',
    "⏭": '<path ' + S + ' d="M4 12h13M12 6l6 6-6 6M21 5v14"/>',
    "↩": '<path ' + S + ' d="M9 14L4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3"/>',
    "❌": CROSS, "⛔": CROSS,
    "⚠": '<path fill="none" stroke="#e65100" stroke-width="2" stroke-linejoin="round" d="M12 3L2 21h20z"/><path stroke="#e65100" stroke-width="2.4" stroke-linecap="round" d="M12 10v5M12 18h.01"/>',
    "🔒": '<rect ' + S + ' x="4" y="11" width="16" height="10" rx="2"/><path ' + S + ' d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "📍": '<path ' + S + ' d="M12 22s7-7 7-12a7 7 0 0 0-14 0c0 5 7 12 7 12z"/><circle ' + S + ' cx="12" cy="10" r="2.5"/>',
    "📄": DOC, "🗂": DOC, "📥": DOC, "📤": DOC,
    "💬": '<path ' + S + ' d="M21 12a8 8 0 0 1-11.6 7.1L3 21l1.9-6.4A8 8 0 1 1 21 12z"/>',
    "🗑": '<path ' + S + ' d="M3 6h18M8 6V4h8v2M6 6l1 15h10l1-15"/>'
  };
  var EMOJI = /(\u2630|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*\uFE0F?)/gu;

  function key(emoji) {
    var plain = emoji.replace(/\uFE0F/g, "");
    return ICONS[plain] ? plain : null;
  }

  function icon(name) {
    var span = document.createElement("span");
    span.className = "icon";
    span.setAttribute("aria-hidden", "true");
    span.innerHTML = '<svg viewBox="0 0 24 24" width="1.15em" height="1.15em">' + ICONS[name] + "</svg>";
    return span;
  }

  // Append `text` to `parent`, emoji drawn as icons (or dropped), other text as text nodes.
  function append(parent, text) {
    var last = 0;
    text.replace(EMOJI, function (match, _g, offset) {
      var before = text.slice(last, offset);
      var name = key(match);
      if (!name) before = before.replace(/ $/, ""); // "🛠️ Text": no stray space
      if (before) parent.appendChild(document.createTextNode(before));
      if (name) parent.appendChild(icon(name));
      last = offset + match.length;
      if (!name && text.charAt(last) === " " && !before) last += 1;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  window.LoaxaIcons = { append: append, pattern: EMOJI };
})();
