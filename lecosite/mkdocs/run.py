"""`lecosite build` and `lecosite serve`: MkDocs' own commands, run with our defaults."""

from __future__ import annotations

import os

from mkdocs.__main__ import cli


def _mkdocs(args: list[str]) -> int:
    # Material prints a notice about MkDocs 2 on every run; lecosite pins mkdocs<2 already.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        cli.main(args, prog_name="lecosite", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def build_site(config_file: str, *, strict: bool, site_dir: str | None) -> int:
    args = ["build", "--config-file", config_file]
    if strict:
        args.append("--strict")
    if site_dir:
        args += ["--site-dir", site_dir]
    return _mkdocs(args)


def serve_site(config_file: str, *, dev_addr: str) -> int:
    return _mkdocs(["serve", "--config-file", config_file, "--dev-addr", dev_addr])
