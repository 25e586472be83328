/* sitegen default theme: the search page (/tim-kiem/), on top of Pagefind's index (sitegen/search.py).
   Results as you type, the query kept in the address, narrowing by category and year; with a filter and
   no words, every page of the filter, newest first.
   "đ" is indexed as "d" + U+0335 (a combining stroke) so that "d" finds "đ": queries are written
   the same way, and what is shown is turned back. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box) return;
  var STROKE = "\u0335", PAGE = 10, WORDS = 24;  // results a page, words an excerpt
  var form = box.querySelector("[data-search-form]");
  var input = form.elements.q, category = form.elements["chuyen-muc"], year = form.elements.nam;
  var status = box.querySelector("[data-search-status]");
  var list = box.querySelector("[data-search-results]");
  var more = box.querySelector("[data-search-more]");
  var printed = box.querySelector("[data-search-printed]");
  var root = box.getAttribute("data-root");
  var lang = document.documentElement.lang || "vi";
  var engine = null, changes = null, shown = null, serial = 0, timer = 0, settled = true, dropped = [];

  box.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;  // without this script the form could only reload the page

  function indexForm(text) {
    return text.normalize("NFC").replace(/đ/g, "d" + STROKE).replace(/Đ/g, "D" + STROKE);
  }
  function shownForm(text) {
    return String(text || "").replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  }
  function folded(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  /* Words as Pagefind takes them: between spaces, and a word with punctuation also without it
     ("03/2026/NQ" as "032026nq") and as its parts ("03", "2026", "nq"). */
  function terms(text) {
    return folded(text).split(/\s+/).filter(Boolean);
  }
  function joined(term) {
    return term.replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function parts(term) {
    return term.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function say(key, values) {
    var text = box.getAttribute("data-" + key) || "";
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function load() {
    if (!engine) {
      engine = import(root + "pagefind/pagefind.js").then(function (pagefind) {
        return pagefind.options({ basePath: root + "pagefind/", baseUrl: root, noWorker: true, excerptLength: WORDS })
          .then(function () { return fetch(root + "pagefind/changes.json", { cache: "no-cache" }); })
          .then(function (answer) { return answer.ok ? answer.json() : { delta: false, drop: [], fresh: [] }; })
          .then(function (found) {
            changes = { drop: new Set(found.drop || []), fresh: new Set(found.fresh || []),
              pads: new Set(found.pads || []) };
            return found.delta ? pagefind.mergeIndex(root + "pagefind-delta/", { baseUrl: root, excerptLength: WORDS })
              : null;
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

  /* The query in the address. A search settled (the page opened with it, Enter, a filter, Back) keeps its
     own history entry: typing after it adds one, then replaces it until the next settles, so Back returns
     to each search made and not to every letter typed. */
  function keepAddress(settles) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (category.value) params.set("chuyen-muc", category.value);
    if (year.value) params.set("nam", year.value);
    var query = params.toString(), address = location.pathname + (query ? "?" + query : "");
    if (address !== location.pathname + location.search) {
      history[settled ? "pushState" : "replaceState"](null, "", address);
    }
    settled = !!settles;
  }
  function readAddress() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    category.value = params.get("chuyen-muc") || "";
    year.value = params.get("nam") || "";
    dropped = [];  // a filter the address names that the page does not have (an old or mistyped link)
    [category, year].forEach(function (field) {
      if (field.selectedIndex < 0) {
        dropped.push(params.get(field.name));
        field.value = "";
      }
    });
  }

  /* A page changed since the main index was built is in the small delta index (its entries are
     `fresh`), and the main index's entry for it is dropped: [main results, fresh results]. The delta also
     holds a sample of unchanged pages for its scores (`pads`, sitegen/search.py): never results, as the
     main index has those pages. */
  function groups(results) {
    var seen = new Set(), found = [[], []];
    results.forEach(function (result) {
      if (seen.has(result.id) || changes.pads.has(result.id)) return;
      seen.add(result.id);
      var fresh = changes.fresh.has(result.id);
      if (!fresh && changes.drop.has(result.id)) return;
      found[fresh ? 1 : 0].push(result);
    });
    return found;
  }

  /* Pagefind matches the words of a page's text and of its meta (title, category, dates), and shortens a
     query word that no indexed word starts with ("van" -> "va") until one does, so a word found only in
     the other index, or in none, would give loose matches: a group whose best result lacks a word of the
     query is left out whole (when one of its results lacks it, all of them do). A word typed with
     punctuation is there when a word of the page starts with it without the punctuation ("032026" of
     "03/2026/NQ-HĐND"), or has its parts in a row ("NQ-HĐND", "KH-UBND" of "38/KH-UBND"; the last part
     as typed so far: the start of a part). */
  function contains(data, query) {
    var words = terms([data.content].concat(Object.values(data.meta)).join(" "));
    return terms(query).every(function (term) { return words.some(function (word) { return matches(word, term); }); });
  }
  function matches(word, term) {  // both folded
    var want = parts(term), have = parts(word);
    return joined(word).indexOf(joined(term)) === 0 || have.some(function (_, at) {
      return want.length > 0 && want.every(function (part, i) {
        var piece = have[at + i] || "";
        return i === want.length - 1 ? piece.indexOf(part) === 0 : piece === part;
      });
    });
  }

  function trusted(results, query) {
    var found = groups(results);
    return Promise.all(found.map(function (group) {
      if (!group.length) return true;
      return group[0].data().then(function (data) { return contains(data, query); });
    })).then(function (kept) {
      var keep = new Set((kept[0] ? found[0] : []).concat(kept[1] ? found[1] : []));
      return pager(results.filter(function (result) { return keep.has(result); }));
    });
  }

  /* What a search shows: how many, and the data of those from `start` to `end`. */
  function pager(results) {
    return { total: results.length, slice: function (start, end) {
      return Promise.all(results.slice(start, end).map(function (result) { return result.data(); }));
    } };
  }

  /* Without words: the pages of the filters, newest first. The main index holds its pages in that order
     (sitegen/search.py); the pages of the delta come after them and are put in their place. The first
     `end` pages are among the main index's first `end` and the delta's. */
  function listing(results) {
    var found = groups(results);
    return Promise.all(found[1].map(function (result) { return result.data(); })).then(function (fresh) {
      return { total: found[0].length + fresh.length, slice: function (start, end) {
        return pager(found[0]).slice(0, end).then(function (data) {
          return data.concat(fresh).sort(newer).slice(start, end);
        });
      } };
    });
  }
  function newer(a, b) {
    return compared(b.meta.day || "", a.meta.day || "") || compared(a.url, b.url);
  }
  function compared(x, y) {
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function run(settles) {
    var query = input.value.trim(), chosen = filters(), mine = ++serial;
    keepAddress(settles === true);
    if (!query && !Object.keys(chosen).length) {
      list.textContent = "";
      status.textContent = "";
      printed.textContent = "";
      more.hidden = true;
      box.removeAttribute("aria-busy");  // a search still running no longer will: it is not the newest
      return;
    }
    box.setAttribute("aria-busy", "true");
    load().then(function (pagefind) {
      return pagefind.search(query ? indexForm(query) : null, { filters: chosen });
    }).then(function (found) {
      return query ? trusted(found.results, query) : listing(found.results);
    }).then(function (results) {
      if (mine !== serial) return;
      shown = results;
      shown.query = query;
      list.textContent = "";
      status.textContent = (dropped.length ? leftOut() + " " : "") + summary(query, chosen, results.total);
      dropped = [];  // said once: the next search is the reader's own
      return showMore();
    }).catch(function () {
      if (mine === serial) status.textContent = say("failed", {});
    }).then(function () {
      if (mine === serial) box.removeAttribute("aria-busy");
    });
  }

  /* The status line, which also says what was searched on a printed page (the form is not printed). */
  function summary(query, chosen, total) {
    var count = fmt(total);
    var within = [chosen.category && say("in-category", { category: chosen.category }),
      chosen.year && say("in-year", { year: chosen.year })].filter(Boolean).join(", ");
    if (query && total) {
      return say("found", { count: count }) + " " + say("query-for", { query: query }) +
        (within ? " " + say("within", { filters: within }) : "") + ".";
    }
    if (query) return within ? say("none-within", { query: query, filters: within }) : say("none", { query: query });
    var undated = !!chosen.category && (box.getAttribute("data-undated") || "").split("\n").indexOf(chosen.category) >= 0;
    return total ? say(undated ? "listed-undated" : "listed", { count: count, filters: within }) :
      say("listed-none", { filters: within });
  }

  /* The filters of the address that the page does not have, said once (readAddress). */
  function leftOut() {
    return dropped.map(function (value) { return say("dropped", { value: value }); }).join(" ");
  }
  function fmt(number) {
    return new Intl.NumberFormat(lang).format(number);
  }

  function showMore() {
    var start = list.children.length, mine = serial;
    return shown.slice(start, start + PAGE).then(function (data) {
      if (mine !== serial || list.children.length !== start) return;
      data.forEach(function (item) { list.appendChild(row(item, shown.query)); });
      more.hidden = list.children.length >= shown.total;
      printed.textContent = more.hidden ? "" :  // on paper: how many of them are printed
        say("printed", { shown: fmt(list.children.length), total: fmt(shown.total) });
    });
  }

  function row(data, query) {
    var item = document.createElement("li"), heading = document.createElement("h2"), link = document.createElement("a");
    item.className = "search-result";
    link.href = data.url;
    link.setAttribute("data-address", link.href);  // the whole address, which a printed page shows
    marking(link, shownForm(data.meta.title), query);
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
      meta.appendChild(document.createTextNode(shownForm(data.meta.category)));
    }
    if (meta.firstChild) item.appendChild(meta);
    item.appendChild(excerpt(data.excerpt, data.content, data.meta.title, query));
    return item;
  }

  /* Pagefind's excerpt is text with <mark> around the words it matched (and < > escaped): its text is
     kept, with "…" where it starts after the page's text does or ends before it (a text the index holds
     only the start of ends in "…" itself), and the words typed are marked by `marking`, as in the title:
     Pagefind marks only around the places it matched, with their punctuation, and the words it matched
     by a shortened query word. A record's text begins with its title, shown above it already: an excerpt
     Pagefind begins in the title is the text's first words instead. */
  function excerpt(html, content, title, query) {
    var p = document.createElement("p"), shown = spaced(unescaped(String(html || "").replace(/<\/?mark>/g, "")));
    var whole = spaced(String(content || "")), head = spaced(title + ". ");
    var at = whole.indexOf(shown), text = whole.slice(head.length).trim();
    p.className = "search-result-excerpt";
    if (head.length > 2 && text && whole.indexOf(head) === 0 && at >= 0 && at <= head.length) {
      var words = text.split(" ");
      marking(p, shownForm(words.slice(0, WORDS).join(" ")), query);
      if (words.length > WORDS) p.appendChild(document.createTextNode(" …"));
      return p;
    }
    if (whole && shown && at !== 0) p.appendChild(document.createTextNode("… "));
    marking(p, shownForm(shown), query);
    if (whole && shown && whole.slice(-shown.length) !== shown) p.appendChild(document.createTextNode(" …"));
    return p;
  }
  /* `text` into `parent`, each word that a word of `query` matches (as contains: "cai" in "cải", "KH-UBND"
     in "38/KH-UBND") in a <mark>, without the punctuation around it; a query in quotes, its words in a row only. */
  function marking(parent, text, query) {
    var typed = terms(query || "").filter(function (term) { return joined(term); });
    var phrase = /^\s*".+"\s*$/.test(query || ""), tokens = text.split(/(\s+)/), marked = new Set();
    var words = tokens.map(function (token) { return /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(token); });
    function hit(at, term) {
      return !!(words[at] && words[at][2]) && matches(folded(words[at][2]), term);
    }
    words.forEach(function (_, at) {  // the words are at even places, the spaces between them at odd ones
      var run = phrase ? typed.map(function (__, k) { return at + 2 * k; }) : [at];
      var found = phrase ? run.every(function (place, k) { return hit(place, typed[k]); }) :
        typed.some(function (term) { return hit(at, term); });
      if (at % 2 === 0 && found) run.forEach(function (place) { marked.add(place); });
    });
    tokens.forEach(function (token, at) {
      if (marked.has(at)) {
        var mark = document.createElement("mark");
        mark.textContent = words[at][2];
        parent.append(words[at][1], mark, words[at][3]);
      } else if (token) {
        parent.appendChild(document.createTextNode(token));
      }
    });
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

  function settle() {
    clearTimeout(timer);
    run(true);
  }

  readAddress();
  if (!input.value.trim()) input.focus();  // opened to search: the field is ready for the words (results: not)
  input.addEventListener("input", later);
  category.addEventListener("change", settle);
  year.addEventListener("change", settle);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    settle();
  });
  window.addEventListener("popstate", function () {
    readAddress();
    settled = false;  // this entry is the one to correct, if a filter it names is gone
    settle();
  });
  more.addEventListener("click", function () {
    var next = list.children.length;
    showMore().then(function () {
      var first = list.children[next] && list.children[next].querySelector("a");
      if (first) first.focus();
    });
  });
  settled = false;
  if (input.value || category.value || year.value) run(true);
  else input.addEventListener("focus", load, { once: true });
  if (!serial && dropped.length) {  // nothing left to search: the sentence alone
    status.textContent = leftOut();
    keepAddress(true);
  }
})();
