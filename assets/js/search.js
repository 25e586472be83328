/* sitegen default theme: the search page (/tim-kiem/), on top of Pagefind's index (sitegen/search.py).
   Results as you type, the query kept in the address, narrowing by category and year.
   "đ" is indexed as "d" + U+0335 (a combining stroke) so that "d" finds "đ": queries are written
   the same way, and what is shown is turned back. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box) return;
  var STROKE = "\u0335", PAGE = 10;
  var form = box.querySelector("[data-search-form]");
  var input = form.elements.q, category = form.elements["chuyen-muc"], year = form.elements.nam;
  var status = box.querySelector("[data-search-status]");
  var list = box.querySelector("[data-search-results]");
  var more = box.querySelector("[data-search-more]");
  var root = box.getAttribute("data-root");
  var lang = document.documentElement.lang || "vi";
  var engine = null, changes = null, shown = [], serial = 0, timer = 0;

  box.querySelector("[data-search-nojs]").hidden = true;

  function indexForm(text) {
    return text.normalize("NFC").replace(/đ/g, "d" + STROKE).replace(/Đ/g, "D" + STROKE);
  }
  function shownForm(text) {
    return String(text || "").replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  }
  function folded(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function words(text) {
    return folded(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function say(key, values) {
    var text = box.getAttribute("data-" + key) || "";
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function load() {
    if (!engine) {
      engine = import(root + "pagefind/pagefind.js").then(function (pagefind) {
        return pagefind.options({ basePath: root + "pagefind/", baseUrl: root, noWorker: true, excerptLength: 24 })
          .then(function () { return fetch(root + "pagefind/changes.json", { cache: "no-cache" }); })
          .then(function (answer) { return answer.ok ? answer.json() : { delta: false, drop: [], fresh: [] }; })
          .then(function (found) {
            changes = { drop: new Set(found.drop || []), fresh: new Set(found.fresh || []) };
            return found.delta ? pagefind.mergeIndex(root + "pagefind-delta/", { baseUrl: root }) : null;
          })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function filters() {
    var chosen = {};
    if (category.value) chosen.category = category.value;
    if (year.value) chosen.year = year.value;
    return chosen;
  }

  function keepAddress() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (category.value) params.set("chuyen-muc", category.value);
    if (year.value) params.set("nam", year.value);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  /* A page changed since the main index was built is in the small delta index (its entries are
     `fresh`), and the main index's entry for it is dropped. Pagefind shortens a query word that no
     indexed word starts with ("van" -> "va") until one does, so a word found only in the other
     index, or in none, would give loose matches: a group whose best result lacks a word of the
     query is left out whole (when one of its results lacks it, all of them do). */
  function contains(data, wanted) {
    var have = words(shownForm(data.content));
    return wanted.every(function (word) {
      return have.some(function (w) { return w.indexOf(word) === 0; });
    });
  }

  function trusted(results, query) {
    var seen = new Set(), wanted = words(query), groups = [[], []];
    results.forEach(function (result) {
      if (seen.has(result.id)) return;
      seen.add(result.id);
      var fresh = changes.fresh.has(result.id);
      if (!fresh && changes.drop.has(result.id)) return;
      groups[fresh ? 1 : 0].push(result);
    });
    return Promise.all(groups.map(function (group) {
      if (!group.length) return true;
      return group[0].data().then(function (data) { return contains(data, wanted); });
    })).then(function (kept) {
      var keep = new Set((kept[0] ? groups[0] : []).concat(kept[1] ? groups[1] : []));
      return results.filter(function (result) { return keep.has(result); });
    });
  }

  function run() {
    var query = input.value.trim(), mine = ++serial;
    keepAddress();
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    box.setAttribute("aria-busy", "true");
    load().then(function (pagefind) {
      return pagefind.search(indexForm(query), { filters: filters() });
    }).then(function (found) {
      return trusted(found.results, query);
    }).then(function (results) {
      if (mine !== serial) return;
      shown = results;
      list.textContent = "";
      var count = new Intl.NumberFormat(lang).format(results.length);
      status.textContent = results.length
        ? say("found", { count: count }) + " " + say("query-for", { query: query }) + "."
        : say("none", { query: query });
      return showMore();
    }).catch(function () {
      if (mine === serial) status.textContent = say("failed", {});
    }).then(function () {
      if (mine === serial) box.removeAttribute("aria-busy");
    });
  }

  function showMore() {
    var start = list.children.length, batch = shown.slice(start, start + PAGE), mine = serial;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
      if (mine !== serial) return;
      data.forEach(function (item) { list.appendChild(row(item)); });
      more.hidden = list.children.length >= shown.length;
    });
  }

  function row(data) {
    var item = document.createElement("li"), heading = document.createElement("h2"), link = document.createElement("a");
    item.className = "search-result";
    link.href = data.url;
    link.textContent = shownForm(data.meta.title);
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "search-result-meta";
    if (data.meta.date) {
      var time = document.createElement("time");
      if (data.meta.day) time.dateTime = data.meta.day;
      time.textContent = data.meta.date;
      meta.appendChild(time);
    }
    if (data.meta.category) {
      if (meta.firstChild) meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(document.createTextNode(data.meta.category));
    }
    if (meta.firstChild) item.appendChild(meta);
    item.appendChild(excerpt(data.excerpt, data.content));
    return item;
  }

  /* Pagefind's excerpt is text with <mark> around the matched words (and < > escaped): rebuilt as nodes,
     with "…" where it starts after the page's text does or ends before it. */
  function excerpt(html, content) {
    var p = document.createElement("p"), parts = String(html || "").split(/<\/?mark>/);
    var texts = parts.map(unescaped), whole = spaced(String(content || "")), shown = spaced(texts.join(""));
    p.className = "search-result-excerpt";
    if (whole && shown && whole.indexOf(shown) !== 0) p.appendChild(document.createTextNode("… "));
    texts.forEach(function (part, i) {
      var text = document.createTextNode(shownForm(part));
      if (i % 2) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        p.appendChild(mark);
      } else {
        p.appendChild(text);
      }
    });
    if (whole && shown && whole.slice(-shown.length) !== shown) p.appendChild(document.createTextNode(" …"));
    return p;
  }
  function unescaped(part) {
    return part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
  }
  function spaced(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  category.value = params.get("chuyen-muc") || "";
  year.value = params.get("nam") || "";
  if (category.selectedIndex < 0) category.value = "";
  if (year.selectedIndex < 0) year.value = "";
  input.addEventListener("input", later);
  category.addEventListener("change", run);
  year.addEventListener("change", run);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", function () {
    var next = list.children.length;
    showMore().then(function () {
      var first = list.children[next] && list.children[next].querySelector("a");
      if (first) first.focus();
    });
  });
  if (input.value) run();
  else input.addEventListener("focus", load, { once: true });
})();
