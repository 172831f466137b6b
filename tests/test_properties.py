"""Whatever is in a file, loading and checking never raise, and every finding has a place."""

import re
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecosite.check import check_project
from lecosite.questions import has_checks
from lecosite.rules import REGISTRY
from lecosite.schema import MODULE, PATH

TODAY = date(2026, 6, 1)
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(sorted({*MODULE["properties"], *PATH["properties"], "sections"})) \
    | st.text(max_size=12)
documents = st.dictionaries(keys, json_values, max_size=12)
TOKENS = ["!!int ", "!!float ", "!!bool ", "!!binary ", "!!set ", "!!map ", "!!seq ", "!!str ",
          "!!timestamp ", "!x ", "&a ", "*a", "<<: ", "? ", "- ", ": ", "\n", "  ", "---\n",
          "...\n", "%YAML 1.1\n", "%TAG !e! tag:e.com,2000:\n", "|\n", ">-\n", "id", "duration",
          "2026-02-30", "1.0", "ten", "9" * 4400, "\x85", "\u2028", "\ufeff"]
yamlish = st.lists(
    st.sampled_from(TOKENS) | st.text(alphabet=list("abc019 -:[]{},&*!|>'\"#%@`?\n\t.\\"))
    | st.characters(),
    max_size=60,
).map("".join)
markdown = st.text(alphabet=st.sampled_from(list("ab #!-[]()<>`~=*_:/.\n")) | st.characters(),
                   max_size=300)


def check_files(files):
    """Write ``files`` (relative name → str or bytes) into a fresh project; check it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "lecosite.yml").write_text("content_dir: content\n")
        for rel, content in files.items():
            target = root / "content" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode("utf-8", "surrogatepass")
            target.write_bytes(content)
        findings = check_project(root, today=TODAY).findings
        for f in findings:
            assert f.rule in REGISTRY, f
            assert f.line >= 1 and f.col >= 1, f
            assert f.file.startswith("content/") and f.message, f
            raw = (root / f.file).read_bytes()
            lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            assert f.line <= lines, (f, raw)
        return findings


def dump(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FAST
@given(data=documents)
def test_random_front_matter(data):
    check_files({"modules/m.md": f"---\n{dump(data)}---\nbody\n", "paths/p.yml": dump(data)})


@FAST
@given(text=yamlish)
def test_random_yamlish_text(text):
    check_files({"modules/m.md": f"---\n{text}\n---\nbody\n", "paths/p.yml": text})


@FAST
@given(raw=st.binary(max_size=400))
def test_random_bytes(raw):
    check_files({"modules/m.md": raw, "modules/n.md": b"---\n" + raw, "paths/p.yml": raw})


@FAST
@given(body=markdown)
def test_random_markdown_body(body):
    front = {"id": "m", "title": "M", "summary": "S.", "owners": ["@o"], "version": "1.0.0",
             "status": "published", "goal": "G.", "objectives": ["O."], "duration": 8,
             "prerequisites": ["m"]}
    check_files({"modules/m.md": f"---\n{dump(front)}---\n{body}", "guides/g.md": body})


FENCE_LINES = st.lists(st.sampled_from(["```", "````", "~~~", "``", " ", "\t", "check", "checks",
                                        "\n", "\r", "x", "`"]), max_size=30).map("".join)


@FAST
@given(body=FENCE_LINES)
def test_has_checks_finds_exactly_the_check_fence_lines(body):
    fence_line = re.compile(r"^(`{3,}|~{3,})[ \t]*check[ \t]*$", re.M)
    assert has_checks(body) is (fence_line.search(body) is not None)
