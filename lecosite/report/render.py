"""The report as one self-contained HTML page (inline CSS and SVG), CSV or JSON.

The HTML makes no request of its own (no scripts, fonts or images from anywhere) and every
text that came from content or learners is escaped by Jinja2's autoescaping. A learner's
comment is isolated (``<bdi>``) as well. A CSV cell loses its control characters, the bidi
ones too (``printable``): no markup isolates it, and a spreadsheet must not show text
reordered, nor run a formula a control character hid from the guard.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict
from typing import Any

import jinja2

from lecosite.report.analyze import (
    BINS,
    ModuleStats,
    Report,
    VideoStats,
    clock,
    printable,
    stop_span,
)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _seconds(value: float | None) -> str:
    return "–" if value is None else clock(value)


def _plural(count: int, word: str) -> str:
    """'1 viewer', '2 viewers': a lead reads the figures as sentences."""
    return word if count == 1 else word + "s"


def _spark(values: list[float], width: int = 120, height: int = 28) -> str:
    """Points of a retention polyline (numbers only, so safe to place in SVG)."""
    if not values:
        return ""
    step = width / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - v * height:.1f}" for i, v in enumerate(values))


def _watching(v: VideoStats) -> str:
    """The retention chart in words, for whoever cannot see it: the share of viewers who
    watched the start, each quarter and the end of the video (one who skipped a part did not
    watch it)."""
    if not v.retention or not v.length:
        return ""
    last = len(v.retention) - 1
    marks = sorted({0, last // 4, last // 2, 3 * last // 4, last})
    where = ", ".join(f"{_pct(v.retention[k])} at {clock((k + 0.5) * v.length / len(v.retention))}"
                      for k in marks)
    return f"viewers who watched: {where}"


#: Lines of "too early to judge" the page shows: a new portal may have dozens, which would
#: push the tables out of sight; those have every figure.
EARLY_SHOWN = 10

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Learning content report · {{ report.today.isoformat() }}</title>
<style>
:root { --ink: #1f2430; --muted: #5b6270; --line: #d9dce3; --bad: #b3261e;
        --bar: #3f51b5; --soft: #eef0f8;
        font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1.5rem;
       line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; }
.muted { color: var(--muted); } .bad { color: var(--bad); font-weight: 600; }
.kpis { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; padding: 0; list-style: none; }
.kpis li { background: var(--soft); border-radius: 6px; padding: .5rem .9rem; }
.kpis b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left;
         vertical-align: top; }
th { font-weight: 600; background: #fafafc; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; } /* headers wrap: the modules table fits a 1280 px screen */
ol.candidates { padding-left: 1.4rem; } ol.candidates > li { margin: .8rem 0; }
.cand-head { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
.cand-head strong { font-size: 1.05rem; }
.urgency { font-size: .85rem; font-variant-numeric: tabular-nums; }
ul.reasons { margin: .25rem 0 0; padding-left: 1.2rem; }
.funnel { margin: .5rem 0 1.5rem; table-layout: fixed; }
.funnel tr > :first-child { width: 40%; } .funnel .num { width: 30%; white-space: normal; }
.funnel svg { width: 100%; }
/* A table wider than the screen (a laptop's, a phone's) scrolls in its own box, up to a
   screen's height so its headers stick there too, and its first column (the module) stays
   in view: an opaque background, so the cells scrolling under it do not show through. */
.scroll { overflow: auto; max-height: 85vh; }
.scroll :is(th, td):first-child { position: sticky; left: 0; background: #fff;
                                  box-shadow: inset -1px 0 var(--line); z-index: 1; }
.scroll th:first-child { background: #fafafc; z-index: 2; } .scroll th { z-index: 1; }
@media (max-width: 40rem) { .scroll td.module { min-width: 7rem; } }
.funnel td { border: 0; padding: .15rem .5rem; } .funnel th { font-size: .8rem; }
/* On a phone three columns left the bars some 15 px: each bar goes under its step, full
   width, and the legend under the headings. */
@media (max-width: 40rem) {
  .funnel tr { display: grid; grid-template-columns: 1fr auto; }
  .funnel tr > :first-child, .funnel .num { width: auto; }
  .funnel tr > :nth-child(2) { grid-column: 1 / -1; grid-row: 2; }
  .funnel tbody tr { border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
}
.drop { color: var(--bad); font-weight: 600; }
details summary { cursor: pointer; color: var(--bar); }
blockquote { margin: .3rem 0; padding-left: .6rem; border-left: 3px solid var(--line);
             white-space: pre-wrap; overflow-wrap: anywhere; }
td.comments { min-width: 12rem; } td.module { min-width: 10rem; }
svg { vertical-align: middle; }
/* A retention chart's scale: small, yet of the size and contrast of the muted text. */
svg.chart text { font-size: 11px; fill: var(--muted); }
.demo { border: 2px dashed #b45309; padding: .5em .8em; }
/* On paper nothing scrolls sideways and no one opens a list: the tables fit a landscape
   page in smaller type, and comments print. */
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; } table { font-size: .75rem; }
  .scroll { overflow: visible; max-height: none; }
  th, .scroll td:first-child { position: static; }
  td.module { min-width: 8rem; } td.comments { min-width: 10rem; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; } blockquote, ol.candidates > li { break-inside: avoid; }
}
</style>
</head>
<body>
<header>
  <h1>What to update next</h1>
  {% if report.demo %}<p class="demo" role="note"><b>Demo data.</b> These figures come from
    made-up visits (<code>lecosite report --demo</code>), not from learners.</p>{% endif %}
  {% if report.unread %}<p role="note">Content files that could not be read (their modules'
    figures are shown without what the files say):
    {% for file in report.unread %}<code>{{ file }}</code>{{ ", " if not loop.last }}
    {%- endfor %}.</p>{% endif %}
  <p class="muted">Generated {{ report.generated }} from {{ report.source }}
    · {{ report.statements }} statements
    {%- if report.ignored %} ({{ report.ignored }} left out: not about this portal's modules
    or paths, or not readable as the portal sends them){% endif %}
    · review dates as of {{ report.today.isoformat() }}</p>
  <ul class="kpis">
    {% set viewed = report.modules | selectattr("views") | list | length %}
    <li><b>{{ report.learners }}</b> {{ plural(report.learners, "learner") }}</li>
    <li><b>{{ viewed }}</b> {{ plural(viewed, "module") }} viewed</li>
    <li><b>{{ candidates | length }}</b> update {{ plural(candidates | length, "candidate") }}</li>
  </ul>
</header>

<section aria-labelledby="candidates">
<h2 id="candidates">Update candidates, most urgent first</h2>
{% if candidates %}
<ol class="candidates">
{% for m in candidates %}
  <li>
    <div class="cand-head"><strong>{{ m.title }}</strong> <code>{{ m.id }}</code>
      <svg width="104" height="10" aria-hidden="true">
        <rect width="104" height="10" fill="#eef0f8"/>
        <rect width="{{ [100, (m.score / top * 100) | round(1)] | min + 4 }}" height="10"
              fill="#b3261e"/></svg>
      <span class="urgency">urgency {{ '%.2f' | format(m.score) }}</span>
      <span class="muted">owners: {{ m.owners | join(", ") if m.owners else "none listed" }}
      </span></div>
    <ul class="reasons">{% for r in m.reasons %}<li>{{ r.text }}</li>{% endfor %}</ul>
  </li>
{% endfor %}
</ol>
{% elif not report.statements %}
<p>No statements yet: nothing to judge the modules by, and no review date has passed.</p>
{% elif report.too_early %}
<p>Too few learners yet to judge these weak figures: a rating, video, check or path figure
  counts once at least {{ evidence }} learners are behind it. No other figure, and no review
  date, shows a reason to update.</p>
{% set early = report.too_early %}
<ul class="reasons">{% for t in early[:early_shown] %}<li>{{ t }}</li>{% endfor %}
{% if early | length > early_shown %}<li>… and {{ early | length - early_shown }} more: the
  tables below have every figure.</li>{% endif %}</ul>
{% elif report.modules | selectattr("learners", "ge", evidence) | list | length == 0 %}
<p>Too few learners yet to judge: a rating, video, check or path figure counts once
  at least {{ evidence }} learners are behind it, and no review date has passed.</p>
{% else %}
<p>No module shows a reason to update: ratings, videos, checks and review dates are fine.</p>
{% endif %}
</section>

{% macro retention(v) -%}
  {% if v and v.retention %}
    <svg width="128" height="48" role="img" aria-label="{{ watching(v) }}" class="chart">
      <text x="35" y="10" text-anchor="end">100%</text>
      <text x="35" y="32" text-anchor="end">0%</text>
      <text x="38" y="45">0:00</text>
      <text x="128" y="45" text-anchor="end">{{ seconds(v.length) }}</text>
      <rect x="38" y="0" width="90" height="32" fill="#eef0f8"/>
      <polyline fill="none" stroke="#3f51b5" stroke-width="2"
                points="{{ spark(v.retention, 86) }}" transform="translate(40,2)"/>
      {% if v.dropoff_at is not none and v.pattern %}
      {% set x = (v.dropoff_at / v.length * 86 + 40) | round(1) %}
      {% set x2 = (v.dropoff_to / v.length * 86 + 40) | round(1) %}
      <rect x="{{ x }}" width="{{ (x2 - x) | round(1) }}" height="32" fill="#b3261e"
            opacity="0.15"/>
      {% for at in [x, x2] | unique %}
      <line x1="{{ at }}" x2="{{ at }}" y1="0" y2="32" stroke="#b3261e" stroke-dasharray="3 2"/>
      {% endfor %}{% endif %}</svg>
    {% if v.dropoff_at is not none and v.pattern %}<br>
    <span class="{{ 'drop' if v.steep else 'muted' }}">
      {{- pct(v.dropoff_share) }} stop {{ span(v) }}</span>{% endif %}
  {%- else %}<span class="muted">–</span>{% endif %}
{%- endmacro %}

<section aria-labelledby="modules">
<h2 id="modules">Modules</h2>
<p class="muted">The video columns show each page's first video; every video has a row under
  Videos below.</p>
<div class="scroll" role="region" aria-labelledby="modules" tabindex="0">
<table>
<thead><tr><th>Module</th><th class="num">Views</th><th class="num">Learners</th>
  <th class="num">Completed</th><th class="num">Median time</th>
  <th class="num">Video finished</th><th>Where viewers stop</th>
  <th class="num">Checks passed</th><th class="num">Rating</th><th>Comments</th></tr></thead>
<tbody>
{% for m in report.modules | sort(attribute="views", reverse=True)
   if m.views or m.learners %}
<tr>
  <td class="module">{{ m.title }}<br><code class="muted">{{ m.id }}</code>
    {%- if not m.in_content %} <span class="bad">not in the content</span>{% endif %}</td>
  <td class="num">{{ m.views }}</td>
  <td class="num">{{ m.learners }}</td>
  <td class="num">{{ pct(m.completion_rate) }}</td>
  <td class="num">{{ seconds(m.median_time) }}</td>
  <td class="num">{{ pct(m.video.completion_rate if m.video else none) }}
    {%- if m.video and m.video.viewers %}<br>
    <span class="muted">{{ m.video.viewers }} {{ plural(m.video.viewers, "viewer") }}</span>
    {%- endif %}</td>
  <td>{{ retention(m.video) }}</td>
  <td class="num">{{ pct(m.check_pass_rate) }}
    {%- if m.check_attempts %}<br><span class="muted">{{ m.check_attempts }}
    {{- " try" if m.check_attempts == 1 else " tries" }}</span>
    {%- endif %}
    {%- for major, (tries, rate) in m.check_majors.items() if major != m.check_version %}<br>
    <span class="muted">v{{ major }}: {{ pct(rate) }} of {{ tries }}</span>{% endfor %}</td>
  <td class="num">{% if m.mean_rating is not none %}{{ "%.1f" | format(m.mean_rating) }}/5
    <br><span class="muted">{{ m.ratings }} {{ plural(m.ratings, "rating") }}</span>
    {%- else %}–{% endif %}
    {%- for major, (count, mean) in m.rating_majors.items() if major != m.rating_version %}<br>
    <span class="muted">v{{ major }}: {{ "%.1f" | format(mean) }}/5 by {{ count }}</span>
    {%- endfor %}</td>
  <td class="comments">{% if m.comments %}<details>
    <summary>{{ m.comments | length }} comment{{ "s" if m.comments | length != 1 }}</summary>
    {% for c in m.comments %}<blockquote>{{ c.rating }}/5{{ " (v%s)" % c.version
      if c.version and c.version != m.rating_version }}: <bdi>{{ c.text }}</bdi></blockquote>
    {% endfor %}</details>{% else %}<span class="muted">–</span>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% if not report.modules | selectattr("views") | list %}
<p>No module has been viewed yet.</p>{% endif %}
</section>

<section aria-labelledby="videos">
<h2 id="videos">Videos</h2>
{% if report.modules | selectattr("videos") | list %}
<div class="scroll" role="region" aria-labelledby="videos" tabindex="0">
<table>
<thead><tr><th>Module</th><th>Video</th><th class="num">Viewers</th>
  <th class="num">Finished</th><th class="num">Length</th><th>Where viewers stop</th></tr></thead>
<tbody>
{% for m in report.modules | sort(attribute="views", reverse=True) if m.videos %}
{% for v in m.videos %}
<tr>
  <td>{{ m.title }}<br><code class="muted">{{ m.id }}</code></td>
  <td>{{ v.number }}<br><code class="muted">{{ v.id }}</code></td>
  <td class="num">{{ v.viewers }}</td>
  <td class="num">{{ pct(v.completion_rate) }}</td>
  <td class="num">{{ seconds(v.length) }}</td>
  <td>{{ retention(v) }}</td>
</tr>
{% endfor %}{% endfor %}
</tbody>
</table>
</div>
{% else %}
<p>No video statements in the data.</p>
{% endif %}
</section>

<section aria-labelledby="paths">
<h2 id="paths">Paths: how far learners get</h2>
{% for p in report.paths %}
<h3>{{ p.title }} <code class="muted">{{ p.id }}</code></h3>
<p class="muted">{{ p.entered }} {{ plural(p.entered, "learner") }} entered this path.
{%- if p.drop_after %} The steepest drop,
  <span class="{{ 'drop' if p.drop_share >= floors.path else '' }}">{{ pct(p.drop_share) }}</span>,
  comes after “{{ (p.steps | selectattr("module", "equalto", p.drop_after) | first).title }}”.
{%- endif %}</p>
<table class="funnel">
<thead><tr><th scope="col">Step</th><th scope="col">Reached (light) and completed (dark)</th>
  <th scope="col" class="num">Learners</th></tr></thead>
<tbody>
{% set widest = [p.steps | map(attribute="learners") | max if p.steps else 0, 1] | max %}
{% for s in p.steps %}
{% set steep = s.module == p.drop_after and p.drop_share >= floors.path %}
{% set colour = "#b3261e" if steep else "#3f51b5" %}
<tr><td>{{ loop.index }}. {{ s.title }}</td>
<td><svg viewBox="0 0 304 14" height="14" preserveAspectRatio="none" role="img"
         aria-label="{{ s.learners }} {{ plural(s.learners, "learner") }} reached,
         {{- " " }}{{ s.completed }} completed">
  <rect width="{{ (s.learners / widest * 300) | round(1) + 2 }}" height="14" fill="{{ colour }}"
        opacity="0.35"/>
  <rect width="{{ (s.completed / widest * 300) | round(1) }}" height="14"
        fill="{{ colour }}"/></svg></td>
<td class="num">{{ s.learners }} reached · {{ s.completed }} completed
  {%- if steep %}<br><b>steepest drop after this step</b>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{% endfor %}
</section>
<footer class="muted"><p>Urgency, which ranks the candidates: the sum of a module's reasons,
each weighing in by how far a figure is past its floor
(rating {{ floors.rating }}/5, video finished {{ pct(floors.video) }}, checks passed
{{ pct(floors.checks) }}, {{ pct(floors.drop) }} of a video's viewers, and at least
{{ evidence }}, stopping within
{{ pct(floors.window) }} of its length), scaled by how many learners back it up; an overdue
review always counts. Video retention in {{ bins }} slices.</p></footer>
</body>
</html>
"""


