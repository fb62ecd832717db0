"""Scenario records to Cucumber's original JSON (the cucumber-ruby format most tools read)."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def to_cucumber(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    features = []
    for uri, group in groupby(records, key=lambda r: r["feature"]["uri"]):
        scenarios = list(group)
        feature = scenarios[0]["feature"]
        feature_id = _slug(feature["name"])
        features.append(
            {
                "uri": uri,
                "id": feature_id,
                "keyword": feature["keyword"],
                "name": feature["name"],
                "description": feature["description"],
                "line": feature["line"],
                "tags": feature["tags"],
                "elements": [_element(feature_id, record) for record in scenarios],
            }
        )
    return features


def _element(feature_id: str, record: dict[str, Any]) -> dict[str, Any]:
    example = record["example"]
    element_id = f"{feature_id};{_slug(record['name'])}"
    if example:
        element_id += f";;{example['index']}"
    element: dict[str, Any] = {
        "id": element_id,
        "keyword": record["keyword"],
        "name": record["name"],
        "description": record["description"],
        "line": example["line"] if example else record["line"],
        "type": "scenario",
        "tags": record["tags"],
        "steps": [_step(step) for step in record["steps"]],
    }
    if record.get("error") and record["status"] == "failed":
        # A failure outside any step (a fixture, a hook) is reported as an "after" hook.
        element["after"] = [
            {
                "match": {"location": record["nodeid"]},
                "result": {"status": "failed", "error_message": record["error"], "duration": 0},
            }
        ]
    return element


def _step(step: dict[str, Any]) -> dict[str, Any]:
    result = step["result"]
    out: dict[str, Any] = {
        "keyword": step["keyword"] + " ",
        "name": step["name"],
        "line": step["line"],
        "result": {k: result[k] for k in ("status", "duration", "error_message") if k in result},
    }
    if "location" in result:
        out["match"] = {"location": result["location"]}
    if "rows" in step:
        out["rows"] = [{"cells": cells} for cells in step["rows"]]
    if "doc_string" in step:
        out["doc_string"] = {
            "value": step["doc_string"],
            "content_type": "",
            "line": step["line"] + 1,
        }
    return out
