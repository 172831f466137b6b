/* videos: one tracker per player and page, for self-hosted <video> and YouTube or Vimeo
 * iframes (through their postMessage APIs, reduced to time, duration and state). It counts
 * unique seconds watched: progress completes the module past its share, and with the
 * beacon on, statements follow the ADL video profile, completed past L.threshold. The
 * seconds add up across visits and tabs: each part watched is added to those kept with the
 * module's progress, per video, major version and length (a re-cut starts afresh). */
let players = [];
const R = x => Math.round(x * 1e3) / 1e3;
/* [[from, to], ...] sorted and merged where parts overlap. */
const merge = (s, o = []) => {
  for (const [x, y] of s.sort((p, q) => p[0] - q[0])) {
    const z = o[o.length - 1];
    z && x <= z[1] ? z[1] = Math.max(z[1], y) : o.push([x, y]);
  }
  return o;
};
/* A player lives as long as the page view (V): a page restored from the back/forward
 * cache is a new view, and a new session. */
const player = el => {
  if (el._ls?.n == V) return el._ls.p;
  const fig = el.closest("[data-ls-video]") || el, i = $$("[data-ls-video]").indexOf(fig),
    m = M;
  let len = +fig.dataset.lsLength || 0, segs = [], a = -1, last = 0, at = 0, done, init, playing,
    sid, w;
  /* W: the view the video belongs to, still there while its page is left. */
  const send = (v, r, c, W = V) => W && track(v,
    act(W.o.id + "video" + (i > 0 ? "/" + (i + 1) : ""), "video"),
    ctx(W.v, W.p, { parent: [W.o], category: [act(I.videoProfile, "profile")] },
      { [I.length]: R(len), [I.threshold]: L.threshold, [I.session]: sid ||= uuid() }),
    r && { ...c, extensions: r });
  /* The parts kept in r.seen (read afresh: another tab may have added or reset them),
   * those of this view and the one playing. A kept part that cannot be is dropped. */
  const k = () => i + "@" + major(m.v) + "/" + Math.round(len);
  const kept = (r = m && load().modules[m.id]) => [].concat(r?.seen?.[k()]).filter(p =>
    p?.length == 2 && p.every?.(Number.isFinite) && 0 <= p[0] && p[0] <= p[1] && p[1] <= len + 1);
  const all = () => merge([...kept(), ...segs, ...a < 0 ? [] : [[a, last]]]);
  const seen = () => all().reduce((t, [x, y]) => t + y - x, 0);
  const now = () => ({ [I.time]: R(last), [I.progress]: R(Math.min(1, len && seen() / len)),
    [I.segments]: all().map(s => s.map(R).join("[.]")).join("[,]") });
  const close = () => {
    const n = a >= 0 && last > a && [a, last];
    a = -1;
    n && segs.push(n) && m && len && update(m.id, m.v, r => (r.seen ||= {})[k()] =
      merge([...kept(r), n]));
  };
  const seek = x => {
    close(); playing && (a = x);
    send("seeked", { [I.from]: R(last), [I.to]: R(x) });
    last = x; at = Date.now();
  };
  /* Methods named after the <video> events that drive them; embeds call them too. */
  const p = {
    /* A video finished on an earlier visit is not completed again. */
    loadedmetadata: l => {
      l > 0 && l < 1e6 && (len = l);
      init || (done = len && seen() >= L.threshold * len, send("initialized"));
      init = 1;
    },
    /* <video> says when it seeks: a jump after playback stalled is no time watched. */
    seeking: x => Math.abs(x - last) > .5 && seek(x),
    /* Embeds report only times: a jump in time is a seek. Playing, time may run ahead of
     * the wall clock by up to 2.5 times (fast playback). */
    timeupdate: (x, t = Date.now()) => {
      if (x < last - 1 || x > last + (playing ? 1 + (t - at) / 400 : .5)) seek(x);
      last = x; at = t;
      if (playing && len) {
        /* The video's completion first, then the module's it causes: only the module's
         * own video (the first: the header's) completes it, not one in its body. */
        done || seen() < L.threshold * len || (done = 1, send("completed", now(),
          { completion: true, duration: "PT" + R(seen()) + "S" }));
        i || watched(seen() / len);
      }
    },
    play: (x = last) => {
      p.loadedmetadata();
      playing || (playing = w = 1, last = a = x, at = Date.now(), send("played", { [I.time]: R(x) }));
    },
    pause: (x = last) => {
      if (playing) { p.timeupdate(x); close(); playing = 0; send("paused", now()) }
    },
    leave: () => w && (close(), send("terminated", now()))
  };
  players.push(p);
  return (el._ls = { n: V, p }).p;
};
on("lecosite:leave", () => { players.map(p => p.leave()); players = [] }, self);

["loadedmetadata", "play", "timeupdate", "pause", "seeking"].map(n => on(n, ({ target: v }) =>
  v.tagName == "VIDEO" && player(v)[n](n[0] == "l" ? v.duration : v.currentTime)));

/* YouTube: the IFrame API's "listening" handshake; Vimeo: player.js's addEventListener.
 * States: 1 playing, 2 paused, 0 ended. A message is matched to the players on the page
 * (f._yt: listened to, and which API): one left by instant navigation is not kept. */
const listen = f => {
  const yt = f._yt = f.closest("[data-ls-video]").dataset.lsVideo == "youtube",
    w = f.contentWindow,
    hello = () => yt ? w.postMessage('{"event":"listening","id":1,"channel":"widget"}', "*")
      : ["play", "pause", "ended", "timeupdate"].map(value =>
        w.postMessage({ method: "addEventListener", value }, "*"));
  f.addEventListener("load", () => [0, 1, 2, 4].map(s => setTimeout(hello, s * 500)));
};
on("message", e => $$("iframe").map(f => {
  if (e.source != f.contentWindow || f._yt == null) return;
  const yt = f._yt, d = typeof e.data == "string" ? JSON.parse(e.data) : e.data, p = player(f),
    i = yt ? d.info : { ...d.data, currentTime: d.data?.seconds,
      playerState: { play: 1, pause: 2, ended: 0 }[d.event] },
    s = typeof i == "number" ? i : i?.playerState, t = i?.currentTime;
  i?.duration && p.loadedmetadata(i.duration);
  t >= 0 && p.timeupdate(t);
  s == 1 ? p.play(t) : (s == 2 || s == 0) && p.pause(t);
}), self);
