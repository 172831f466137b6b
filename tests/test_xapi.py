"""lecosite/xapi.py: the one vocabulary, its statement shapes and the collector's validation."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecosite import scripts, xapi

REPO = Path(__file__).resolve().parents[1]
SITE = "https://learn.example.com/academy/"


def sample() -> dict[str, Any]:
    module = xapi.activity(xapi.module_iri(SITE, "connect-check-ports"), "module")
    return xapi.statement(
        "paused", xapi.activity(xapi.video_iri(module["id"]), "video"),
        actor=xapi.actor(SITE, xapi.new_id()),
        context=xapi.context(SITE, version="1.2.0", path="connect-install-course",
                             parent=[module],
                             category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")],
                             extensions={"length": 20, "threshold": 0.9,
                                         "session": xapi.new_id()}),
        result=xapi.video_result(time=5.2, progress=0.26, segments="0[.]5.2"))


def interaction(kind: str = "choice", **definition: Any) -> dict[str, Any]:
    """An `answered` statement whose question carries xAPI's interaction definition."""
    obj = xapi.activity(xapi.question_iri(SITE, "connect-check-ports", "Which port?"),
                        "question")
    obj["definition"] |= {"interactionType": kind, **definition}
    return xapi.statement("answered", obj, actor=xapi.actor(SITE, xapi.new_id()),
                          context=xapi.context(SITE, version="1.2.0"),
                          result={"success": True, "response": "b"})


def test_vocabulary_is_adl_and_video_profile_iris() -> None:
    assert xapi.VERBS["experienced"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert xapi.VERBS["played"] == "https://w3id.org/xapi/video/verbs/played"
    assert xapi.VERBS["responded"] == "http://adlnet.gov/expapi/verbs/responded"
    adl, video = "http://adlnet.gov/expapi/verbs/", "https://w3id.org/xapi/video/verbs/"
    assert all(iri.startswith((adl, video)) for iri in xapi.VERBS.values())
    assert xapi.EXTENSIONS["segments"] == "https://w3id.org/xapi/video/extensions/played-segments"
    assert xapi.EXTENSIONS["version"] == "https://lecosite.dev/xapi/extensions/version"
    for table in (xapi.VERBS, xapi.EXTENSIONS, xapi.TYPES):
        assert all(re.match(r"^https?://\S+$", iri) for iri in table.values())
        assert len(set(table.values())) == len(table)


def test_activity_ids_derive_from_the_site_and_ids() -> None:
    assert xapi.module_iri("https://x.org", "m") == "https://x.org/modules/m/"
    assert xapi.path_iri(SITE, "p") == SITE + "paths/p/"
    assert xapi.video_iri(SITE + "modules/m/") == SITE + "modules/m/video"
    assert xapi.video_iri(SITE + "modules/m/", 1) == SITE + "modules/m/video/2"
    assert xapi.parse_activity(SITE + "modules/m-1/") == ("module", "m-1", "")
    assert xapi.parse_activity(SITE + "modules/m/check/q%201") == ("module", "m", "check/q%201")
    assert xapi.parse_activity(SITE + "paths/p/") == ("path", "p", "")
    assert xapi.parse_activity("https://elsewhere/x") is None
    assert xapi.parse_activity(None) is None


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_question_ids_match_javascripts_encodeURIComponent() -> None:
    questions = ["q1", "Which port?", "a/b c", "(x)!*'~", "ünïcode & more", "100%"]
    script = f"console.log(JSON.stringify({json.dumps(questions)}.map(encodeURIComponent)))"
    encoded = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True,
                                        check=True).stdout)
    for question, js in zip(questions, encoded, strict=True):
        assert xapi.question_iri(SITE, "m", question) == SITE + "modules/m/check/" + js


