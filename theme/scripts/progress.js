/* progress: kept in this browser only (localStorage; no account, no cookie). A module is
 * done when completed at the same major version; a major bump asks for a review. A pass
 * counts for the major version it was earned at. L.progress serves pages.js and
 * certificate.js, which read modules as "id@version:checks" tokens. */
let lost; /* the last save failed: site data blocked, or storage full */
const load = () => {
    const d = json(store("progress"));
    return d?.modules ? d : { v: 1, modules: {} };
  },
  save = d => {
    const r = store("progress", JSON.stringify(d));
    lost = r == null;
    return r;
  },
  today = () => new Date().toLocaleDateString("en-CA"), /* the learner's date, not UTC's */
  major = v => parseInt(v) || 0,
  parse = t => {
    const m = /^([^@]+)@([^:]+)(?::(\d+))?$/.exec(t) || [];
    return { id: m[1], version: m[2], checks: +(m[3] || 0) };
  },
  /* "done", "review" (a major update since), "started" or "new" */
  state = (r, v) => r?.done ? major(r.version) < major(v) ? "review" : "done"
    : r?.started ? "started" : "new",
  update = (id, v, f) => {
    const d = load(), r = d.modules[id] ||= {};
    f(r);
    r.done || (r.version = v);
    save(d);
    return r;
  },
  /* This page's module needs a passed check (at its major version) to complete. */
  blocked = r => M.h.hasAttribute("data-ls-check-required") && state(r, M.v) != "done"
    && !(r?.passed && major(r.checked || r.version) >= major(M.v));
L.progress = { load, save, state, parse, today };

/* The module page: started on first view, the review notice and the "Mark complete" button.
 * Shown again (o) when another tab changed progress: a reset there stays a reset. */
const mark = (_, o) => {
  const b = $("[data-ls-complete] button"), n = $("[data-ls-complete-note]"),
    rv = $("[data-ls-review]");
  if (!M) return;
  let r = load().modules[M.id];
  o || r?.started || r?.done || (r = update(M.id, M.v, x => x.started = today()));
  const st = state(r, M.v), no = blocked(r), done = st == "done",
    asked = $$("form[data-ls-check]").length;
  if (rv) rv.hidden = st != "review";
  /* Back on the page, the result of the check (as many questions, this major version),
   * until answered anew. */
  asked && r?.asked == asked && major(r.checked) == major(M.v) && !$("[data-ls-result]")
    && scored($("[data-ls-check-score]"), "last-" + (r.passed ? "passed" : "failed"),
      Math.round(r.score * asked), asked);
  if (!b) return;
  /* aria-disabled, not disabled: Tab still reaches the button, and it is described by the
   * note saying why (aria-describedby); the click is refused below. */
  b.setAttribute("aria-disabled", no);
  b.dataset.lsMarked = done; /* the label says the state: no aria-pressed (see APG toggles) */
  b.textContent = b.getAttribute(done ? "data-ls-undo" : "data-ls-mark");
  /* The first view saved "started": nothing there means the browser keeps no site data. */
  n.textContent = lost || !o && store("progress") == null ? n.dataset.lsNostore
    : no ? n.dataset.lsBlocked
    : done ? fill(n.dataset.lsDone, r) : "";
};
/* "undo" lets tracking take the completion back from the report too. */
const finish = (id, v, done = 1) => {
  update(id, v, r => {
    r.done = done && today();
    done && (r.version = v);
  });
  emit(done ? "complete" : "undo", { module: id, version: v, path: M?.p || null });
  mark();
};
page(mark);
/* The button does what it says: if another tab changed the module meanwhile, the click
 * only shows that (an "Undo" would take back the other tab's completion). Another tab's
 * change is shown as it happens, too. While blocked (aria-disabled), it says why again:
 * the note is emptied and filled anew, as a live region unchanged is not read out. */
on("click", ({ target: t }) => {
  const b = t.closest?.("[data-ls-complete] button"), r = M && load().modules[M.id],
    done = M && state(r, M.v) == "done";
  b && M && (blocked(r) ? ($("[data-ls-complete-note]").textContent = "", setTimeout(mark, 150))
    : b.dataset.lsMarked == "" + done ? finish(M.id, M.v, !done) : mark());
});
on("storage", e => e.key == "lecosite.progress" && mark(0, 1), self);
/* Likewise on a page the browser kept while the learner was away (Back from another site). */
on("pageshow", e => e.persisted && mark(0, 1), self);
/* A pass stands for its major version: a later wrong answer does not take it back. A pass
 * on a done module completes it again, today (so an expired certificate can be renewed). */
on("lecosite:check-result", ({ detail: d }) => {
  update(d.module, d.version, x => x.passed && !d.passed && major(x.checked) >= major(d.version)
    || Object.assign(x, { score: d.score, passed: d.passed, checked: d.version, asked: d.asked }));
  d.passed ? finish(d.module, d.version) : mark();
});
/* A video watched past the module's share (data-ls-video-complete) completes it. */
const watched = share => {
  const r = M && load().modules[M.id];
  M && share >= M.h.dataset.lsVideoComplete && state(r, M.v) != "done" && !blocked(r)
    && finish(M.id, M.v);
};
