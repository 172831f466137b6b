"""Governance rules: versions that follow content changes (raised by ``lecosite diff``,
which compares the working tree with a git ref; LS606, a version behind its own changelog,
by every check) and a CODEOWNERS block that follows the content's owners (raised by every
check, once the repository has a CODEOWNERS file).

What a change needs, from the highest level down (a content change is any change to the
file other than version, changelog, last_reviewed, review_by, owners, status and
replaced_by — for paths: version, changelog, owners, status and review_every):

- major: an objective of the base is gone (compared by text, ignoring case, spacing and
  punctuation: replaced or reworded counts, even when the count stays), prerequisites
  changed (as a set); for paths, modules removed or ``requires`` changed. The portal asks
  learners who completed an older major version to review the module again.
- minor: goal changed, objectives added or reordered (or only their case or punctuation
  changed), a heading removed or renamed (its anchor, which links may point at, is gone);
  for paths, goal changed, modules added, a section removed.
- patch: anything else (title, summary, duration, body text, order…), including the bytes
  of a file the module uses: its video, poster, caption or transcript file, an image or
  file its body shows or links to.

A change of status alone needs no bump (the content is the same, as the authoring guide
says), yet it decides whether learners see the module or path at all: ``lecosite diff``
reports it with what it means (goes live, leaves the published portal, deprecated,
retired), so reviewers see a module going live.
"""

from collections.abc import Iterator

from lecosite.findings import Severity
from lecosite.model import Module, Path, Site, parse_version
from lecosite.rules.registry import Context, Hit, declare, rule

NOT_BUMPED = declare("LS601", "version-not-bumped", """
    A module or path whose content changed must get a new `version` (see `lecosite diff`).

    Reported on the `version:` line, with the smallest bump the change needs.

    Example: a PR edits the body of `connect-check-ports` and leaves `version: 1.3.0` →
    `version is still 1.3.0 although the content changed; bump it to at least 1.3.1`.
    """)

BUMP_TOO_SMALL = declare("LS602", "bump-too-small", """
    The version bump must fit the change: major for breaking changes (an objective removed,
    replaced or reworded — compared by text, not by count —, prerequisites changed, modules
    removed from a path), minor for changed goals, added or reordered objectives or removed
    sections, patch for anything else.

    Example: an objective is added and the version goes 1.3.0 → 1.3.1 →
    `the change needs a minor bump (1.4.0): objectives added (3 → 4)`.
    """)

MAJOR_BUMP_UNNEEDED = declare("LS608", "major-bump-unneeded", """
    A major bump asks every learner who completed the module to take it again, and starts
    its check and rating figures afresh: a warning where the change needs less (the diff
    cannot tell a rewritten body from a typo fixed, so it may be meant). Going live from
    0.x to 1.0.0 is not reported.

    Example: a typo fixed and `version: 1.2.0` → `2.0.0` → `the change needs only a patch
    bump (1.2.1)`; keep 2.0.0 only if learners must really take the module again.
    """, Severity.WARNING)

CHECK_RENUMBERED = declare("LS609", "check-objective-renumbered", """
    A knowledge check that names an objective by number asks about another one once the
    objectives are reordered or reworded: a warning on its `objective:` line, whatever the
    version bump (LS602 already asks for one that fits the objectives' change).

    Example: objectives 1 and 2 swap places and a check still says `objective: 1` →
    `this check names objective 1, which was 'Open the ports' and is now 'Test them'`.
    """, Severity.WARNING)

CHANGELOG_MISSING = declare("LS603", "changelog-missing", """
    A new version needs a `changelog` entry for that version, so learners and reviewers
    see what changed.

    Example: `version: 1.4.0` with a changelog whose newest entry is `1.3.0: …` → add
    `- 1.4.0: Added an objective on proxy exceptions.` at the top.
    """)

REMOVED_REFERENCED = declare("LS604", "removed-still-referenced", """
    A module (or path) removed in this change must not be referenced any more: by a path's
    modules or requires, a module's prerequisites or replaced_by, or a link in a module or
    page (reported instead of the link's LS403).

    Example: the PR deletes `connect-fix-clock-skew.md` but `connect-troubleshooting.yml`
    still lists it → remove it from the path. Where a page only links to it, keeping it with
    `status: retired` and `replaced_by:` will do too: its URL keeps working.
    """)

