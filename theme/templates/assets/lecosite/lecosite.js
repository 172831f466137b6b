/* lecosite: path context, catalog filters and the video facade.
 * Plain script, no dependencies. Listeners are delegated on `document` once, and
 * per-page work runs on Material's `document$` (emits after every instant navigation). */
(function () {
  "use strict";
  var KEY = "lecosite.path";

  function store(id) {
    try { sessionStorage.setItem(KEY, id); } catch (e) { /* storage off: context is per page */ }
  }
  function stored() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }
  function words(value) { return (value || "").split(" ").filter(Boolean); }

  /* The path a learner follows: ?path=…, else the one they came through, else the first. */
  function pathContext(paths) {
    var asked = new URLSearchParams(location.search).get("path");
    var id = [asked, stored()].filter(function (p) { return p && paths.indexOf(p) >= 0; })[0];
    return id || paths[0] || null;
  }

  function showPathNav(root) {
    var header = root.querySelector("[data-ls-module]");
    if (!header) return;
    var id = pathContext(words(header.getAttribute("data-ls-paths")));
    if (!id) return;
    store(id);
    root.querySelectorAll("[data-ls-pathnav]").forEach(function (nav) {
      nav.hidden = nav.getAttribute("data-ls-pathnav") !== id;
    });
    document.documentElement.setAttribute("data-ls-current-path", id);
  }

  function filterCatalog(form) {
    var catalog = form.closest("[data-ls-catalog]");
    var chosen = {};
    form.querySelectorAll("[data-ls-facet]").forEach(function (select) {
      if (select.value) chosen[select.getAttribute("data-ls-facet")] = select.value;
    });
    var cards = catalog.querySelectorAll("[data-ls-card]");
    var shown = 0;
    cards.forEach(function (card) {
      var match = Object.keys(chosen).every(function (facet) {
        return words(card.getAttribute("data-" + facet)).indexOf(chosen[facet]) >= 0;
      });
      card.hidden = !match;
      if (match) shown += 1;
    });
    var count = catalog.querySelector("[data-ls-count]");
    if (count) count.textContent = shown === cards.length
      ? cards.length + " paths" : shown + " of " + cards.length + " paths";
    var empty = catalog.querySelector("[data-ls-empty]");
    if (empty) empty.hidden = shown > 0;
  }

  function playFacade(button) {
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-ls-embed");
    frame.title = button.getAttribute("data-ls-title");
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.className = "ls-video__iframe";
    button.replaceWith(frame);
    frame.focus();
    frame.dispatchEvent(new CustomEvent("lecosite:player", { bubbles: true }));
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-ls-filters]");
    if (form) filterCatalog(form);
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-ls-filters]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var facade = event.target.closest && event.target.closest("[data-ls-embed]");
    if (facade) playFacade(facade);
  });

  function onPage() {
    showPathNav(document);
    var pathPage = document.querySelector("[data-ls-path-page]");
    if (pathPage) store(pathPage.getAttribute("data-ls-path-page"));
    var filters = document.querySelector("[data-ls-filters]");
    if (filters) filterCatalog(filters);
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
