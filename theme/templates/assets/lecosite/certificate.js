/* lecosite certificate page: checks the certification's rule against this browser's
 * progress and shows a printable certificate. Loaded by lecosite.js on the first certificate
 * page (data-ls-script="certificate"); runs on every page shown (lecosite.page). */
(function () {
  "use strict";
  function addMonths(iso, months) { /* 31 Jan + 1 month is 28/29 Feb, not 2/3 Mar */
    var d = new Date(iso + "T00:00:00Z"), day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    var last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    return d.toISOString().slice(0, 10);
  }
  /* FNV-1a over the certificate's fields: a short code a verifier can recompute */
  function code(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    var s = ("00000000" + h.toString(16).toUpperCase()).slice(-8);
    return s.slice(0, 4) + "-" + s.slice(4);
  }
  function set(root, field, text) {
    root.querySelectorAll("[data-ls-cert-field='" + field + "']").forEach(function (el) { el.textContent = text; });
  }

  /* A certificate is dated once, when first earned, and kept with the progress: reviewing a
   * module later must not change a printed date and code. Once expired, it is renewed when
   * every module with a knowledge check (every module, if none has one) was completed again
   * after the expiry, as the expired banner asks. A new major version is earned afresh. */
  function earnedNow(data, cid, version, months, tokens, dates, api) {
    var certs = data.certs || {}, cert = certs[cid];
    var major = function (v) { return parseInt(v, 10) || 0; };
    /* A record this script did not write (a hand-edited date) is earned afresh. */
    if (!cert || !/^\d{4}-\d\d-\d\d$/.test(cert.earned) || major(cert.version) < major(version)) {
      cert = { earned: dates.sort().slice(-1)[0], version: version };
    } else if (api.today() > addMonths(cert.earned, months)) {
      var all = tokens.split(" ").filter(Boolean).map(api.parse);
      var renew = all.filter(function (t) { return t.checks; });
      var again = (renew.length ? renew : all).map(function (t) { return data.modules[t.id].done; });
      var expired = addMonths(cert.earned, months);
      if (again.every(function (d) { return d > expired; })) cert = { earned: again.sort().slice(-1)[0], version: version };
    }
    if (certs[cid] !== cert) {
      certs[cid] = cert;
      data.certs = certs;
      api.save(data);
    }
    return cert;
  }

  function run() {
    var root = document.querySelector("[data-ls-certificate]");
    var api = window.lecosite && window.lecosite.progress;
    if (!root || !api) return;
    var data = api.load(), pass = parseFloat(root.getAttribute("data-ls-pass-mark")) || 0;
    var missing = [], dates = [];
    /* A certificate earned stays until it expires when a module gets a major update since:
     * the module asks for a review on its own page, the holder keeps what they earned. */
    var held = (data.certs || {})[root.getAttribute("data-ls-certificate")];
    held = held && /^\d{4}-\d\d-\d\d$/.test(held.earned)
      && (parseInt(held.version, 10) || 0) >= (parseInt(root.getAttribute("data-ls-version"), 10) || 0);
    root.getAttribute("data-ls-modules").split(" ").filter(Boolean).map(api.parse).forEach(function (t) {
      var rec = data.modules[t.id], st = api.state(rec, t.version);
      var checkOk = !t.checks || !pass || (rec && rec.score >= pass);
      if ((st === "done" || st === "review" && held) && checkOk) dates.push(rec.done);
      else missing.push({ id: t.id, why: st !== "done" ? (st === "review" ? "updated: review again" : "not complete")
        : rec.score == null ? "knowledge check not taken yet"
        : "knowledge check below " + Math.round(pass * 100) + "%" });
    });
    var locked = root.querySelector("[data-ls-cert-locked]"), ready = root.querySelector("[data-ls-cert-ready]");
    var why = {};
    missing.forEach(function (m) { why[m.id] = " (" + m.why + ")"; });
    root.querySelectorAll("[data-ls-missing-item]").forEach(function (li) {
      var text = why[li.getAttribute("data-ls-missing-item")];
      li.hidden = !text;
      li.querySelector("[data-ls-why]").textContent = text || "";
    });
    locked.hidden = !missing.length;
    ready.hidden = missing.length > 0;
    if (missing.length) return;
    var cid = root.getAttribute("data-ls-certificate"), version = root.getAttribute("data-ls-version");
    var months = parseInt(root.getAttribute("data-ls-valid-for"), 10) || 12;
    var cert = earnedNow(data, cid, version, months, root.getAttribute("data-ls-modules"), dates, api);
    var earned = cert.earned, expires = addMonths(earned, months);
    var name = typed != null ? typed : data.name || "";
    var input = root.querySelector("[data-ls-cert-name]");
    if (document.activeElement !== input) input.value = name;
    var shown = root.querySelector("[data-ls-cert-field='name']");
    shown.textContent = name || shown.getAttribute("data-ls-empty");
    shown.classList.toggle("ls-certificate__name--empty", !name);
    set(root, "earned", earned);
    set(root, "expires", expires);
    set(root, "version", cert.version);
    set(root, "code", code([name, cid, cert.version, earned, expires].join("|")));
    var expired = api.today() > expires;
    root.querySelector("[data-ls-cert-expired]").hidden = !expired;
    /* what is already retaken, so the learner sees what is left (renewed when none is) */
    root.querySelectorAll("[data-ls-renew-item]").forEach(function (li) {
      var rec = data.modules[li.getAttribute("data-ls-renew-item")];
      li.querySelector("[data-ls-why]").textContent = rec && rec.done > expires ? " (done again)" : "";
    });
    root.setAttribute("data-ls-cert-state", expired ? "expired" : "valid");
    set(root, "status", expired ? "Expired on " + expires : "Valid until " + expires);
  }

  /* A name the browser could not save (storage full or blocked) is still the one shown and
   * printed, while the page is open. */
  var typed = null;
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-ls-cert-name]")) return;
    var api = window.lecosite.progress, data = api.load();
    data.name = event.target.value.trim();
    typed = api.save(data) == null ? data.name : null;
    if (data.name) needName(event.target, false);
    run();
  });
  /* A certificate without a name is no use: Print asks for it (Ctrl+P leaves a blank line) */
  function needName(input, need) {
    document.querySelector("[data-ls-cert-need-name]").hidden = !need;
    if (need) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-ls-print]")) return;
    var input = document.querySelector("[data-ls-cert-name]");
    if (input.value.trim()) return window.print();
    needName(input, true);
    input.focus();
  });
  window.lecosite.page(run);
  /* Another tab's progress, and a page the browser kept while away, are shown as they are. */
  window.addEventListener("storage", function (e) { if (e.key === "lecosite.progress") run(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) run(); });
})();
