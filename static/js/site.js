/* Behaviour every page shares. Loaded from base.html; no inline handlers, so that the
 * Content-Security-Policy can refuse inline script.
 *
 * select[data-autosubmit]: choosing an option sends the select's form (the language
 * switcher). Without JavaScript the form's own button sends it.
 *
 * button[data-copy]: copies the value of the input it names (its id) to the clipboard
 * and says so for a moment (data-copied). It stays hidden where the clipboard cannot be
 * written; the read-only input still holds the text to copy by hand.
 */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () { input.select(); });
    });
  });
})();
