/* tracking: module completion, knowledge checks and the "was this helpful?" rating, sent
 * as xAPI through the beacon. Listens to the events the portal dispatches on document. */
/* At most 999 characters, cut between characters: half an emoji is not valid text. */
const cut = s => [...s].slice(0, 999).join("");
const record = (d, v, id, t, r, ex) => {
  if (d.score >= 0 && d.score <= 1) r.score = { scaled: d.score };
  const m = iri("module", d.module);
  return track(v, act(m + id, t), ctx(d.version, d.path || V?.id == d.module && V.p,
    id ? { parent: [act(m, "module")] } : {}, ex), r);
};
/* "Undo" voids every completion of the module this actor sent: their ids are kept by module
 * (store "sids"), and forgotten with the actor (L.reset, L.optOut). */
const sids = (m, add) => {
  const s = json(store("sids")) || {}, had = s[m] || [];
  s[m] = add ? [...had, add] : [];
  store("sids", JSON.stringify(s));
  return had;
};
on("lecosite:complete", ({ detail: d }) => {
  const id = record(d, "completed", "", "module", { completion: true });
  id && sids(d.module, id);
});
on("lecosite:undo", ({ detail: d }) => sids(d.module).map(id => track("voided",
  { objectType: "StatementRef", id })));
on("lecosite:check", ({ detail: d }) => record(d, "answered",
  "check/" + encodeURIComponent(d.question), "question",
  { success: !!d.correct, response: cut("" + (d.response ?? "")) },
  { [I.objective]: d.objective }));
on("lecosite:check-result", ({ detail: d }) => record(d, d.passed ? "passed" : "failed",
  "check", "check", { success: !!d.passed }));

/* The rating block is shown only while statements can be sent, with the learner's last
 * rating of the module chosen (store "rated", forgotten with the actor): sending again
 * replaces it in the report. */
const rated = () => json(store("rated")) || {};
page(() => $$("[data-ls-rating]").map(b => {
  const n = rated()[b.dataset.lsRating], f = $("form", b), t = $("[data-ls-rated]", b);
  b.hidden = !can();
  n && f && (f.rating.value = n, t.textContent = fill(t.dataset.lsRated, { n }), t.hidden = 0);
}));
on("submit", e => {
  const f = e.target, n = +f.rating?.value, c = cut(f.comment?.value.trim() || ""),
    b = f.closest("[data-ls-rating]"), r = rated();
  if (!b) return;
  e.preventDefault();
  /* A likert question (see xapi.rating_activity); the comment goes in an extension. Not
   * sent if the learner opted out in another tab meanwhile: the page says so. */
  const sent = n && track("responded", { id: V.o.id + "rating", definition: { type: I.question,
    interactionType: "likert" } }, ctx(V.v, V.p, { parent: [V.o] }), { score: { raw: n,
    min: 1, max: 5 }, response: "" + n, extensions: c ? { [I.comment]: c } : void 0 });
  sent && (r[b.dataset.lsRating] = n, store("rated", JSON.stringify(r)));
  flush();
  /* Focus follows the form it replaces, or a keyboard user starts over at the top. */
  const done = Object.assign(D.createElement("p"), { textContent: f.dataset[sent ? "lsThanks"
    : "lsUnsent"],
    tabIndex: -1 });
  f.replaceWith(done);
  done.focus();
});
/* The opt-out is kept in storage, for every tab. Where the browser keeps no site data, L.off
 * keeps it while this page is open, and the learner is told it will not last. */
L.optOut = () => { L.reset(); L.off = !store("optout", 1); store("q", ""); mem = [] };
L.optIn = () => { L.off = 0; store("optout", "") };
on("click", ({ target: t }) => {
  const b = t.closest?.("[data-ls-optout]")?.closest("[data-ls-rating]");
  if (!b) return;
  L.optOut();
  const p = $(`[data-ls-said=off${L.off ? "-visit" : ""}]`, b);
  p.hidden = 0;
  b.replaceChildren(p);
  p.tabIndex = -1;
  p.focus();
});
