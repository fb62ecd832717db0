"""The record of one executed scenario: everything every report is rendered from.

One ``ScenarioRecord`` is built per scenario on the process that ran it. Under pytest-xdist it
travels to the controller as one plain JSON string (``to_json`` / ``from_json``), because xdist
serialises only plain data. Renderers (Cucumber JSON, HTML, terminal) read only this record.

Shape, for anyone writing a new renderer (Cucumber Messages, for one):

- ``ScenarioRecord``: ``nodeid``; ``feature`` (``FeatureInfo``); the scenario's ``keyword``,
  ``name`` (as rendered for its example), ``description``, ``line`` and own ``tags``;
  ``example`` (``Example`` or None); ``steps`` (``StepRecord``, in order, background included);
  ``status``; ``started_ns`` (Unix time of its setup, in nanoseconds); ``duration_ns``;
  ``error`` (a failure outside any step: a fixture, a hook, a skip reason); ``attachments``
  made outside any step.
- ``FeatureInfo``: ``uri`` (relative to the rootdir, POSIX), ``name``, ``keyword``,
  ``description``, ``line``, ``tags``, and ``path`` (absolute, to read the source).
- ``Tag``: ``name`` with its ``@``, and the ``line`` it stands on.
- ``Example``: 1-based ``index`` across all Examples tables of the outline, its ``values`` by
  column, the ``header`` in column order, and the ``line`` of its row.
- ``StepRecord``: ``keyword`` as written (``And`` stays ``And``), ``type`` (``given``,
  ``when`` or ``then``: what an ``And`` continues), ``background`` (true for a Background step),
  ``name``, ``line``, ``status``, ``started_ns`` (Unix time, 0 if it never ran),
  ``duration_ns``, ``error_message`` and ``error_type`` (for undefined steps, the
  guidance text and ``StepDefinitionNotFoundError``), ``location`` (``file:line`` of the step
  function), ``rows`` (data table cells) and ``doc_string``, and ``attachments``.
- ``Attachment``: ``name``, ``media_type``, ``body`` (text only).

Statuses are ``passed``, ``failed``, ``undefined`` and ``skipped``, for steps and scenarios.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "undefined", "skipped"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "undefined", "skipped")
NOT_PASSING: frozenset[str] = frozenset({"failed", "undefined"})


@dataclass(frozen=True)
class Tag:
    name: str
    line: int


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str
    body: str


@dataclass(frozen=True)
class FeatureInfo:
    uri: str
    name: str
    keyword: str
    description: str
    line: int
    tags: list[Tag]
    path: str = ""  # the file's absolute path, for renderers that embed the source


@dataclass(frozen=True)
class Example:
    index: int
    values: dict[str, str]
    header: list[str]
    line: int


@dataclass
class StepRecord:
    keyword: str
    name: str
    line: int
    type: str = ""
    background: bool = False
    status: Status = "skipped"
    started_ns: int = 0
    duration_ns: int = 0
    error_message: str | None = None
    error_type: str | None = None
    location: str | None = None
    rows: list[list[str]] | None = None
    doc_string: str | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        """The error as a reader sees it: its type, then its message."""
        if self.error_message is None:
            return None
        if self.error_type and self.status == "failed":
            return f"{self.error_type}: {self.error_message}".strip()
        return self.error_message


@dataclass
class ScenarioRecord:
    nodeid: str
    feature: FeatureInfo
    keyword: str
    name: str
    description: str
    line: int
    tags: list[Tag]
    example: Example | None
    steps: list[StepRecord]
    status: Status
    duration_ns: int
    started_ns: int = 0
    error: str | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The name readers see: an outline example carries its index and values."""
        return titled(self.name, self.example)

    @property
    def all_tags(self) -> list[Tag]:
        """The feature's tags, then the scenario's own: what Cucumber's formatters show."""
        own = {tag.name for tag in self.tags}
        return [t for t in self.feature.tags if t.name not in own] + self.tags

    @property
    def reading_order(self) -> tuple[str, int, int]:
        return self.feature.uri, self.line, self.example.index if self.example else 0

    @property
    def anchor(self) -> str:
        """A stable id for links: the feature file and the line of the scenario or example."""
        line = self.example.line if self.example else self.line
        return f"{self.feature.uri}:{line}"


def titled(name: str, example: Example | None) -> str:
    if example is None:
        return name
    values = ", ".join(f"{k}={v}" for k, v in example.values.items())
    return f"{name} (example {example.index}: {values})"


def to_json(record: ScenarioRecord) -> str:
    """``json.dumps(record, default=vars, ensure_ascii=False)``: vars() rather than
    dataclasses.asdict(), which deep-copies every value, 7x slower."""
    if _ENCODE is None:
        return json.dumps(record, default=vars, ensure_ascii=False)
    return "".join(_ENCODE(record, 0))


# json.dumps builds its C encoder anew at each call, a fifth of the time of a record's: one is
# kept, made as json.dumps makes it (no check for cycles: records have none).
_ENCODE = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None, vars, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
    )
    if json.encoder.c_make_encoder  # type: ignore[attr-defined]
    else None
)


def from_json(text: str) -> ScenarioRecord:
    return from_data(json.loads(text))


def from_data(data: dict[str, Any]) -> ScenarioRecord:
    """A record from the JSON data ``to_json`` wrote (the dict is consumed)."""
    feature = data.pop("feature")
    example = data.pop("example")
    return ScenarioRecord(
        feature=FeatureInfo(**{**feature, "tags": _tags(feature["tags"])}),
        example=Example(**example) if example else None,
        steps=[_step(step) for step in data.pop("steps")],
        tags=_tags(data.pop("tags")),
        attachments=_attachments(data.pop("attachments")),
        **data,
    )


def _step(data: dict[str, Any]) -> StepRecord:
    return StepRecord(**{**data, "attachments": _attachments(data["attachments"])})


def _tags(data: list[dict[str, Any]]) -> list[Tag]:
    return [Tag(**tag) for tag in data]


def _attachments(data: list[dict[str, Any]]) -> list[Attachment]:
    return [Attachment(**attachment) for attachment in data]
