/*
 * A long form in short steps, and a draft of what was typed (docs/design-system.md, "Forms").
 *
 * Steps: a <form data-steps> whose sections carry `data-step` shows one section at a time, with
 * "Step 2 of 5: …" in a live region (`[data-steps-progress]`) and Back / Next buttons. Next checks
 * the step's required fields in the browser; the server stays the judge. When the server answers
 * with errors, the first section with an error opens under the error summary, and a link of the
 * summary opens the section of its field. Without JavaScript the form is one page with the same
 * sections. Nothing is lost by going back and forth: the steps are only hidden, never removed.
 *
 * Draft: a <form data-draft-key="…"> keeps what was typed in this tab's sessionStorage (it
 * survives a reload but not closing the tab, so a shared phone does not keep someone's details),
 * and `data-draft-restore` puts it back into a fresh form. An element `[data-draft-clear="…"]`
 * (the "received" page) removes the draft once the registration has arrived.
 *
 * NEVER stored: any input marked `data-no-draft` or inside an element so marked — the safety
 * section (a health declaration is special-category data, GDPR Art. 9), the consents (they must be
 * given knowingly, each time), allergies and accessibility needs — nor hidden inputs (the CSRF
 * token), passwords or files.
 */
(function () {
  "use strict";

  var SKIPPED_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; // Storage refused (privacy settings): the form works without a draft.
    }
  }

  function draftable(element) {
    if (!element.name || element.disabled) return false;
    if (SKIPPED_TYPES.indexOf(element.type) !== -1) return false;
    return !element.closest("[data-no-draft]");
  }

  function readDraft(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!draftable(element)) return;
      if (element.type === "radio") {
        if (element.checked) data[element.name] = element.value;
      } else if (element.type === "checkbox") {
        data[element.name] = data[element.name] || [];
        if (element.checked) data[element.name].push(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        data[element.name] = Array.prototype.filter
          .call(element.options, function (option) { return option.selected; })
          .map(function (option) { return option.value; });
      } else {
        data[element.name] = element.value;
      }
    });
    return data;
  }

  function writeDraft(form, data) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!draftable(element) || !Object.prototype.hasOwnProperty.call(data, element.name)) return;
      var value = data[element.name];
      if (element.type === "radio") {
        element.checked = element.value === value;
      } else if (element.type === "checkbox") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = Array.isArray(value) && value.indexOf(option.value) !== -1;
        });
      } else if (typeof value === "string") {
        element.value = value;
      }
    });
  }

  function setUpDraft(form) {
    var key = form.getAttribute("data-draft-key");
    var store = storage();
    if (!key || !store) return;
    if (form.hasAttribute("data-draft-restore")) {
      try {
        var saved = JSON.parse(store.getItem(key) || "null");
        if (saved && typeof saved === "object") writeDraft(form, saved);
      } catch (error) {
        store.removeItem(key);
      }
    }
    var pending = null;
    function save() {
      pending = null;
      try {
        store.setItem(key, JSON.stringify(readDraft(form)));
      } catch (error) {
        // Storage full or refused: the draft is a convenience, never a requirement.
      }
    }
    function later() {
      if (pending === null) pending = window.setTimeout(save, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    window.addEventListener("pagehide", function () { if (pending !== null) { window.clearTimeout(pending); save(); } });
  }

  function clearDrafts() {
    var store = storage();
    if (!store) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (element) {
      store.removeItem(element.getAttribute("data-draft-clear"));
    });
  }

  // -- Steps ---------------------------------------------------------------------------------

  function heading(section) {
    return section.querySelector("h2");
  }

  function fieldBox(element) {
    return element.closest(".form-field") || element.parentElement;
  }

  function clearClientErrors(section) {
    Array.prototype.forEach.call(section.querySelectorAll("[data-client-error]"), function (message) {
      var box = message.parentElement;
      message.remove();
      Array.prototype.forEach.call(box.querySelectorAll("[data-client-invalid]"), function (input) {
        input.removeAttribute("data-client-invalid");
        input.removeAttribute("aria-invalid");
        var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== message.id;
        });
        if (described.length) input.setAttribute("aria-describedby", described.join(" "));
        else input.removeAttribute("aria-describedby");
      });
    });
  }

  function showClientError(form, element, text) {
    var box = fieldBox(element);
    var id = "client-error-" + element.name;
    var message = document.createElement("p");
    message.className = "errorlist";
    message.id = id;
    message.setAttribute("data-client-error", "");
    message.textContent = text;
    var legend = box.querySelector("legend");
    var label = box.querySelector("label");
    var anchor = legend || label;
    if (anchor && anchor.parentElement) anchor.insertAdjacentElement("afterend", message);
    else box.insertBefore(message, box.firstChild);
    var group = element.type === "radio" || element.type === "checkbox"
      ? form.querySelectorAll('[name="' + element.name + '"]')
      : [element];
    Array.prototype.forEach.call(group, function (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-client-invalid", "");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
    });
  }

  /* The step's required fields, checked in the browser; returns the first invalid input or null. */
  function validate(form, section) {
    clearClientErrors(section);
    var seen = {};
    var first = null;
    Array.prototype.forEach.call(section.querySelectorAll("input, select, textarea"), function (element) {
      if (!element.name || element.disabled || seen[element.name] || !element.willValidate) return;
      if (element.checkValidity()) return;
      seen[element.name] = true;
      var text = element.validity.typeMismatch
        ? form.getAttribute("data-email-message")
        : form.getAttribute("data-required-message");
      showClientError(form, element, text);
      if (first === null) first = element;
    });
    return first;
  }

  function setUpSteps(form) {
    var sections = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    if (sections.length < 2) return;
    var progress = form.querySelector("[data-steps-progress]");
    var progressText = progress && progress.querySelector("[data-steps-progress-text]");
    var progressBar = progress && progress.querySelector("progress");
    var submit = form.querySelector("[data-steps-submit]");
    var current = 0;

    var nav = document.createElement("div");
    nav.className = "actions form-steps-nav";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "btn btn-secondary";
    back.setAttribute("data-steps-back", "");
    back.textContent = form.getAttribute("data-back-label") || "Back";
    var next = document.createElement("button");
    next.type = "button";
    next.className = "btn btn-primary";
    next.setAttribute("data-steps-next", "");
    next.textContent = form.getAttribute("data-next-label") || "Next";
    nav.appendChild(next);
    nav.appendChild(back);
    // After the send button: on the last step it comes first, then Back.
    if (submit) submit.insertAdjacentElement("afterend", nav);
    else form.appendChild(nav);

    sections.forEach(function (section) {
      var title = heading(section);
      if (title && !title.hasAttribute("tabindex")) title.setAttribute("tabindex", "-1");
    });

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(index, sections.length - 1));
      sections.forEach(function (section, position) {
        section.hidden = position !== current;
      });
      var last = current === sections.length - 1;
      back.hidden = current === 0;
      next.hidden = last;
      if (submit) submit.hidden = !last;
      form.setAttribute("data-step-current", String(current + 1));
      if (progress) {
        progress.hidden = false;
        var title = heading(sections[current]);
        var text = (form.getAttribute("data-step-text") || "{current} / {total}: {title}")
          .replace("{current}", String(current + 1))
          .replace("{total}", String(sections.length))
          .replace("{title}", title ? title.textContent.trim() : "");
        if (progressText) progressText.textContent = text;
        if (progressBar) {
          progressBar.max = sections.length;
          progressBar.value = current + 1;
        }
      }
      if (moveFocus) {
        var target = heading(sections[current]) || sections[current];
        target.focus();
        if (target.scrollIntoView) target.scrollIntoView({ block: "start" });
      }
    }

    function sectionOf(element) {
      for (var i = 0; i < sections.length; i += 1) {
        if (sections[i].contains(element)) return i;
      }
      return -1;
    }

    function goNext() {
      var invalid = validate(form, sections[current]);
      if (invalid) {
        invalid.focus();
        return;
      }
      show(current + 1, true);
    }

    next.addEventListener("click", goNext);
    back.addEventListener("click", function () { show(current - 1, true); });

    form.addEventListener("submit", function (event) {
      // A press of Enter in an earlier step goes to the next step instead of sending half a form.
      var last = current === sections.length - 1;
      if (!last) {
        event.preventDefault();
        goNext();
        return;
      }
      var invalid = validate(form, sections[current]);
      if (invalid) {
        event.preventDefault();
        invalid.focus();
      }
    });

    form.addEventListener("change", function (event) {
      var section = sections[sectionOf(event.target)];
      if (section && section.querySelector("[data-client-error]")) validate(form, section);
    });

    // A link to a field in another step (the error summary's): open that step first.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      var index = target ? sectionOf(target) : -1;
      if (index === -1) return;
      event.preventDefault();
      show(index, false);
      target.focus();
      if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
    });

    // The server's errors: open the first section that has one, under the summary.
    var firstError = form.querySelector('[data-step] [aria-invalid="true"], [data-step] .errorlist');
    var errorSection = firstError ? sectionOf(firstError) : -1;
    show(errorSection === -1 ? 0 : errorSection, false);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function start() {
    clearDrafts();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), setUpDraft);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-steps]"), setUpSteps);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
