"""Read a project as it was at a git ref, with git itself (no checkout, no worktree).

``git ls-tree`` lists the files, one ``git cat-file --batch`` streams their blobs, and they
are written into a temporary folder that the ordinary check can then read. Media files
only need to exist for the check, so large blobs are written empty. The folder mirrors the
repository (the project in its subfolder, CODEOWNERS at the root), so the base's findings
name files as the working tree's do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path as FsPath

from lecosite.project import CONFIG_FILE, Settings, load_settings

from .codeowners import LOOKUP as CODEOWNERS

TEXT_SUFFIXES = (".md", ".markdown", ".yml", ".yaml", ".txt", ".vtt")
FULL_BLOB = 256 * 1024  # other files up to this size are copied, larger ones left empty
NO_COMMIT = ("HEAD has no commit yet (a new repository or branch), so there is nothing to "
             "compare with: commit the content first (git add, git commit), then run "
             "lecosite diff again")


class GitError(Exception):
    """git is missing, the folder is not a repository, or the ref is unknown."""


def git(root: FsPath, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True,
                              check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def resolve(root: FsPath, ref: str) -> str:
    """The commit ``ref`` names, or a GitError that says what is wrong."""
    if not ref.strip():
        raise GitError("--base is empty: name the branch to compare with, e.g. "
                       "--base origin/main")
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git ref")
    try:
        git(root, "rev-parse", "--show-toplevel")
    except GitError as exc:
        if "safe.directory" in str(exc):  # git's last line is the command that trusts it
            raise GitError(f"git will not read the repository {root} is in: it belongs to "
                           "another user (as in a container or CI job); if you trust it, "
                           f"run '{str(exc).strip()}' first") from None
        raise GitError(f"{root} is not inside a git repository: comparing with --base "
                       "needs the project's git history; run this in a clone of it (or pass "
                       "--project with the clone's folder)") from None
    found = _commit(root, ref)
    if found is not None:
        return found
    if _commit(root, "HEAD") is None:
        raise GitError(NO_COMMIT)
    remote, _, branch = ref.partition("/")
    shallow = _shallow(root)
    fetch = " --unshallow" if shallow else ""
    if branch and remote in git(root, "remote").decode().split():
        # Named in full: a clone of one branch (--branch, --single-branch) fetches another
        # into FETCH_HEAD alone, and the ref stayed unknown however often it was fetched.
        fetch += f" {remote} {branch}:refs/remotes/{remote}/{branch}"
    if shallow:
        raise GitError(f"unknown git ref '{ref}': this is a shallow clone (actions/checkout "
                       f"fetches one commit unless given fetch-depth: 0); run 'git fetch{fetch}'"
                       " first, or check out with fetch-depth: 0")
    todo = (f"run 'git fetch{fetch}' first" if fetch else
            "no branch, tag or commit has that name here; check its name ('git branch -a' "
            "lists the branches)")
    raise GitError(f"unknown git ref '{ref}': {todo}")


def _commit(root: FsPath, ref: str) -> str | None:
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        return None


def _shallow(root: FsPath) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"


def fork_point(root: FsPath, ref: str, commit: str) -> str:
    """Where the working tree's history and ``commit`` (what ``ref`` names) meet (``git
    merge-base``), which a pull request is compared with, as GitHub's own diff does:
    commits the base branch got since the branch forked are not the branch's changes.

    A GitError when that commit is not to be found (HEAD has no commit, the clone is
    shallow, the histories are unrelated): comparing with ``commit`` itself instead would
    blame the branch for everything the base got since."""
    if _commit(root, "HEAD") is None:
        raise GitError(NO_COMMIT)
    try:
        return git(root, "merge-base", commit, "HEAD").decode().split()[0]
    except (GitError, IndexError):
        pass
    if _shallow(root):
        raise GitError(f"this clone is shallow: the commit where HEAD forked from '{ref}' is "
                       f"not in it, so this change cannot be told from what '{ref}' got "
                       "since; run 'git fetch --unshallow' first, or check out with "
                       "fetch-depth: 0 (actions/checkout)")
    raise GitError(f"HEAD and '{ref}' share no commit, so there is no point where this "
                   f"branch forked from '{ref}' to compare with; check the ref: it should be "
                   "the branch this one goes into")


#: Where a branch usually goes, most likely first ('origin/HEAD' is the remote's default).
BASE_GUESSES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


def other_base(root: FsPath, base_ref: str) -> str | None:
    """A ref to suggest when comparing with ``base_ref`` found nothing committed: the first
    likely base branch that HEAD has commits of its own against (suggesting one that HEAD
    is part of would compare nothing again), else HEAD~1; None on a first commit."""
    for guess in BASE_GUESSES:
        if _commit(root, guess) is None:
            continue
        name = git(root, "rev-parse", "--abbrev-ref", guess).decode().strip() or guess
        if base_ref in (guess, name):
            continue
        try:
            git(root, "merge-base", "--is-ancestor", "HEAD", guess)
        except GitError:  # HEAD is not part of it, or they share no commit at all
            if _has_fork(root, guess):
                return name
    return "HEAD~1" if _commit(root, "HEAD~1") is not None else None


def _has_fork(root: FsPath, ref: str) -> bool:
    try:
        return bool(git(root, "merge-base", ref, "HEAD").strip())
    except GitError:
        return False


def _tree(root: FsPath, commit: str, paths: list[str]) -> list[tuple[str, str, int]]:
    """(blob sha, path relative to ``root``, size) of every regular file under ``paths``."""
    out = git(root, "ls-tree", "-r", "-z", "-l", commit, "--", *paths)
    files = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha, size = meta.split()
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            continue  # symlinks and submodules: nothing a check reads
        files.append((sha.decode(), os.fsdecode(name), int(size)))
    return files


def _blobs(root: FsPath, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    out = git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    blobs, pos = {}, 0
    for sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2])
        blobs[sha] = out[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def materialise(root: FsPath, commit: str, dest: FsPath) -> tuple[Settings, dict[str, str]]:
    """Write the repository's CODEOWNERS and the project's settings and content dir as of
    ``commit`` (see :func:`resolve`) into ``dest``, laid out as in the repository; returns
    the settings as they were then (their root is the project's folder in ``dest``), and
    the git blob id of every project file written, by its path relative to the project, to
    compare files without their bytes."""
    top = FsPath(os.fsdecode(git(root, "rev-parse", "--show-toplevel").rstrip(b"\n")))
    folder = os.fsdecode(git(root, "rev-parse", "--show-prefix").rstrip(b"\n")).strip("/")
    project = dest.joinpath(*folder.split("/")) if folder else dest
    (dest / ".git").mkdir()  # where lecosite.governance.codeowners looks for the root
    _write(top, _tree(top, commit, list(CODEOWNERS)), dest)  # whichever GitHub reads
    config = _tree(root, commit, [CONFIG_FILE])
    _write(root, config, project)
    settings, _ = load_settings(project)
    content = settings.content_dir.strip("/") or "."
    files = _tree(root, commit, [content])
    _write(root, files, project)
    settings.root = project
    return settings, {name: sha for sha, name, _ in [*config, *files]}


def worktree_ids(root: FsPath, names: list[str], under: str) -> dict[str, str]:
    """The blob id git gives each existing file of ``names`` (relative to ``root``, all in
    the folder ``under``) as it is in the working tree. Files the index already holds
    unmodified take its id; only the others are read and hashed (with the repository's
    filters: line endings, LFS), so large unchanged videos are not read at all."""
    present = [n for n in names if (root / n).is_file() and "\n" not in n]
    if not present:
        return {}
    index = {}
    for entry in git(root, "ls-files", "-s", "-z", "--", under).split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if meta:
            index[os.fsdecode(name)] = meta.split()[1].decode()
    dirty = {os.fsdecode(n) for n in git(root, "diff", "--relative", "--name-only", "-z", "--",
                                          under).split(b"\0") if n}
    ids = {n: index[n] for n in present if n in index and n not in dirty}
    rest = [n for n in present if n not in ids]
    if rest:  # --stdin-paths reads paths from the repository's root, not from ``root``
        folder = os.fsdecode(git(root, "rev-parse", "--show-prefix").rstrip(b"\n"))
        out = git(root, "hash-object", "--stdin-paths",
                  stdin="".join(f"{folder}{n}\n" for n in rest).encode())
        ids.update(zip(rest, out.decode().split(), strict=True))
    return ids


def _write(root: FsPath, files: list[tuple[str, str, int]], dest: FsPath) -> None:
    wanted = [sha for sha, name, size in files
              if size <= FULL_BLOB or name.lower().endswith(TEXT_SUFFIXES)]
    blobs = _blobs(root, sorted(set(wanted)))
    made: set[str] = set()
    for sha, name, _ in files:
        parts = name.split("/")
        if ".." in parts or name.startswith("/"):
            continue  # never write outside the folder
        folder = os.path.join(dest, *parts[:-1])
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(os.path.join(folder, parts[-1]), "wb") as fh:
            fh.write(blobs.get(sha, b""))
