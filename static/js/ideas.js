/* Supporting an idea without leaving the page: the support form (a plain POST that
 * works without JavaScript) is sent with fetch(), asking for JSON; the count and the
 * button follow the answer, and a refusal is shown next to the button. The count
 * wording comes from the server's template, so only the number is replaced. A form
 * with data-live (the idea's own page) also reads the count from the API every 20 s,
 * so other people's support shows without a reload.
 */
(function () {
  "use strict";

  function setCount(form, count) {
    var label = form.querySelector("[data-support-count]");
    label.textContent = label.textContent.replace(/^[\d.,\s\u00a0]+/, count + " ");
  }

  var LIVE_MS = 20000;

  document.querySelectorAll("form[data-live]").forEach(function (form) {
    window.setInterval(function () {
      if (document.hidden) { return; }
      fetch(form.getAttribute("data-live"), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (body) {
        if (body) { setCount(form, body.supports); }
      }).catch(function () {});
    }, LIVE_MS);
  });

  document.querySelectorAll("form[data-support]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter || form.querySelector("button[name=action]");
      if (!button) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.set("action", button.value);
      var error = form.querySelector("[data-support-error]");
      error.textContent = "";
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: data,
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (answer) {
        if (!answer.ok) { error.textContent = answer.body.error; return; }
        setCount(form, answer.body.count);
        var other = button.getAttribute("data-label-other");
        button.setAttribute("data-label-other", button.textContent);
        button.textContent = other;
        button.value = answer.body.supported ? "withdraw" : "support";
        button.classList.toggle("secondary", answer.body.supported);
      }).catch(function () {
        form.submit();
      }).finally(function () {
        button.disabled = false;
      });
    });
  });
})();
