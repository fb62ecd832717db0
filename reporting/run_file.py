"""A run's own file (``--run-model``, reports/run-model.json): every scenario record and what the
Cucumber Messages take from the live process (the feature sources, the step definitions and how
each step matched them), so that ``python -m reporting merge`` can render the shards of a split
run through the same writers as one run.

It also holds the shard's label (``--shard-label``, or pytest-split's ``--group``/``--splits``)
and, when the run was compared (``--compare-with``), the statuses it was compared with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from _pytest import junitxml

from reporting import messages
from reporting.compare import compare
from reporting.model import ScenarioRecord, from_data, to_json
from reporting.run import Run

FORMAT = "pytest-bdd-gherkin-run"
VERSION = 1


class RunFileError(ValueError):
    """A file that is not a complete run file; its message says what is wrong."""


def shard_label(config: pytest.Config) -> str | None:
    """ "2/3" for ``--splits 3 --group 2`` (pytest-split), or what ``--shard-label`` says."""
    label = config.getoption("shard_label", None)
    if label:
        return str(label)
    splits, group = (getattr(config.option, name, None) for name in ("splits", "group"))
    return f"{group}/{splits}" if splits and group else None


def label_junit(config: pytest.Config) -> None:
    """A shard's JUnit XML: a ``shard`` property, and the label in its test suite's name."""
    label = shard_label(config)
    xml = config.stash.get(junitxml.xml_key, None)
    if label and xml is not None:
        xml.add_global_property("shard", label)
        xml.suite_name = f"{xml.suite_name} (shard {label})"


def render(run: Run) -> str:
    return "".join(chunks(run))


def chunks(run: Run) -> Iterator[str]:
    """The file piece by piece: the head, then the records one a line."""
    definitions = run.matched_steps
    sources = run.sources
    if sources is None:
        paths = {record.feature.uri: record.feature.path for record in run.records}
        sources = {uri: Path(path).read_text(encoding="utf-8") for uri, path in paths.items()}
    compared_with = run.comparison.previous if run.comparison else None
    yield from head(run, sources, definitions, compared_with)
    for number, record in enumerate(run.records):
        yield line(record, number)
    yield END


def head(
    run: Run,
    sources: dict[str, str],
    definitions: messages.StepDefinitions | messages.RecordedStepDefinitions,
    compared_with: str | None,
) -> Iterator[str]:
    """Everything but the records, up to the opening of their list, a source at a time: as
    ``json.dumps`` writes the whole, without holding it (a run's sources are megabytes)."""
    if isinstance(definitions, messages.StepDefinitions):
        plain_definitions = definitions.plain
    else:
        plain_definitions = definitions.messages
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "shard": run.shard,
        "started": run.started.isoformat(),
        "duration_s": run.duration_s,
        "sources": sources,
        "step_definitions": plain_definitions,
        "step_matches": [[*key, *match] for key, match in definitions.matched.items()],
        "compared_with": compared_with,
        "previous": [[*key, status] for key, status in (run.previous or {}).items()]
        if run.previous is not None
        else None,
    }
    yield "{"
    for number, (name, value) in enumerate(data.items()):
        yield ("" if number == 0 else ", ") + json.dumps(name) + ": "
        if name == "sources":
            yield "{"
            for item, (uri, text) in enumerate(value.items()):
                yield ("" if item == 0 else ", ") + _dumps(uri) + ": " + _dumps(text)
            yield "}"
        else:
            yield _dumps(value)
    # The records last, one a line: the same JSON as they travel in under xdist.
    yield ',\n"records": ['


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def line(record: ScenarioRecord, number: int) -> str:
    """The ``number``-th record (from 0) of the list, on its own line."""
    return ("\n" if number == 0 else ",\n") + to_json(record)


END = "\n]}\n"


def read(path: Path) -> Run:
    """The run a file holds; RunFileError when it is truncated, not JSON or not a run file."""
    with Reader(path) as reader:
        records = list(reader.records())
    run = replace(reader.run, records=records)
    if reader.compared_with and run.previous is not None:
        run = replace(run, comparison=compare(reader.compared_with, run.previous, records))
    return run


# The file as it is read: the head at once, then one record at a time --------------------------
HEAD = (
    "format",
    "version",
    "shard",
    "started",
    "duration_s",
    "sources",
    "step_definitions",
    "step_matches",
    "compared_with",
    "previous",
)
WHITESPACE = re.compile(r"[ \t\n\r]*")
CHUNK = 1 << 16  # characters read at a time: the buffer stays about this size