def to_html(report: Report) -> str:
    from lecosite.report import analyze

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    candidates = report.candidates
    top = max((m.score for m in candidates), default=1.0) or 1.0
    return env.from_string(TEMPLATE).render(
        report=report, candidates=candidates, top=top, pct=_pct, seconds=_seconds,
        spark=_spark, watching=_watching, span=stop_span, plural=_plural, bins=BINS,
        evidence=analyze.MIN_EVIDENCE, early_shown=EARLY_SHOWN,
        floors={"rating": analyze.RATING_FLOOR, "video": analyze.VIDEO_FLOOR,
                "checks": analyze.PASS_FLOOR, "drop": analyze.DROP_FLOOR,
                "window": analyze.DROP_WINDOW,
                "path": analyze.PATH_DROP_FLOOR})


CSV_FIELDS = ["rank", "module", "title", "in_content", "owners", "score", "reasons", "views",
              "learners",
              "completion_rate", "median_time_s", "video_viewers", "video_completion_rate",
              "dropoff_at_s", "dropoff_to_s", "dropoff_share", "check_version", "check_attempts",
              "check_pass_rate",
              "rating_version", "ratings", "mean_rating", "comments", "review_by"]
VIDEO_FIELDS = ["rank", "module", "title", "video", "number", "viewers", "completion_rate",
                "length_s", "dropoff_at_s", "dropoff_to_s", "dropoff_share"]
