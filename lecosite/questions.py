"""Knowledge checks written in Markdown: a fenced ```check block per question.

    ```check
    ? Which port must the agent host reach outbound?
    objective: 1
    - [ ] 80 -- No: the agent never uses plain HTTP.
    - [x] 443 -- Yes: everything goes over HTTPS.
    > The agent only opens outbound connections.
    ```

One `[x]` makes a single-choice question, several make it multiple choice; `= answer`
lines instead of choices make a short text answer. `objective:` names the objective the
question assesses, by number or by its text.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lecosite.body import FENCE_LINE, Fence, fence_marker_lines, fences
from lecosite.findings import excerpt

_CHOICE = re.compile(
    r"^[-*][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>.+?)"  # - [x] choice
    r"(?:[ \t]+--[ \t]+(?P<fb>.+))?$"  # -- feedback
)
_FEEDBACK_MARK = re.compile(r"[ \t]--[ \t]")
# A fence that opens a block, met inside a check: the check above it was left open.
_NEXT_FENCE = re.compile(r"^(?:`{3,}|~{3,})[ \t]*([^\s`~][^`\n]*)$", re.M)
_CHECK_LINE = re.compile(r"[ \t]*(?:\?|- \[|=|>|objective:|feedback:|type:)")
_OPTION = re.compile(r"^(?P<key>objective|type|feedback):[ \t]*(?P<value>.+)$")


@dataclass
class Choice:
    text: str
    correct: bool
    feedback: str = ""
    line: int = 0


@dataclass
class Question:
    prompt: str
    line: int  # file line of the opening fence
    choices: list[Choice] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # accepted short answers
    objective: str | None = None
    objective_line: int | None = None  # file line of `objective:`, where a finding points
    explanation: str = ""
    multiple: bool = False
    feedback: str = ""  # for short answers: shown when the answer is wrong
    problems: list[tuple[int, str]] = field(default_factory=list)  # (file line, what is wrong)
    runs_on: bool = False  # not closed: it holds the next check too, so neither is read

    @property
    def kind(self) -> str:
        if self.answers:
            return "text"
        return "multiple" if self.multiple or sum(c.correct for c in self.choices) > 1 \
            else "single"

    def objective_index(self, objectives: list[str]) -> int | None:
        """0-based index of the objective this question names, or None if it names none."""
        if self.objective is None:
            return None
        ref = self.objective.strip()
        if ref.isdigit():
            number = int(ref)
            return number - 1 if 1 <= number <= len(objectives) else -1
        lowered = [o.strip().lower() for o in objectives]
        return lowered.index(ref.lower()) if ref.lower() in lowered else -1


_CHECK_FENCE = re.compile(r"(?:`{3,}|~{3,})[ \t]*check[ \t]*")


def has_checks(body: str) -> bool:
    """A cheap test before parsing (most bodies have no check): a ```check fence line."""
    return any(_CHECK_FENCE.fullmatch(body, *line) for line in fence_marker_lines(body))


def names_a_check(body: str) -> bool:
    """A cheap test before :func:`read`: a fence line naming a check however written
    ('```check', '``` Checks', indented), the only lines LS503 can be about."""
    return any("heck" in body[start:end] and FENCE_LINE.fullmatch(body, start, end)
               for start, end in fence_marker_lines(body))


def _walk(body: str, first_line: int = 1) -> tuple[list[Fence], list[tuple[int, str]]]:
    """The ```check blocks of a body, and (offset, what is wrong) for each fence meant as a
    check that Markdown would show as code, answers included: '```Check', '``` checks', a
    fence indented into a call-out, list or quote, or one never closed. Only outermost
    blocks count (see body.fences), so a check shown inside a ````-fence is an example."""
    checks: list[Fence] = []
    problems: list[tuple[int, str]] = []
    for block in fences(body):
        prefix, fence, info = block.prefix, block.fence, block.info.strip()
        if info != "check" and info.strip("{}. \t").split(" ", 1)[0].lower() not in (
                "check", "checks"):
            continue
        if prefix:
            problems.append((block.start, "a check fence must start at the very beginning of "
                                          "the line, not inside a call-out, list or quote; as "
                                          "written the question shows as code, answers included"))
        elif info != "check":
            problems.append((block.start, f"write the fence as {fence}check (lowercase, nothing "
                                          f"else on the line), not {fence}{info}; as written the "
                                          "question shows as code, answers included"))
        elif block.close < 0 and (opened := _NEXT_FENCE.search(body, block.inner)):
            problems.append((block.start, _not_closed(
                body[block.inner:opened.start()], opened,
                first_line + body.count("\n", 0, block.start), fence)))
        elif block.close < 0:
            problems.append((block.start, f"the check is never closed: end it with a line "
                                          f"{fence} (the same fence that opens it); as written "
                                          "the question shows as plain text, answers included, "
                                          "and later code blocks can break"))
        else:
            checks.append(block)
    return checks, problems


def read(body: str, first_line: int = 1) -> tuple[list[Question], list[tuple[int, str]]]:
    """Every ```check block in a body, parsed (problems are kept on the question), and
    (file line, what is wrong) for each fence meant as a check that is not read as one."""
    checks, problems = _walk(body, first_line)
    found = [_parse(body[b.inner:b.close], first_line + body.count("\n", 0, b.start), b.fence)
             for b in checks]
    return found, [(first_line + body.count("\n", 0, at), what) for at, what in problems]


def find(body: str, first_line: int = 1) -> list[Question]:
    """Every ```check block in a body, parsed; problems are kept on the question."""
    return read(body, first_line)[0]


def _not_closed(text: str, opened: re.Match[str], fence_line: int, fence: str) -> str:
    """What to say of a check whose ``text`` ran on into the fence ``opened``: where to
    close it, after its last line of check syntax."""
    lines = text.split("\n")
    last = max((n for n, line in enumerate(lines, 1) if _CHECK_LINE.match(line)), default=0)
    at = fence_line + len(lines)
    what = "the next check" if opened.group(1).strip() == "check" else "a code block"
    return (f"the check is not closed before {what} starts on line {at}: add a line {fence} "
            f"after line {fence_line + last}")


def _parse(text: str, fence_line: int, fence: str) -> Question:
    question = Question(prompt="", line=fence_line)
    opened = _NEXT_FENCE.search(text)
    if opened is not None:  # this check ran on into the next block: that is all there is to say
        question.problems.append((fence_line, _not_closed(
            text[:opened.start()], opened, fence_line, fence)))
        question.runs_on = True
        return question
    explanation: list[str] = []
    single_at: int | None = None  # a 'type: single' line, which one right choice must back
    short = False  # an '=' line: a short-answer question, even if no answer could be read
    for offset, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = fence_line + offset
        if not line:
            continue
        if line.startswith("?"):
            if question.prompt:
                question.problems.append((where, "a check holds one question ('?' line)"))
            question.prompt = line[1:].strip()
        elif line.startswith(">"):
            explanation.append(line[1:].strip())
        elif line.startswith("="):
            short = True
            if _FEEDBACK_MARK.search(line):
                question.problems.append((where, (
                    "a short answer holds no feedback after ' -- ': learners would have to "
                    "type it too; put it on a 'feedback:' line")))
            elif line[1:].strip():
                question.answers.append(line[1:].strip())
            else:
                question.problems.append((where, "an answer line ('=') is empty: write the "
                                                 "accepted answer after '='"))
        elif choice := _CHOICE.match(line):
            if choice.group("text").startswith("--"):
                question.problems.append((where, "the choice has no text before its feedback: "
                                                 "write the choice after ']'"))
            question.choices.append(Choice(choice.group("text").strip(),
                                           choice.group("mark") != " ",
                                           (choice.group("fb") or "").strip(), where))
        elif option := _OPTION.match(line):
            key, value = option.group("key"), option.group("value").strip()
            if key == "objective" and question.objective_line is not None:
                question.problems.append((where, (
                    f"a question assesses one objective; line {question.objective_line} "
                    "already names one: keep one 'objective:' line")))
            elif key == "objective":
                question.objective, question.objective_line = value, where
            elif key == "feedback":
                question.feedback = value
            elif value in ("single", "multiple"):
                question.multiple = value == "multiple"
                single_at = where if value == "single" else None
            else:
                question.problems.append((where, f"type must be single or multiple, not '{value}'"))
        else:
            question.problems.append((where, f"cannot read this line: '{excerpt(line)}'"))
    question.explanation = " ".join(explanation)
    first_of: dict[str, Choice] = {}
    for choice in question.choices:
        first = first_of.setdefault(_normal(choice.text), choice)
        if first is not choice:
            marks = ", once marked right and once wrong" if first.correct != choice.correct else ""
            question.problems.append((choice.line, (
                f"the choice '{excerpt(choice.text)}' repeats the one on line {first.line}"
                f"{marks}: learners would see it twice; remove one")))
    if not question.prompt:
        question.problems.append((fence_line, "the check has no question (a line starting '?')"))
    if question.feedback and question.choices:
        question.problems.append((fence_line, (
            "'feedback:' is shown for a wrong short answer; a choice question shows none of "
            "it: give each choice its feedback after ' -- '")))
    if question.answers and question.choices:
        question.problems.append((fence_line, "use either choices ('- [ ]') or answers ('= …')"))
    elif not question.answers:
        if short and not question.choices:  # its '=' lines' problems are said above
            return question
        if len(question.choices) < 2:
            question.problems.append((fence_line, "a choice question needs at least two choices"))
        elif not any(c.correct for c in question.choices):
            question.problems.append((fence_line, "no choice is marked correct with [x]"))
        elif single_at is not None and (right := sum(c.correct for c in question.choices)) > 1:
            question.problems.append((single_at, (
                f"'type: single', but {right} choices are marked right with [x]: learners "
                "would be asked to select all that apply; mark one, or write 'type: multiple'")))
    return question


def replace(body: str, slot: Callable[[Question], str]) -> str:
    """Swap each ```check block for what ``slot`` returns (the page's HTML placeholder)."""
    out, done = [], 0
    for block in _walk(body)[0]:
        out += [body[done:block.start], slot(_parse(body[block.inner:block.close], 0, block.fence))]
        done = block.end
    return "".join(out) + body[done:]


def answer_key(question: Question) -> str:
    """What the browser needs to score a question, obfuscated so that the answer is not
    readable in the page. A self-assessment, not an exam: this only stops casual peeking."""
    data = {
        "correct": [i for i, c in enumerate(question.choices) if c.correct],
        "answers": [_normal(a) for a in question.answers],
        "feedback": [c.feedback for c in question.choices],
        "wrong": question.feedback,
        "explanation": question.explanation,
    }
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(bytes(b ^ _MASK for b in raw)).decode("ascii")


_MASK = 0x5A


def _normal(answer: str) -> str:
    """As checks.js compares a typed answer: case, spaces and quote marks do not count, and
    an em dash is the '--' a phone's smart punctuation made of it."""
    return " ".join(answer.lower().translate(_QUOTES).replace("—", "--").split())


_QUOTES = str.maketrans("", "", "\"'“”‘’")
