"""``lecosite diff`` output: the impact summary (Markdown for a PR comment, text, JSON)
and GitHub annotations on the exact lines."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from typing import Any

from lecosite.assemble import format_minutes
from lecosite.findings import (
    Finding,
    count,
    escalate,
    format_github,
    format_markdown,
    format_text,
    md_code,
    md_text,
    repo_path,
)
from lecosite.model import published

from .diff import Change, Diff, PathImpact

MARKER = "<!-- lecosite-impact -->"  # lets a bot find and edit its earlier comment


def _minutes(value: int | None) -> str:
    return "—" if value is None else format_minutes(value)


def _arrow(old: Any, new: Any, show: Any = str) -> str:
    left = "—" if old is None else show(old)
    right = "—" if new is None else show(new)
    return left if old == new else f"{left} → {right}"


def _versions(change: Change) -> str:
    if change.unreadable:
        return f"{change.old_version} → ?"
    return _arrow(change.old_version, change.new_version)


def _side(value: int | None, live: bool, show: Any) -> str:
    """One side of a path's figures; a draft path's are a preview's, which learners never
    see, so they say so."""
    if value is None:
        return "—"
    return show(value) if live else f"{show(value)} (draft)"


def _figures(path: PathImpact, old: int | None, new: int | None, show: Any = str) -> str:
    left = _side(old, path.old_live, show)
    right = "?" if path.unknown else _side(new, path.new_live, show)
    return left if left == right else f"{left} → {right}"


def _preview(path: PathImpact) -> bool:
    """Whether a figure of the path is marked (draft)."""
    return (path.old_total is not None and not path.old_live) or (
        path.new_total is not None and not path.new_live and not path.unknown)


def _total(path: PathImpact) -> str:
    return _figures(path, path.old_total, path.new_total, _minutes)


def _modules(path: PathImpact) -> str:
    return _figures(path, path.old_modules, path.new_modules)


_STATUS = {"version": "version only", "owners": "owners only", "unreadable": "cannot be read"}


def _not_live(change: Change) -> str:
    """An added module or path learners do not see yet says so: 'added' alone reads as live."""
    item = change.new
    if change.old is None and item is not None and not published(change.kind, item.status):
        return f"{item.status}: not in the published portal"
    return ""


def _change_label(change: Change) -> str:
    """What changed; a change of status says what it means for learners."""
    life = change.lifecycle
    labels = []
    if change.status == "changed":
        labels.append(f"changed ({change.needed})" + (", renamed" if change.renamed else ""))
    elif change.status != "status":
        labels.append(_STATUS.get(change.status, change.status))
    if _not_live(change):
        labels.append(_not_live(change))
    if life is not None:
        labels.append(f"{life.means} ({life.old} → {life.new})")
    return "; ".join(labels)


def _tally(change: Change) -> str:
    """How the summary's counts name a change: a change of status only by what it means."""
    if change.status == "status" and change.lifecycle is not None:
        return change.lifecycle.headline
    return _STATUS.get(change.status, change.status)


def _owners(change: Change, code: Any = str) -> str:
    """The owners, and who they were when that changed. A PR comment shows them as code:
    written plain, '@org/team' mentions the team, and every owner of every module changed
    was notified on each post, on top of CODEOWNERS' review requests."""
    def names(owners: Any) -> str:
        return ", ".join(map(code, owners))

    if change.owners_changed and change.old is not None:
        return f"{names(change.old.owners) or '—'} → {names(change.owners) or '—'}"
    return names(change.owners)


def _fork(diff: Diff, code: Any = str) -> str:
    """Says which commit was compared when the base ref has moved on since the fork."""
    if diff.fork is None:
        return ""
    return (f" at {code(diff.fork[:12])}, where this branch forked from it (later commits "
            f"of {code(diff.base_ref)} are not this change's)")


def _findings(diff: Diff, strict: bool) -> tuple[list[Finding], list[Finding]]:
    blamed, existing = diff.blamed, sorted(diff.existing, key=Finding.sort_key)
    return (escalate(blamed), existing) if strict else (blamed, existing)


def _counts(diff: Diff) -> str:
    parts = []
    for kind in ("module", "path"):
        mine = [c for c in diff.changes if c.kind == kind]
        if not mine:
            continue
        tally: dict[str, int] = {}
        for c in mine:
            tally[_tally(c)] = tally.get(_tally(c), 0) + 1
        parts.append(f"{kind}s: " + ", ".join(f"{n} {s}" for s, n in sorted(tally.items())))
    return "; ".join(parts) or "no module or path changed"


#: GitHub refuses a comment longer than 65,536 characters: the post step would fail on the
#: very pull requests (a change to every module) that most need their summary.
COMMENT_LIMIT = 65_000


def markdown(diff: Diff, *, strict: bool = False, limit: int = COMMENT_LIMIT) -> str:
    """The impact summary, ready to post as a pull-request comment: within ``limit``
    characters, the details left out first, then the longest lists cut, each saying so."""
    text = _markdown(diff, strict)
    rows: int | None = None
    while len(text) > limit and rows != 0:
        text = _markdown(diff, strict, rows=rows, details=False)
        rows = 200 if rows is None else rows // 2
    return text


