/* Submission forms (form[data-upload]) with a visible upload progress bar.
 *
 * The form is sent with XMLHttpRequest and FormData, so that upload.onprogress can
 * move the <progress> element. The server answers such a request (header
 * X-Requested-With: XMLHttpRequest) with JSON: {redirect: url} once saved, or
 * {errors: {field: [message, ...]}} ("__all__" for the whole form), which are shown
 * next to the fields; what was typed stays in the form. Without JavaScript the form
 * posts as usual. Readable texts come from the page (data-* attributes), translated.
 */
(function () {
  "use strict";

  function clearErrors(form) {
    form.querySelectorAll(".errorlist").forEach(function (list) { list.remove(); });
  }

  function showErrors(form, errors) {
    clearErrors(form);
    Object.keys(errors).forEach(function (name) {
      var box = form.querySelector('[data-field="' + name + '"]') ||
        form.querySelector('[data-field="__all__"]');
      var list = document.createElement("ul");
      list.className = "errorlist";
      errors[name].forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      box.prepend(list);
    });
    var first = form.querySelector(".errorlist");
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  function tooLarge(form) {
    var limit = Number(form.dataset.maxBytes);
    var input = form.querySelector('input[type="file"]');
    if (!limit || !input) { return null; }
    for (var i = 0; i < input.files.length; i += 1) {
      if (input.files[i].size > limit) {
        return form.dataset.tooLarge.replace("%(name)s", input.files[i].name);
      }
    }
    return null;
  }

  function send(form, event) {
    event.preventDefault();
    var oversized = tooLarge(form);
    if (oversized) {
      showErrors(form, {files: [oversized]});
      return;
    }
    var button = form.querySelector('button[type="submit"]');
    var box = form.querySelector(".upload-progress");
    var bar = box.querySelector("progress");
    var label = box.querySelector("output");

    function show(percent) {
      bar.value = percent;
      bar.textContent = label.textContent = percent + " %";
    }

    function finish() {
      button.disabled = false;
      box.hidden = true;
    }

    function failed() {
      showErrors(form, {__all__: [form.dataset.failed]});
      finish();
    }

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.responseType = "json";
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { show(Math.floor((100 * e.loaded) / e.total)); }
    };
    xhr.onload = function () {
      var body = xhr.response || {};
      if (body.redirect) {
        show(100);
        window.location.assign(body.redirect);
      } else if (body.errors) {
        showErrors(form, body.errors);
        finish();
      } else {
        failed();
      }
    };
    xhr.onerror = failed;
    clearErrors(form);
    show(0);
    box.hidden = false;
    button.disabled = true;
    xhr.send(new FormData(form));
  }

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (event) { send(form, event); });
  });
})();
