// The classroom page: translate as you type through this server's LibreTranslate API.
// No framework, no external resource, no build step: the classroom may be offline.
"use strict";

(function () {
  var DIRECTIONS = {
    "to-darija": { source: "en", target: "ary", placeholder: "Type English here" },
    "to-english": { source: "ary", target: "en",
                    placeholder: "اكتب بالدارجة — or Darija in Latin letters (3afak…)" }
  };
  var $ = function (id) { return document.getElementById(id); };
  var source = $("source"), output = $("output"), arabizi = $("arabizi"),
      status = $("status"), copy = $("copy"), keyInput = $("key");
  var state = { direction: "to-darija", pause: 500, charLimit: 5000, timer: 0,
                controller: null, serial: 0, retryTimer: 0 };

  function setStatus(text, isError) {
    status.textContent = text || "";
    status.className = isError ? "muted error" : "muted";
  }

  function apiKey() {
    return keyInput.value.trim();
  }

  function showResult(text, reading, target) {
    output.textContent = text;
    output.dir = target === "ary" ? "rtl" : "ltr";
    output.lang = target;
    arabizi.textContent = reading || "";
    copy.disabled = !text;
  }

  function chooseDirection(id) {
    state.direction = id;
    Object.keys(DIRECTIONS).forEach(function (other) {
      $(other).setAttribute("aria-checked", other === id ? "true" : "false");
    });
    source.placeholder = DIRECTIONS[id].placeholder;
    try { localStorage.setItem("terjman.direction", id); } catch (e) { /* private mode */ }
    translateNow();
  }

  function schedule() {
    clearTimeout(state.timer);
    $("count").textContent = source.value.length > state.charLimit * 0.8
      ? source.value.length + " / " + state.charLimit : "";
    state.timer = setTimeout(translateNow, state.pause);
  }

  async function translateNow() {
    clearTimeout(state.timer);
    clearTimeout(state.retryTimer);
    var text = source.value;
    var direction = DIRECTIONS[state.direction];
    if (!text.trim()) {
      showResult("", "", direction.target);
      setStatus("");
      return;
    }
    if (state.controller) { state.controller.abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    state.controller = controller;
    var serial = ++state.serial;
    setStatus("Translating…");
    var body = { q: text, source: direction.source, target: direction.target,
                 format: "text", arabizi: true };
    if (apiKey()) { body.api_key = apiKey(); }
    try {
      var response = await fetch("translate", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), signal: controller ? controller.signal : undefined
      });
      var data = await response.json().catch(function () { return {}; });
      if (serial !== state.serial) { return; }  // a newer request is on its way
      if (response.ok) {
        showResult(data.translatedText || "", data.arabizi || "", direction.target);
        setStatus("");
      } else if (response.status === 429 || response.status === 503) {
        var wait = parseInt(response.headers.get("Retry-After") || "2", 10);
        setStatus((data.error || "The translator is busy.") + " Retrying…", true);
        state.retryTimer = setTimeout(translateNow, Math.max(1, wait) * 1000);
      } else {
        if (response.status === 400 && data.error && /key/i.test(data.error)) {
          $("key-box").hidden = false;
          $("key-box").open = true;
        }
        setStatus(data.error || ("Error " + response.status), true);
      }
    } catch (error) {
      if (error && error.name === "AbortError") { return; }
      if (serial === state.serial) {
        setStatus("Cannot reach the teacher's computer. Is sharing still on?", true);
      }
    }
  }

  function copyText() {
    var text = output.textContent;
    function done() { setStatus("Copied."); }
    function fallback() {  // http:// on a LAN is not a secure context: no Clipboard API
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { setStatus("Select the text to copy it.", true); }
      document.body.removeChild(area);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  async function loadSettings() {
    try {
      var settings = await (await fetch("frontend/settings")).json();
      state.charLimit = settings.charLimit || state.charLimit;
      source.maxLength = state.charLimit;
      state.pause = Math.max(250, settings.frontendTimeout || state.pause);
      if (settings.model && settings.model.name) { $("model").textContent = settings.model.name; }
      if (settings.keyRequired) { $("key-box").hidden = false; }
      var languages = await (await fetch("languages")).json();
      var targets = {};
      languages.forEach(function (language) { targets[language.code] = language.targets; });
      Object.keys(DIRECTIONS).forEach(function (id) {
        var d = DIRECTIONS[id];
        $(id).disabled = (targets[d.source] || []).indexOf(d.target) < 0;
      });
      if ($(state.direction).disabled) {
        chooseDirection(state.direction === "to-darija" ? "to-english" : "to-darija");
      }
    } catch (error) {
      setStatus("Cannot reach the teacher's computer.", true);
    }
  }

  var fragment = /(?:^#|&)key=([^&]*)/.exec(location.hash);
  var savedKey = null;
  try { savedKey = localStorage.getItem("terjman.key"); } catch (e) { /* private mode */ }
  keyInput.value = fragment ? decodeURIComponent(fragment[1]) : (savedKey || "");
  keyInput.addEventListener("change", function () {
    try { localStorage.setItem("terjman.key", apiKey()); } catch (e) { /* private mode */ }
    translateNow();
  });
  var savedDirection = null;
  try { savedDirection = localStorage.getItem("terjman.direction"); } catch (e) { /* */ }
  if (savedDirection && DIRECTIONS[savedDirection]) { state.direction = savedDirection; }

  Object.keys(DIRECTIONS).forEach(function (id) {
    $(id).addEventListener("click", function () { chooseDirection(id); });
  });
  source.addEventListener("input", schedule);
  $("translate").addEventListener("click", translateNow);
  $("clear").addEventListener("click", function () {
    source.value = ""; translateNow(); source.focus();
  });
  copy.addEventListener("click", copyText);
  chooseDirection(state.direction);
  loadSettings();
})();
