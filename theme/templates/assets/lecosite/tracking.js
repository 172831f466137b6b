/* lecosite tracking: module completion, knowledge checks, the rating block and videos
 * (self-hosted <video>, YouTube and Vimeo iframes through their postMessage APIs), sent
 * as xAPI through the core beacon (beacon.js). Video statements follow the ADL video
 * profile; a video counts as completed once the unique seconds watched pass the threshold. */
(() => {
  const L = window.lecosite, D = document;
  if (!L?.track) return;
  const X = L.ext, R = x => Math.round(x * 1e3) / 1e3, on = (n, f, t = D) =>
    t.addEventListener(n, e => { try { f(e) } catch { /* never break the page */ } }, 1);
  let players = [];

  /* Events the portal dispatches on document: complete, check, check-result. */
  const check = (d, v, id, t, r, ex) => {
    if (d.score >= 0 && d.score <= 1) r.score = { scaled: d.score };
    const m = L.iri("module", d.module), V = L.view;
    L.track(v, L.act(m + id, t), L.ctx(d.version, d.path || V?.m == d.module && V.p,
      id ? { parent: [L.act(m, "module")] } : {}, ex), r);
  };
  on("lecosite:complete", ({ detail: d }) => check(d, "completed", "", "module",
    { completion: true }));
  on("lecosite:check", ({ detail: d }) => check(d, "answered",
    "check/" + encodeURIComponent(d.question), "question",
    { success: !!d.correct, response: ("" + (d.response ?? "")).slice(0, 999) },
    { [X.objective]: d.objective }));
  on("lecosite:check-result", ({ detail: d }) => check(d, d.passed ? "passed" : "failed",
    "check", "check", { success: !!d.passed }));

  /* "Was this helpful?": shown only while statements can be sent. */
  const show = () => D.querySelectorAll("[data-ls-rating]").forEach(b => b.hidden = !L.on());
  on("submit", e => {
    const f = e.target, n = +f.rating?.value, V = L.view;
    if (!f.closest("[data-ls-rating]")) return;
    e.preventDefault();
    const c = f.comment.value.trim().slice(0, 999);
    n && L.track("rated", V.o, V.c, { score: { raw: n, min: 1, max: 5 }, response: c || void 0 });
    L.flush();
    f.replaceWith(f.dataset.lsThanks);
  });
  on("click", ({ target: t }) => {
    const b = t.closest("[data-ls-optout]")?.closest("[data-ls-rating]");
    b && (L.optOut(), b.replaceChildren(b.dataset.lsOff));
  });

  /* One tracker per player and view: played segments, progress, completion. */
  const player = (el, V = L.view) => {
    if (el._ls?.v == V) return el._ls.p;
    const fig = el.closest("[data-ls-video]") || el, sid = L.uuid(),
      i = [...D.querySelectorAll("[data-ls-video]")].indexOf(fig),
      o = L.act(V.o.id + "video" + (i > 0 ? "/" + (i + 1) : ""), "video");
    let len = +fig.dataset.lsLength || 0, segs = [], a = -1, last = 0, at = 0, done, init,
      playing;
    const send = (v, r, c) => L.track(v, o, L.ctx(V.v, V.p, { parent: [V.o],
      category: [L.act(L.profile, "profile")] },
    { [X.length]: R(len), [X.threshold]: L.threshold, [X.session]: sid }),
    r && { ...c, extensions: r });
    const all = () => a < 0 ? segs : [...segs, [a, last]];
    const seen = (t = 0, e = 0) => {
      for (const [x, y] of [...all()].sort((p, q) => p[0] - q[0]))
        y > e && (t += y - Math.max(x, e), e = y);
      return t;
    };
    const state = () => ({ [X.time]: R(last), [X.progress]: R(Math.min(1, len && seen() / len)),
      [X.segments]: all().map(s => s.map(R).join("[.]")).join("[,]") });
    const close = () => { a >= 0 && last > a && segs.push([a, last]); a = -1 };
    const p = {
      ready: l => { l > 0 && l < 1e6 && (len = l); init || send("initialized"); init = 1 },
      /* A jump in time is a seek; embeds report only times, and so does <video> here. */
      /* Playing, time may run ahead by up to 2.5 times the wall clock (fast playback). */
      tick: (x, now = Date.now()) => {
        if (x < last - 1 || x > last + (playing ? 1 + (now - at) / 400 : .5)) {
          close(); playing && (a = x);
          send("seeked", { [X.from]: R(last), [X.to]: R(x) });
        }
        last = x; at = now;
        playing && len && D.dispatchEvent(new CustomEvent("lecosite:video-progress",
          { detail: { progress: seen() / len } }));
        if (playing && !done && len && seen() >= L.threshold * len) {
          done = 1;
          send("completed", state(), { completion: true, duration: "PT" + R(seen()) + "S" });
        }
      },
      play: (x = last) => {
        p.ready();
        playing || (playing = 1, last = a = x, at = Date.now(), send("played", { [X.time]: R(x) }));
      },
      pause: (x = last) => { if (playing) { p.tick(x); close(); playing = 0; send("paused", state()) } },
      leave: () => (segs[0] || a >= 0) && (close(), send("terminated", state()))
    };
    players.push(p);
    return (el._ls = { v: V, p }).p;
  };
  on("lecosite:leave", () => { players.forEach(p => p.leave()); players = [] }, self);

  /* Self-hosted <video>: media events do not bubble, so listen while they capture. */
  const media = (n, f) => on(n, ({ target: v }) => v.tagName == "VIDEO" && L.view
    && f(player(v), v));
  media("loadedmetadata", (p, v) => p.ready(v.duration));
  media("play", (p, v) => p.play(v.currentTime));
  media("timeupdate", (p, v) => p.tick(v.currentTime));
  media("pause", (p, v) => p.pause(v.currentTime));

  /* YouTube (the IFrame API's "listening" handshake) and Vimeo (player.js messages),
   * both reduced to time, duration and state (1 playing, 2 paused, 0 ended). */
  const frames = [];
  on("lecosite:player", ({ target: f }) => {
    const yt = f.closest("[data-ls-video]").dataset.lsVideo == "youtube", w = f.contentWindow,
      hello = () => yt ? w.postMessage('{"event":"listening","id":1,"channel":"widget"}', "*")
        : ["play", "pause", "ended", "timeupdate"].map(value =>
          w.postMessage({ method: "addEventListener", value }, "*"));
    frames.push([f, yt]);
    f.addEventListener("load", () => [0, 1, 2, 4].map(s => setTimeout(hello, s * 500)));
  });
  on("message", e => frames.map(([f, yt]) => {
    if (e.source != f.contentWindow || !L.view) return;
    const d = typeof e.data == "string" ? JSON.parse(e.data) : e.data, p = player(f),
      i = yt ? d.info : { ...d.data, currentTime: d.data?.seconds,
        playerState: { play: 1, pause: 2, ended: 0 }[d.event] },
      s = typeof i == "number" ? i : i?.playerState, t = i?.currentTime;
    i?.duration && p.ready(i.duration);
    t >= 0 && p.tick(t);
    s == 1 ? p.play(t) : (s == 2 || s == 0) && p.pause(t);
  }), self);

  show();
  window.document$?.subscribe(show);
})();
