// The event form: the address (slug) proposed from the title while the organiser types.
// The same rule as civicmeet/events/slugs.py (Polish letters lose their marks, Ukrainian is
// transliterated by the national system); the server decides when the field is left empty and
// adds -2, -3 ... when an address is taken. Once the organiser edits the address, it is theirs.
(function () {
  "use strict";

  var UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
    "'": "", "\u2019": "", "\u02bc": "",
    // Latin letters Unicode does not decompose.
    "ł": "l", "ß": "ss", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe"
  };
  var MAX_LENGTH = 76;

  function slugFromText(text) {
    var lower = (text || "").toLowerCase();
    var out = "";
    for (var i = 0; i < lower.length; i++) {
      var letter = lower[i];
      out += Object.prototype.hasOwnProperty.call(UKRAINIAN, letter) ? UKRAINIAN[letter] : letter;
    }
    out = out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out = out.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (out.length > MAX_LENGTH) {
      // Cut at a word boundary, as the server does.
      var cut = out.slice(0, MAX_LENGTH + 1);
      var last = cut.lastIndexOf("-");
      out = (last > 0 ? cut.slice(0, last) : out.slice(0, MAX_LENGTH)).replace(/-+$/g, "");
    }
    return out;
  }

  function init() {
    var holder = document.querySelector("[data-slug-from]");
    if (!holder) {
      return;
    }
    var slug = holder.querySelector("input");
    var fallback = document.getElementById("id_fallback_language");
    var titles = Array.prototype.slice.call(document.querySelectorAll("input[id^='id_title_']"));
    if (!slug || !titles.length) {
      return;
    }

    function source() {
      // The fallback language's title, else the first one given (events.slugs.slug_source).
      var preferred = fallback ? fallback.value : "";
      var chosen = "";
      titles.forEach(function (input) {
        if (input.lang === preferred && input.value.trim()) {
          chosen = input.value;
        }
      });
      if (chosen) {
        return chosen;
      }
      for (var i = 0; i < titles.length; i++) {
        if (titles[i].value.trim()) {
          return titles[i].value;
        }
      }
      return "";
    }

    // An address typed by hand (or kept from a form sent back) is left alone.
    var proposing = !slug.value || slug.value === slugFromText(source());

    function propose() {
      if (proposing) {
        slug.value = slugFromText(source());
      }
    }

    slug.addEventListener("input", function () {
      proposing = slug.value === "";
    });
    titles.forEach(function (input) {
      input.addEventListener("input", propose);
    });
    if (fallback) {
      fallback.addEventListener("change", propose);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
