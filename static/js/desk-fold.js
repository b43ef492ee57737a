// The desk's search folding: the same as civicmeet/search/folding.py's `fold`, so what the desk types
// matches the list's `folded` field (folded by the server): lower case, no diacritics, and the
// Ukrainian letters folded onto their nearest plain Cyrillic letter (і ї й → и, є → е, ґ → г, the
// apostrophe of "м'ята" dropped). tests/e2e/test_desk.py checks both agree on the seed's names.
(function () {
  "use strict";
  var SPECIAL = {
    "ł": "l", "đ": "d", "ø": "o", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
    "і": "и", "ї": "и", "й": "и", "є": "е", "ґ": "г", "ё": "е", "ў": "у",
    "'": "", "’": "", "ʼ": "", "`": ""
  };
  // Python's unicodedata.combining() is the canonical combining class; the nearest JavaScript has is
  // the non-spacing marks (they agree on every Latin, Cyrillic, Greek and Hebrew mark).
  var MARK = /\p{Mn}/gu;
  var cache = new Map();

  function special(text) {
    var out = "";
    for (var char of text) out += Object.prototype.hasOwnProperty.call(SPECIAL, char) ? SPECIAL[char] : char;
    return out;
  }

  function foldChar(char) {
    if (Object.prototype.hasOwnProperty.call(SPECIAL, char)) return SPECIAL[char];
    var code = char.codePointAt(0);
    // Python's table covers U+0080–U+1FFF; everything else is left as it is.
    if (code < 0x80 || code >= 0x2000) return char;
    var folded = cache.get(char);
    if (folded === undefined) {
      folded = special(special(char).normalize("NFD").replace(MARK, "").normalize("NFC"));
      cache.set(char, folded);
    }
    return folded;
  }

  function fold(text) {
    var out = "";
    for (var char of String(text).toLowerCase()) out += foldChar(char);
    return out;
  }

  window.civicmeetFold = fold;
})();