def test_the_beacon_gets_every_iri_from_the_generated_config() -> None:
    """No IRI is written twice: the JS reads them from config.js, built from the tables."""
    text = xapi.config_js(SITE, "http://127.0.0.1:8787/", 0.75)
    match = re.fullmatch(r"window\.lecosite=Object\.assign\(window\.lecosite\|\|\{\},(.*)\);\n",
                         text, re.S)
    assert match
    config = json.loads(match.group(1))
    tables = (xapi.VERBS, xapi.EXTENSIONS, xapi.TYPES, {"videoProfile": xapi.VIDEO_PROFILE})
    assert config["iri"] == {k: v for table in tables for k, v in table.items()}
    assert len(config["iri"]) == sum(map(len, tables)), "a short name is in two tables"
    assert config["collector"] == "http://127.0.0.1:8787/xapi/statements"
    assert config["threshold"] == 0.75 and config["site"] == SITE
    for name in scripts.PARTS:
        assert not re.search(r"https?://", scripts.part(name)), f"{name}.js hard-codes an IRI"


def test_a_beacon_that_sends_needs_the_site_url() -> None:
    for site in ("", "/", "learn.example.com"):
        with pytest.raises(ValueError, match="site_url"):
            xapi.beacon_config(site, "http://127.0.0.1:8787/")
    with pytest.raises(ValueError, match="threshold"):
        xapi.beacon_config(SITE, None, 1.5)
    assert xapi.beacon_config("", None)["collector"] is None  # off: nothing is sent


def test_a_preview_served_to_other_machines_says_their_visits_are_not_recorded() -> None:
    """`lecosite serve -a 0.0.0.0:8000` points at its own collector on 127.0.0.1: the
    deployment advice (set collector, serve over https) could not be followed there."""
    collector = "http://127.0.0.1:8787/"
    [said] = xapi.beacon_warnings("http://0.0.0.0:8000/", collector, preview=True)
    assert "only visits from this machine are recorded" in said and "--no-collect" in said
    assert xapi.beacon_warnings("http://127.0.0.1:8000/", collector, preview=True) == []
    assert len(xapi.beacon_warnings("http://0.0.0.0:8000/", collector)) == 2  # a build


def test_config_js_cannot_break_out_of_a_script_element() -> None:
    text = xapi.config_js("https://x.org/</script><script>alert(1)//", None)
    assert "</script>" not in text and "<" not in text
    assert xapi.beacon_config("https://x.org", None)["collector"] is None


def test_the_sample_statement_is_valid_and_canonical() -> None:
    stmt = sample()
    assert xapi.validate(stmt) is stmt
    assert json.loads(xapi.canonical(stmt)) == stmt
    assert xapi.canonical(stmt) == xapi.canonical(json.loads(json.dumps(stmt)))


