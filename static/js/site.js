/* Behaviour every page shares. Loaded from base.html; no inline handlers, so that the
 * Content-Security-Policy can refuse inline script.
 *
 * select[data-autosubmit]: choosing an option sends the select's form (the language
 * switcher). Without JavaScript the form's own button sends it.
 */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
