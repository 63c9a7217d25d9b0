/* WayOut Practice Repository: the practice explorer (/practices/).
 *
 * Enhances the server-rendered list of cards, which works on its own without JavaScript:
 * shows the filter form, then filters (AND across facets, OR within one), searches and
 * sorts the cards in place. Each filter value shows how many practices have it given the
 * other facets' choices and the search; the whole state lives in the URL query string
 * (?category=aftercare&country=de&country=nl&text=family&sort=reviewed).
 *
 * Built to stay fast with thousands of cards: each card's values are read once into
 * arrays of indices, one pass over the cards per change computes visibility and every
 * count, cards are shown and hidden with the `hidden` attribute only when that changes,
 * and they are reordered (with a DocumentFragment) only when the sort order changes. At
 * most BATCH matching cards are shown at a time, with a "Show more" button for the next
 * ones, so that the browser never lays out thousands of cards after a click.
 *
 * No dependencies, no inline script. Works with and without Material's instant navigation.
 */
(function () {
  "use strict";

  if (window.__woExplorerLoaded) {
    return; // instant navigation may run this file again; one subscription is enough
  }
  window.__woExplorerLoaded = true;

  // Not "q": Material's site search claims ?q= (it opens its search dialog with it).
  var TEXT_PARAM = "text";
  var SORTS = ["title", "start", "reviewed"];
  var DEFAULT_SORT = "title";
  var BATCH = 48; // cards shown at a time (a multiple of 1, 2, 3 and 4 columns)
  var ANNOUNCE_DELAY_MS = 400; // while typing, the live count is announced once typing pauses
  var WIDE = "(min-width: 60em)"; // filters beside the list from here; collapsed below
  var NONE = [];

  var current = null; // the explorer on the page being shown, if any

  /* Lower case without accents: the same folding as the build's search text. */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  function plural(count, word) {
    return word + (count === 1 ? "" : "s");
  }

  function createExplorer(root) {
    var form = root.querySelector("[data-wo-form]");
    var list = root.querySelector("[data-wo-list]");
    var search = root.querySelector("[data-wo-text]");
    var sortSelect = root.querySelector("[data-wo-sort]");
    var status = root.querySelector("[data-wo-status]");
    var bar = root.querySelector("[data-wo-bar]");
    var empty = root.querySelector("[data-wo-empty]");
    var panel = root.querySelector("[data-wo-panel]");
    var activeLabel = root.querySelector("[data-wo-active]");
    var more = root.querySelector("[data-wo-more]");
    var done = root.querySelector("[data-wo-done]");
    if (!form || !list || !search || !sortSelect || !status) {
      return null;
    }

    /* Facets: one per fieldset, each value a checkbox. */
    var facets = Array.prototype.map.call(
      form.querySelectorAll("fieldset[data-facet]"),
      function (fieldset) {
        var boxes = Array.prototype.slice.call(
          fieldset.querySelectorAll('input[type="checkbox"]')
        );
        var index = new Map();
        boxes.forEach(function (box, k) {
          index.set(box.value, k);
        });
        return {
          name: fieldset.getAttribute("data-facet"),
          boxes: boxes,
          index: index,
          active: new Uint8Array(boxes.length),
          activeCount: 0,
          counts: new Int32Array(boxes.length),
          shown: new Int32Array(boxes.length).fill(-1),
          countEls: boxes.map(function (box) {
            return box.parentNode.querySelector("[data-wo-count]");
          }),
          items: boxes.map(function (box) {
            return box.parentNode;
          }),
        };
      }
    );
    var facetByName = new Map();
    facets.forEach(function (facet, f) {
      facetByName.set(facet.name, f);
    });

    /* Cards: read once. vals[f] holds the indices of the card's values in facet f. */
    var cards = Array.prototype.map.call(list.children, function (el, i) {
      var vals = facets.map(function (facet) {
        var raw = el.getAttribute("data-" + facet.name);
        if (!raw) {
          return NONE;
        }
        var out = [];
        raw.split(" ").forEach(function (id) {
          var k = facet.index.get(id);
          if (k !== undefined) {
            out.push(k);
          }
        });
        return out;
      });
      var start = parseInt(el.getAttribute("data-start") || "", 10);
      var text = el.getAttribute("data-text");
      return {
        el: el,
        vals: vals,
        text: text === null ? fold(el.textContent || "") : text,
        order: i,
        start: isNaN(start) ? null : start,
        reviewed: el.getAttribute("data-reviewed") || "",
        shown: !el.hidden,
      };
    });
    var total = cards.length;
    var textOk = new Uint8Array(total).fill(1);
    var words = "";
    var appliedSort = DEFAULT_SORT;
    var orders = {};
    var frame = 0;
    var announceTimer = 0;
    var visible = total; // cards that match
    var limit = BATCH; // of which at most this many are shown

    /* --- Filtering and counting: one pass over the cards. --- */

    function setQuery(value) {
      var folded = fold(value).split(/\s+/).filter(Boolean);
      var key = folded.join(" ");
      if (key === words) {
        return;
      }
      words = key;
      for (var i = 0; i < total; i++) {
        var text = cards[i].text;
        var ok = 1;
        for (var w = 0; w < folded.length; w++) {
          if (text.indexOf(folded[w]) === -1) {
            ok = 0;
            break;
          }
        }
        textOk[i] = ok;
      }
    }

    function update(typing) {
      var activeFacets = [];
      var f, k, vals, counts;
      for (f = 0; f < facets.length; f++) {
        facets[f].counts.fill(0);
        if (facets[f].activeCount > 0) {
          activeFacets.push(f);
        }
      }
      visible = 0;
      for (var i = 0; i < total; i++) {
        var card = cards[i];
        var show = false;
        if (textOk[i]) {
          // How many active facets does the card fail? A card that fails none is shown
          // and counts for every value it has; one that fails exactly one facet still
          // counts for its values in that facet (what ticking them would bring in).
          var fails = 0;
          var failed = -1;
          for (var a = 0; a < activeFacets.length; a++) {
            var fa = activeFacets[a];
            var active = facets[fa].active;
            vals = card.vals[fa];
            var ok = false;
            for (k = 0; k < vals.length; k++) {
              if (active[vals[k]]) {
                ok = true;
                break;
              }
            }
            if (!ok) {
              fails++;
              failed = fa;
              if (fails > 1) {
                break;
              }
            }
          }
          if (fails === 0) {
            visible++;
            show = visible <= limit;
            for (f = 0; f < facets.length; f++) {
              vals = card.vals[f];
              counts = facets[f].counts;
              for (k = 0; k < vals.length; k++) {
                counts[vals[k]]++;
              }
            }
          } else if (fails === 1) {
            vals = card.vals[failed];
            counts = facets[failed].counts;
            for (k = 0; k < vals.length; k++) {
              counts[vals[k]]++;
            }
          }
        }
        if (card.shown !== show) {
          card.shown = show;
          card.el.hidden = !show;
        }
      }
      renderCounts();
      if (empty) {
        empty.hidden = visible !== 0;
      }
      if (more) {
        var shown = Math.min(visible, limit);
        more.hidden = visible <= limit;
        more.textContent =
          "Show " + Math.min(BATCH, visible - shown) + " more (" + shown + " of " + visible + " shown)";
      }
      if (typing) {
        clearTimeout(announceTimer);
        announceTimer = setTimeout(announce, ANNOUNCE_DELAY_MS);
      } else {
        announce();
      }
    }

    function renderCounts() {
      var selected = 0;
      for (var f = 0; f < facets.length; f++) {
        var facet = facets[f];
        selected += facet.activeCount;
        for (var k = 0; k < facet.boxes.length; k++) {
          var n = facet.counts[k];
          if (n !== facet.shown[k]) {
            facet.items[k].classList.toggle("wo-filter__option--empty", n === 0);
            facet.shown[k] = n;
            facet.countEls[k].textContent = "(" + n + ")";
          }
        }
      }
      if (activeLabel) {
        activeLabel.textContent = selected ? " (" + selected + " selected)" : "";
      }
    }

    function announce() {
      clearTimeout(announceTimer);
      var text = visible + " of " + total + " " + plural(total, "practice");
      if (status.textContent !== text) {
        status.textContent = text;
      }
      if (done) {
        done.textContent = "Show " + (visible === 1 ? "the practice" : "the " + visible + " practices");
      }
    }

    /* --- Sorting: precomputed orders, applied only when the order changes. --- */

    function byOrder(a, b) {
      return a.order - b.order;
    }

    function order(key) {
      if (!orders[key]) {
        var sorted = cards.slice();
        if (key === "start") {
          sorted.sort(function (a, b) {
            if (a.start === b.start) return byOrder(a, b);
            if (a.start === null) return 1;
            if (b.start === null) return -1;
            return b.start - a.start;
          });
        } else if (key === "reviewed") {
          sorted.sort(function (a, b) {
            if (a.reviewed === b.reviewed) return byOrder(a, b);
            return a.reviewed < b.reviewed ? 1 : -1;
          });
        } else {
          sorted.sort(byOrder);
        }
        orders[key] = sorted;
      }
      return orders[key];
    }

    function applySort(key) {
      if (key === appliedSort) {
        return;
      }
      var fragment = document.createDocumentFragment();
      var sorted = order(key);
      for (var i = 0; i < sorted.length; i++) {
        fragment.appendChild(sorted[i].el);
      }
      list.appendChild(fragment);
      appliedSort = key;
    }

    /* --- The state in the URL. --- */

    function queryString() {
      var params = new URLSearchParams();
      facets.forEach(function (facet) {
        for (var k = 0; k < facet.boxes.length; k++) {
          if (facet.active[k]) {
            params.append(facet.name, facet.boxes[k].value);
          }
        }
      });
      var text = search.value.trim();
      if (text) {
        params.set(TEXT_PARAM, text);
      }
      if (appliedSort !== DEFAULT_SORT) {
        params.set("sort", appliedSort);
      }
      var query = params.toString();
      return query ? "?" + query : "";
    }

    function writeUrl(push) {
      var query = queryString();
      if (query === window.location.search) {
        return;
      }
      var url = window.location.pathname + query + window.location.hash;
      if (push) {
        window.history.pushState(window.history.state, "", url);
      } else {
        window.history.replaceState(window.history.state, "", url);
      }
    }

    function setChecked(f, k, on) {
      var facet = facets[f];
      if (facet.active[k] !== (on ? 1 : 0)) {
        facet.active[k] = on ? 1 : 0;
        facet.activeCount += on ? 1 : -1;
      }
      facet.boxes[k].checked = on;
    }

    /* Show the state the URL describes (on load, Back and Forward). */
    function restore() {
      var params = new URLSearchParams(window.location.search);
      facets.forEach(function (facet, f) {
        var wanted = new Set(
          params.getAll(facet.name).map(function (value) {
            return value.toLowerCase();
          })
        );
        for (var k = 0; k < facet.boxes.length; k++) {
          setChecked(f, k, wanted.has(facet.boxes[k].value));
        }
      });
      search.value = params.get(TEXT_PARAM) || "";
      setQuery(search.value);
      var sort = params.get("sort");
      sort = SORTS.indexOf(sort) === -1 ? DEFAULT_SORT : sort;
      sortSelect.value = sort;
      applySort(sort);
      limit = BATCH;
      update(false);
    }

    function clearAll(event) {
      facets.forEach(function (facet, f) {
        for (var k = 0; k < facet.boxes.length; k++) {
          setChecked(f, k, false);
        }
      });
      search.value = "";
      setQuery("");
      limit = BATCH;
      update(false);
      writeUrl(true);
      // The button in the "no match" message disappears with it: keep the focus on the page.
      if (event && empty && empty.contains(event.currentTarget)) {
        search.focus();
      }
    }

    /* --- Events. --- */

    form.addEventListener("submit", function (event) {
      event.preventDefault(); // Enter in the search box: the list is already up to date
    });
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") {
        return;
      }
      var f = facetByName.get(box.name);
      var k = f === undefined ? undefined : facets[f].index.get(box.value);
      if (k === undefined) {
        return;
      }
      setChecked(f, k, box.checked);
      limit = BATCH;
      update(false);
      writeUrl(true);
    });
    search.addEventListener("input", function () {
      if (frame) {
        return;
      }
      frame = window.requestAnimationFrame(function () {
        frame = 0;
        setQuery(search.value);
        limit = BATCH;
        update(true);
        writeUrl(false);
      });
    });
    sortSelect.addEventListener("change", function () {
      var sort = SORTS.indexOf(sortSelect.value) === -1 ? DEFAULT_SORT : sortSelect.value;
      applySort(sort);
      limit = BATCH;
      update(false); // the first cards in the new order are the ones to show
      writeUrl(true);
    });
    if (more) {
      more.addEventListener("click", function () {
        var before = limit;
        limit += BATCH;
        update(false);
        // Move the focus to the first card just shown, so reading goes on from there.
        var sorted = order(appliedSort);
        for (var i = 0, seen = 0; i < sorted.length; i++) {
          if (sorted[i].shown && ++seen > before) {
            sorted[i].el.querySelector("a").focus();
            break;
          }
        }
      });
    }
    if (done && panel) {
      // On phones, from the end of the open filters back to the list.
      done.addEventListener("click", function () {
        panel.open = false;
        status.focus();
      });
    }
    Array.prototype.forEach.call(root.querySelectorAll("[data-wo-clear]"), function (button) {
      button.addEventListener("click", clearAll);
    });

    /* Filters beside the list on wide screens (open), collapsed above it on phones. */
    if (panel && window.matchMedia) {
      var wide = window.matchMedia(WIDE);
      panel.open = wide.matches;
      var onWidth = function (event) {
        panel.open = event.matches;
      };
      if (wide.addEventListener) {
        wide.addEventListener("change", onWidth);
      }
    }

    restore();
    form.hidden = false;
    if (bar) {
      bar.hidden = false;
    }
    root.classList.add("wo-explorer--enhanced");

    return { root: root, restore: restore };
  }

  function init() {
    var root = document.querySelector("[data-wo-explorer]");
    if (!root) {
      current = null; // not the explorer page: nothing to do
      return;
    }
    if (!root.__woExplorer) {
      root.__woExplorer = createExplorer(root) || {};
    }
    current = root.__woExplorer;
  }

  window.addEventListener("popstate", function () {
    if (current && current.restore && document.body.contains(current.root)) {
      current.restore();
    }
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: on load and after each instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
