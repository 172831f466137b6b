/* lecosite beacon: anonymous xAPI statements for page views, time on page, module
 * completion, knowledge checks (and, through window.lecosite.track, videos and ratings).
 * Off unless window.lecosite.collector is set (assets/lecosite/config.js, which also
 * carries the verb and extension IRIs from lecosite/xapi.py); silent under Do Not Track,
 * Global Privacy Control or an opt-out. Statements wait in localStorage until the
 * collector has them, so a missing collector costs nothing but a retry later. */
(() => {
  const L = window.lecosite, D = document, N = navigator, K = "lecosite.";
  if (!L) return;
  let st, me, mem = [], fly = {}, wait = 0, delay = 5e3, timer, V;
  try { st = localStorage } catch (e) { /* storage blocked: queue in memory */ }
  const get = k => { try { return st.getItem(K + k) } catch (e) { /* none */ } };
  const put = (k, v) => {
    try { v == null ? st.removeItem(K + k) : st.setItem(K + k, v) } catch (e) { /* full */ }
  };
  const allowed = () => !!L.collector && N.doNotTrack != "1" && !N.globalPrivacyControl
    && !get("optout");
  let on = allowed();
  const S = L.site, X = L.ext;
  const safe = f => (...a) => { try { f(...a) } catch (e) { /* never break the page */ } };
  const uuid = L.uuid = () => "10000000-1000-4000-8000-100000000000".replace(/[018]/g,
    c => (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16));
  const act = L.act = (id, t) => ({ objectType: "Activity", id, definition: { type: L.types[t] } });
  const mod = m => S + "modules/" + m + "/";
  /* Context: the content version, the learner's path as grouping, plus any extras. */
  const ctx = L.ctx = (ver, path, ca = {}, ex = {}) => {
    const c = {};
    if (path) ca.grouping = [act(S + "paths/" + path + "/", "path")];
    if (ver) ex[X.version] = ver;
    if (Object.keys(ca).length) c.contextActivities = ca;
    if (Object.keys(ex).length) c.extensions = ex;
    return c;
  };
  const load = () => { try { return JSON.parse(st.getItem(K + "q")) || [] } catch (e) { return mem } };
  const save = q => { mem = q.slice(-500); put("q", JSON.stringify(mem)) };

  const flush = L.flush = safe(() => {
    const q = load().filter(s => !fly[s.id]).slice(0, 40), ids = q.map(s => s.id);
    if (!on || !q.length || Date.now() < wait) return;
    ids.map(i => fly[i] = 1);
    const done = () => ids.map(i => delete fly[i]);
    fetch(L.collector, { method: "POST", keepalive: true, body: JSON.stringify(q),
      headers: { "Content-Type": "text/plain" } }).then(r => {
      if (r.status == 429 || r.status > 499) throw 0;
      save(load().filter(s => !ids.includes(s.id)));  /* stored, or refused for good */
      done(); delay = 5e3; flush();
    }).catch(() => {
      done(); wait = Date.now() + delay; setTimeout(flush, delay); delay = Math.min(delay * 2, 3e5);
    });
  });

  const track = L.track = (v, o, r, c) => {
    if (!on) return;
    put("actor", me = get("actor") || me || uuid());
    const s = { id: uuid(), timestamp: new Date().toISOString(),
      actor: { objectType: "Agent", account: { homePage: S, name: me } },
      verb: { id: L.verbs[v], display: { "en-US": v } }, object: o };
    if (c && Object.keys(c).length) s.context = c;
    if (r) s.result = r;
    save([...load(), s]);
    clearTimeout(timer); timer = setTimeout(flush, 1e3);
  };

  const spent = () => V.a + (V.t && performance.now() - V.t);
  const end = () => {
    if (!V) return;
    dispatchEvent(new Event("lecosite:leave"));
    track("terminated", V.o, { duration: "PT" + Math.round(spent() / 100) / 10 + "S" }, V.c);
    V = L.view = 0;
  };
  /* One view per page: Material's document$ emits once per (instant) navigation. */
  const view = safe(() => {
    end();
    const h = D.querySelector("[data-ls-module]"), p = D.querySelector("[data-ls-path-page]");
    let o, c, m, v, path = D.documentElement.dataset.lsCurrentPath;
    if (h) {
      m = h.dataset.lsModule; v = h.dataset.lsVersion; o = act(mod(m), "module");
      if (!(h.dataset.lsPaths || "").split(" ").includes(path)) path = 0;
    } else if (p) {
      v = p.dataset.lsVersion; o = act(S + "paths/" + p.dataset.lsPathPage + "/", "path");
      path = 0;
    } else o = act(location.origin + location.pathname, "page"), path = 0;
    c = h || p ? ctx(v, path) : 0;
    V = L.view = { o, c, m, v, p: path, a: 0, t: !D.hidden && performance.now() };
    track("experienced", o, 0, c);
    dispatchEvent(new Event("lecosite:view"));
  });

  const listen = (n, f) => D.addEventListener("lecosite:" + n, safe(e => f(e.detail || {})));
  const where = (d, ca) => ctx(d.version, d.path || V && V.m == d.module && V.p, ca);
  const parent = d => ({ parent: [act(mod(d.module), "module")] });
  const score = (r, s) => (s >= 0 && s <= 1 && (r.score = { scaled: s }), r);
  listen("complete", d => track("completed", act(mod(d.module), "module"), { completion: true },
    where(d)));
  listen("check", d => {
    const c = where(d, parent(d));
    if (d.objective) (c.extensions = c.extensions || {})[X.objective] = "" + d.objective;
    track("answered", act(mod(d.module) + "check/" + encodeURIComponent(d.question), "question"),
      score({ success: !!d.correct,
        response: [].concat(d.response ?? []).join("[,]").slice(0, 1e3) }, d.score), c);
  });
  listen("check-result", d => track(d.passed ? "passed" : "failed",
    act(mod(d.module) + "check", "check"), score({ success: !!d.passed }, d.score),
    where(d, parent(d))));

  L.on = () => on;
  L.optOut = () => { put("optout", 1); put("q"); put("actor"); mem = []; me = on = 0 };
  L.optIn = () => { put("optout"); on = allowed() };
  L.reset = () => { put("actor"); me = 0 };

  D.addEventListener("visibilitychange", safe(() => {
    if (V) D.hidden ? (V.a = spent(), V.t = 0) : V.t = performance.now();
    D.hidden && flush();
  }));
  addEventListener("pagehide", safe(() => { end(); flush() }));
  addEventListener("pageshow", e => e.persisted && view());
  const W = window.document$;
  W && W.subscribe ? W.subscribe(view)
    : D.readyState == "loading" ? D.addEventListener("DOMContentLoaded", view) : view();
})();
