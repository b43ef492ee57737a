// The check-in desk (civicmeet/checkin/views_desk.py, docs/day/desk.md): scanning with the camera,
// finding a person by name in the list cached on this phone, and a queue of check-ins that waits
// while the connection is down. Every check-in carries a client-made id, kept with it in the queue,
// so sending it again (a flaky network, a reload) records it once; the server decides conflicts
// between desks. Without this script the page still works: a search form and a form per person.
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root || !window.fetch || !window.localStorage) return;
  var fold = window.civicmeetFold || function (text) { return String(text).toLowerCase(); };
  var texts = document.getElementById("desk-texts").dataset;
  var csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var hasRule = root.dataset.hasRule === "1";
  var slug = root.dataset.event;
  var language = document.documentElement.lang || "en";
  // Both the queue and the list outlive the tab (a phone may drop it while offline); the list is
  // forgotten once the event is over (data-forget-after: its end and a few hours).
  var QUEUE_KEY = "civicmeet.desk." + slug + ".queue";
  var LIST_KEY = "civicmeet.desk." + slug + ".list";
  var MAX_CODE = 500;
  var RETRY_MS = 4000;
  var REFRESH_MS = 60000;
  var SEARCH_LIMIT = 20;
  var LOG_LIMIT = 30;

  var el = function (id) { return document.getElementById(id); };
  var resultBox = el("desk-result");
  var personBox = el("desk-person");
  var matchesList = el("desk-matches");
  var queryInput = el("desk-q");

  var people = [];
  var byId = new Map();
  var byTicket = new Map();
  var queue = readQueue();
  var sending = false;
  var online = navigator.onLine !== false;
  var picked = null;
  var lastScan = { code: null, at: 0 };

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function readQueue() {
    try {
      var stored = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (error) {
      return [];
    }
  }

  function saveQueue() {
    var stored = queue.map(function (item) {
      return { client_id: item.client_id, code: item.code, registration_id: item.registration_id, basis: item.basis, name: item.name, queued_at: item.queued_at };
    });
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(stored)); } catch (error) { /* full: kept in memory */ }
    showState();
  }

  // The cookie's token is the current one even after signing in again in another tab (which changes
  // it); the page's own token is the fallback.
  function csrfToken() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : csrf;
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function sha256(text) {
    if (!window.crypto || !crypto.subtle) return null;
    var digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // --- What the desk reads -------------------------------------------------------------------

  function show(tone, title, lines) {
    resultBox.replaceChildren();
    var box = document.createElement("div");
    box.className = "notice notice-" + tone + " desk-notice";
    box.dataset.tone = tone;
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = title;
    heading.append(strong);
    box.append(heading);
    (lines || []).forEach(function (line) {
      if (!line) return;
      var p = document.createElement("p");
      p.textContent = line;
      box.append(p);
    });
    resultBox.append(box);
  }

  function log(tone, text) {
    var list = el("desk-log");
    var item = document.createElement("li");
    item.className = "desk-log-" + tone;
    item.textContent = new Date().toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" }) + " · " + text;
    list.prepend(item);
    while (list.children.length > LOG_LIMIT) list.lastElementChild.remove();
  }

  function showState() {
    el("desk-connection").hidden = false;
    el("desk-online").hidden = !online;
    el("desk-offline").hidden = online;
    var badge = el("desk-queue");
    badge.hidden = queue.length === 0;
    if (queue.length) {
      var category = new Intl.PluralRules(language).select(queue.length);
      var template = texts["waiting" + category.charAt(0).toUpperCase() + category.slice(1)] || texts.waitingMany;
      badge.textContent = format(template, { count: queue.length });
    }
    badge.dataset.count = String(queue.length);
  }

  function setOnline(value) {
    if (online === value) return;
    online = value;
    showState();
  }

  // --- The cached list -------------------------------------------------------------------------

  function useList(list, fetchedAt) {
    people = Array.isArray(list) ? list : [];
    byId = new Map();
    byTicket = new Map();
    people.forEach(function (person) {
      byId.set(person.id, person);
      if (person.ticket) byTicket.set(person.ticket, person);
    });
    if (fetchedAt) {
      var time = new Date(fetchedAt).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
      el("desk-list-age").textContent = format(texts.listAge, { time: time });
    }
    // Check-ins still waiting to be sent count as present on this phone.
    queue.forEach(markQueued);
    if (queryInput.value.trim()) search();
  }

  function markQueued(item) {
    var person = item.registration_id ? byId.get(item.registration_id) : null;
    if (person && !person.checked_in_at) person.queued = true;
  }

  function loadCachedList() {
    try {
      var cached = JSON.parse(localStorage.getItem(LIST_KEY) || "null");
      if (cached && cached.forgetAfter && Date.now() > cached.forgetAfter) {
        localStorage.removeItem(LIST_KEY);
        return;
      }
      if (cached && Array.isArray(cached.people)) useList(cached.people, cached.at);
    } catch (error) { /* no cache: the list comes from the server */ }
  }

  async function refreshList() {
    try {
      var response = await fetch(root.dataset.listUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || response.redirected) return;
      var data = await response.json();
      var at = Date.now();
      var forgetAfter = Date.parse(root.dataset.forgetAfter) || at + 86400000;
      try {
        localStorage.setItem(LIST_KEY, JSON.stringify({ people: data.people, at: at, forgetAfter: forgetAfter }));
      } catch (error) { /* too big: the list stays in memory */ }
      useList(data.people, at);
      if (data.counts) showCounts(data.counts);
      setOnline(true);
    } catch (error) {
      setOnline(false);
    }
  }

  function showCounts(counts) {
    var present = el("desk-present");
    if (present && typeof counts.present === "number") present.textContent = String(counts.present);
  }

  // --- Check-ins and the queue -----------------------------------------------------------------

  function checkIn(item) {
    item.client_id = item.client_id || newClientId();
    item.queued_at = item.queued_at || new Date().toISOString();
    queue.push(item);
    saveQueue();
    markQueued(item);
    show("info", texts.sending, [item.name]);
    item.current = true;
    flush();
  }

  function payload(item) {
    var body = { client_id: item.client_id, basis: item.basis || "" };
    if (item.code) body.code = item.code;
    else body.registration_id = item.registration_id;
    return JSON.stringify(body);
  }

  // Sends the queue in order; stops at the first failure of the network and tries again later with
  // the same client ids. The server's answer decides: 201 recorded, 200 already checked in (or this
  // very request seen before), 409 refused (a ticket not valid here), 400 a request it cannot read.
  async function flush() {
    if (sending || !queue.length) return;
    sending = true;
    try {
      while (queue.length) {
        var item = queue[0];
        var response;
        try {
          response = await fetch(root.dataset.checkinUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
            body: payload(item)
          });
        } catch (error) {
          setOnline(false);
          queue.forEach(function (waiting) {
            if (waiting.current) show("warning", format(texts.queued, { name: waiting.name || "" }));
            waiting.current = false;
          });
          saveQueue();
          return;
        }
        setOnline(true);
        var data = null;
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (isJson) {
          try { data = await response.json(); } catch (error) { data = null; }
        }
        if (response.redirected || !data) {
          // Signed out (the login page came back) or an error page: keep the check-in for later.
          if (response.redirected || response.status === 403) show("danger", texts.signIn);
          return;
        }
        if (response.status === 429 || response.status >= 500) return;
        queue.shift();
        saveQueue();
        answered(item, response.status, data);
      }
    } finally {
      sending = false;
    }
  }

  function answered(item, status, data) {
    var wasCurrent = item.current;
    item.current = false;
    if (status === 200 || status === 201) {
      var person = byId.get(data.registration_id);
      if (person) {
        person.checked_in_at = data.checked_in_at;
        person.queued = false;
      }
      if (data.counts) showCounts(data.counts);
      var tone = data.already ? "warning" : "success";
      var title = data.already ? texts.already : texts.checkedIn;
      var lines = [data.message, data.organisation, data.verdict_text];
      log(tone, data.message);
      // A check-in sent from the queue is shown too when it turns out to be a duplicate: another
      // desk checked the person in first while this phone was offline.
      if (wasCurrent || data.already) show(tone, title, lines);
      if (data.verdict === "does_not_meet" && !data.already) show("danger", title, lines);
      return;
    }
    var message = data.message || texts.error;
    if (data.errors) message = Object.values(data.errors).flat().join(" ");
    log("danger", (item.name ? item.name + ": " : "") + message);
    show("danger", message, [item.name]);
  }

  // --- Scanning --------------------------------------------------------------------------------

  // Whatever a QR code holds (a ticket, a URL, garbage, a huge text) ends here: a message, and the
  // scanner goes on scanning; nothing here waits for the network before the next scan.
  function onScan(result) {
    var code = result && typeof result === "object" ? result.data : result;
    if (typeof code !== "string" || !code) return;
    var now = Date.now();
    // The same code in front of the camera for a while is one scan.
    if (code === lastScan.code && now - lastScan.at < 3000) return;
    lastScan = { code: code, at: now };
    scanned(code).catch(function () { show("danger", texts.notTicket); });
  }

  async function scanned(code) {
    if (code.length > MAX_CODE || /\s/.test(code)) {
      show("danger", texts.notTicket);
      return;
    }
    var hash = await sha256(code);
    var person = hash ? byTicket.get(hash) : null;
    if (!person && !online) {
      show("danger", texts.notOnList);
      return;
    }
    if (!person) {
      // Not on this phone's list (accepted since the list was fetched, or not a ticket at all):
      // the server knows.
      checkIn({ code: code, name: "", basis: "" });
      return;
    }
    pick(person, code);
  }

  function pick(person, code) {
    var item = { name: person.name, basis: "" };
    if (code) item.code = code;
    else item.registration_id = person.id;
    if (person.checked_in_at && !online) {
      show("warning", texts.already, [person.name, person.organisation]);
      return;
    }
    if (!hasRule) {
      checkIn(item);
      return;
    }
    picked = item;
    el("desk-person-name").textContent = person.name;
    el("desk-person-organisation").textContent = person.organisation || "";
    var none = personBox.querySelector("input[name=desk-basis][value='']");
    if (none) none.checked = true;
    personBox.hidden = false;
    el("desk-person-confirm").focus();
    showVerdict(person, item);
  }

  var TONES = { meets: "success", does_not_meet: "danger", to_be_checked: "warning" };

  // The safety rule's verdict on the person, recomputed by the server at this moment; offline the
  // card shows none (the check-in's answer carries it once sent).
  async function showVerdict(person, item) {
    var box = el("desk-person-verdict");
    box.hidden = true;
    box.replaceChildren();
    if (!online) return;
    try {
      var address = root.dataset.verdictUrl.replace(/\/0\/verdict\.json$/, "/" + person.id + "/verdict.json");
      var response = await fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || response.redirected || picked !== item) return;
      var data = await response.json();
      if (!data.verdict_text || picked !== item) return;
      box.className = "notice notice-" + (TONES[data.verdict] || "info");
      box.dataset.outcome = data.verdict;
      box.textContent = data.verdict_text;
      box.hidden = false;
    } catch (error) { /* offline: no verdict before the check-in */ }
  }

  function confirmPicked() {
    if (!picked) return;
    var chosen = personBox.querySelector("input[name=desk-basis]:checked");
    picked.basis = chosen ? chosen.value : "";
    var item = picked;
    picked = null;
    personBox.hidden = true;
    checkIn(item);
  }

  var scanner = null;

  function cameraFailed() {
    show("danger", texts.cameraFailed);
    el("desk-video-wrap").hidden = true;
    el("desk-camera-start").hidden = false;
    el("desk-camera-stop").hidden = true;
  }

  function startCamera() {
    var QrScanner = window.QrScanner;
    if (!QrScanner) { cameraFailed(); return; }
    var workerUrl = root.dataset.workerUrl;
    // The package would build its worker from a blob: URL, which the page's Content-Security-Policy
    // refuses: the same worker is served from our static files instead. Where the browser has a
    // BarcodeDetector that reads QR codes, it is used, as the package itself does.
    QrScanner.createQrEngine = async function () {
      if ("BarcodeDetector" in window && BarcodeDetector.getSupportedFormats) {
        try {
          if ((await BarcodeDetector.getSupportedFormats()).indexOf("qr_code") !== -1) {
            return new BarcodeDetector({ formats: ["qr_code"] });
          }
        } catch (error) { /* the worker below */ }
      }
      return new Worker(workerUrl);
    };
    try {
      if (!scanner) {
        scanner = new QrScanner(el("desk-video"), onScan, {
          returnDetailedScanResult: true,
          maxScansPerSecond: 8,
          // The whole picture, not only its middle: a phone held up at the desk is rarely centred.
          calculateScanRegion: function (video) {
            var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight, 1));
            return {
              x: 0, y: 0, width: video.videoWidth, height: video.videoHeight,
              downScaledWidth: Math.round(video.videoWidth * scale), downScaledHeight: Math.round(video.videoHeight * scale)
            };
          },
          onDecodeError: function () { /* no code in this frame */ }
        });
      }
      el("desk-video-wrap").hidden = false;
      el("desk-scan").scrollIntoView({ block: "start" });
      scanner.start().then(function () {
        el("desk-camera-start").hidden = true;
        el("desk-camera-stop").hidden = false;
      }, cameraFailed);
    } catch (error) {
      cameraFailed();
    }
  }

  function stopCamera() {
    if (scanner) scanner.stop();
    el("desk-video-wrap").hidden = true;
    el("desk-camera-start").hidden = false;
    el("desk-camera-stop").hidden = true;
  }

  // --- Name search -----------------------------------------------------------------------------

  function search() {
    var words = fold(queryInput.value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    matchesList.replaceChildren();
    var found = el("desk-found");
    if (found) found.hidden = true;
    if (!words.length) { matchesList.hidden = true; return; }
    var hits = people.filter(function (person) {
      return words.every(function (word) { return person.folded.indexOf(word) !== -1; });
    }).slice(0, SEARCH_LIMIT);
    matchesList.hidden = false;
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "desk-match muted";
      none.textContent = texts.noMatch;
      matchesList.append(none);
      return;
    }
    hits.forEach(function (person) {
      var item = document.createElement("li");
      item.className = "desk-match";
      item.dataset.registration = String(person.id);
      var p = document.createElement("p");
      var name = document.createElement("strong");
      name.textContent = person.name;
      p.append(name);
      if (person.organisation) {
        p.append(document.createElement("br"));
        var org = document.createElement("span");
        org.className = "muted";
        org.textContent = person.organisation;
        p.append(org);
      }
      item.append(p);
      if (person.checked_in_at || person.queued) {
        var badge = document.createElement("span");
        badge.className = "badge badge-success";
        badge.textContent = texts.checkedIn;
        item.append(badge);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = person.checked_in_at || person.queued ? "btn btn-secondary btn-small" : "btn btn-primary";
      button.textContent = format(texts.checkInName, { name: person.name });
      button.addEventListener("click", function () { pick(person, null); });
      item.append(button);
      matchesList.append(item);
    });
  }

  // --- Start -----------------------------------------------------------------------------------

  el("desk-scan").hidden = false;
  el("desk-camera-start").addEventListener("click", startCamera);
  el("desk-camera-stop").addEventListener("click", stopCamera);
  el("desk-person-confirm").addEventListener("click", confirmPicked);
  el("desk-person-cancel").addEventListener("click", function () { picked = null; personBox.hidden = true; });
  queryInput.addEventListener("input", search);
  el("desk-search-form").addEventListener("submit", function (event) { event.preventDefault(); search(); });
  window.addEventListener("online", function () { setOnline(true); flush(); refreshList(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (queue.length) flush(); }, RETRY_MS);
  setInterval(function () { if (!queue.length && online) refreshList(); }, REFRESH_MS);
  // For the browser tests and for anyone debugging a desk: the code path of a scan, without a camera.
  root.deskScan = onScan;
  // The page opens again without a connection (a reload, a tab the phone dropped): desk-sw.js.
  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var files = Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"), function (node) {
        return node.src || node.href;
      });
      files.push(root.dataset.workerUrl, location.pathname);
      if (registration.active) registration.active.postMessage({ keep: files });
    }).catch(function () { /* then the page opens only with a connection */ });
  }
  showState();
  loadCachedList();
  refreshList().then(flush);
})();
