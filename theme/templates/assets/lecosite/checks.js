/* lecosite knowledge checks: scored in the browser, reported as events.
 * Emits on document: `lecosite:check` per answer, `lecosite:check-result` once every
 * question on the page has an answer. Progress and analytics listen; this file stores nothing. */
(function () {
  "use strict";

  function key(form) { /* the answer key, de-obfuscated (see lecosite/questions.py) */
    var raw = atob(form.getAttribute("data-ls-key"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i) ^ 0x5a;
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  function normal(text) { return text.toLowerCase().split(/\s+/).filter(Boolean).join(" "); }
  function para(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) p.className = cls;
    return p;
  }

  function score(form) {
    var k = key(form), kind = form.getAttribute("data-ls-kind"), notes = [], response, correct;
    if (kind === "text") {
      response = form.querySelector("input[type=text]").value;
      correct = k.answers.indexOf(normal(response)) >= 0;
      if (!correct && k.wrong) notes.push(k.wrong);
    } else {
      var picked = [].slice.call(form.querySelectorAll("input:checked")).map(function (i) { return +i.value; });
      response = picked.join(",");
      correct = picked.length === k.correct.length && picked.every(function (i) { return k.correct.indexOf(i) >= 0; });
      picked.forEach(function (i) { if (k.feedback[i]) notes.push(k.feedback[i]); });
    }
    return { correct: correct, response: response, notes: notes, explanation: k.explanation };
  }

  function module() {
    var m = document.querySelector("[data-ls-module]");
    return m ? { id: m.getAttribute("data-ls-module"), version: m.getAttribute("data-ls-version"),
      pass: parseFloat(m.getAttribute("data-ls-check-pass")) || 0.8 } : null;
  }
  function emit(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-ls-check]")) return;
    event.preventDefault();
    var answered = form.querySelector("input:checked") || (form.querySelector("input[type=text]") || {}).value;
    var box = form.querySelector("[data-ls-feedback]");
    box.textContent = "";
    if (!answered) { box.appendChild(para("Choose an answer first.")); return; }
    var result = score(form), m = module();
    form.setAttribute("data-ls-result", result.correct ? "correct" : "wrong");
    box.appendChild(para(result.correct ? "Correct." : "Not quite.", "ls-check__verdict"));
    result.notes.forEach(function (n) { box.appendChild(para(n)); });
    if (result.explanation) box.appendChild(para(result.explanation, "ls-check__explanation"));
    if (!m) return;
    emit("lecosite:check", { module: m.id, version: m.version, question: form.getAttribute("data-ls-check"),
      objective: form.getAttribute("data-ls-objective"), correct: result.correct,
      score: result.correct ? 1 : 0, passed: result.correct, response: result.response });
    var forms = document.querySelectorAll("form[data-ls-check]");
    var done = [].filter.call(forms, function (f) { return f.hasAttribute("data-ls-result"); });
    if (done.length < forms.length) return;
    var right = done.filter(function (f) { return f.getAttribute("data-ls-result") === "correct"; }).length;
    var total = right / forms.length;
    var summary = document.querySelector("[data-ls-check-score]");
    if (summary) {
      summary.hidden = false;
      summary.textContent = "Your score: " + right + " of " + forms.length + " (" + Math.round(total * 100) +
        "%). " + (total >= m.pass ? "Passed." : "You need " + Math.round(m.pass * 100) + "% to pass; try the questions again.");
    }
    emit("lecosite:check-result", { module: m.id, version: m.version, score: total, passed: total >= m.pass });
  });
})();