def _cut(items: list[Any], rows: int | None) -> tuple[list[Any], str]:
    """The first ``rows`` items, and a line saying how many were left out ('' if none)."""
    if rows is None or len(items) <= rows:
        return items, ""
    return items[:rows], (f"… and {len(items) - rows} more, left out to keep this comment "
                          "within GitHub's size limit: `lecosite diff` lists them all.")


def _markdown(diff: Diff, strict: bool, rows: int | None = None, details: bool = True) -> str:
    blamed, existing = _findings(diff, strict)
    errors, warnings = count(blamed)
    out = [MARKER, f"## Content impact against {md_code(diff.base_ref, cell=False)}", ""]
    if errors:
        out.append(f"❌ **This change introduces {errors} error(s) and {warnings} warning(s).**")
    elif warnings:
        out.append(f"⚠️ This change introduces {warnings} warning(s) and no errors.")
    else:
        out.append("✅ This change introduces no problems.")
    fork = _fork(diff, lambda t: md_code(t, cell=False))
    compared = f"Compared with {md_code(diff.base_ref, cell=False)}{fork}. " if fork else ""
    changed = f"Changed {_counts(diff)}" if diff.changes else "No module or path changed"
    out += ["", f"{compared}{changed}.", ""]
    modules = [c for c in diff.changes if c.kind == "module"]
    if modules:
        out += [f"### Modules ({len(modules)})", "",
                "| Module | Change | Version | Owners | Paths affected (total time) |",
                "|---|---|---|---|---|"]
        paths = {p.id: p for p in diff.impact.paths}
        shown, more = _cut(modules, rows)
        for c in shown:
            affected = []
            for pid in diff.impact.modules.get(c.id, []):
                p = paths.get(pid)
                if p is not None:
                    affected.append(f"{md_text(p.title)} ({_total(p)})")
            out.append(f"| **{md_text(c.title)}** {md_code(c.id)} | {_change_label(c)} "
                       f"| {md_text(_versions(c))} "
                       f"| {_owners(c, md_code)} "
                       f"| {'<br>'.join(affected) or '—'} |")
        out += ["", *([more, ""] if more else [])]
    if diff.impact.paths:
        out += [f"### Paths ({len(diff.impact.paths)})", "",
                "| Path | Change | Version | Total time | Modules | Owners |",
                "|---|---|---|---|---|---|"]
        changes = {c.id: c for c in diff.changes if c.kind == "path"}
        shown_paths, more = _cut(diff.impact.paths, rows)
        for p in shown_paths:
            change = changes.get(p.id)
            label = _change_label(change) if change else p.status
            versions = _versions(change) if change else _arrow(p.old_version, p.new_version)
            owners = _owners(change, md_code) if change else ", ".join(map(md_code, p.owners))
            out.append(f"| **{md_text(p.title)}** {md_code(p.id)} | {label} "
                       f"| {md_text(versions)} | {_total(p)} | {_modules(p)} "
                       f"| {owners} |")
        out += ["", *([more, ""] if more else [])]
        if any(p.unknown for p in diff.impact.paths):
            out += ["A new total shows as ? while a file the path uses cannot be read "
                    "(its error is listed below).", ""]
        if any(_preview(p) for p in diff.impact.paths):
            out += ["Figures marked (draft) are a preview's: learners see only published "
                    "paths, without draft or review modules.", ""]
    if diff.renames:
        out += [f"### Renamed files ({len(diff.renames)})", ""]
        out += [f"- {md_code(i, cell=False)}: {md_code(old, cell=False)} → "
                f"{md_code(new, cell=False)}" for i, old, new in diff.renames]
        out.append("")
    out += [f"### Introduced by this change ({len(blamed)})", ""]
    listed, more = _cut(blamed, rows)
    out.append(format_markdown(listed) if blamed else "Nothing.")
    out += ["", *([more, ""] if more else [])]
    if not details:  # cut first
        out += ["The findings already present at the base and what each change needs are "
                "left out to keep this comment within GitHub's size limit: `lecosite diff` "
                "shows them.", ""]
        return "\n".join(out)
    if existing:
        # Markdown is not read inside an HTML block: HTML escapes, not md_text's
        out += ["<details>", f"<summary>Already present at {html.escape(diff.base_ref)} "
                f"({len(existing)}), not caused by this change</summary>", "",
                format_markdown(existing), "", "</details>", ""]
    if not any(c.reasons for c in diff.changes):
        return "\n".join(out)
    out += ["<details>", "<summary>What changed, and the bump each change needs</summary>", ""]
    for c in diff.changes:
        for level, why in c.reasons:
            out.append(f"- {c.kind} {md_code(c.id, cell=False)}: {md_text(why)} → {level}")
    out += ["", "</details>", ""]
    return "\n".join(out)