COMMENT_FIELDS = ["rank", "module", "title", "when", "rating", "version", "comment"]
PATH_FIELDS = ["path", "path_title", "entered", "step", "module", "title", "reached",
               "completed", "steepest_drop_after"]


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _row(m: ModuleStats, rank: int | None) -> dict[str, Any]:
    v = m.video  # a module row shows its page's first video; every video has its own row
    return {
        # A module removed or renamed since is not ranked: no score to sort it among those
        # that can still be updated.
        "rank": rank, "module": m.id, "title": m.title, "in_content": m.in_content,
        "owners": m.owners, "score": m.score if m.in_content else None,
        "reasons": [r.text for r in m.reasons], "views": m.views, "learners": m.learners,
        "completion_rate": _round(m.completion_rate), "median_time_s": _round(m.median_time, 1),
        "video_viewers": v.viewers if v else 0,
        "video_completion_rate": _round(v.completion_rate) if v else None,
        "dropoff_at_s": v.dropoff_at if v else None,
        "dropoff_to_s": v.dropoff_to if v else None,
        "dropoff_share": _round(v.dropoff_share) if v else None,
        "check_version": m.check_version, "check_attempts": m.check_attempts,
        "check_pass_rate": _round(m.check_pass_rate),
        "rating_version": m.rating_version, "ratings": m.ratings,
        "mean_rating": _round(m.mean_rating, 2),
        "comments": len(m.comments),
        "review_by": m.review_by.isoformat() if m.review_by else None,
    }


