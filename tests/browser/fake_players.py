"""Stand-ins for the YouTube and Vimeo players (there is no network here): each speaks its
provider's postMessage protocol to the portal, playing a fixed script of times, and the
sample modules that embed them."""

VIDEO_MODULE = "connect-upgrade-in-place"  # a self-hosted video, 20 s
YOUTUBE_MODULE = "connect-renew-expired-token"
VIMEO_MODULE = "connect-fix-db-driver-errors"
YOUTUBE_HOST = "https://www.youtube-nocookie.com/embed/**"
VIMEO_HOST = "https://player.vimeo.com/video/**"
# Pauses the self-hosted video and answers where it stopped once the pause event has been
# handled (the portal's capturing listener runs first), so the part played is kept by then.
PAUSE_VIDEO = """() => new Promise(done => { const v = document.querySelector('video');
  if (v.paused) return done(v.currentTime);
  v.addEventListener('pause', () => done(v.currentTime), {once: true}); v.pause(); })"""

FAKE_YOUTUBE = """<!doctype html><title>fake YouTube</title><script>
addEventListener("message", e => {
  let d; try { d = JSON.parse(e.data) } catch (x) { return }
  if (d.event !== "listening" || window.started) return;
  window.started = true;
  const post = o => parent.postMessage(JSON.stringify(o), "*");
  post({event: "initialDelivery", info: {duration: 100, currentTime: 0, playerState: 5}});
  post({event: "onStateChange", info: 1});
  const times = [];
  for (let t = 0; t <= 40; t++) times.push(t);  /* 1 s per 15 ms: fast, not a jump */
  for (let t = 60; t <= 100; t++) times.push(t);
  for (let t = 40; t <= 60; t++) times.push(t);
  let i = 0;
  const iv = setInterval(() => {
    if (i < times.length) post({event: "infoDelivery", info: {currentTime: times[i++]}});
    else {
      clearInterval(iv);
      post({event: "infoDelivery", info: {playerState: 2, currentTime: 60}});
    }
  }, 15);
});
</script>"""

FAKE_VIMEO = """<!doctype html><title>fake Vimeo</title><script>
let asked = 0;
addEventListener("message", e => {
  if (!e.data || e.data.method !== "addEventListener" || ++asked !== 4) return;
  const post = o => parent.postMessage(o, "*");
  post({event: "play", data: {seconds: 0, duration: 60}});
  let t = 0;
  const iv = setInterval(() => {
    t += 1;
    post({event: "timeupdate", data: {seconds: t, duration: 60, percent: t / 60}});
    if (t >= 58) { clearInterval(iv); post({event: "pause", data: {seconds: 58, duration: 60}}) }
  }, 15);
});
</script>"""

#: provider -> (the sample module that embeds it, the player's URL pattern, the fake player)
EMBEDS = {"youtube": (YOUTUBE_MODULE, YOUTUBE_HOST, FAKE_YOUTUBE),
          "vimeo": (VIMEO_MODULE, VIMEO_HOST, FAKE_VIMEO)}