VERSION_BACKWARDS = declare("LS605", "version-backwards", """
    A version never goes backwards: learners' progress and certificates record the
    version they completed.

    Example: `version: 1.2.0` at the base and `version: 1.1.9` in the PR.
    """)

CODEOWNERS_OUT_OF_SYNC = declare("LS611", "codeowners-out-of-sync", """
    lecosite's block in the repository's CODEOWNERS (the lines from `# BEGIN lecosite` to
    `# END lecosite`) must match the owners the content declares (in modules, paths and
    folder `_defaults.yml` files), so GitHub asks the right people to review. Only the block
    is compared: other teams' rules around it are theirs. The file is the one GitHub uses:
    `.github/CODEOWNERS`, else `CODEOWNERS`, else `docs/CODEOWNERS`; a file without the
    block, or written whole by an older lecosite, is reported too. Reported at the first
    difference (a file removed or added is named on its own line, not blamed on the lines
    after it); a warning, so authors can finish an edit first (an error with `--strict`, as
    in CI). Projects without a CODEOWNERS file, or with `codeowners: false` in lecosite.yml
    (CODEOWNERS managed elsewhere), are not checked. A file that cannot be read
    (a YAML typo) keeps the line it has, both here and in `lecosite codeowners`, until it is
    fixed.

    Example: a module's owners change to `["@org/docs"]` and the block still says
    `@org/team` for its file → run `lecosite codeowners --write` and commit the result.
    """, Severity.WARNING)


@rule("LS606", "version-behind-changelog")
def version_behind_changelog(site: Site, ctx: Context) -> Iterator[Hit]:
    """A module's or path's `version` is not older than the newest version its own
    changelog lists: the file contradicts itself, and the portal would ask no one to review
    a change it already announces (found by every check, no git needed).

    Example: `version: 1.2.0` with `changelog: [{1.3.0: Added the proxy step.}]` →
    `version: 1.3.0`.
    """
    for item, entries in _changelogs(site, ctx):
        mine = parse_version(item.version)
        if mine is None or not entries:
            continue
        newest_key, newest = max((key, version) for _, version, key in entries)
        if mine < newest_key:
            yield Hit(item.file, item.where("version"),
                      f"version {item.version} is older than {newest}, the newest version in "
                      "its changelog", f"Set version: {newest}, or correct the changelog "
                      "entry if its version is a typo.")


@rule("LS607", "changelog-order")
def changelog_order(site: Site, ctx: Context) -> Iterator[Hit]:
    """A changelog lists each version once, newest first: readers take the top entry for the
    latest change, and two entries for one version leave them guessing which is right.

    Example:
        changelog:
          - 1.2.0: Added the proxy step.
          - 1.3.0: Fixed the port number.   ← newer than the entry above: move it to the top
    """
    for item, entries in _changelogs(site, ctx):
        keys = [key for _, _, key in entries]
        if len(keys) > 2 and keys == sorted(keys) and len(set(keys)) == len(keys):
            yield Hit(item.file, item.where("changelog"), "the changelog lists the oldest "
                      "version first", "Reverse the entries: the newest version comes first.")
            continue
        seen: set[tuple[object, ...]] = set()
        above: tuple[str, tuple[object, ...]] | None = None
        for index, version, key in entries:
            if key in seen:
                yield Hit(item.file, item.where("changelog", index),
                          f"the changelog lists {version} twice",
                          "Merge the two entries into one line.")
            elif above is not None and key > above[1]:
                yield Hit(item.file, item.where("changelog", index),
                          f"changelog entry {version} comes after {above[0]}, an older version",
                          "Move it up: the newest version comes first.")
            seen.add(key)
            above = version, key


_Entry = tuple[int, str, tuple[object, ...]]


def _changelogs(site: Site, ctx: Context) -> list[tuple[Module | Path, list[_Entry]]]:
    """Every module and path with the (index, version, sort key) of its well-formed
    changelog entries, as written (the schema reports the others); read once per check."""
    return ctx.memo("changelogs", lambda: [
        (item, _entries(item.doc.data)) for item in [*site.modules.values(),
                                                     *site.paths.values()]])


def _entries(data: object) -> list[_Entry]:
    raw = data.get("changelog") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return []
    return [(index, version, key) for index, entry in enumerate(raw)
            if isinstance(entry, dict) and len(entry) == 1
            for version in map(str, entry) if (key := parse_version(version))]

