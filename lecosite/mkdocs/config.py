"""Options of the ``lecosite`` MkDocs plugin (``plugins: - lecosite`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


class _Governance(c.Choice):
    def run_validation(self, value: object) -> object:
        if value not in self.choices:
            raise ValidationError(f"must be true (every build), preview (`lecosite serve` "
                                  f"only) or false; got {value!r}.")
        return value


class _Fanout(c.Type):
    def run_validation(self, value: object) -> object:
        value = super().run_validation(value)
        if isinstance(value, int) and value < 2:
            raise ValidationError(f"must be 2 or more (the entries one nav level shows); "
                                  f"got {value}.")
        return value


class LecositeConfig(Config):
    settings = c.Type(str, default="lecosite.yml")
    """The site's lecosite settings file, relative to mkdocs.yml."""

    drafts = c.Type(bool, default=False)
    """Include draft and in-review modules and paths, marked, for a preview build (`serve`
    always does)."""

    catalog = c.Type(bool, default=True)
    """Generate the catalog as the home page (unless the content has its own: index.md or
    README.md)."""

    collector = c.Optional(c.Type(str))
    """URL of the xAPI collector the portal's beacons post to; analytics stay off without it.
    The environment variable LECOSITE_COLLECTOR, when set, comes first (`off`: no
    analytics): `lecosite serve` sets it to its embedded collector, or to `off` with
    --no-collect, so a preview never posts to a deployed one."""

    governance = _Governance((False, True, "preview"), default=False)
    """Publish the governance page (owners, versions, review dates, orphans): `true` for an
    internal build; `preview` for `serve` only, so a public build never lists the owners."""

    nav_fanout = _Fanout(int, default=16)
    """Most entries one nav level shows before paths are grouped, keeping builds linear."""
