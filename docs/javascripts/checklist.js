// "Is it right for you?": shows the one outcome that matches how many boxes are ticked.
// Without JavaScript every outcome stays visible, each introduced by its condition.
(function () {
  "use strict";

  function bind(form) {
    const outcomes = [...form.querySelectorAll(".checklist__outcome")];
    // No verdict before the reader has answered anything.
    const update = (answered) => {
      const ticked = form.querySelectorAll('input[type="checkbox"]:checked').length;
      outcomes.forEach((outcome) => {
        outcome.hidden = !answered ||
          !(ticked >= Number(outcome.dataset.min) && ticked <= Number(outcome.dataset.max));
      });
    };
    form.addEventListener("change", () => update(true));
    form.addEventListener("submit", (event) => event.preventDefault());
    update(form.querySelectorAll('input[type="checkbox"]:checked').length > 0);
  }

  function init() {
    document.querySelectorAll("form[data-checklist]").forEach(bind);
  }

  // Instant navigation is off, so each page loads whole and this runs once per page.
  document.addEventListener("DOMContentLoaded", init);
})();