@pytest.mark.parametrize(("change", "where"), [
    (lambda s: s.update(id="not-a-uuid"), "id"),
    (lambda s: s["actor"].update(mbox="mailto:someone@example.org"), "actor"),
    (lambda s: s["actor"].update(name="Ada Lovelace"), "actor"),
    (lambda s: s["actor"]["account"].update(name=""), "actor.account.name"),
    (lambda s: s["verb"].update(id="http://example.org/verbs/liked"), "verb.id"),
    (lambda s: s["object"].update(id="not an iri"), "object.id"),
    (lambda s: s.update(timestamp="yesterday"), "timestamp"),
    (lambda s: s.update(timestamp="2026-11-25T10:00:00"), "timestamp"),
    (lambda s: s.update(timestamp="2026-02-30T10:00:00Z"), "timestamp"),
    (lambda s: s.update(stored="2026-11-25T10:00:00Z"), "stored"),
    (lambda s: s.update(extra=1), "statement"),
    (lambda s: s.update(result={"score": {"scaled": 2}}), "result.score.scaled"),
    (lambda s: s.update(result={"score": {"raw": 7, "min": 1, "max": 5}}), "result.score.raw"),
    (lambda s: s.update(result={"score": {"raw": True}}), "result.score.raw"),
    (lambda s: s.update(result={"duration": "12 seconds"}), "result.duration"),
    (lambda s: s.update(result={"success": "yes"}), "result.success"),
    (lambda s: s.update(result={"response": "x" * 5000}), "result.response"),
    (lambda s: s["result"]["extensions"].update(
        {xapi.EXTENSIONS["progress"]: 1.5}), "result.extensions.progress"),
    (lambda s: s["result"]["extensions"].update(
        {xapi.EXTENSIONS["segments"]: "0 to 5"}), "result.extensions.played-segments"),
    (lambda s: s["context"]["extensions"].update({"not an iri": 1}), "context.extensions"),
    (lambda s: s["context"].update(instructor={"mbox": "mailto:t@example.org"}), "context"),
    (lambda s: s["context"]["contextActivities"].update(parent=[{"id": "x"}]),
     "context.contextActivities.parent[0].id"),
    (lambda s: s["context"]["extensions"].update(
        {"https://example.org/big": "x" * (xapi.MAX_STATEMENT_BYTES + 1)}), "statement"),
    # $ would let a final newline through: a strict LRS refuses it in an id or IRI.
    (lambda s: s.update(id=s["id"] + "\n"), "id"),
    (lambda s: s["object"].update(id=s["object"]["id"] + "\n"), "object.id"),
    (lambda s: s["verb"].update(display={"a": "paused"}), "verb.display"),
    (lambda s: s["context"].update(language="not a tag"), "context.language"),
    (lambda s: s["context"].update(language="en-a"), "context.language"),
    (lambda s: s["context"].update(language="en-US\n"), "context.language"),
    (lambda s: s["context"].update(language=["en"]), "context.language"),
    (lambda s: s["object"]["definition"].update(interactionType="essay"),
     "object.definition.interactionType"),
    (lambda s: s["object"]["definition"].update(choices=[{"id": "a"}]),
     "object.definition.interactionType"),
    (lambda s: s["context"]["contextActivities"]["parent"][0]["definition"].update(
        interactionType=None), "context.contextActivities.parent[0].definition.interactionType"),
    # What a strict LRS refuses after the collector acknowledged it, or what breaks a report:
    (lambda s: s["result"].update(response="abc\ud83d"), "statement"),  # half an emoji
    (lambda s: s["result"].update(score={"raw": 10 ** 400}), "result.score.raw"),
    (lambda s: s["result"]["extensions"].update({xapi.EXTENSIONS["time"]: 10 ** 400}),
     "result.extensions.time"),
    (lambda s: s["result"].update(duration="PT" + "9" * 400 + "S"), "result.duration"),
    (lambda s: s["result"].update(duration="P2Y"), "result.duration"),
    (lambda s: s["result"].update(duration="PT٣S"), "result.duration"),
    (lambda s: s["result"].update(duration="PT３０S"), "result.duration"),
    (lambda s: s["result"]["extensions"].update(
        {xapi.EXTENSIONS["segments"]: "0[.]٣"}), "result.extensions.played-segments"),
    (lambda s: s["context"].update(language="en-U\u017f"), "context.language"),
    (lambda s: s["context"].update(language="\u212ay"), "context.language"),
    (lambda s: s.update(version="1.0foo"), "version"),
    (lambda s: s.update(result={"score": {"raw": 4, "min": 1, "max": 5}, "extensions": {
        xapi.EXTENSIONS["comment"]: "A" * 1000}}), "result.extensions.comment"),
    # The report splits figures by content version: any text would show as one.
    (lambda s: s["context"]["extensions"].update(
        {xapi.EXTENSIONS["version"]: "<img src=x onerror=alert(1)>.0.0"}),
     "context.extensions.version"),
    (lambda s: s["context"]["extensions"].update({xapi.EXTENSIONS["version"]: "1.2.0\n"}),
     "context.extensions.version"),
    (lambda s: s["context"].update(statement=42), "context.statement"),
    (lambda s: s["context"]["extensions"].update(
        {"https://example.org/deep": functools.reduce(lambda v, _: [v], range(40), 0)}),
     "statement"),
    # Not IRIs by RFC 3987 (Ralph answers 500 to such a homePage, which held up the relay):
    (lambda s: s["actor"]["account"].update(homePage="https://learn.example.com/a[1]/"),
     "actor.account.homePage"),
    (lambda s: s["object"].update(id="https://learn.example.com/%zz"), "object.id"),
    (lambda s: s["object"].update(id="https://learn.example.com/a\x7f"), "object.id"),
    (lambda s: s["object"].update(id="http://learn.example.com:abc/"), "object.id"),
    (lambda s: s["object"].update(id="https://learn.example.com/a#b#c"), "object.id"),
    (lambda s: s["object"].update(id="https://learn.example.com/\uffff"), "object.id"),
    (lambda s: s["context"]["extensions"].update({"https://example.org/a b": 1}),
     "context.extensions"),
    (lambda s: s["result"].update(duration="PT1.5H30M"), "result.duration"),
    (lambda s: s["result"].update(score={"raw": 3, "min": 3, "max": 3}), "result.score"),
    (lambda s: s.update(attachments=[]), "attachments"),
    (lambda s: s["context"].update(language="de-1901-1901"), "context.language"),
    (lambda s: s["verb"].update(display={"en-a-bbb-a-ccc": "paused"}), "verb.display"),
    # A voiding statement takes back a statement, by id; no other verb names one.
    (lambda s: s["verb"].update(id=xapi.VERBS["voided"]), "object"),
    (lambda s: s.update(verb={"id": xapi.VERBS["voided"]},
                        object={"objectType": "StatementRef", "id": "42"}), "object"),
    (lambda s: s.update(object={"objectType": "StatementRef", "id": str(uuid.uuid4())}),
     "object.objectType"),
])
def test_bad_statements_are_refused_with_the_place(change, where: str) -> None:
    stmt = copy.deepcopy(sample())
    change(stmt)
    with pytest.raises(xapi.StatementError) as info:
        xapi.validate(stmt)
    assert info.value.where.startswith(where)


