"""Rules about knowledge checks (```check blocks) and the objectives they assess."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from lecosite import questions
from lecosite.findings import Severity, excerpt
from lecosite.model import Module, Site
from lecosite.rules.references import joined
from lecosite.rules.registry import Context, Hit, rule


def _read(site: Site, ctx: Context) -> dict[str, tuple[list[questions.Question],
                                                      list[tuple[int, str]]]]:
    """Checks and misplaced check fences of the modules that name one, read once."""
    return ctx.memo("checks", lambda: {
        m.id: questions.read(m.body, m.body_line) for m in site.modules.values()
        if questions.names_a_check(m.body)})


def _questions(site: Site, ctx: Context) -> dict[str, list[questions.Question]]:
    return {mid: found for mid, (found, _) in _read(site, ctx).items() if found}


def _uncounted(module: Module) -> bool:
    """Whether the module's objectives are not the list they are counted in: missing or
    under a misspelt key (LS010, LS012), text, empty or other than texts (LS011). Questions
    are then measured against objectives the author did not write, and their findings
    would only follow from that error."""
    value = module.doc.data.get("objectives")
    return not value or not isinstance(value, list) \
        or not all(isinstance(v, str) for v in value)


def _joined_objectives(module: Module) -> list[int]:
    """The indexes of objectives YAML joined from two '- ' lines (LS008, a warning)."""
    return [i for i, text in enumerate(module.objectives) if text in joined(module)]


def _objectives_unread(module: Module) -> bool:
    return _uncounted(module) or bool(_joined_objectives(module))


@rule("LS501", "unassessed-objective", Severity.WARNING)
def unassessed_objective(site: Site, ctx: Context) -> Iterator[Hit]:
    """In a module with knowledge checks, every objective has at least one question.

    Example: objectives 1 and 2 have questions (`objective: 1`, `objective: 2`) but
    objective 3 has none → add a ```check block with `objective: 3`.
    """
    for mid, found in _questions(site, ctx).items():
        module = site.modules[mid]
        if not found or any(q.runs_on for q in found) or _objectives_unread(module):
            continue  # unread checks (LS503) or objectives: that error comes first
        assessed = {q.objective_index(module.objectives) for q in found}
        for index, objective in enumerate(module.objectives):
            if index not in assessed:
                yield Hit(module.file, module.where("objectives", index),
                          f"objective {index + 1} has no question: '{excerpt(objective)}'",
                          f"Add a ```check block with 'objective: {index + 1}' to the body.")


@rule("LS502", "unknown-objective")
def unknown_objective(site: Site, ctx: Context) -> Iterator[Hit]:
    """A question's `objective:` names one of the module's objectives (number or text).

    Not reported while the objectives themselves cannot be counted (missing, written as
    text): their own error is the one to fix. Where YAML joined an objective to the one
    above it (LS008), the question may be right: the hint says to fix that line.

    Example: the module has 3 objectives and a check says `objective: 4`.
    """
    for mid, found in _questions(site, ctx).items():
        module = site.modules[mid]
        if _uncounted(module):
            continue  # their own error says what to write; the numbers may be right
        joins = _joined_objectives(module)
        for question in found:
            if question.objective_index(module.objectives) == -1:
                close = difflib.get_close_matches(str(question.objective), module.objectives,
                                                  n=1, cutoff=0.8)
                guess = (f"Did you mean objective {module.objectives.index(close[0]) + 1}, "
                         f"'{excerpt(close[0])}'? " if close else "")
                fix = (f"YAML joined two objectives into objective {joins[0] + 1} (line "
                       f"{module.where('objectives', joins[0])[0]}, LS008): put its second "
                       "'-' in line with the others, and the question may be right as it is."
                       if joins else f"{guess}Write the objective's number (1 for the first) "
                       "or its exact text.")
                yield Hit(module.file, (question.objective_line or question.line, 1),
                          f"the question names objective '{question.objective}', which this "
                          f"module does not have (it has {len(module.objectives)})", fix)


@rule("LS503", "invalid-check")
def invalid_check(site: Site, ctx: Context) -> Iterator[Hit]:
    """A `` ```check `` block has one `?` question and either choices (each once) or short
    answers.

    Its fence is `` ```check `` in lowercase at the very start of a line: `` ```Check ``, or
    a check indented into a call-out or list, shows learners the block as code, answers
    included; a check never closed by a line of its own fence (`` ``` `` or `~~~`) shows
    as plain text, answers included, and can turn later code blocks into text.

    Example:
        ```check
        ? Which port must be open?
        - [ ] 80
        - [x] 443 -- Yes: the agent uses HTTPS.
        ```
    """
    hint = "See 'Knowledge checks' in the author guide for the syntax."
    for mid, found in _questions(site, ctx).items():
        module = site.modules[mid]
        for question in found:
            for line, problem in question.problems:
                yield Hit(module.file, (line, 1), problem, hint)
    for mid, (_, misplaced) in _read(site, ctx).items():
        for line, problem in misplaced:
            yield Hit(site.modules[mid].file, (line, 1), problem, hint)


# A dash where ' -- ' was meant: one a word processor wrote, or hyphens without the spaces
# around them, before the words feedback starts with ('--no-verify' is an option, not that).
# A dash of any kind between spaces; or, before a word feedback starts with, a hyphen or an
# arrow ('80 -> No'): an arrow elsewhere may be a menu path ('Settings -> Network').
_DASH = re.compile(r"[ \t]([‐‑‒–—―−])[ \t]|((?<=[ \t])-|--|(?<=[ \t])(?:->|=>|→|—>|–>))[ \t]*"
                   r"(?=(?:yes|no|correct|right|wrong|incorrect|not quite|exactly)\b(?!-))", re.I)


@rule("LS505", "dash-instead-of-feedback-marker", Severity.WARNING)
def dash_in_choice(site: Site, ctx: Context) -> Iterator[Hit]:
    """Feedback follows a choice after ` -- `. Word processors turn `--` into a dash (– or
    —), and an author may leave out the spaces or a hyphen, or write an arrow (`->`): the
    feedback then shows as part of the choice, giving the answer away.

    Example: `- [x] 443 – Yes: everything goes over HTTPS.` → `- [x] 443 -- Yes: …`
    """
    for mid, found in _questions(site, ctx).items():
        for question in found:
            for choice in question.choices:
                if dash := _DASH.search(choice.text):
                    yield Hit(site.modules[mid].file, (choice.line, 1),
                              f"the choice '{excerpt(choice.text)}' has "
                              f"'{dash.group(1) or dash.group(2)}' where feedback would start",
                              "If the text after it is feedback, write ' -- ' (a space, "
                              "two hyphens, a space) instead.")


@rule("LS504", "check-required-without-checks")
def check_required_without_checks(site: Site, ctx: Context) -> Iterator[Hit]:
    """A module whose `completion` needs a check score has knowledge checks to pass.

    Without any ```check block its "Mark complete" stays disabled, and every path and
    certification that includes it can never be finished.

    Example: `completion: {check: 0.8}` on a module with no ```check block → add a check,
    or remove `check` from `completion`.
    """
    found = _questions(site, ctx)
    for module in site.modules.values():
        if "check" in module.completion and not found.get(module.id):
            yield Hit(module.file, module.where("completion", "check"),
                      "completion needs a knowledge-check score, but the module has no "
                      "```check block, so learners can never complete it",
                      "Add a ```check block to the body, or remove 'check' from 'completion'.")
