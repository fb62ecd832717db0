"""Scenario records to one self-contained HTML page: no scripts, no external resources.

pytest-html 4 fills its result table with JavaScript, so it cannot be read without it; this
page is plain HTML and CSS. From the top: the totals; the comparison with the last run; what
failed or is undefined, then what was skipped, each a link to its scenario; one row per feature;
then every feature, scenario and step, as product managers read them, passing features folded.
"""

from __future__ import annotations

import html
from collections import Counter
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

from reporting.compare import Comparison, Key
from reporting.model import NOT_PASSING, STATUSES, ScenarioRecord, StepRecord, Tag
from reporting.run import Run
from reporting.visible import visible

WHY_LINES = 6  # of a failure's message, at the top; the scenario below has it whole
CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;
background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:22px}
.meta{opacity:.8;font-size:13px}
.totals{display:flex;gap:10px;margin-top:12px;flex-wrap:wrap}
.pill{padding:3px 10px;border-radius:12px;font-weight:600;font-size:13px;background:#394152;
color:#fff;text-decoration:none}
a.pill{text-decoration:underline}
.passed{--c:#1f7a3f}.failed{--c:#b3261e}.undefined{--c:#a15c00}.skipped{--c:#5d6675}
.pill.passed,.pill.failed,.pill.undefined,.pill.skipped{background:var(--c)}
main{padding:18px 28px;max-width:1100px}
section.top{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:0 0 16px;
padding:10px 16px}
section.top h2{font-size:17px;margin:4px 0 8px}
section.top h3{font-size:14px;margin:8px 0 2px}
section.top ul{margin:0;padding-left:20px}
.why{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;color:#7d1a14;
white-space:pre-wrap}
table.summary{margin:0;width:100%}
table.summary td.n,table.summary th.n{text-align:right;width:80px}
tr.failed td:first-child,tr.undefined td:first-child{border-left:4px solid var(--c)}
details.feature{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:0 0 16px}
details.feature>summary{padding:12px 16px;font-size:17px;font-weight:650;cursor:pointer}
.uri{font-weight:400;color:#5d6675;font-size:13px;margin-left:8px}
.description{white-space:pre-line;color:#3b4351;margin:0 16px 8px;font-size:14px}
.scenario{border-top:1px solid #eceef2;padding:10px 16px 12px}
.scenario h3{margin:0 0 4px;font-size:15px}
.badge{display:inline-block;min-width:70px;text-align:center;border-radius:4px;font-size:12px;
font-weight:700;text-transform:uppercase;padding:1px 6px;margin-right:8px;color:#fff;
background:var(--c)}
.tag{font-size:12px;color:#3d5a99;background:#e8eefb;border-radius:4px;padding:0 5px;
margin-right:4px;font-weight:400}
.tag.inherited{color:#5d6675;background:#eef0f3}
ol.steps{list-style:none;margin:6px 0 0;padding:0;font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:13.5px}
ol.steps li{padding:2px 0 2px 10px;border-left:4px solid #c9ced6;margin:2px 0}
ol.steps li.passed,ol.steps li.failed,ol.steps li.undefined{border-color:var(--c)}
ol.steps li.failed{background:#fdf0ef}ol.steps li.undefined{background:#fff6e6}
ol.steps li.skipped{color:#7a8290}
.kw{font-weight:700;color:#6b2fa3}.st{float:right;font-size:11px;text-transform:uppercase;
color:#5d6675;padding-right:8px}
table{border-collapse:collapse;margin:4px 0 4px 24px;font-size:13px}
td,th{border:1px solid #c9ced6;padding:1px 8px;text-align:left}
pre{margin:4px 0 4px 24px;background:#f1f3f6;padding:6px 8px;border-radius:4px;white-space:pre-wrap}
pre.error{background:#fdf0ef;color:#7d1a14;border-left:3px solid #b3261e}
.example{font-size:13px;color:#3b4351;margin:2px 0}
.outline>section.scenario{margin-left:24px;border-left:3px solid #eceef2}
"""


def escape(text: str) -> str:
    """Text for the page: HTML-escaped, control and bidi characters shown as escapes."""
    return html.escape(visible(text))


def render(run: Run) -> str:
    page = Page(comparing=run.comparison is not None)
    features = "".join(page.feature(records) for records in run.features)
    return page.top(run, run.comparison) + features + page.end()


class Page:
    """The page a feature at a time, for a writer that need not hold the run (reporting.merge):
    ``feature`` gives each feature's part in reading order and keeps what the top of the page
    needs; ``top`` then gives all that goes before the features, ``end`` what follows them."""

    def __init__(self, comparing: bool = False) -> None:
        self.statuses: Counter[str] = Counter()
        self.steps: Counter[str] = Counter()
        self.features = 0
        self.attention: list[str] = []
        self.skipped: list[str] = []
        self.rows: list[str] = []
        # Where each scenario is on the page, for the comparison's links.
        self.anchors: dict[Key, str] | None = {} if comparing else None

    def feature(self, records: list[ScenarioRecord]) -> str:
        """One feature's part of the page: its scenarios, in reading order."""
        self.features += 1
        self.rows.append(_feature_row(records))
        for record in records:
            self.statuses[record.status] += 1
            self.steps.update(step.status for step in record.steps)
            if record.status in NOT_PASSING:
                self.attention.append(_listed_item(record))
            elif record.status == "skipped":
                self.skipped.append(_listed_item(record))
            if self.anchors is not None:
                self.anchors[(record.feature.uri, record.title)] = record.anchor
        return _feature(records)

    def top(self, run: Run, comparison: Comparison | None) -> str:
        """Everything before the features, once every feature was given."""
        top = _conformance(run.conformance) if run.conformance else ""
        top += _comparison(comparison, self.anchors or {}) if comparison else ""
        top += _listed(self.attention, "attention", "Failed and undefined")
        top += _listed(self.skipped, "skipped", "Skipped") + _feature_table(self.rows)
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit Vault acceptance report{_shard(run)}</title><style>{CSS}</style></head>
<body><header><h1>Audit Vault acceptance report{_shard(run)}</h1>
{self._meta(run)}
<div class="totals">{_pills(self.statuses)}</div></header>
<main>{top}"""

    def end(self) -> str:
        return ("" if self.features else "<p>No scenario ran.</p>") + "</main></body></html>\n"

    def _meta(self, run: Run) -> str:
        steps = ", ".join(f"{self.steps[s]} {s}" for s in STATUSES if self.steps[s]) or "none"
        started = run.started.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
        return (
            f'<div class="meta">{_count(self.statuses.total(), "scenario")} in '
            f"{_count(self.features, 'feature')} &middot; steps: {escape(steps)} &middot; "
            f"{run.duration_s:.2f} s &middot; started {escape(started)}</div>"
        )


def _conformance(summary: dict[str, Any]) -> str:
    """The conformance report: which vault, what it holds and lacks, and how it did."""
    results = ", ".join(f"{n} {status}" for status, n in summary.get("results", {}).items())
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>"
        + escape(", ".join(f"{n} {status}" for status, n in counts.items()))
        + "</td></tr>"
        for name, counts in summary.get("by_capability", {}).items()
    )
    environment = "".join(
        f"<li><code>{escape(name)}={escape(value)}</code></li>"
        for name, value in summary.get("environment", {}).items()
    )
    lacked = ", ".join(summary.get("capabilities_lacked", [])) or "nothing"
    return (
        '<section class="top" id="conformance"><h2>Conformance: '
        f"{float(summary.get('score', 0)):.1%} passed</h2>"
        f"<p>Target <code>{escape(str(summary.get('command')))}</code> on the "
        f"{escape(str(summary.get('stack')))} stack, language version "
        f"{escape(str(summary.get('language_version')))}; lacks {escape(lacked)}. "
        f"Results: {escape(results)} (skips count as not passed; errored: the vault broke "
        "its contract).</p>"
        f"<table><tr><th>capability</th><th>results</th></tr>{rows}</table>"
        + (
            f"<details><summary>Environment</summary><ul>{environment}</ul></details>"
            if environment
            else ""
        )
        + "</section>"
    )


def _shard(run: Run) -> str:
    return f" (shard {escape(run.shard)})" if run.shard else ""


def _pills(counts: Counter[str]) -> str:
    """The totals; all but the passed ones link to the list of them."""
    pills = []
    for status in STATUSES:
        if not counts[status] and status != "passed":
            continue
        text = f"{counts[status]} {status}"
        if status != "passed":
            listed = "attention" if status in NOT_PASSING else "skipped"
            pills.append(f'<a class="pill {status}" href="#{listed}">{text}</a>')
        else:
            pills.append(f'<span class="pill {status}">{text}</span>')
    return " ".join(pills)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _comparison(comparison: Comparison, anchors: dict[Key, str]) -> str:
    parts = [
        '<section class="top" id="comparison">'
        f"<h2>Compared with the last run ({escape(comparison.previous)})</h2>"
    ]
    for label, keys in comparison.sections:
        parts.append(f"<h3>{label.capitalize()}: {len(keys)}</h3>")
        if keys:
            parts.append("<ul>" + "".join(_compared(key, anchors) for key in keys) + "</ul>")
    return "".join(parts) + "</section>"


def _compared(key: Key, anchors: dict[Key, str]) -> str:
    uri, title = key
    where = f'<span class="uri">{escape(uri)}</span>'
    if key not in anchors:  # removed: nothing to link to
        return f"<li>{escape(title)} {where}</li>"
    return f'<li><a href="#{escape(anchors[key])}">{escape(title)}</a> {where}</li>'


def _listed_item(r: ScenarioRecord) -> str:
    """A scenario near the top, a link to itself, with why it did not pass."""
    return (
        f'<li><span class="badge {r.status}">{r.status}</span> '
        f'<a href="#{escape(r.anchor)}">{escape(r.title)}</a>'
        f' <span class="uri">{escape(r.feature.name)} &middot; {escape(r.anchor)}</span>'
        f'<div class="why">{escape(_why(r))}</div></li>'
    )


def _listed(items: list[str], anchor: str, heading: str) -> str:
    if not items:
        return ""
    return (
        f'<section class="top" id="{anchor}"><h2>{heading}: {len(items)}</h2>'
        f"<ul>{''.join(items)}</ul></section>"
    )


def _why(record: ScenarioRecord) -> str:
    """The first step that did not pass, then what it expected and found, in a few lines."""
    step = next((s for s in record.steps if s.status in NOT_PASSING), None)
    if step is None:
        return _first_lines(record.error or "")
    message = step.error_message or ""
    if step.status == "failed" and step.error_type not in {None, "AssertionError"}:
        message = f"{step.error_type}: {message}"  # an assertion is the expectation itself
    return f"{step.keyword} {step.name}\n{_first_lines(message)}".strip()


def _first_lines(text: str) -> str:
    lines = text.strip().splitlines()
    more = len(lines) - WHY_LINES
    return "\n".join(lines[:WHY_LINES] + ([f"... {more} more in the scenario"] if more > 0 else []))


def _feature_row(records: list[ScenarioRecord]) -> str:
    feature, counts = records[0].feature, Counter(r.status for r in records)
    worst = next((s for s in ("failed", "undefined") if counts[s]), "passed")
    cells = "".join(f'<td class="n">{counts[s] or ""}</td>' for s in STATUSES)
    return (
        f'<tr class="{worst}"><td><a href="#{escape(feature.uri)}">{escape(feature.name)}</a>'
        f'</td><td class="n">{len(records)}</td>{cells}</tr>'
    )


def _feature_table(rows: list[str]) -> str:
    header = "".join(f'<th class="n">{status}</th>' for status in STATUSES)
    return (
        '<section class="top" id="features"><h2>Features</h2><table class="summary">'
        f'<tr><th>feature</th><th class="n">scenarios</th>{header}</tr>{"".join(rows)}'
        "</table></section>"
    )


def _tags(tags: list[Tag], inherited: list[Tag] | None = None) -> str:
    names = {tag.name for tag in inherited or []}
    return " ".join(
        f'<span class="tag{" inherited" if tag.name in names else ""}">{escape(tag.name)}</span>'
        for tag in tags
    )


def _feature(records: list[ScenarioRecord]) -> str:
    feature = records[0].feature
    failing = any(r.status in NOT_PASSING for r in records)
    counts = Counter(r.status for r in records)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    return (
        f'<details class="feature" id="{escape(feature.uri)}"{" open" if failing else ""}>'
        f"<summary>{'&#x2718; ' if failing else ''}"
        f"{escape(feature.keyword)}: {escape(feature.name)} "
        f'<span class="uri">{escape(feature.uri)} &middot; {summary}</span> '
        f"{_tags(feature.tags)}</summary>"
        f'<div class="description">{escape(feature.description)}</div>'
        + "".join(
            _outline(list(examples)) if outline else "".join(_scenario(r) for r in examples)
            for (outline, _), examples in groupby(records, key=_outline_key)
        )
        + "</details>"
    )


def _outline_key(record: ScenarioRecord) -> tuple[bool, int]:
    """An outline's examples, together; every other scenario on its own."""
    return (record.example is not None, record.line if record.example else id(record))


def _outline(examples: list[ScenarioRecord]) -> str:
    """The outline's steps once, with their placeholders; its examples table, each row with its
    status; then the steps of each example that did not pass, which its row links to."""
    first = examples[0]
    worst = next((s for s in ("failed", "undefined") if any(r.status == s for r in examples)), None)
    status = worst or ("passed" if any(r.status == "passed" for r in examples) else "skipped")
    header = first.example.header if first.example else []
    rows = "".join(_example_row(record, header) for record in examples)
    steps = "".join(
        f'<li><span class="kw">{escape(step.keyword)}</span> '
        f"{escape(_outline_text(first, step))}</li>"
        for step in first.steps
    )
    failures = "".join(_scenario(r, f"{r.anchor}-steps") for r in examples if r.status != "passed")
    return (
        f'<section class="scenario outline" id="{escape(first.feature.uri)}:{first.line}">'
        f'<h3><span class="badge {status}">{status}</span> '
        f"{escape(first.keyword)}: {escape(first.name)} "
        f"{_tags(first.all_tags, first.feature.tags)}</h3>"
        f'<ol class="steps">{steps}</ol><div class="example">Examples:</div>'
        f"<table><tr><th>status</th>{''.join(f'<th>{escape(h)}</th>' for h in header)}</tr>"
        f"{rows}</table>{failures}</section>"
    )


def _example_row(record: ScenarioRecord, header: list[str]) -> str:
    badge = f'<span class="badge {record.status}">{record.status}</span>'
    if record.status != "passed":
        badge = f'<a href="#{escape(record.anchor)}-steps">{badge}</a>'
    values = record.example.values if record.example else {}
    cells = "".join(f"<td>{escape(values.get(h, ''))}</td>" for h in header)
    return f'<tr class="{record.status}" id="{escape(record.anchor)}"><td>{badge}</td>{cells}</tr>'


def _outline_text(record: ScenarioRecord, step: StepRecord) -> str:
    """A step as the outline writes it (``<start>``), from the feature file; as the example
    ran it when the file cannot be read (a report merged on another machine)."""
    lines = _source(record.feature.path)
    written = lines[step.line - 1].strip() if 0 < step.line <= len(lines) else ""
    keyword = step.keyword.strip()
    if written.startswith(keyword) and written[len(keyword) :].startswith(" "):
        return written[len(keyword) :].strip()
    return step.name


@cache
def _source(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return []


def _scenario(record: ScenarioRecord, anchor: str | None = None) -> str:
    example = record.example
    example_html = ""
    if example:
        header = "".join(f"<th>{escape(h)}</th>" for h in example.header)
        row = "".join(f"<td>{escape(example.values.get(h, ''))}</td>" for h in example.header)
        example_html = (
            f'<div class="example">Example {example.index}:</div>'
            f"<table><tr>{header}</tr><tr>{row}</tr></table>"
        )
    error_html = f'<pre class="error">{escape(record.error)}</pre>' if record.error else ""
    return (
        f'<section class="scenario" id="{escape(anchor or record.anchor)}">'
        f'<h3><span class="badge {record.status}">{record.status}</span> '
        f"{escape(record.keyword)}: {escape(record.title)} "
        f"{_tags(record.all_tags, record.feature.tags)}</h3>"
        f'{example_html}<ol class="steps">{"".join(_step(s) for s in record.steps)}</ol>'
        f"{error_html}{_attachments(record)}</section>"
    )


def _step(step: StepRecord) -> str:
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
    extra += _attachments(step)
    return (
        f'<li class="{step.status}"><span class="st">{step.status}</span> '
        f'<span class="kw">{escape(step.keyword)}</span> {escape(step.name)}{extra}</li>'
    )


def _attachments(owner: StepRecord | ScenarioRecord) -> str:
    return "".join(
        f'<details class="attachment"><summary>{escape(a.name)}</summary>'
        f"<pre>{escape(a.body)}</pre></details>"
        for a in owner.attachments
    )
