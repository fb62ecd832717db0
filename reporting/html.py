"""Scenario records to one self-contained HTML page: no scripts, no external resources.

pytest-html 4 fills its result table with JavaScript, so it cannot be read without it; this
page is plain HTML and CSS, laid out Feature, Scenario, steps, as product managers read them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html import escape
from itertools import groupby

from reporting.model import STATUSES, Run, ScenarioRecord, StepRecord

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;
background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:22px}
.meta{opacity:.8;font-size:13px}
.totals{display:flex;gap:10px;margin-top:12px;flex-wrap:wrap}
.pill{padding:3px 10px;border-radius:12px;font-weight:600;font-size:13px;background:#394152}
.pill.passed{background:#1f7a3f}.pill.failed{background:#b3261e}.pill.undefined{background:#a15c00}
.pill.skipped{background:#5d6675}
main{padding:18px 28px;max-width:1100px}
details.feature{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:0 0 16px}
details.feature>summary{padding:12px 16px;font-size:17px;font-weight:650;cursor:pointer}
.uri{font-weight:400;color:#5d6675;font-size:13px;margin-left:8px}
.description{white-space:pre-line;color:#3b4351;margin:0 16px 8px;font-size:14px}
.scenario{border-top:1px solid #eceef2;padding:10px 16px 12px}
.scenario h3{margin:0 0 4px;font-size:15px}
.badge{display:inline-block;min-width:70px;text-align:center;border-radius:4px;font-size:12px;
font-weight:700;text-transform:uppercase;padding:1px 6px;margin-right:8px;color:#fff}
.badge.passed{background:#1f7a3f}.badge.failed{background:#b3261e}
.badge.undefined{background:#a15c00}.badge.skipped{background:#5d6675}
.tag{font-size:12px;color:#3d5a99;background:#e8eefb;border-radius:4px;padding:0 5px;
margin-right:4px}
ol.steps{list-style:none;margin:6px 0 0;padding:0;font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:13.5px}
ol.steps li{padding:2px 0 2px 10px;border-left:4px solid #c9ced6;margin:2px 0}
ol.steps li.passed{border-color:#1f7a3f}ol.steps li.failed{border-color:#b3261e;background:#fdf0ef}
ol.steps li.undefined{border-color:#a15c00;background:#fff6e6}ol.steps li.skipped{color:#7a8290}
.kw{font-weight:700;color:#6b2fa3}.st{float:right;font-size:11px;text-transform:uppercase;
color:#5d6675;padding-right:8px}
table{border-collapse:collapse;margin:4px 0 4px 24px;font-size:13px}
td,th{border:1px solid #c9ced6;padding:1px 8px;text-align:left}
pre{margin:4px 0 4px 24px;background:#f1f3f6;padding:6px 8px;border-radius:4px;white-space:pre-wrap}
pre.error{background:#fdf0ef;color:#7d1a14;border-left:3px solid #b3261e}
.example{font-size:13px;color:#3b4351;margin:2px 0}
"""


def render(run: Run) -> str:
    return to_html(run.records, run.duration_s, run.started)


def to_html(records: list[ScenarioRecord], duration: float, started: datetime) -> str:
    counts = Counter(record.status for record in records)
    step_counts = Counter(s.status for r in records for s in r.steps)
    totals = "".join(
        f'<span class="pill {status}">{counts[status]} {status}</span>'
        for status in STATUSES
        if counts[status] or status == "passed"
    )
    steps_line = ", ".join(f"{step_counts[s]} {s}" for s in STATUSES if step_counts[s])
    features = "".join(
        _feature(list(group)) for _, group in groupby(records, key=lambda r: r.feature.uri)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit Vault acceptance report</title><style>{CSS}</style></head>
<body><header><h1>Audit Vault acceptance report</h1>
<div class="meta">{_count(len(records), "scenario")} in
 {_count(len({r.feature.uri for r in records}), "feature")}
 &middot; steps: {escape(steps_line or "none")} &middot; {duration:.2f} s &middot;
 started {escape(started.strftime("%Y-%m-%d %H:%M:%S %Z").strip())}</div>
<div class="totals">{totals}</div></header>
<main>{features or "<p>No scenario ran.</p>"}</main></body></html>
"""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _feature(records: list[ScenarioRecord]) -> str:
    feature = records[0].feature
    failed = any(r.status in {"failed", "undefined"} for r in records)
    counts = Counter(r.status for r in records)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    tags = "".join(f'<span class="tag">{escape(t.name)}</span>' for t in feature.tags)
    return (
        f'<details class="feature" open><summary>{"&#x2718; " if failed else ""}'
        f"{escape(feature.keyword)}: {escape(feature.name)}"
        f'<span class="uri">{escape(feature.uri)} &middot; {summary}</span> {tags}</summary>'
        f'<div class="description">{escape(feature.description)}</div>'
        + "".join(_scenario(r) for r in records)
        + "</details>"
    )


def _scenario(record: ScenarioRecord) -> str:
    tags = "".join(f'<span class="tag">{escape(t.name)}</span>' for t in record.tags)
    example = record.example
    example_html = ""
    if example:
        header = "".join(f"<th>{escape(h)}</th>" for h in example.header)
        row = "".join(f"<td>{escape(example.values.get(h, ''))}</td>" for h in example.header)
        example_html = (
            f'<div class="example">Example {example.index}:</div>'
            f"<table><tr>{header}</tr><tr>{row}</tr></table>"
        )
    error = record.error
    error_html = f'<pre class="error">{escape(error)}</pre>' if error else ""
    return (
        f'<section class="scenario" id="{escape(record.anchor)}">'
        f'<h3><span class="badge {record.status}">{record.status}</span>'
        f"{escape(record.keyword)}: {escape(record.title)} {tags}</h3>"
        f'{example_html}<ol class="steps">{"".join(_step(s) for s in record.steps)}</ol>'
        f"{error_html}</section>"
    )


def _step(step: StepRecord) -> str:
    status = step.status
    extra = ""
    if step.rows is not None:
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>"
            for cells in step.rows
        )
        extra += f"<table>{rows}</table>"
    if step.doc_string is not None:
        extra += f"<pre>{escape(step.doc_string)}</pre>"
    if step.error:
        extra += f'<pre class="error">{escape(step.error)}</pre>'
    for attachment in step.attachments:
        extra += (
            f'<details class="attachment"><summary>{escape(attachment.name)}</summary>'
            f"<pre>{escape(attachment.body)}</pre></details>"
        )
    return (
        f'<li class="{status}"><span class="st">{status}</span>'
        f'<span class="kw">{escape(step.keyword)}</span> {escape(step.name)}{extra}</li>'
    )
