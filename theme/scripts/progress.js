/* progress: kept in this browser only (localStorage; no account, no cookie). A module is
 * done when completed at the same major version; a major bump asks for a review. A pass
 * counts for the major version it was earned at. L.progress serves pages.js and
 * certificate.js, which read modules as "id@version:checks" tokens. */
const load = () => {
    const d = json(store("progress"));
    return d?.modules ? d : { v: 1, modules: {} };
  },
  save = d => store("progress", JSON.stringify(d)),
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
  blocked = (m, r) => m.h.hasAttribute("data-ls-check-required") && state(r, m.v) != "done"
    && !(r?.passed && major(r.checked || r.version) >= major(m.v));
L.progress = { load, save, state, parse, today };

/* The module page: started on first view, the review notice and the "Mark complete" button. */
const mark = () => {
  const m = here(), b = $("[data-ls-complete] button"), n = $("[data-ls-complete-note]"),
    rv = $("[data-ls-review]");
  if (!m) return;
  let r = load().modules[m.id];
  r?.started || r?.done || (r = update(m.id, m.v, x => x.started = today()));
  const st = state(r, m.v), no = blocked(m, r);
  if (rv) rv.hidden = st != "review";
  if (!b) return;
  b.disabled = no;
  b.setAttribute("aria-pressed", st == "done");
  b.textContent = st == "done" ? "Completed ✓ (undo)" : "Mark complete";
  n.textContent = no ? "Pass this module's knowledge check to complete it."
    : st == "done" ? `Completed on ${r.done} at version ${r.version}.` : "";
};
const finish = (id, v, done = 1) => {
  update(id, v, r => {
    r.done = done && today();
    done && (r.version = v);
  });
  done && emit("complete", { module: id, version: v,
    path: D.documentElement.dataset.lsCurrentPath || null });
  mark();
};
page(mark);
on("click", ({ target: t }) => {
  const m = t.closest?.("[data-ls-complete] button") && here();
  m && finish(m.id, m.v, state(load().modules[m.id], m.v) != "done");
});
on("lecosite:check-result", ({ detail: d }) => {
  const r = update(d.module, d.version, x => Object.assign(x, { score: d.score,
    passed: d.passed, checked: d.version }));
  d.passed && state(r, d.version) != "done" ? finish(d.module, d.version) : mark();
});
/* A video watched past the module's share (data-ls-video-complete) completes it. */
const watched = share => {
  const m = here(), r = m && load().modules[m.id];
  m && share >= m.h.dataset.lsVideoComplete && state(r, m.v) != "done" && !blocked(m, r)
    && finish(m.id, m.v);
};
