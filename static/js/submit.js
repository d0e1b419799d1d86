// Progressive enhancement for the submission form; it works without this script.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form) { return; }

  // Show the business fields only for a business.
  var business = document.getElementById("business-fields");
  function syncReporter() {
    var checked = form.querySelector("input[name=reporter_type]:checked");
    business.hidden = !(checked && checked.value === "business");
  }
  form.querySelectorAll("input[name=reporter_type]").forEach(function (el) {
    el.addEventListener("change", syncReporter);
  });
  syncReporter();

  // Offer only the procedures of the chosen field.
  var category = document.getElementById("category");
  var procedure = document.getElementById("procedure");
  function syncProcedures() {
    var chosen = category.value;
    procedure.querySelectorAll("optgroup").forEach(function (group) {
      var show = !chosen || group.dataset.category === chosen;
      group.hidden = !show;
      group.disabled = !show;
    });
    var selected = procedure.selectedOptions[0];
    if (selected && selected.parentElement.disabled) { procedure.value = ""; }
  }
  category.addEventListener("change", syncProcedures);
  syncProcedures();

  // Move focus to the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // One click sends once.
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
