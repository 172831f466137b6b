/* knowledge checks: scored in the browser and reported as events on document:
 * `lecosite:check` per answer, `lecosite:check-result` once every question on the page has
 * an answer. Progress and tracking listen; this part stores nothing. */
/* The answer key, de-obfuscated (see lecosite/questions.py). */
const key = f => JSON.parse(new TextDecoder().decode(
  Uint8Array.from(atob(f.dataset.lsKey), c => c.charCodeAt() ^ 90)));
const norm = s => s.toLowerCase().split(/\s+/).filter(Boolean).join(" ");

on("submit", e => {
  const f = e.target, m = here(), text = $("input[type=text]", f), box = $("[data-ls-feedback]", f),
    picked = [...f.querySelectorAll("input:checked")].map(i => +i.value),
    say = (t, c) => t && box.append(Object.assign(D.createElement("p"), { textContent: t,
      className: c || "" }));
  if (!f.matches("[data-ls-check]")) return;
  e.preventDefault();
  box.textContent = "";
  if (!(text ? text.value : picked[0] >= 0)) return say("Choose an answer first.");
  const k = key(f), ok = text ? k.answers.includes(norm(text.value))
    : picked.length == k.correct.length && picked.every(i => k.correct.includes(i));
  f.dataset.lsResult = ok ? "correct" : "wrong";
  say(ok ? "Correct." : "Not quite.", "ls-check__verdict");
  (text ? [!ok && k.wrong] : picked.map(i => k.feedback[i])).map(n => say(n));
  say(k.explanation, "ls-check__explanation");
  if (!m) return;
  const d = f.dataset, all = $$("form[data-ls-check]"), pass = +m.h.dataset.lsCheckPass || .8,
    right = all.filter(x => x.dataset.lsResult == "correct").length, score = right / all.length,
    s = $("[data-ls-check-score]");
  emit("check", { module: m.id, version: m.v, question: d.lsCheck, objective: d.lsObjective,
    correct: ok, score: +ok, passed: ok, response: text ? text.value : picked.join() });
  if (all.some(x => !x.dataset.lsResult)) return;
  if (s) {
    s.hidden = false;
    s.textContent = `Your score: ${right} of ${all.length} (${Math.round(score * 100)}%). ` +
      (score >= pass ? "Passed." : `You need ${Math.round(pass * 100)}% to pass; try the questions again.`);
  }
  emit("check-result", { module: m.id, version: m.v, score, passed: score >= pass });
});