def test_a_huge_key_is_not_echoed_back_whole() -> None:
    stmt = copy.deepcopy(sample()) | {"k" * 900_000: 1}
    with pytest.raises(xapi.StatementError) as info:
        xapi.validate(stmt)
    assert str(info.value).startswith("statement: unknown property 'kkk")
    assert len(str(info.value)) <= 220


@pytest.mark.parametrize(("definition", "where"), [
    ({"correctResponsesPattern": "b"}, "object.definition.correctResponsesPattern"),
    ({"correctResponsesPattern": ["b", 2]}, "object.definition.correctResponsesPattern"),
    ({"correctResponsesPattern": [""]}, "object.definition.correctResponsesPattern"),
    ({"choices": {"id": "a"}}, "object.definition.choices"),
    ({"choices": ["a"]}, "object.definition.choices[0]"),
    ({"choices": [{"id": "a"}, {"id": 2}]}, "object.definition.choices[1].id"),
    ({"choices": [{"id": "a b"}]}, "object.definition.choices[0].id"),
    ({"choices": [{"id": "a"}, {"id": "a"}]}, "object.definition.choices[1].id"),
    ({"choices": [{"id": "a", "label": "A"}]}, "object.definition.choices[0]"),
    ({"choices": [{"id": "a", "description": {"en": 1}}]},
     "object.definition.choices[0].description"),
    ({"scale": [{}]}, "object.definition.scale[0].id"),
    ({"source": None}, "object.definition.source"),
    ({"target": [{"id": ""}]}, "object.definition.target[0].id"),
    ({"steps": [["s1"]]}, "object.definition.steps[0]"),
])
def test_interaction_definitions_are_checked_as_an_lrs_does(definition: dict[str, Any],
                                                            where: str) -> None:
    with pytest.raises(xapi.StatementError) as info:
        xapi.validate(interaction(**definition))
    assert info.value.where == where


