/* "Add row" buttons (button[data-add-row="prefix"]) of a Django formset: each copies the
 * formset's empty row (template[data-empty="prefix"]) into its rows
 * (tbody[data-rows="prefix"]) and counts it in the management form. Without JavaScript
 * the buttons stay hidden and the blank rows already on the page still work.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = parseInt(document.getElementById("id_" + prefix + "-MAX_NUM_FORMS").value, 10);
    var rows = document.querySelector('[data-rows="' + prefix + '"]');
    var empty = document.querySelector('[data-empty="' + prefix + '"]');
    function refresh() { button.disabled = parseInt(total.value, 10) >= max; }
    button.hidden = false;
    refresh();
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (index >= max) { return; }
      rows.insertAdjacentHTML("beforeend", empty.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      refresh();
    });
  });
})();
