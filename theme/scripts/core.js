/* core: helpers every part shares, the module and path of the page, the video facade and
 * the scripts of special pages. The bundle (lecosite/scripts.py) puts the config first and
 * wraps the parts in one function that defines L (window.lecosite) and D (document).
 * Nothing may throw into Material's page: handlers go through safe(). Words a learner
 * reads come from the templates (data attributes), so they can be translated there. */
const safe = f => (...a) => { try { return f(...a) } catch { /* never break the page */ } };
/* store(k) reads "lecosite.<k>", store(k, v) writes it and answers v once kept; t: this
 * tab only (sessionStorage). Where the browser keeps no site data (storage throws), values
 * live in memory for the visit (instant navigation keeps them): a write answers null, so
 * the page can still say they will be lost. */
const kept = {}, store = safe((k, v, t) => {
  let s = kept;
  try { s = t ? sessionStorage : localStorage } catch { /* site data blocked */ }
  k = "lecosite." + k;
  return v == null ? s[k] : (s[k] = v, s != kept ? v : null);
});
const json = safe(JSON.parse);
const $ = (s, r = D) => r.querySelector(s), $$ = s => [...D.querySelectorAll(s)];
/* Capturing listeners on document (or t): media events do not bubble. */
const on = (n, f, t = D) => t.addEventListener(n, safe(f), 1);
const emit = (n, detail) => D.dispatchEvent(new CustomEvent("lecosite:" + n, { detail }));
/* "Completed on {done}." with o.done filled in. */
const fill = (s, o) => s.replace(/{(\w+)}/g, (_, k) => o[k]);
/* Per-page work: Material's document$ replays the current page, then emits after every
 * instant navigation; without Material, once (scripts sit at the end of <body>). */
const page = L.page = f => window.document$?.subscribe(safe(f)) ?? safe(f)();

/* M: this page's module (h: its header, id, v: version, p: the learner's path), or null.
 * The path is the one the learner chose: ?path=, else the one they came through in this
 * tab; "" when they came straight to the module (its first path's links are shown then,
 * but no path is credited with the visit). P: the path this page remembers for the tab. */
let M, P;
page(() => {
  const h = $("[data-ls-module]"), d = h?.dataset, ps = (d?.lsPaths || "").split(" "),
    p = $("[data-ls-path-page]")?.dataset.lsPathPage || [new URLSearchParams(location.search)
      .get("path"), store("path", null, 1)].find(x => x && ps.includes(x)) || "";
  M = h && { h, id: d.lsModule, v: d.lsVersion, p };
  if (h) {
    $$("[data-ls-pathnav]").map(n => n.hidden = n.dataset.lsPathnav != (p || ps[0]));
    D.documentElement.dataset.lsCurrentPath = p;
  }
  (P = p) && store("path", p, 1);
});
/* Back to a page the browser kept (back/forward cache): the tab may remember a path chosen
 * since, but the next module continues the one this page shows and credits. */
on("pageshow", e => e.persisted && P && store("path", P, 1), self);

/* After an instant navigation Material leaves focus on <body>: a keyboard or screen-reader
 * user starts on the new page's heading, as after a page load (unless a link named an
 * anchor, which Material scrolls to). The first emission is the page as loaded. The
 * heading is the content's: search results hold headings too. */
let nav;
page(() => {
  const h = nav && !location.hash && $(".md-content h1");
  nav = 1;
  h && (h.tabIndex = -1, h.focus({ preventScroll: true }));
});

/* Material wraps a content table in a box that scrolls sideways, on a phone say, but Tab
 * never stops on it: the columns past the edge were out of a keyboard's reach (WCAG 2.1.1).
 * While it overflows it takes focus, and the arrow keys scroll it, as Material does for a
 * code block; a table that fits is no stop. Checked again when its width changes. */
const wide = new ResizeObserver(safe(s => s.map(({ target: w }) =>
  w.scrollWidth > w.clientWidth ? w.tabIndex = 0 : w.removeAttribute("tabindex"))));
page(() => (wide.disconnect(), $$(".md-typeset__scrollwrap").map(w => wide.observe(w))));

/* A YouTube or Vimeo player is created only when the learner asks for it. */
on("click", ({ target: t }) => {
  const b = t.closest?.("[data-ls-embed]"), f = D.createElement("iframe");
  if (!b) return;
  Object.assign(f, { src: b.dataset.lsEmbed, title: b.dataset.lsTitle,
    allow: "autoplay; fullscreen; picture-in-picture; encrypted-media",
    className: "ls-video__iframe" });
  b.replaceWith(f);
  f.focus();
  listen(f);
});

/* Catalog, path, progress, certificate and governance pages name the script they need
 * (data-ls-script): it loads once, on the first such page, and follows pages by L.page. */
const base = D.currentScript?.src, loaded = {};
page(() => $$("[data-ls-script]").map(({ dataset: { lsScript: n } }) => loaded[n] ||=
  D.body.appendChild(Object.assign(D.createElement("script"), { src: new URL(n + ".js", base) }))));
