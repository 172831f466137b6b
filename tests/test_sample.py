"""The repository's own sample curriculum passes the strictest check."""

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from lecosite.cli import main
from lecosite.load import split_front_matter
from lecosite.yamldoc import parse

REPO = Path(__file__).resolve().parent.parent


def test_sample_content_passes_strict_check():
    result = CliRunner().invoke(main, ["check", "--strict", "--project", str(REPO)])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output


def test_sample_modules_match_the_exported_schema():
    out = CliRunner().invoke(main, ["schema", "module", "--project", str(REPO)]).output
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    modules = sorted((REPO / "content" / "modules").rglob("*.md"))
    assert modules
    for file in modules:
        split = split_front_matter(file.read_text(encoding="utf-8"))
        assert isinstance(split, tuple), file
        errors = [e.message for e in validator.iter_errors(parse(split[0], split[1]).data)]
        assert errors == [], file
