/* lecosite beacon, the core: anonymous xAPI statements for page views and time on page,
 * and the queue every other statement goes through (tracking.js: videos, checks, ratings).
 * Off unless window.lecosite.collector is set (by assets/lecosite/config.js, which also
 * carries the verb, extension and activity-type IRIs generated from lecosite/xapi.py).
 * Silent under Do Not Track, Global Privacy Control or an opt-out. Statements wait in
 * localStorage until the collector acknowledged them; nothing here may throw. */
(() => {
  const L = window.lecosite, D = document, N = navigator;
  if (!L) return;
  let me, mem = [], busy, wait = 0, delay = 5e3, timer, V;
  const safe = f => (...a) => { try { return f(...a) } catch { /* never break the page */ } };
  /* store(k) reads, store(k, v) writes; "" clears. */
  const store = safe((k, v, s = localStorage, n = "lecosite." + k) => v == null ? s[n] : s[n] = v);
  const parse = safe(JSON.parse);
  /* crypto.randomUUID needs a secure context (https, localhost): elsewhere, stay silent. */
  const ok = () => L.collector && L.verbs && N.doNotTrack != 1 && !N.globalPrivacyControl
    && !store("optout") && self.crypto?.randomUUID;
  let on = ok();
  const S = L.site;
  const uuid = L.uuid = () => crypto.randomUUID();
  const iri = L.iri = (k, id) => S + k + "s/" + id + "/";
  const act = L.act = (id, t) => ({ id, definition: { type: L.types[t] } });
  /* Context: the content version, the learner's path as grouping, and any extras. */
  const ctx = L.ctx = (ver, path, ca = {}, ex = {}) => {
    ex[L.ext.version] = ver;
    if (path) ca.grouping = [act(iri("path", path), "path")];
    return { contextActivities: ca, extensions: ex };
  };
  const load = () => parse(store("q")) || mem;
  const save = q => store("q", JSON.stringify(mem = q.slice(-500)));

  /* A string body goes as text/plain: a CORS simple request, no preflight to wait for. */
  const flush = L.flush = safe(() => {
    const q = load().slice(0, 40), ids = q.map(s => s.id);
    if (on && !busy && q[0] && Date.now() > wait) {
      busy = fetch(L.collector, { method: "POST", keepalive: true, body: JSON.stringify(q) })
        .then(r => {
          if (r.status == 429 || r.status > 499) throw 0;
          save(load().filter(s => !ids.includes(s.id)));  /* stored, or refused for good */
          busy = 0; delay = 5e3; flush();
        }).catch(() => {
          busy = 0; wait = Date.now() + (delay *= 2); setTimeout(flush, delay);
        });
    }
  });

  const track = L.track = (v, o, c, r) => {
    if (!on) return;
    store("actor", me = store("actor") || me || uuid());
    save([...load(), { id: uuid(), timestamp: new Date().toISOString(),
      actor: { account: { homePage: S, name: me } },
      verb: { id: L.verbs[v] }, object: o, context: c, result: r }]);
    clearTimeout(timer); timer = setTimeout(flush, 1e3);
  };

  /* Time on page counts while the page is visible: V.t moves forward by hidden spells. */
  const spent = () => (D.hidden ? V.h : Date.now()) - V.t;
  const end = () => {
    if (!V) return;
    dispatchEvent(new Event("lecosite:leave"));
    track("terminated", V.o, V.c, { duration: "PT" + spent() / 1e3 + "S" });
    V = L.view = 0;
  };
  /* One view per page: Material's document$ emits once per (instant) navigation. */
  const view = safe(() => {
    end();
    const h = D.querySelector("[data-ls-module],[data-ls-path-page]"), d = h ? h.dataset : {},
      m = d.lsModule, k = m ? "module" : h ? "path" : "page",
      cur = D.documentElement.dataset.lsCurrentPath, now = Date.now(),
      p = m && d.lsPaths.split(" ").includes(cur) && cur;
    V = L.view = { m, p, v: d.lsVersion, c: ctx(d.lsVersion, p), t: now, h: now,
      o: act(h ? iri(k, m || d.lsPathPage) : location.origin + location.pathname, k) };
    track("experienced", V.o, V.c);
  });

  L.on = () => on;
  L.optOut = () => { store("optout", 1); store("q", ""); store("actor", ""); me = on = 0 };
  L.reset = () => store("actor", me = "");

  D.addEventListener("visibilitychange", () => {
    if (V) D.hidden ? V.h = Date.now() : V.t += Date.now() - V.h;
    D.hidden && flush();
  });
  addEventListener("pagehide", safe(() => { end(); flush() }));
  addEventListener("pageshow", e => e.persisted && view());
  window.document$?.subscribe(view) ?? view();  /* scripts sit at the end of <body> */
})();
