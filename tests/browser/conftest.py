"""Browser fixtures: a real build of a site, served on 127.0.0.1, driven in real Chromium."""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DEBIAN_CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium where there is one (no browser downloads here), else Playwright's."""
    if not DEBIAN_CHROMIUM:
        return browser_type_launch_args
    args = [*browser_type_launch_args.get("args", []), *QUIET_FLAGS]
    return {**browser_type_launch_args, "executable_path": DEBIAN_CHROMIUM, "args": args}


@pytest.fixture(autouse=True)
def no_page_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any test that opens a page fails on an uncaught error in it: a script that dies half
    way often leaves a page that still looks right."""
    if "page" not in request.fixturenames:
        yield
        return
    errors: list[str] = []
    request.getfixturevalue("page").on(
        "pageerror", lambda exc: errors.append(f"{exc.name}: {exc.message}"))
    yield
    assert not errors, f"uncaught errors in the page: {errors}"


class _Quiet(SimpleHTTPRequestHandler):
    """A static server that answers a byte range as web servers do: without it a browser
    cannot seek in a video, and a test that seeks would play from the start instead."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        found = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range") or "")
        path = self.translate_path(self.path)
        if found is None or not os.path.isfile(path):
            return super().send_head()
        data = Path(path).read_bytes()
        start = int(found[1])
        end = min(int(found[2]) if found[2] else len(data) - 1, len(data) - 1)
        if start > end:
            self.send_error(416)
            return None
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start:end + 1])


class Server:
    """A static file server for a built site. Its socket is bound here, before the build
    that needs its address (Material's instant navigation needs site_url to be the served
    origin): no other process can take the port between the build and the serving."""

    def __init__(self) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.root: Path | None = None
        self._thread: threading.Thread | None = None

    def serve(self, root: Path) -> Server:
        self.root = root
        self._httpd.RequestHandlerClass = functools.partial(_Quiet, directory=str(root))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
        self._httpd.server_close()


def build_portal(config_file: Path, site_dir: Path, site_url: str, *,
                 governance: bool | None = None, **overrides: object) -> Path:
    """A real MkDocs build with the site_url the test server will answer on."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(config_file), site_dir=str(site_dir), site_url=site_url,
                         **overrides)
    if governance is not None:
        config.plugins["lecosite"].config.governance = governance
    build(config)
    return site_dir


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The repo's own sample portal, built once and served for the whole session; with the
    governance page its preview shows (an internal build)."""
    server = Server()
    site = build_portal(REPO / "mkdocs.yml", tmp_path_factory.mktemp("portal"), server.url,
                        governance=True)
    server.serve(site)
    yield server
    server.close()


@pytest.fixture
def serve_site() -> Iterator:
    """Build and serve any project folder (with mkdocs.yml); closes the servers afterwards."""
    servers: list[Server] = []

    def run(project: Path, **overrides: object) -> Server:
        server = Server()
        site = build_portal(project / "mkdocs.yml", project / "site", server.url, **overrides)
        servers.append(server.serve(site))
        return server

    yield run
    for server in servers:
        server.close()


@pytest.fixture
def same_origin() -> Iterator:
    """Build a project, change it, build it again: always served at one origin (one port),
    so this browser's localStorage carries over, as for a learner between two releases."""
    server = Server()

    def run(project: Path, **overrides: object) -> Server:
        site = build_portal(project / "mkdocs.yml", project / "site", server.url, **overrides)
        if server.root is None:
            server.serve(site)  # serves from disk: the next build in place is what it serves
        elif server.root != site:
            raise ValueError(f"same_origin serves {server.root}, not {site}")
        return server

    yield run
    server.close()


@pytest.fixture
def axe():
    """Run axe-core (from npm) in a page; returns the WCAG 2.1 A/AA violations."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'npm ci' (the README's test command does).")

    def run(page) -> list[dict]:
        # Colours are measured as shown: let running CSS transitions (hover, focus) finish.
        page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        return [{"id": v["id"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]

    return run


# -- the sample content, read straight from the YAML and front matter ------------------

CONTENT = REPO / "content"
VISIBLE_MODULES = {"published", "deprecated"}  # what a non-draft build publishes
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)


@dataclass
class Sample:
    """The repo's sample content as the tests understand it, independent of lecosite's code."""

    paths: dict[str, dict] = field(default_factory=dict)  # published paths by id
    modules: dict[str, dict] = field(default_factory=dict)  # visible modules' front matter
    bodies: dict[str, str] = field(default_factory=dict)  # module id → Markdown body
    texts: dict[Path, str] = field(default_factory=dict)  # every text file under content/

    def order(self, path_id: str) -> list[str]:
        """A path's module ids in YAML order, sections flattened, each once."""
        path = self.paths[path_id]
        listed = path.get("modules") or [
            mid for section in path.get("sections") or [] for mid in section["modules"]]
        return [mid for mid in dict.fromkeys(listed) if mid in self.modules]

    def all_modules(self, path_id: str) -> list[str]:
        """Own modules plus, for a certification, those of what it requires; each once."""
        ids = dict.fromkeys(self.order(path_id))
        for required in self.paths[path_id].get("requires") or []:
            if required in self.paths:
                ids.update(dict.fromkeys(self.order(required)))
            elif required in self.modules:
                ids[required] = None
        return list(ids)

    def total_minutes(self, path_id: str) -> int:
        return sum(int(self.modules[mid]["duration"]) for mid in self.all_modules(path_id))

    def part_of(self, module_id: str) -> list[str]:
        """Paths that list the module, and certifications that require it through a path."""
        return [pid for pid in self.paths if module_id in self.all_modules(pid)]

    def neighbours(self, module_id: str, path_id: str) -> tuple[str | None, str | None]:
        order = self.all_modules(path_id)
        at = order.index(module_id)
        return (order[at - 1] if at else None,
                order[at + 1] if at + 1 < len(order) else None)


def read_sample(root: Path = CONTENT) -> Sample:
    sample = Sample()
    for file in sorted(root.rglob("*")):
        if file.suffix in (".md", ".yml", ".yaml", ".vtt", ".txt"):
            sample.texts[file] = file.read_text(encoding="utf-8")
    for file in sorted((root / "paths").glob("*.yml")):
        data = yaml.safe_load(sample.texts[file])
        if data.get("status", "published") == "published":
            sample.paths[data["id"]] = data
    for file in sorted((root / "modules").rglob("*.md")):
        match = FRONT_MATTER.match(sample.texts[file])
        if not match:
            continue
        data = yaml.safe_load(match.group(1))
        if data.get("status", "draft") in VISIBLE_MODULES:
            sample.modules[data["id"]] = data
            sample.bodies[data["id"]] = match.group(2)
    return sample


@pytest.fixture(scope="session")
def sample() -> Sample:
    return read_sample()