def _video_row(v: VideoStats) -> dict[str, Any]:
    return {"video": v.id, "number": v.number, "viewers": v.viewers,
            "completion_rate": _round(v.completion_rate), "length_s": _round(v.length, 1),
            "dropoff_at_s": v.dropoff_at, "dropoff_to_s": v.dropoff_to,
            "dropoff_share": _round(v.dropoff_share)}


def _ranks(report: Report) -> dict[str, int]:
    return {m.id: i + 1 for i, m in enumerate(report.candidates)}


def _ranked(report: Report) -> list[ModuleStats]:
    ranks = _ranks(report)
    return sorted(report.modules, key=lambda m: (ranks.get(m.id, 10**9), m.id))


# Where a cell starts, a formula would run: OWASP's '=', '+', '-', '@', tab and CR get a
# "'" before them. After a ';' too: Excel in German or French splits a .csv on ';'.
_FORMULA = re.compile(r"(?:^|(?<=;))(?=[=+\-@\t\r])")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        value = "yes" if value else "no"  # read alike in every spreadsheet's language
    if isinstance(value, str):  # a spreadsheet must not run a formula from content or learners
        value = _FORMULA.sub("'", printable(value))  # nor one a control character hid
    return "" if value is None else value


def _csv(fields: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def to_csv(report: Report) -> str:
    """One row per module, update candidates first."""
    ranks = _ranks(report)
    return _csv(CSV_FIELDS, [_row(m, ranks.get(m.id)) for m in _ranked(report)])


def to_csv_videos(report: Report) -> str:
    """One row per video, in the modules' order: a module row only shows its first video."""
    ranks = _ranks(report)
    return _csv(VIDEO_FIELDS, [{"rank": ranks.get(m.id), "module": m.id, "title": m.title}
                               | _video_row(v) for m in _ranked(report) for v in m.videos])


def to_csv_comments(report: Report) -> str:
    """One row per learner's comment, newest first within each module: what a lead reads
    (and sorts, and quotes) when a module's rating is low."""
    ranks = _ranks(report)
    return _csv(COMMENT_FIELDS, [{"rank": ranks.get(m.id), "module": m.id, "title": m.title,
                                  "when": c["when"], "rating": c["rating"],
                                  "version": c["version"], "comment": c["text"]}
                                 for m in _ranked(report) for c in m.comments])


def to_csv_paths(report: Report) -> str:
    """One row per step of each path (its funnel); ``steepest_drop_after`` is filled on the
    step after which the most learners leave, with the share that does."""
    rows = []
    for p in report.paths:
        for number, step in enumerate(p.steps, start=1):
            rows.append({"path": p.id, "path_title": p.title, "entered": p.entered,
                         "step": number, "module": step.module, "title": step.title,
                         "reached": step.learners, "completed": step.completed,
                         "steepest_drop_after": _round(p.drop_share)
                         if step.module == p.drop_after else None})
    return _csv(PATH_FIELDS, rows)


def to_json(report: Report) -> str:
    data = {
        "generated": report.generated, "source": report.source, "demo": report.demo,
        "today": report.today.isoformat(), "statements": report.statements,
        "ignored": report.ignored,
        "learners": report.learners,
        "candidates": [_row(m, i + 1) for i, m in enumerate(report.candidates)],
        "modules": [
            _row(m, None) | {
                "retention": [round(x, 3) for x in m.video.retention] if m.video else [],
                "videos": [_video_row(v) | {"retention": [round(x, 3) for x in v.retention]}
                           for v in m.videos],
                "check_majors": {major: {"attempts": n, "pass_rate": _round(rate)}
                                 for major, (n, rate) in m.check_majors.items()},
                "rating_majors": {major: {"ratings": n, "mean": _round(mean, 2)}
                                  for major, (n, mean) in m.rating_majors.items()},
                "rating_counts": m.rating_counts, "comments": m.comments,
                "weakest_question": m.weakest_question,
                "too_few_learners": m.too_few_learners}
            for m in report.modules],
        "paths": [asdict(p) for p in report.paths],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


#: With ``-o report.csv`` these go beside it (``report-videos.csv``…): one CSV, one table.
CSV_TABLES = {"videos": to_csv_videos, "paths": to_csv_paths, "comments": to_csv_comments}
FORMATS = {"html": to_html, "csv": to_csv, "json": to_json}
