"""Scenario records to Cucumber's original JSON (the cucumber-ruby format most tools read)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from reporting.model import ScenarioRecord, StepRecord, Tag
from reporting.run import Run


def render(run: Run) -> str:
    return "".join(chunks(run))


def chunks(run: Run) -> Iterator[str]:
    """The file feature by feature, as ``json.dumps(features, indent=2)`` writes it whole."""
    number = -1
    for number, scenarios in enumerate(run.features):
        yield chunk(feature(scenarios, run.shard), number)
    yield END if number >= 0 else "[]"


def feature(scenarios: list[ScenarioRecord], shard: str | None) -> dict[str, Any]:
    """One feature file's scenarios as a feature object, a shard's tag on it."""
    return _sharded([_feature(scenarios)], shard)[0]


def chunk(feature: dict[str, Any], number: int) -> str:
    """The ``number``-th feature (from 0) of the file, with what goes before it."""
    out = ["[\n  " if number == 0 else ",\n  "]
    _indented(feature, "\n  ", out)
    return "".join(out)


END = "\n]"


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` into ``out``, its lines after the
    first starting with ``newline``: json's indenting encoder is pure Python, this a third of it.
    """
    kind = type(value)
    if kind is dict:
        _object(value, newline, out)
    elif kind is list:
        _array(value, newline, out)
    else:
        out.append(_scalar(value))


# A container's strings and whole numbers, most of its values, are written with their line,
# without a call of their own.
def _object(value: dict[str, Any], newline: str, out: list[str]) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for name, item in value.items():
        kind = type(item)
        if kind is str:
            out.append(f"{separator}{_string(name)}: {_string(item)}")
        elif kind is int:
            out.append(f"{separator}{_string(name)}: {_int(item)}")
        elif kind is dict:
            out.append(f"{separator}{_string(name)}: ")
            _object(item, inner, out)
        elif kind is list:
            out.append(f"{separator}{_string(name)}: ")
            _array(item, inner, out)
        else:
            out.append(f"{separator}{_string(name)}: {_scalar(item)}")
        separator = "," + inner
    out.append(newline + "}")


def _array(value: list[Any], newline: str, out: list[str]) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        kind = type(item)
        if kind is str:
            out.append(separator + _string(item))
        elif kind is dict:
            out.append(separator)
            _object(item, inner, out)
        elif kind is list:
            out.append(separator)
            _array(item, inner, out)
        else:
            out.append(separator + _scalar(item))
        separator = "," + inner
    out.append(newline + "]")


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return _int(value)
    return json.dumps(value)  # floats, booleans, None: as json writes them


_string = json.encoder.encode_basestring
_int = int.__repr__  # a bool's is not json's: only for type(value) is int


def render_per_feature(run: Run) -> dict[str, str]:
    """One file per feature: readers such as Allure 3 take only the first feature of a file."""
    return dict(
        feature_file(feature(scenarios, run.shard), number)
        for number, scenarios in enumerate(run.features, start=1)
    )


def feature_file(feature: dict[str, Any], number: int) -> tuple[str, str]:
    """The name and text of the ``number``-th feature's own file (from 1)."""
    name = f"{number:03d}-{_slug(feature['uri'])}.json"
    # Not indented: for machines, and json's C encoder only runs without indent.
    return name, json.dumps([feature], ensure_ascii=False)


def to_cucumber(records: list[ScenarioRecord]) -> list[dict[str, Any]]:
    """One feature object per feature file, its scenarios in the order given."""
    return [_feature(list(group)) for _, group in groupby(records, key=lambda r: r.feature.uri)]


def _sharded(features: list[dict[str, Any]], shard: str | None) -> list[dict[str, Any]]:
    """A shard's features carry the tag ``@shard:2/3`` (on the feature's line: it has none)."""
    if shard:
        for feature in features:
            feature["tags"].append({"name": f"@shard:{shard}", "line": feature["line"]})
    return features


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def _feature(scenarios: list[ScenarioRecord]) -> dict[str, Any]:
    feature = scenarios[0].feature
    feature_id = _slug(feature.name)
    return {
        "uri": feature.uri,
        "id": feature_id,
        "keyword": feature.keyword,
        "name": feature.name,
        "description": feature.description,
        "line": feature.line,
        "tags": _tags(feature.tags),
        "elements": [_element(feature_id, record) for record in scenarios],
    }


def _tags(tags: list[Tag]) -> list[dict[str, Any]]:
    return [{"name": tag.name, "line": tag.line} for tag in tags]


def _element(feature_id: str, record: ScenarioRecord) -> dict[str, Any]:
    element_id = f"{feature_id};{_slug(record.name)}"
    if record.example:
        element_id += f";;{record.example.index}"
    element: dict[str, Any] = {
        "id": element_id,
        "keyword": record.keyword,
        "name": record.title,
        "description": record.description,
        "line": record.example.line if record.example else record.line,
        "type": "scenario",
        # With the feature's tags, as Cucumber's own formatters write them.
        "tags": _tags(record.all_tags),
        "steps": [_step(step) for step in record.steps],
    }
    if record.started_ns:
        started = datetime.fromtimestamp(record.started_ns / 1e9, UTC)
        element["start_timestamp"] = started.isoformat(timespec="milliseconds")
    if record.error and record.status == "failed":
        # A failure outside any step (a fixture, a hook) is reported as an "after" hook.
        element["after"] = [
            {
                "match": {"location": record.nodeid},
                "result": {"status": "failed", "error_message": record.error, "duration": 0},
            }
        ]
    return element


def _step(step: StepRecord) -> dict[str, Any]:
    result: dict[str, Any] = {"status": step.status}
    if step.status != "skipped" or step.duration_ns:
        result["duration"] = step.duration_ns
    if step.error:
        result["error_message"] = step.error
    out: dict[str, Any] = {
        "keyword": step.keyword + " ",
        "name": step.name,
        "line": step.line,
        "result": result,
    }
    if step.location:
        out["match"] = {"location": step.location}
    if step.rows is not None:
        out["rows"] = [{"cells": cells} for cells in step.rows]
    if step.doc_string is not None:
        out["doc_string"] = {"value": step.doc_string, "content_type": "", "line": step.line + 1}
    # Attachments stay out: the shared schema has no "embeddings" field.
    return out