def test_every_interaction_type_and_language_tag_an_lrs_takes_is_accepted() -> None:
    lists = {"choice": "choices", "sequencing": "choices", "likert": "scale",
             "matching": "source", "performance": "steps"}
    components = [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}]
    for kind in xapi.INTERACTION_TYPES:
        extra = {lists[kind]: components} if kind in lists else {}
        stmt = interaction(kind, correctResponsesPattern=["b"], **extra)
        assert xapi.validate(stmt) is stmt
    matching = interaction("matching", correctResponsesPattern=["a[.]x[,]b[.]y"],
                           source=[{"id": "a"}, {"id": "b"}], target=[{"id": "x"}, {"id": "y"}])
    assert xapi.validate(matching) is matching
    for tag in ("en", "en-US", "de-CH-1996", "zh-Hant-TW", "es-419", "sgn-BE-FR", "i-klingon",
                "x-private", "en-US-x-twain", "de-DE-u-co-phonebk"):
        stmt = sample()
        stmt["context"]["language"] = tag
        stmt["verb"]["display"] = {tag: "paused"}
        assert xapi.validate(stmt) is stmt, tag


def test_iris_of_every_shape_an_lrs_takes_are_accepted() -> None:
    for iri in ("https://learn.example.com/modules/a/check/q%20one", "http://[::1]:8000/x",
                "urn:uuid:6f1c0e55-6f84-4f15-8d5e-7e0b0e3c1a2b", "mailto:a@example.org",
                "https://例え.jp/パス?q=1#frag", "tag:example.org,2026:x", "https://x.org",
                "https://learn.example.com/?q=\ue000", "https://x.org/\U0001f600"):
        stmt = sample()
        stmt["object"]["id"] = iri
        assert xapi.validate(stmt) is stmt, iri


def test_durations_and_segments_round_trip() -> None:
    assert xapi.duration(12.34) == "PT12.3S"
    assert xapi.duration(0) == "PT0S"
    assert xapi.parse_duration("PT12.345S") == pytest.approx(12.345)
    assert xapi.parse_duration("PT1H2M3S") == 3723
    assert xapi.parse_duration("P1DT1S") == 86401
    for bad in ("P", "PT", "12S", "PT-1S", None, 5):
        assert xapi.parse_duration(bad) is None
    segments = [(0, 5.25), (7, 12)]
    assert xapi.segments_text(segments) == "0[.]5.25[,]7[.]12"
    assert xapi.parse_segments("0[.]5.25[,]7[.]12[,]junk[,]9[.]3") == segments


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_is_accepted_or_refused_never_crashes(value: Any) -> None:
    with contextlib.suppress(xapi.StatementError):
        xapi.validate(value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "actor", "verb", "object", "result", "context",
                                        "timestamp"]), JSON, max_size=7))
def test_mutated_statements_never_crash(patch: dict[str, Any]) -> None:
    stmt = sample() | patch
    with contextlib.suppress(xapi.StatementError):
        xapi.validate(stmt)


def test_what_a_statement_may_rightly_hold() -> None:
    """The stricter checks above leave room for what is valid."""
    stmt = copy.deepcopy(sample())
    stmt["result"].update(duration="PT0S", response="😀" * 10, score={"raw": 2 ** 53})
    stmt.update(version="1.0.3")
    stmt["context"].update(statement={"objectType": "StatementRef", "id": str(uuid.uuid4())},
                           language="sgn-BE-FR")
    assert xapi.validate(stmt) is stmt
    undo = xapi.statement("voided", {"objectType": "StatementRef", "id": stmt["id"]},
                          actor=stmt["actor"])
    assert xapi.validate(undo) is undo


def test_credentials_never_leave_in_a_url() -> None:
    assert xapi.public_url("https://u:pw@lrs.example.com:8443/xAPI/") == \
        "https://lrs.example.com:8443/xAPI/"
    assert xapi.public_url("https://lrs.example.com/xAPI") == "https://lrs.example.com/xAPI"
    with pytest.raises(ValueError) as info:
        xapi.lrs_url("http://u:secret@[::1")
    assert "secret" not in str(info.value)
