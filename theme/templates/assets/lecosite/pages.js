/* lecosite pages: the catalog's filters, progress on catalog cards, path pages and the
 * "Your progress" page (export, import, reset). Loaded by lecosite.js on the first page
 * that asks for it (data-ls-script="pages"); progress comes from window.lecosite.progress. */
(() => {
  const D = document, P = window.lecosite.progress;
  const words = s => (s || "").split(" ").filter(Boolean);
  const LABELS = { done: "Done", review: "Updated: review again", started: "In progress",
    new: "Not started" };

  /* Filter cards by kind, level, audience and topic without a reload. The choice is kept in the
   * address (?kind=course), so Back, a reload or a shared link shows the same cards. */
  const filter = (form, remember) => {
    const catalog = form.closest("[data-ls-catalog]"), chosen = {},
      cards = [...catalog.querySelectorAll("[data-ls-card]")],
      facets = form.querySelectorAll("[data-ls-facet]");
    facets.forEach(s => { if (s.value) chosen[s.name] = s.value; });
    if (remember) {
      const query = new URLSearchParams(location.search);
      facets.forEach(s => query.delete(s.name));
      Object.entries(chosen).forEach(([facet, value]) => query.set(facet, value));
      const search = query.toString();
      history.replaceState(history.state, "", location.pathname + (search && "?" + search)
        + location.hash);
    }
    let shown = 0;
    cards.forEach(card => {
      const match = Object.keys(chosen).every(f =>
        words(card.getAttribute("data-" + f)).includes(chosen[f]));
      card.hidden = !match;
      shown += match;
    });
    const count = catalog.querySelector("[data-ls-count]"),
      empty = catalog.querySelector("[data-ls-empty]");
    if (count) count.textContent = shown === cards.length ? cards.length + " paths"
      : shown + " of " + cards.length + " paths";
    if (empty) empty.hidden = shown > 0;
  };
  const restore = form => {
    const query = new URLSearchParams(location.search);
    form.querySelectorAll("[data-ls-facet]").forEach(s => {
      const value = query.get(s.name) || "";
      if ([...s.options].some(o => o.value === value)) s.value = value;
    });
    filter(form, false);
  };

  /* Bars, "Continue" and each module's state, from this browser's progress. A module of a
   * certification whose check is below its pass mark (or not taken) is done but still
   * keeps the certificate locked: the card, the row and the page say so, and lead there
   * next. */
  const render = () => {
    const data = P.load(), state = t => P.state(data.modules[t.id], t.version), short = {};
    D.querySelectorAll("[data-ls-card], [data-ls-path-page]").forEach(el => {
      const items = words(el.dataset.lsModules).map(P.parse), pass = +el.dataset.lsPassMark,
        below = t => t.checks && state(t) === "done" && !(data.modules[t.id].score >= pass),
        done = items.filter(t => state(t) === "done").length,
        box = el.querySelector("[data-ls-progress]"), start = el.querySelector("[data-ls-start]"),
        next = items.find(t => state(t) !== "done") || (pass && items.find(below));
      if (pass) items.filter(below).forEach(t => {
        short[t.id] = data.modules[t.id].score == null ? "Done: knowledge check not taken yet"
          : "Done: knowledge check below " + Math.round(pass * 100) + "%";
      });
      if (box) {
        const meter = D.createElement("progress"), text = D.createElement("span");
        meter.max = items.length || 1;
        meter.value = done;
        meter.setAttribute("aria-label", "Modules done");
        const checks = pass ? items.filter(below).length : 0;
        text.textContent = done + " of " + items.length + " modules done" + (checks ? ", "
          + checks + " knowledge check" + (checks > 1 ? "s" : "") + " to pass" : "");
        box.hidden = false;
        box.replaceChildren(meter, text);
      }
      if (start && next && items.some(t => data.modules[t.id])) {
        const link = el.querySelector("[data-ls-module-item='" + next.id + "'] a"),
          pid = el.dataset.lsPathId || el.dataset.lsPathPage;
        start.hidden = false;
        start.textContent = (short[next.id] ? "Take the knowledge check" : "Continue")
          + (link ? ": " + link.textContent : ""); /* never an id */
        start.href = link ? link.href : el.dataset.lsModuleUrl.replace("{id}", next.id)
          + "?path=" + pid;
      }
      /* Every module done: the path page offers a review from the first module. */
      if (start?.dataset.lsFinished && items.length && !next) {
        start.textContent = start.dataset.lsFinished;
      }
    });
    D.querySelectorAll("[data-ls-module-item]").forEach(item => {
      const st = state({ id: item.dataset.lsModuleItem, version: item.dataset.lsVersion }),
        label = item.querySelector("[data-ls-state]");
      item.dataset.lsProgressState = short[item.dataset.lsModuleItem] ? "check" : st;
      if (label) label.textContent = short[item.dataset.lsModuleItem] || LABELS[st];
    });
  };

  const status = text => {
    const s = D.querySelector("[data-ls-progress-status]");
    if (s) s.textContent = text;
  };
  D.addEventListener("change", e => {
    const input = e.target, form = input.closest?.("[data-ls-filters]");
    if (form) filter(form, true);
    if (!input.matches?.("[data-ls-import]") || !input.files[0]) return;
    const record = r => r && typeof r === "object" && !Array.isArray(r),
      /* each field as progress.js writes it, so a hand-edited file cannot show nonsense */
      day = v => !v || /^\d{4}-\d\d-\d\d$/.test(v),
      text_ = v => v == null || typeof v === "string",
      module = r => record(r) && day(r.started) && day(r.done) && text_(r.version)
        && text_(r.checked) && (r.score == null || typeof r.score === "number")
        && (r.passed == null || typeof r.passed === "boolean")
        && (r.asked == null || Number.isInteger(r.asked))
        && (r.seen == null || record(r.seen) && Object.entries(r.seen).every(watched)),
      /* the parts of a video watched, under "<video>@<major>/<length>": [[from, to], ...]
       * in seconds, within the length */
      watched = ([key, parts]) => {
        const length = +(/^\d+@\d+\/(\d+)$/.exec(key) || [])[1];
        return length >= 0 && Array.isArray(parts) && parts.every(p => Array.isArray(p)
          && p.length === 2 && p.every(Number.isFinite) && 0 <= p[0] && p[0] <= p[1]
          && p[1] <= length + 1);
      },
      cert = r => record(r) && r.earned && day(r.earned) && text_(r.version);
    input.files[0].text().then(text => {
      const data = JSON.parse(text);
      if (!record(data) || !record(data.modules) || !Object.values(data.modules).every(module)
          || !text_(data.name) || (data.certs != null && !(record(data.certs)
          && Object.values(data.certs).every(cert))))
        throw new Error("not a progress file");
      /* Importing replaces what this browser has: ask first, as reset does. */
      if (Object.keys(P.load().modules).length
          && !confirm("Replace the progress in this browser with the file's?")) return;
      /* Not kept with site data full; with it blocked, kept for this visit only. */
      const kept = P.save(data) != null,
        visit = !kept && JSON.stringify(P.load()) == JSON.stringify(data);
      render();
      status(kept ? "Progress imported." : visit ? "Imported for this visit only: this "
        + "browser does not let the portal save it. Allow site data for this site to keep it."
        : "Not imported: this browser did not let the portal save it. Allow site data for "
        + "this site, or clear some, and try again.");
    }).catch(() => status("That file is not a lecosite progress export."))
      .then(() => { input.value = ""; }); /* the same file can be imported again */
  });
  D.addEventListener("submit", e => {
    if (e.target.matches("[data-ls-filters]")) e.preventDefault();
  });
  D.addEventListener("click", ({ target: t }) => {
    if (t.matches?.("[data-ls-export]")) {
      const a = D.createElement("a");
      a.href = URL.createObjectURL(new Blob([JSON.stringify(P.load(), null, 2)],
        { type: "application/json" }));
      a.download = "lecosite-progress-" + P.today() + ".json";
      D.body.append(a);
      a.click();
      a.remove();
      status("Progress exported.");
    } else if (t.matches?.("[data-ls-reset]") && confirm(t.dataset.lsReset)) {
      try { localStorage.removeItem("lecosite.progress"); } catch {
        P.save({ v: 1, modules: {} }); /* site data blocked: the visit's, kept in memory */
      }
      render();
      status("Progress reset.");
    }
  });

  /* Usage data: what this browser sends, and the learner's say over it (see beacon.js):
   * "on", or why not: "none" (no collector), "optout", "visit" (an opt-out kept only while
   * the page is open: the browser keeps no site data), "off" (Do Not Track, Global Privacy
   * Control, or not a secure context). */
  const privacy = said => {
    const box = D.querySelector("[data-ls-privacy]"), L = window.lecosite;
    if (!box || !L.on) return;
    let optout;
    try { optout = localStorage.getItem("lecosite.optout"); } catch { /* storage off */ }
    const state = L.on() ? "on" : !L.collector ? "none" : optout ? "optout"
      : L.off ? "visit" : "off";
    const show = (name, on) => { box.querySelector(`[data-ls-privacy-${name}]`).hidden = !on; };
    box.hidden = false;
    box.querySelector("[data-ls-privacy-text]").textContent =
      box.getAttribute("data-ls-" + (said || state));
    show("stop", state === "on");
    show("renew", state === "on");
    show("resume", state === "optout" || state === "visit");
  };
  D.addEventListener("click", ({ target: t }) => {
    const L = window.lecosite, act = t.closest?.("[data-ls-privacy] button");
    if (!act) return;
    if (act.matches("[data-ls-privacy-stop]")) L.optOut();
    if (act.matches("[data-ls-privacy-resume]")) L.optIn();
    if (act.matches("[data-ls-privacy-renew]")) L.reset();
    privacy(act.matches("[data-ls-privacy-renew]") && "renewed");
    /* The pressed button may hide itself: focus moves to the one that took its place. */
    if (act.hidden) act.parentElement.querySelector("button:not([hidden])")?.focus();
  });

  const onPage = () => {
    const nostore = D.querySelector("[data-ls-storage-off]");
    if (nostore) nostore.hidden = P.save(P.load()) != null; /* null: storage is off */
    render();
    privacy();
    const form = D.querySelector("[data-ls-filters]");
    if (form) restore(form);
  };
  window.lecosite.page(onPage);
  /* Shown as progress is now: after another tab changed it, and on a page the browser kept
   * while the learner was away (Back from another site), which no document$ emission redraws. */
  addEventListener("storage", e => { if (e.key === "lecosite.progress") render(); });
  addEventListener("pageshow", e => { if (e.persisted) onPage(); });
})();