class Reader:
    """A run file read as it goes, so that a merge never holds a shard's records at once.

    ``run`` is the run without its records (those ``records()`` gives, one at a time, in the
    file's order) nor its comparison (``compared_with`` says with what). The file is the JSON
    ``chunks`` writes, the records last; any other JSON object of the same keys reads too, its
    records then held at once. RunFileError when the file is missing, truncated, not JSON or not a
    run file, at whichever point that shows.
    """

    def __init__(self, path: Path, texts: dict[str, str] | None = None) -> None:
        """``texts``: feature sources already read, keyed by the text itself, shared by the
        readers of one merge. A source equal to one of them is held once, whatever its URI (a
        file every shard ran, or a copy of a file under another URI), and the sources are read
        one at a time: a merge never holds a shard's sources twice, as text and as decoded JSON."""
        self._texts = {} if texts is None else texts
        try:
            self._file = path.open(encoding="utf-8")
        except FileNotFoundError:
            raise RunFileError("missing (was the shard run with --run-model?)") from None
        except OSError as error:
            raise RunFileError(f"unreadable: {error}") from None
        self._buffer, self._at, self._offset, self._eof = "", 0, 0, False
        self._decoder = json.JSONDecoder()
        self._head: dict[str, Any] = {}
        self._held: list[Any] | None = None  # the records, when keys follow them
        try:
            self._read_head()
            self.run, self.compared_with = self._run()
            self._head.clear()  # the run holds what it needs
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def records(self) -> Iterator[ScenarioRecord]:
        """The records in the file's order; RunFileError at the first that is not whole."""
        for data in self._held if self._held is not None else self._rest():
            try:
                yield from_data(data)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise RunFileError(
                    f"incomplete run file: {type(error).__name__}: {error}"
                ) from None

    def _run(self) -> tuple[Run, str | None]:
        data = self._head
        if data.get("format") != FORMAT:
            raise RunFileError(f"not a run file (no format {FORMAT!r})")
        if data.get("version") != VERSION:
            raise RunFileError(f"run file version {data.get('version')!r}, expected {VERSION}")
        try:
            if "records" not in data:
                raise KeyError("records")
            return _run(data), data["compared_with"]
        except (KeyError, TypeError, ValueError) as error:
            raise RunFileError(f"incomplete run file: {type(error).__name__}: {error}") from None

    # JSON, a value at a time ------------------------------------------------------------------
    def _read_head(self) -> None:
        self._expect("{")
        if self._peek() == "}":
            self._close_object()
            return
        while True:
            key = self._value()
            if not isinstance(key, str):
                raise self._not_json("a key that is not a string")
            self._expect(":")
            if key == "records":
                self._head["records"] = True
                self._expect("[")
                if all(name in self._head for name in HEAD):
                    return  # the records are read as they are asked for
                self._held = list(self._elements())
            elif key == "sources" and self._peek() == "{":
                self._head[key] = self._sources()
            else:
                self._head[key] = self._value()
            if self._next_member():
                continue
            return

    def _sources(self) -> dict[str, Any]:
        """The object of the feature sources, a member at a time, each text held once."""
        sources: dict[str, Any] = {}
        self._expect("{")
        if self._peek() == "}":
            self._at += 1
            return sources
        while True:
            uri = self._value()
            self._expect(":")
            text = self._value()
            if isinstance(text, str):
                text = self._texts.setdefault(text, text)
            sources[uri] = text
            char = self._peek()
            self._at += 1
            if char == "}":
                return sources
            if char != ",":
                raise self._not_json("expected ',' or '}'")

    def _rest(self) -> Iterator[Any]:
        """The records, then whatever follows them, checked."""
        yield from self._elements()
        while self._next_member():
            self._value()
            self._expect(":")
            self._value()

    def _next_member(self) -> bool:
        """Past the comma before the object's next member (True) or past its end (False)."""
        char = self._peek()
        if char == ",":
            self._at += 1
            return True
        if char == "}":
            self._close_object()
            return False
        raise self._not_json("expected ',' or '}'")

    def _close_object(self) -> None:
        self._at += 1
        if self._peek():
            raise self._not_json("extra data after the object")

    def _elements(self) -> Iterator[Any]:
        if self._peek() == "]":
            self._at += 1
            return
        while True:
            yield self._value()
            char = self._peek()
            self._at += 1
            if char == "]":
                return
            if char != ",":
                raise self._not_json("expected ',' or ']'")

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            self._at = WHITESPACE.match(self._buffer, self._at).end()  # type: ignore[union-attr]
            if self._at < len(self._buffer):
                return self._buffer[self._at]
            if not self._fill():
                return ""

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise self._not_json(f"expected {char!r}")
        self._at += 1

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._at)
            except json.JSONDecodeError as error:
                if self._fill():
                    continue
                raise self._not_json(error.msg, error.pos) from None
            except RecursionError:
                raise self._not_json("nested too deeply") from None
            if end == len(self._buffer) and self._fill():
                continue  # a number may go on in the next piece
            self._at = end
            return value

    def _fill(self) -> bool:
        """More of the file into the buffer, the part already read dropped; False at its end."""
        if self._eof:
            return False
        try:
            more = self._file.read(CHUNK)
        except (OSError, UnicodeDecodeError) as error:
            raise RunFileError(f"unreadable: {error}") from None
        self._offset += self._at
        self._buffer, self._at = self._buffer[self._at :] + more, 0
        self._eof = not more
        return bool(more)

    def _not_json(self, what: str, at: int | None = None) -> RunFileError:
        where = self._offset + (self._at if at is None else at)
        return RunFileError(f"truncated or not JSON ({what}: character {where})")


def _run(data: dict[str, Any]) -> Run:
    """The run of a file's head: no records, no comparison yet."""
    matched: dict[messages.MatchKey, messages.StepMatch] = {}
    for undefined, location, text, kind, index, spans in data["step_matches"]:
        matched[(undefined, location, text, kind)] = (index, [(s, v) for s, v in spans])
    previous = None
    if data["previous"] is not None:
        previous = {(uri, name): status for uri, name, status in data["previous"]}
    return Run(
        records=[],
        started=datetime.fromisoformat(data["started"]),
        duration_s=float(data["duration_s"]),
        shard=data["shard"],
        sources=data["sources"],
        step_definitions=messages.RecordedStepDefinitions(data["step_definitions"], matched),
        previous=previous,
    )
