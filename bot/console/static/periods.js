/* Period pickers (dashboard, reports): show only the month, quarter or half-year picker that
   the chosen kind of period needs. Without JavaScript the server shows the one of the current
   kind, and the others are disabled so they are not submitted. */
(function () {
  "use strict";
  var kind = document.querySelector("select[data-period-select]");
  if (!kind) { return; }
  function update() {
    var boxes = document.querySelectorAll("[data-period-for]");
    for (var i = 0; i < boxes.length; i++) {
      var on = boxes[i].getAttribute("data-period-for").split(" ").indexOf(kind.value) >= 0;
      boxes[i].hidden = !on;
      var fields = boxes[i].querySelectorAll("select, input");
      for (var j = 0; j < fields.length; j++) { fields[j].disabled = !on; }
    }
  }
  kind.addEventListener("change", update);
  update();
})();
