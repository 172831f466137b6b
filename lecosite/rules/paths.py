"""Rules about what paths contain, how modules fit them, and where their pages go."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from lecosite.findings import Severity
from lecosite.model import YAML_SUFFIXES, Path, Site
from lecosite.rules.references import (
    _SLUG,
    joined,
    listing_unread,
    meant,
    named_anyhow,
    replacement,
)
from lecosite.rules.registry import Context, Hit, rule
from lecosite.schema import MODULE, PATH_STATUSES
from lecosite.urls import GOVERNANCE_PAGE, PROGRESS_URL, Addresses, certificate_url, path_url


@rule("LS201", "unpublished-module-in-path")
def unpublished_module(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published path may only contain published (or deprecated) modules, and a published
    certification may only require those and published paths.

    A draft, in-review or retired module would leave a hole in the learner's path; one a
    certification requires is left out of the published portal, so learners would earn the
    certificate without it.

    Example: `connect-proxy-setup` has `status: draft` and is listed in a published course,
    or in `requires: [connect-proxy-setup]` of a published certification.
    """
    for path in site.paths.values():
        if not path.published:
            continue
        for index, rid in enumerate(path.requires):
            required = site.modules.get(rid)
            status = (required.status if required is not None else
                      site.paths[rid].status if rid in site.paths else "published")
            if status in ("draft", "review", "retired"):
                kind = "module" if required is not None else "path"
                instead = replacement(site, required) if required is not None else None
                yield Hit(path.file, path.where("requires", index),
                          f"required {kind} '{rid}' is {status}, so the published portal "
                          f"leaves it out and learners would earn this {path.kind} without it",
                          f"Publish the {kind}, remove it from requires, or set this "
                          f"{path.kind}'s status: draft." if status != "retired"
                          else _replace(instead, path.requires, "requires", "Require '{}' "
                                        "instead."))
        for index, mid in enumerate(path.module_ids):
            module = site.modules.get(mid)
            if module is not None and module.status in ("draft", "review", "retired"):
                yield Hit(path.file, path.module_mark(index),
                          f"module '{mid}' is {module.status} but this path is published",
                          "Publish the module, remove it from the path, or set the path's "
                          "status: draft." if module.status != "retired"
                          else _replace(replacement(site, module), path.module_ids, "the path",
                                        "Replace it with '{}'."))


@rule("LS202", "deprecated-module-in-path", Severity.WARNING)
def deprecated_module(site: Site, ctx: Context) -> Iterator[Hit]:
    """A deprecated module is on its way out; paths should move to its replacement, or
    just drop it where the replacement is in the path already.

    Example: `connect-legacy-installer` has `status: deprecated` and is still in a course.
    """
    for path in site.paths.values():
        for index, mid in enumerate(path.module_ids):
            module = site.modules.get(mid)
            if module is not None and module.status == "deprecated":
                instead = replacement(site, module)
                yield Hit(path.file, path.module_mark(index), f"module '{mid}' is deprecated",
                          _replace(instead, path.module_ids, "the path",
                                   "Replace it with '{}' before it is retired.")
                          if instead else "Replace it before it is retired.")


def _replace(instead: str | None, listed: list[str], where: str, advice: str) -> str:
    """The hint for an entry on its way out: ``advice`` with its replacement, unless that
    is listed already (replacing the entry would list it twice) or there is none."""
    if instead is None:
        return f"Remove it from {where} (it names no replacement)."
    if instead in listed:
        return f"Remove it from {where}: '{instead}', which replaces it, is there already."
    return advice.format(instead)


@rule("LS203", "empty-path")
def empty_path(site: Site, ctx: Context) -> Iterator[Hit]:
    """A path (and each of its sections) lists at least one module.

    Example:
        sections:
          - title: Going further
            modules: []
    """
    for path in site.paths.values():
        if listing_unread(path):
            continue  # its 'modules' or 'sections' could not be read: that error says why
        if not path.module_ids and not path.requires:
            yield Hit(path.file, path.where("sections") if "sections" in path.doc.data
                      else path.where("modules"), "the path has no modules",
                      "List the module ids learners take, in order.")
            continue
        for index, section in enumerate(path.sections):
            if section.title is not None and not section.modules:
                yield Hit(path.file, path.where("sections", index),
                          f"section '{section.title}' has no modules",
                          "Add modules to the section or remove it.")


