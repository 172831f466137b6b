/* lecosite progress: kept in this browser only (localStorage; no account, no cookie).
 * A module is done when completed at the same major version; a major bump asks for a
 * review. Pages describe modules as "id@version:checks" tokens in data- attributes. */
(function () {
  "use strict";
  var KEY = "lecosite.progress";
  var ls = window.lecosite = window.lecosite || {};

  function load() {
    try { var d = JSON.parse(localStorage.getItem(KEY)); if (d && d.modules) return d; } catch (e) { /* fall through */ }
    return { v: 1, modules: {} };
  }
  function save(data) {
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }
  /* The learner's local date (en-CA formats as YYYY-MM-DD), not UTC's. */
  function today() { return new Date().toLocaleDateString("en-CA"); }
  function major(v) { return parseInt(v, 10) || 0; }
  function parse(token) {
    var m = /^([^@]+)@([^:]+)(?::(\d+))?$/.exec(token) || [];
    return { id: m[1], version: m[2], checks: +(m[3] || 0) };
  }
  /* 'done', 'review' (major update since), 'started' or 'new' */
  function state(rec, version) {
    if (rec && rec.done) return major(rec.version) < major(version) ? "review" : "done";
    return rec && rec.started ? "started" : "new";
  }
  function update(id, version, change) {
    var data = load(), rec = data.modules[id] || {};
    change(rec);
    rec.version = rec.done ? rec.version : version;
    data.modules[id] = rec;
    save(data);
    return rec;
  }
  function complete(id, version, done) {
    return update(id, version, function (rec) {
      rec.done = done ? today() : null;
      if (done) rec.version = version;
    });
  }
  /* A pass counts for the major version it was earned at: a major update asks for it again. */
  function passedAt(rec, version) {
    return !!(rec && rec.passed && major(rec.checked || rec.version) >= major(version));
  }
  ls.progress = { load: load, save: save, state: state, parse: parse, major: major, today: today };

  var LABELS = { done: "Done", review: "Updated: review again", started: "In progress", "new": "Not started" };

  function tokens(el) {
    return (el.getAttribute("data-ls-modules") || "").split(" ").filter(Boolean).map(parse);
  }

  function bar(box, items, data) {
    var done = items.filter(function (t) { return state(data.modules[t.id], t.version) === "done"; }).length;
    box.hidden = false;
    box.innerHTML = "";
    var meter = document.createElement("progress");
    meter.max = items.length || 1;
    meter.value = done;
    meter.setAttribute("aria-label", "Modules done");
    var text = document.createElement("span");
    text.textContent = done + " of " + items.length + " modules done";
    box.append(meter, text);
    return done;
  }

  function modulePage(header, data) {
    var id = header.getAttribute("data-ls-module"), version = header.getAttribute("data-ls-version");
    var rec = data.modules[id];
    if (!rec || (!rec.started && !rec.done)) rec = update(id, version, function (r) { r.started = today(); });
    var st = state(rec, version);
    var review = document.querySelector("[data-ls-review]");
    if (review) review.hidden = st !== "review";
    var box = document.querySelector("[data-ls-complete]");
    if (!box) return;
    var button = box.querySelector("button"), note = box.querySelector("[data-ls-complete-note]");
    var needs = header.hasAttribute("data-ls-check-required");
    var blocked = needs && !passedAt(rec, version) && st !== "done";
    button.disabled = blocked;
    button.setAttribute("aria-pressed", st === "done" ? "true" : "false");
    button.textContent = st === "done" ? "Completed ✓ (undo)" : "Mark complete";
    note.textContent = blocked ? "Pass this module's knowledge check to complete it."
      : st === "done" ? "Completed on " + rec.done + " at version " + rec.version + "." : "";
  }

  function render() {
    var data = load();
    var header = document.querySelector("[data-ls-module]");
    if (header) modulePage(header, data);
    document.querySelectorAll("[data-ls-card], [data-ls-path-page]").forEach(function (el) {
      var items = tokens(el), box = el.querySelector("[data-ls-progress]");
      if (box) bar(box, items, data);
      var next = items.filter(function (t) { return state(data.modules[t.id], t.version) !== "done"; })[0];
      var start = el.querySelector("[data-ls-start]");
      var started = items.some(function (t) { return data.modules[t.id]; });
      if (start && next && started) {
        var link = el.querySelector("[data-ls-module-item='" + next.id + "'] a");
        var pid = el.getAttribute("data-ls-path-id") || el.getAttribute("data-ls-path-page");
        start.hidden = false;
        start.textContent = link ? "Continue: " + link.textContent : "Continue"; /* never a raw id */
        start.href = link ? link.href : el.getAttribute("data-ls-module-url") + next.id + "/?path=" + pid;
      }
    });
    document.querySelectorAll("[data-ls-module-item]").forEach(function (item) {
      var st = state(data.modules[item.getAttribute("data-ls-module-item")], item.getAttribute("data-ls-version"));
      item.setAttribute("data-ls-progress-state", st);
      var label = item.querySelector("[data-ls-state]");
      if (label) label.textContent = LABELS[st];
    });
  }
  ls.progress.render = render;

  function headerInfo() {
    var h = document.querySelector("[data-ls-module]");
    return h && { id: h.getAttribute("data-ls-module"), version: h.getAttribute("data-ls-version"), el: h };
  }
  function finished(id, version) {
    complete(id, version, true);
    var path = document.documentElement.getAttribute("data-ls-current-path");
    document.dispatchEvent(new CustomEvent("lecosite:complete", { detail: { module: id, version: version, path: path } }));
    render();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-ls-complete] button");
    var h = headerInfo();
    if (!button || !h) return;
    if (state(load().modules[h.id], h.version) === "done") { complete(h.id, h.version, false); render(); }
    else finished(h.id, h.version);
  });
  document.addEventListener("lecosite:check-result", function (event) {
    var d = event.detail;
    update(d.module, d.version, function (rec) {
      rec.score = d.score;
      rec.passed = d.passed;
      rec.checked = d.version;
    });
    if (d.passed && state(load().modules[d.module], d.version) !== "done") finished(d.module, d.version);
    else render();
  });
  /* video progress: self-hosted players measured here; others report `lecosite:video-progress` */
  function watched(share) {
    var h = headerInfo();
    var need = h && parseFloat(h.el.getAttribute("data-ls-video-complete"));
    if (h && need && share >= need && state(load().modules[h.id], h.version) !== "done" &&
        !(h.el.hasAttribute("data-ls-check-required") && !passedAt(load().modules[h.id], h.version))) finished(h.id, h.version);
  }
  document.addEventListener("lecosite:video-progress", function (event) { watched(event.detail.progress); });
  document.addEventListener("timeupdate", function (event) {
    var v = event.target;
    if (!v.duration || !v.closest || !v.closest("[data-ls-video]")) return;
    var seen = v._lsSeen = v._lsSeen || {};
    seen[Math.floor(v.currentTime)] = 1;
    watched(Object.keys(seen).length / Math.ceil(v.duration));
  }, true);

  /* the progress page: export, import, reset */
  function status(text) { var s = document.querySelector("[data-ls-progress-status]"); if (s) s.textContent = text; }
  document.addEventListener("click", function (event) {
    var t = event.target;
    if (t.matches && t.matches("[data-ls-export]")) {
      var blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "lecosite-progress-" + today() + ".json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      status("Progress exported.");
    } else if (t.matches && t.matches("[data-ls-reset]") && confirm("Forget all progress in this browser?")) {
      try { localStorage.removeItem(KEY); } catch (e) { /* nothing to remove */ }
      render();
      status("Progress reset.");
    }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-ls-import]") || !input.files[0]) return;
    input.files[0].text().then(function (text) {
      var data = JSON.parse(text);
      if (!data || !data.modules || typeof data.modules !== "object" || Array.isArray(data.modules))
        throw new Error("not a progress file");
      save(data);
      render();
      status("Progress imported.");
    }).catch(function () { status("That file is not a lecosite progress export."); })
      .then(function () { input.value = ""; }); /* the same file can be imported again */
  });

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(render);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
