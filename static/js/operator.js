// The operator console; every page works without this script.
(function () {
  "use strict";
  // A recording Twilio could not deliver: say so beside the player, instead of
  // leaving a silent, greyed-out control.
  document.querySelectorAll(".player audio").forEach(function (audio) {
    audio.addEventListener("error", function () {
      var message = audio.parentElement.querySelector(".player-error");
      if (message) { message.hidden = false; }
    });
  });

  // The call-back and note forms send once per click.
  document.querySelectorAll(".callback-form, .note-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