@rule("LS207", "no-modules", Severity.WARNING)
def no_modules(site: Site, ctx: Context) -> Iterator[Hit]:
    """A portal has modules. A check that finds none was most likely pointed at the wrong
    folder, and would pass whatever the content holds.

    Example: `modules_dir: module` in lecosite.yml while the modules are in
    `content/modules/` → they are read as plain pages, unchecked.
    """
    modules_dir = ctx.settings.modules_dir.strip("/")
    if site.modules or site.duplicates or any(
            f.startswith(modules_dir + "/") for f in site.unloaded):
        return
    yield Hit(modules_dir, (0, 0), f"there are no modules in {ctx.prefix}{modules_dir}/",
              "Check content_dir and modules_dir in lecosite.yml, or create a module: "
              "lecosite new module.")


@rule("LS204", "orphan-module", Severity.WARNING)
def orphan_module(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published module belongs to at least one published path, or learners will not
    find it: a draft or retired path is left out of the portal, the module's page is not.

    Example: `connect-log-levels` is published but no file in content/paths lists it, or
    only a course with `status: draft` →
    `module 'connect-log-levels' is in no published path: 'connect-admin' is a draft`.
    """
    paths_dir = ctx.settings.paths_dir.strip("/") + "/"
    if any(f.startswith(paths_dir) and f.endswith(YAML_SUFFIXES) for f in site.unloaded):
        return  # a path that cannot be read may list them: its own error comes first
    # a path whose id another file holds is left out of the site, not out of this count:
    # its modules are in a path, and the duplicate id is the error to fix (LS013)
    paths = [*site.paths.values(), *(p for p in site.duplicates if isinstance(p, Path))]
    used = {mid for path in paths if _counted(path) for mid in [*path.module_ids, *path.requires]}
    orphans = [m for m in site.modules.values() if m.status == "published" and m.id not in used]
    if not orphans:
        return
    unpublished: dict[str, dict[str, str]] = {}  # module id → {path id: status} of the rest
    for path in paths:
        named = _named(path, site)
        if _counted(path):
            used |= named
        else:
            for mid in named:
                unpublished.setdefault(mid, {})[path.id] = path.status
    for module in orphans:
        # a module whose own id is invalid (LS011) cannot be listed until it is fixed
        if module.id in used or not _SLUG.match(module.id):
            continue
        if module.id not in unpublished:
            yield Hit(module.file, module.where("id"), f"module '{module.id}' is in no path",
                      "Add it to a path in content/paths/, or set status: draft.")
            continue
        found = sorted(unpublished[module.id].items())
        drafts = [f"'{pid}'" for pid, status in found if status == "draft"]
        yield Hit(module.file, module.where("id"),
                  f"module '{module.id}' is in no published path: " + ", ".join(
                      f"'{pid}' is {'a draft' if status == 'draft' else status}"
                      for pid, status in found),
                  (f"Publish {' or '.join(drafts)} (status: published), add" if drafts
                   else "Add") + " the module to a published path, or set this module's "
                  "status: draft.")


def _counted(path: Path) -> bool:
    """Whether a path's modules count as in a path: it is published, or its status is no
    status at all (its own LS011 is the error to fix)."""
    return path.published or path.status not in PATH_STATUSES


def _named(path: Path, site: Site) -> set[str]:
    """The modules a path lists, and those it most likely means where its own error (LS010,
    LS011, LS103) is the one to fix: those of a listing it cannot be read in, and those an
    unknown entry is near."""
    named = {*path.module_ids, *path.requires}
    if listing_unread(path):
        named |= named_anyhow(path)
    named.update(mid.strip() for text in joined(path) for mid in text.split(" - "))
    for mid in [*path.module_ids, *path.requires]:
        if mid not in site.modules and (found := meant(mid, site.modules)) is not None:
            named.add(found[0])
    return named


@rule("LS205", "duration-out-of-budget", Severity.WARNING)
def duration_budget(site: Site, ctx: Context) -> Iterator[Hit]:
    """Modules are short: by default 5–15 minutes (set `duration: {min, max}` in lecosite.yml).
    A duration no module can have (`-5`, `700`) is LS011's to report.

    Example: `duration: 40` → split the module into three focused ones.
    """
    low, high = ctx.settings.duration_min, ctx.settings.duration_max
    valid = MODULE["properties"]["duration"]
    for module in site.modules.values():
        if valid["minimum"] <= module.duration <= valid["maximum"] and \
                not low <= module.duration <= high:
            yield Hit(module.file, module.where("duration"),
                      f"duration is {module.duration} min; modules here take {low}–{high} min",
                      "Split a long module into focused ones, or merge a very short one."
                      if module.duration > high else "Merge it with a related module.")


@rule("LS206", "certification-settings")
def certification_settings(site: Site, ctx: Context) -> Iterator[Hit]:
    """Certifications set `pass_mark` and `valid_for`; other paths do not use
    `requires`, `pass_mark` or `valid_for`.

    Example: a `kind: certification` path without `pass_mark: 0.8`.
    """
    for path in site.paths.values():
        if path.kind == "certification":
            for key in ("pass_mark", "valid_for"):
                if key not in path.doc.data:
                    yield Hit(path.file, path.where("kind"), f"the certification has no '{key}'",
                              "Set pass_mark (0–1, e.g. 0.8) and valid_for (months, e.g. 24).")
        else:
            for key in ("requires", "pass_mark", "valid_for"):
                if key in path.doc.data:
                    yield Hit(path.file, path.where(key),
                              f"'{key}' applies only to certifications",
                              "Remove it, or set kind: certification.")


class Owner(NamedTuple):
    """A page lecosite publishes: its source name in the build, what it is, and the file it
    comes from (none for the progress and governance pages)."""

    src: str
    what: str
    file: str | None = None


def taken_pages(site: Site, directory_urls: bool = True) -> dict[str, Owner]:
    """The author's pages that a page of lecosite's own is published in place of, by file:
    both would be built into one file, and the build keeps lecosite's.

    Whatever the options: a draft's page is in every preview, and the governance page in
    a preview with `governance: preview`. The catalog and the rules reference are left
    out: an author's page at their address (index.md or README.md at the top…) is
    published instead of them (`Addresses.authored`).
    """
    addresses = Addresses(site, directory_urls)
    owners = [Owner(f"{PROGRESS_URL}index.md", "the progress page"),
              Owner(GOVERNANCE_PAGE, "the governance page")]
    owners += [Owner(m.file, f"the page of module '{m.id}'", m.file)
               for m in site.modules.values()]
    for path in site.paths.values():
        owners.append(Owner(f"{path_url(path.id)}index.md", f"the page of path '{path.id}'",
                            path.file))
        if path.kind == "certification":
            owners.append(Owner(f"{certificate_url(path.id)}index.md",
                                f"the certificate page of '{path.id}'", path.file))
    at = {addresses.of(owner.src): owner for owner in owners}
    return {page: at[address] for page in site.pages if (address := addresses.of(page)) in at}


@rule("LS208", "page-address-taken")
def page_address_taken(site: Site, ctx: Context) -> Iterator[Hit]:
    """A page of your own may not be published where lecosite publishes one: at a path's
    address (`paths/<id>/`), a certification's certificate (`certificates/<id>/`), a
    module's (`modules/<id>/`), the progress page (`progress/`) or the governance page
    (`governance/`, even where the plugin's `governance` option is off: it may be
    turned on for a preview). The build would publish lecosite's page in its place.

    Example: `content/paths/connect-onboarding/index.md` →
    `error LS208 page-address-taken: this page is not published: the page of path
    'connect-onboarding' (content/paths/connect-onboarding.yml) takes its address,
    paths/connect-onboarding/`. Rename the file or move it, e.g. into `guides/`; a path's
    introduction goes in its summary and goal.
    """
    addresses = Addresses(site, ctx.directory_urls)
    for page, owner in taken_pages(site, ctx.directory_urls).items():
        source = f" ({ctx.prefix}{owner.file})" if owner.file else ""
        yield Hit(page, (1, 1), f"this page is not published: {owner.what}{source} takes its "
                  f"address, {addresses.of(page)}",
                  "Rename the file or move it, e.g. into guides/: the address is lecosite's.")
