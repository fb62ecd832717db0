"""The scenario record survives its trip from an xdist worker to the controller unchanged."""

from __future__ import annotations

from reporting.model import (
    Attachment,
    Example,
    FeatureInfo,
    ScenarioRecord,
    StepRecord,
    Tag,
    from_json,
    to_json,
)


def a_record() -> ScenarioRecord:
    feature = FeatureInfo("features/a.feature", "A", "Feature", "why", 2, [Tag("@a", 1)])
    step = StepRecord(
        "Given",
        "a table:",
        7,
        type="given",
        background=True,
        status="failed",
        started_ns=1_795_000_000_000_000_000,
        duration_ns=12,
        error_message="boom",
        error_type="AssertionError",
        location="steps/given.py:3",
        rows=[["x"], ["1"]],
        doc_string="text",
        attachments=[Attachment("body", "text/plain", "{}")],
    )
    return ScenarioRecord(
        nodeid="tests/t.py::test_a[1]",
        feature=feature,
        keyword="Scenario Outline",
        name="Rows",
        description="",
        line=5,
        tags=[Tag("@b", 4)],
        example=Example(1, {"x": "1"}, ["x"], 11),
        steps=[step],
        status="failed",
        duration_ns=40,
        started_ns=1_795_000_000_000_000_000,
        error=None,
        attachments=[Attachment("log", "text/plain", "line")],
    )


def test_a_record_survives_its_json_string_unchanged() -> None:
    record = a_record()
    assert from_json(to_json(record)) == record


def test_a_scenario_shows_its_features_tags_first_and_its_example() -> None:
    record = a_record()
    assert [tag.name for tag in record.all_tags] == ["@a", "@b"]
    assert record.title == "Rows (example 1: x=1)"
    assert record.steps[0].error == "AssertionError: boom"