def _same_hint(diff: Diff) -> str:
    """Why nothing committed was compared, and a ref that would compare it: never the one
    just given, which would only say the same again."""
    if diff.fork is None:
        where = "the commit checked out" + ("" if diff.base_ref == "HEAD" else " (HEAD)")
        why = f"{diff.base_ref} is {where}"
    else:
        why = f"HEAD is already part of {diff.base_ref} (it has no commit of its own)"
    hint = f"{why}, so only edits not committed yet are compared"
    if diff.other_base == "HEAD~1":
        return (f"{hint}; to check work already committed, compare with the commit it "
                "started from, e.g. --base HEAD~1 for the last commit alone.")
    if diff.other_base is not None:
        return (f"{hint}; to check committed work, compare with the branch it goes into, "
                f"e.g. --base {diff.other_base}.")
    return f"{hint}, and there is no earlier commit to compare with."


def text(diff: Diff, *, strict: bool = False) -> str:
    blamed, existing = _findings(diff, strict)
    out = [f"Compared with {diff.base_ref}{_fork(diff)}: {_counts(diff)}."]
    if diff.same and not diff.changes:
        out.append(f"  {_same_hint(diff)}")
    for c in diff.changes:
        line = f"  {c.status:<9} {c.kind:<6} {c.id}  {_versions(c)}"
        if c.reasons:
            line += f"  (needs {c.needed}: " + "; ".join(w for _, w in c.reasons) + ")"
        if c.lifecycle is not None:
            line += f"  status: {c.lifecycle.old} → {c.lifecycle.new} ({c.lifecycle.means})"
        if _not_live(c):
            line += f"  ({_not_live(c)})"
        if c.owners_changed:
            line += f"  owners: {_owners(c)}"
        out.append(line)
    for i, old, new in diff.renames:
        out.append(f"  renamed {i}: {old} → {new}")
    for p in diff.impact.paths:
        unknown = " (not known while a file in it cannot be read)" if p.unknown else ""
        out.append(f"  path {p.id}: total {_total(p)}, modules {_modules(p)}{unknown}")
    out.append(f"{len(existing)} finding(s) already present at {diff.base_ref} (not shown).")
    out.append("Introduced by this change:")
    out.append(format_text(blamed))
    return "\n".join(out)


def github(diff: Diff, *, strict: bool = False) -> str:
    """Annotations for what the change introduced; renames, and changes of status on their
    line, as notices, so a module going live is seen in the diff, not only in the summary."""
    blamed, _ = _findings(diff, strict)
    def esc(value: str, chars: str = "%\r\n:,") -> str:
        return "".join(f"%{ord(ch):02X}" if ch in chars else ch for ch in value)

    notices = [f"::notice file={esc(repo_path(new, diff.folder))},title=renamed::"
               + esc(f"{i} moved from {old}", "%\r\n") for i, old, new in diff.renames]
    for c in diff.changes:
        life, item = c.lifecycle, c.new
        if life is None or item is None:
            continue
        line, col = item.where("status")
        file = esc(repo_path(diff.prefix + item.file, diff.folder))
        notices.append(
            f"::notice file={file},line={line},col={col},title={esc(f'{c.kind} {life.headline}')}::"
            + esc(f"{c.kind} '{c.id}' {life.means} ({life.old} → {life.new})", "%\r\n"))
    return "\n".join([*notices, format_github(blamed, folder=diff.folder)])


def as_json(diff: Diff, *, strict: bool = False) -> str:
    blamed, existing = _findings(diff, strict)
    errors, warnings = count(blamed)

    def finding(f: Finding) -> dict[str, Any]:
        return {**asdict(f), "severity": str(f.severity)}

    return json.dumps({
        "base": diff.base_ref,
        "fork": diff.fork,
        "errors": errors,
        "warnings": warnings,
        "changes": [{"kind": c.kind, "id": c.id, "status": c.status, "renamed": c.renamed,
                     "old_file": diff.prefix + c.old.file if c.old else None,
                     "new_file": diff.prefix + c.new.file if c.new else None,
                     "old_version": c.old_version, "new_version": c.new_version,
                     "needed": c.needed, "owners": c.owners,
                     "old_owners": c.old.owners if c.old else None,
                     "reasons": [{"level": lv, "why": w} for lv, w in c.reasons],
                     "lifecycle": c.lifecycle and {"from": c.lifecycle.old,
                                                   "to": c.lifecycle.new,
                                                   "means": c.lifecycle.means},
                     "paths": diff.impact.modules.get(c.id, []) if c.kind == "module" else []}
                    for c in diff.changes],
        "paths": [asdict(p) for p in diff.impact.paths],
        "renames": [{"id": i, "from": old, "to": new} for i, old, new in diff.renames],
        "introduced": [finding(f) for f in blamed],
        "existing": [finding(f) for f in existing],
    }, indent=2)


FORMATS = {"text": text, "json": as_json, "github": github, "markdown": markdown}
