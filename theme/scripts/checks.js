/* knowledge checks: scored in the browser and reported as events on document:
 * `lecosite:check` per answer, `lecosite:check-result` once every question on the page has
 * an answer. Progress and tracking listen; this part stores nothing. */
/* The answer key, de-obfuscated (see lecosite/questions.py). */
const key = f => JSON.parse(new TextDecoder().decode(
  Uint8Array.from(atob(f.dataset.lsKey), c => c.charCodeAt() ^ 90)));

on("submit", e => {
  const f = e.target, text = $("input[type=text]", f), box = $("[data-ls-feedback]", f),
    picked = [...f.querySelectorAll("input:checked")].map(i => +i.value),
    say = (t, c = "") => t && box.append(Object.assign(D.createElement("p"),
      { textContent: t, className: c }));
  if (!f.matches("[data-ls-check]")) return;
  e.preventDefault();
  delete f.dataset.lsAgain;
  box.textContent = "";
  if (!(text ? text.value.trim() : picked + "")) return say(box.dataset.lsEmpty);
  /* as questions.py's _normal: case, spaces and quote marks do not count; — is -- */
  const k = key(f), ok = text ? k.answers.includes(text.value.toLowerCase()
    .replace(/["'“”‘’]/g, "").replace(/—/g, "--").trim().replace(/\s+/g, " "))
    : picked + "" == k.correct, r = f.dataset.lsResult = ok ? "correct" : "wrong";
  say(box.getAttribute("data-ls-" + r), "ls-check__verdict");
  (text ? [!ok && k.wrong] : picked.map(i => k.feedback[i])).map(n => say(n));
  say(k.explanation, "ls-check__explanation");
  if (!M) return;
  const all = $$("form[data-ls-check]"), right = $$("form[data-ls-result=correct]").length,
    score = right / all.length, passed = score >= (M.h.dataset.lsCheckPass ?? .8),
    s = $("[data-ls-check-score]");
  emit("check", { module: M.id, version: M.v, question: f.dataset.lsCheck,
    objective: f.dataset.lsObjective, correct: ok, score: +ok, passed: ok,
    response: text ? text.value : picked + "" });
  if (all.some(x => !x.dataset.lsResult)) return;
  scored(s, passed ? "passed" : "failed", right, all.length);
  /* One try, one result: the next once every question the last got wrong (all of them,
   * after a pass) is answered again, or at once when a failed try is mended to a pass. */
  const last = all[0].dataset;
  if (all.some(x => x.dataset.lsAgain) && !(passed && last.lsLast != "passed")) return;
  last.lsLast = passed ? "passed" : "failed";
  all.map(x => (passed || x.dataset.lsResult == "wrong") && (x.dataset.lsAgain = 1));
  emit("check-result", { module: M.id, version: M.v, score, passed, asked: all.length });
});
/* The score line, from the template's words for k ("passed", "last-failed"...). */
const scored = (s, k, right, total) => s && (s.hidden = 0, s.textContent = fill(
  s.getAttribute("data-ls-" + k), { right, total, percent: Math.round(right / total * 100) }));
