/* sitegen default theme: menu button, font-size control, print button, the filter of /xa-phuong/.
   Loaded in <head> without defer so the saved text size applies before paint. */
(function () {
  "use strict";
  var KEY = "sitegen.fontScale", MIN = 80, MAX = 150, STEP = 10;
  var root = document.documentElement;
  root.classList.add("js");

  function clamp(v) {
    v = Math.round(v / STEP) * STEP;
    return isNaN(v) ? 100 : Math.min(MAX, Math.max(MIN, v));
  }
  function stored() {
    try { return clamp(parseInt(localStorage.getItem(KEY) || "100", 10)); } catch (e) { return 100; }
  }
  var scale = stored();
  function apply() { root.style.setProperty("--font-scale", String(scale / 100)); }
  apply();

  function fontControl() {
    var box = document.querySelector("[data-font-control]");
    if (!box) return;
    var out = box.querySelector("output");
    var buttons = box.querySelectorAll("[data-font-step]");
    function render() {
      out.textContent = scale + "%";
      for (var i = 0; i < buttons.length; i++) {
        var step = Number(buttons[i].getAttribute("data-font-step"));
        var stuck = step < 0 ? scale <= MIN : scale >= MAX;
        buttons[i].setAttribute("aria-disabled", stuck ? "true" : "false");
      }
    }
    box.addEventListener("click", function (ev) {
      var btn = ev.target.closest("[data-font-step]");
      if (!btn) return;
      var next = clamp(scale + STEP * Number(btn.getAttribute("data-font-step")));
      if (next === scale) return;
      scale = next;
      apply();
      render();
      try { localStorage.setItem(KEY, String(scale)); } catch (e) { /* private mode */ }
    });
    render();
    box.hidden = false;
  }

  function menu() {
    var btn = document.querySelector("[data-menu-toggle]");
    var list = btn && document.getElementById(btn.getAttribute("aria-controls"));
    if (!list) return;
    function set(open) {
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      list.classList.toggle("is-open", open);
    }
    btn.addEventListener("click", function () {
      set(btn.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && btn.getAttribute("aria-expanded") === "true") {
        set(false);
        btn.focus();
      }
    });
  }

  function printButton() {
    var btn = document.querySelector("[data-print]");
    if (!btn || !window.print) return;
    btn.addEventListener("click", function () { window.print(); });
    btn.hidden = false;
  }

  function printImages() {
    // Photos not yet scrolled into view are still lazy: load them all before printing.
    window.addEventListener("beforeprint", function () {
      var lazy = document.querySelectorAll("img[loading=lazy]");
      for (var i = 0; i < lazy.length; i++) lazy[i].loading = "eager";
    });
  }

  function scrollableTables() {
    // A table wider than its column scrolls: make it reachable by keyboard.
    var tables = document.querySelectorAll(".prose table, .table-scroll");
    for (var i = 0; i < tables.length; i++) {
      if (tables[i].scrollWidth > tables[i].clientWidth) tables[i].setAttribute("tabindex", "0");
    }
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u0110\u0111]/g, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function memberFilter() {
    // /xa-phuong/: the communes whose name or address has words starting as those typed, marks or not; the
    // words stay in the address (?q=), for Back and to share.
    var form = document.querySelector("[data-member-filter]");
    if (!form) return;
    var input = form.querySelector("input"), status = form.querySelector("[role=status]"), timer;
    var items = document.querySelectorAll("[data-filter]");
    function apply() {
      var words = fold(input.value).split(" ").filter(Boolean), shown = 0;
      for (var i = 0; i < items.length; i++) {
        var text = " " + fold(items[i].getAttribute("data-filter"));
        items[i].hidden = !words.every(function (w) { return text.indexOf(" " + w) >= 0; });
        if (!items[i].hidden) shown++;
      }
      var query = input.value.trim();
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
      clearTimeout(timer);  // announced once typing pauses, not at every letter
      timer = setTimeout(function () {
        status.textContent = !words.length ? "" : (form.getAttribute(shown ? "data-found" : "data-none") || "")
          .replace("{count}", shown).replace("{query}", query);
      }, 400);
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    input.addEventListener("input", apply);
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) apply();
    form.hidden = false;
  }

  function init() {
    memberFilter();
    fontControl();
    menu();
    printButton();
    printImages();
    scrollableTables();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
