/* beacon, the core of analytics: anonymous xAPI statements for page views and time on page,
 * and the queue every statement goes through. The config names the collector and gives the
 * IRIs (L.iri, from lecosite/xapi.py). Silent without a collector, under Do Not Track,
 * Global Privacy Control or an opt-out (L.off: see tracking.js). Statements wait in localStorage until the collector
 * acknowledged them. */
const N = navigator, S = L.site, I = L.iri;
/* crypto.randomUUID needs a secure context (https, localhost): elsewhere, stay silent. */
const can = () => !!(L.collector && N.doNotTrack != 1 && !N.globalPrivacyControl
  && !L.off && !store("optout") && self.crypto?.randomUUID);
let me, V, mem = [], full, busy, wait = 0, delay = 5e3, max = 40, timer;
const uuid = () => crypto.randomUUID();
const iri = (k, id) => S + k + "s/" + id + "/";
const act = (id, t) => ({ id, definition: { type: I[t] } });
/* Context: the content version, the learner's path as grouping, and any extras. */
const ctx = (v, p, ca = {}, ex = {}) => {
  ex[I.version] = v;
  if (p) ca.grouping = [act(iri("path", p), "path")];
  return { contextActivities: ca, extensions: ex };
};
/* mem: the queue when this browser has no stored queue or its last write failed (full:
 * the stored queue is behind; site data blocked); an empty stored queue (another tab opted
 * out) stays empty. */
const queue = () => { const q = store("q"); return q == null || full ? mem : json(q) || [] };
const keep = q => full = !store("q", JSON.stringify(mem = q.slice(-500)));

/* A string body goes as text/plain: a CORS simple request, no preflight to wait for.
 * Browsers refuse keepalive bodies over 64 KB: a batch is halved until it fits. A refused
 * batch (4xx) loses only the statement the collector names (index); without a name, the
 * batch is halved until the statement refused is alone. Reading the answer ends the
 * request, so its bytes stop counting against the keepalive quota. */
const flush = L.flush = safe(() => {
  let q = queue().slice(0, max);
  while (q[1] && new Blob([JSON.stringify(q)]).size > 6e4) q = q.slice(0, q.length >> 1);
  const ids = q.map(s => s.id);
  if (can() && !busy && q[0] && Date.now() > wait) {
    busy = fetch(L.collector, { method: "POST", keepalive: true, body: JSON.stringify(q) })
      .then(r => {
        if (r.status == 429 || r.status > 499) throw 0;
        return r.json().catch(() => 0).then(e => {
          const drop = r.ok ? ids : e?.index >= 0 ? [ids[e.index]] : q[1] ? [] : ids;
          keep(queue().filter(s => !drop.includes(s.id)));
          max = drop[0] ? 40 : q.length >> 1;
          busy = 0; delay = 5e3; flush();
        });
      }).catch(() => {
        busy = 0; wait = Date.now() + (delay = Math.min(delay * 2, 3e5));
        setTimeout(flush, delay);
      });
  }
});

/* The opt-out and the actor are read from storage each time: another tab may have changed
 * them. A new actor the browser does not keep is read back from store()'s memory (site data
 * blocked), else kept in me (storage full). Returns the statement's id, which a voiding
 * statement names. */
const track = L.track = (v, o, c, r, id = uuid()) => {
  if (!can()) return;
  me = store("actor") || store("actor", uuid()) || store("actor") || me || uuid();
  keep([...queue(), { id, timestamp: new Date().toISOString(),
    actor: { account: { homePage: S, name: me } }, verb: { id: I[v] }, object: o,
    context: c, result: r }]);
  clearTimeout(timer); timer = setTimeout(flush, 1e3);
  return id;
};

/* Time on page counts while the page is visible: V.t moves forward by hidden spells. */
const end = () => {
  if (!V) return;
  dispatchEvent(new Event("lecosite:leave"));
  V.n && track("terminated", V.o, V.c,
    { duration: "PT" + ((D.hidden ? V.s : Date.now()) - V.t) / 1e3 + "S" });
  V = L.view = 0;
};
/* One view per page: document$ emits once per (instant) navigation, and again for a link
 * to an anchor on the same page, which is not a new view. V holds the module's fields (id,
 * v, p) so a video can still name it while its page is left. */
const view = () => {
  if (V?.u == location.pathname) return;
  end();
  const h = M?.h || $("[data-ls-path-page]"), d = h?.dataset, k = M ? "module" : h ? "path"
    : "page", now = Date.now();
  V = L.view = { v: d?.lsVersion, ...M, c: ctx(d?.lsVersion, M?.p), t: now, s: now,
    u: location.pathname, n: can(), /* n: its start was sent, so its end is too */
    o: act(h ? iri(k, M?.id || d.lsPathPage) : location.origin + location.pathname, k) };
  track("experienced", V.o, V.c);
};

L.on = can; /* for the privacy controls on "Your progress" (pages.js) */
/* A new actor: the ids of the old one's completions go too, or an "Undo" would link both. */
L.reset = () => { store("actor", me = ""); store("sids", ""); store("rated", "") };

on("visibilitychange", () => {
  if (V) D.hidden ? V.s = Date.now() : V.t += Date.now() - V.s;
  D.hidden && flush();
});
on("pagehide", () => { end(); flush() }, self);
on("pageshow", e => e.persisted && view(), self);
page(view);
