"""Cucumber Messages: the NDJSON stream that the official Cucumber HTML report and modern Cucumber
tools read, one JSON envelope per line.

Order: ``meta``; ``source``, ``gherkinDocument`` and ``pickle`` for each feature file that ran
(from gherkin-official, exactly as it parses and compiles them); a ``stepDefinition`` per sentence
of the language (pytest-bdd's registry; its pattern is the parser's text, or the sentence a step
function names in its ``gherkin_sentence`` attribute); ``testRunStarted``; per scenario
``testCase`` (and a ``suggestion`` per undefined step), ``testCaseStarted``,
``testStepStarted``/``testStepFinished`` (and ``attachment``) per step, ``testCaseFinished``;
then ``testRunFinished``. Built in the controller from the typed records
(``reporting.model``), so it works under pytest-xdist.
"""

from __future__ import annotations

import functools
import itertools
import json
import platform
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cucumber_messages import (
    Attachment,
    AttachmentContentEncoding,
    Duration,
    Envelope,
    Hook,
    HookType,
    Meta,
    Product,
    Snippet,
    SourceReference,
    StepDefinition,
    StepDefinitionPattern,
    StepDefinitionPatternType,
    Suggestion,
    TestRunFinished,
    TestRunStarted,
    TestStepResult,
    TestStepResultStatus,
    Timestamp,
)
from cucumber_messages import (
    Exception as MessageException,
)
from cucumber_messages import Location as MessageLocation
from cucumber_messages.json_converter import snake_to_camel
from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator
from pytest_bdd.parsers import re as regex_parser

from reporting import bdd_internals, recorder, secrets
from reporting.model import NOT_PASSING, ScenarioRecord, StepRecord
from reporting.run import Run

STATUS = {
    "passed": TestStepResultStatus.passed,
    "failed": TestStepResultStatus.failed,
    "undefined": TestStepResultStatus.undefined,
    "skipped": TestStepResultStatus.skipped,
}
STATUS_VALUE = {name: status.value for name, status in STATUS.items()}
# A pickle step's type, as the keyword pytest-bdd registered its definition under.
KEYWORD = {"Context": "given", "Action": "when", "Outcome": "then"}
FIXTURES_HOOK = "fixtures"
# A step function may carry the sentence its parser was built from, as this attribute.
SENTENCE_ATTRIBUTE = "gherkin_sentence"
# How a step matched the definitions: (undefined?, its function's location, text, pickle type)
# gives (the definition's index or None, its arguments' spans as (start, value)).
MatchKey = tuple[bool, str | None, str, str | None]
StepMatch = tuple[int | None, list[tuple[int, str]]]


def render(run: Run) -> str:
    return "".join(lines(run))


def lines(run: Run) -> Iterator[str]:
    """The stream line by line, for a writer that need not hold it whole (reporting.merge)."""
    for envelope in envelopes(run):
        yield line(envelope)


def line(envelope: dict[str, Any]) -> str:
    """``json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))``, and a newline."""
    if _ENCODE is None:
        return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")) + "\n"
    return "".join(_ENCODE(envelope, 0)) + "\n"


# json.dumps builds its C encoder anew at each call: a stream has a few a step, so it keeps one,
# made as json.dumps makes it (no check for cycles: envelopes have none).
_ENCODE = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring,
        None,
        ":",
        ",",
        False,
        False,
        True,
    )
    if json.encoder.c_make_encoder  # type: ignore[attr-defined]
    else None
)


def envelopes(run: Run) -> Iterator[dict[str, Any]]:
    # Matched once per run (Run.matched_steps), shared with the run's file.
    stream = Stream(run.sources, run.matched_steps)
    features = [stream.feature(records) for records in run.features]
    yield stream.meta()
    for gherkin, _ in features:
        yield from gherkin
    yield from stream.started(run)
    for _, test_cases in features:
        yield from test_cases
    yield stream.finished(run)


class Stream:
    """The messages a feature at a time, for a writer that need not hold the run (reporting.merge).

    ``feature`` gives a feature's source, document and pickles, and its test cases (to be read
    before the next feature's); the stream is ``meta``, every feature's source, document and
    pickles, ``started``, every feature's test cases, then ``finished``."""

    def __init__(
        self,
        sources: dict[str, str] | None,
        definitions: StepDefinitions | RecordedStepDefinitions,
    ) -> None:
        self.gherkin = Gherkin(sources)  # one for the run: ids unique across its documents
        self.sources = sources
        self.definitions = definitions
        self.ids = (str(n) for n in itertools.count())
        self.hook = False  # whether a failure outside the steps needs the fixtures' hook
        self.lost: list[str] = []
        self.failing = False

    def feature(
        self, records: list[ScenarioRecord]
    ) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
        documents = GherkinDocuments(self.gherkin, self.sources)
        for record in records:
            documents.add(record)
        ran = [(record, documents.pickle_of(record)) for record in records]
        gherkin = list(documents.envelopes({p["id"] for _, p in ran if p is not None}))
        self.hook = self.hook or any(_outside_steps(record) for record in records)
        # A record no pickle matches would vanish from the report: the run says so instead.
        self.lost += [record.anchor for record, pickle in ran if pickle is None]
        self.failing = self.failing or any(r.status in NOT_PASSING for r in records)
        return gherkin, self._test_cases(ran, documents.step_lines)

    def _test_cases(
        self, ran: list[tuple[ScenarioRecord, dict[str, Any] | None]], step_lines: dict[str, int]
    ) -> Iterator[dict[str, Any]]:
        for record, pickle in ran:
            if pickle is not None:
                yield from _test_case(record, pickle, step_lines, self.definitions, self.ids)

    def meta(self) -> dict[str, Any]:
        return _envelope(meta=_meta())

    def started(self, run: Run) -> Iterator[dict[str, Any]]:
        """What goes between the documents and the test cases, once every feature was given."""
        for definition in self.definitions.messages:
            yield _envelope(step_definition=definition)
        if self.hook:
            yield _envelope(hook=_fixtures_hook())
        started = _timestamp(int(run.started.timestamp() * 1e9))
        yield _envelope(test_run_started=TestRunStarted(timestamp=started, id="run"))

    def finished(self, run: Run) -> dict[str, Any]:
        finished_ns = int(run.started.timestamp() * 1e9 + run.duration_s * 1e9)
        lost = self.lost
        return _envelope(
            test_run_finished=TestRunFinished(
                success=not lost and not self.failing,
                timestamp=_timestamp(finished_ns),
                test_run_started_id="run",
                message=f"scenarios missing from these messages: {', '.join(lost)}"
                if lost
                else None,
            )
        )


# Gherkin: sources, documents and pickles from gherkin-official ------------------------------------
class Ids(IdGenerator):
    """The run's ids, "0", "1" and on, with how many were given."""

    def __init__(self) -> None:
        super().__init__()
        self.given = 0

    def get_next_id(self) -> str:
        given = self.given
        self.given += 1
        return str(given)


Document = dict[str, Any]
Pickles = list[dict[str, Any]]


class Gherkin:
    """The run's parser and compiler, their ids shared: a feature file's document and pickles.

    A text that several feature files hold (a suite that copies its features) is parsed and
    compiled once: a later file's document and pickles are the first's with its URI and every id
    moved on by the ids given since, which is what parsing it again gives, for a fraction of the
    cost (ids are given in the order of the text, whatever its URI). The first's are kept while
    ``sources`` names more files of the same text than were compiled so far (a file it names
    that is never compiled keeps them to the end of the run: memory, never a wrong id)."""

    def __init__(self, sources: dict[str, str] | None = None) -> None:
        self.ids = Ids()
        self.parser, self.compiler = Parser(AstBuilder(self.ids)), Compiler(self.ids)
        # How many files still to come hold each text.
        self.uses: Counter[str] = Counter(sources.values() if sources else ())
        # By text: the first file's document and pickles, the first id they took and how many.
        self.kept: dict[str, tuple[Document, Pickles, int, int]] = {}

    def compile(self, uri: str, data: str) -> tuple[Document, Pickles]:
        """The document and pickles of the file ``uri``, whose text is ``data``."""
        left = self.uses.pop(data, 1) - 1  # files of this text after this one
        if left:
            self.uses[data] = left
        kept = self.kept.get(data) if left else self.kept.pop(data, None)
        if kept is not None:
            document, pickles, first, taken = kept
            by = self.ids.given - first
            self.ids.given += taken
            return _moved(document, by, uri), _moved(pickles, by, uri)
        first = self.ids.given
        document = {**self.parser.parse(data), "uri": uri}
        pickles = self.compiler.compile(document)
        if left:
            self.kept[data] = (document, pickles, first, self.ids.given - first)
        return document, pickles


# The keys of a document's and pickles' JSON data that hold an id, and that hold a list of ids;
# then those that hold none at any depth (Cucumber's schema), shared by the copies as nothing
# changes them: locations, table cells, comments and a pickle step's argument are most of it.
_ID = frozenset({"id", "astNodeId"})
_IDS = "astNodeIds"
_NO_ID = frozenset({"location", "cells", "comments", "argument"})
_NESTED = frozenset({dict, list})


def _moved(value: Any, by: int, uri: str) -> Any:
    """A copy of a document's or pickles' JSON data, each id moved on ``by``, each URI ``uri``."""
    if type(value) is list:
        return [_moved(item, by, uri) if type(item) in _NESTED else item for item in value]
    moved: dict[str, Any] = {}
    for key, item in value.items():
        if key in _ID:
            moved[key] = str(int(item) + by)
        elif key == _IDS:
            moved[key] = [str(int(node) + by) for node in item]
        elif key == "uri":
            moved[key] = uri
        elif key in _NO_ID or type(item) not in _NESTED:
            moved[key] = item
        else:
            moved[key] = _moved(item, by, uri)
    return moved


class GherkinDocuments:
    """Feature files, each parsed and compiled once, their pickles found by scenario line."""

    def __init__(self, gherkin: Gherkin, sources: dict[str, str] | None = None) -> None:
        self.gherkin = gherkin
        self.sources = sources
        self.files: dict[str, tuple[str, dict[str, Any], list[dict[str, Any]]]] = {}
        self.pickles: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.step_lines: dict[str, int] = {}

    @classmethod
    def of(cls, records: list[ScenarioRecord], sources: dict[str, str] | None) -> GherkinDocuments:
        """The feature files of these records, with ids of their own."""
        documents = cls(Gherkin(sources), sources)
        for record in records:
            documents.add(record)
        return documents

    def add(self, record: ScenarioRecord) -> None:
        """The record's feature file, unless it came already."""
        uri = record.feature.uri
        if uri in self.files:
            return
        if self.sources is None:
            # Parsed as the reports keep it, secrets masked: a merge of shards parses that
            # same text again, so both give the same document, columns included.
            data = secrets.redact(Path(record.feature.path).read_text(encoding="utf-8"))
        else:
            data = self.sources[uri]
        document, pickles = self.gherkin.compile(uri, data)
        self.files[uri] = (data, document, pickles)
        self._index(uri, document, pickles)

    def _index(self, uri: str, document: dict[str, Any], pickles: list[dict[str, Any]]) -> None:
        lines = {node["id"]: node["location"]["line"] for node in _located(document["feature"])}
        for pickle in pickles:
            self.pickles.setdefault((uri, lines[pickle["astNodeIds"][0]]), []).append(pickle)
            for step in pickle["steps"]:
                self.step_lines[step["id"]] = lines[step["astNodeIds"][0]]

    def envelopes(self, ran: set[str]) -> Iterator[dict[str, Any]]:
        """Each file's source and document, and the pickles that ran (a -k run leaves some out)."""
        for uri, (data, document, pickles) in self.files.items():
            media_type = "text/x.cucumber.gherkin+plain"
            yield {"source": {"uri": uri, "data": data, "mediaType": media_type}}
            yield {"gherkinDocument": document}
            for pickle in pickles:
                if pickle["id"] in ran:
                    yield {"pickle": pickle}

    def pickle_of(self, record: ScenarioRecord) -> dict[str, Any] | None:
        """The pickle a record ran: an outline's examples are compiled in row order."""
        pickles = self.pickles.get((record.feature.uri, record.line), [])
        index = record.example.index - 1 if record.example else 0
        return pickles[index] if 0 <= index < len(pickles) else None


def _located(feature: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The nodes of a feature that pickles name first: its scenarios and steps, backgrounds' and
    rules' included."""
    for child in feature.get("children", []):
        if "rule" in child:
            yield from _located(child["rule"])
        for kind in ("background", "scenario"):
            if kind in child:
                yield child[kind]
                yield from child[kind].get("steps", [])


# Step definitions: pytest-bdd's registry -------------------------------------------------------
@dataclass
class StepDefinitions:
    """The language's sentences as messages, and which of them a step ran or would run."""

    definitions: list[bdd_internals.StepDefinition]
    messages: list[StepDefinition] = field(default_factory=list)
    by_location: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, definition in enumerate(self.definitions):
            location = recorder.function_location(definition.function)
            path, _, line = location.rpartition(":")
            # A regular expression derived from a sentence can name that sentence instead.
            sentence = getattr(definition.function, SENTENCE_ATTRIBUTE, None)
            pattern = sentence or definition.parser.name
            kind = StepDefinitionPatternType.cucumber_expression
            if isinstance(definition.parser, regex_parser) and not sentence:
                kind = StepDefinitionPatternType.regular_expression
            self.messages.append(
                StepDefinition(
                    id=f"step-definition-{index}",
                    pattern=StepDefinitionPattern(source=pattern, type=kind),
                    source_reference=SourceReference(
                        uri=path, location=MessageLocation(line=int(line) if line else 0)
                    ),
                )
            )
            self.by_location.setdefault(location, []).append(index)

    matched: dict[MatchKey, StepMatch] = field(default_factory=dict)

    @property
    def plain(self) -> list[dict[str, Any]]:
        """The definitions as JSON data, for a run's file (reporting.merge)."""
        return [_plain(message) for message in self.messages]

    def match(self, step: StepRecord, text: str, pickle_type: str | None) -> StepMatch:
        """The definition a step ran (its index, or None) and its arguments' spans: once each."""
        key = _match_key(step, text, pickle_type)
        if key not in self.matched:
            index = self.index_for(step, text, pickle_type)
            spans: list[tuple[int, str]] = []
            if index is not None:
                spans = bdd_internals.argument_spans(self.definitions[index].parser, text)
            self.matched[key] = (index, spans)
        return self.matched[key]

    def test_step(
        self, test_step_id: str, pickle_step: dict[str, Any], step: StepRecord
    ) -> dict[str, Any]:
        """A pickle step as run, a TestStep as JSON data: its definition, and where its
        arguments stand in its text."""
        index, spans = self.match(step, pickle_step["text"], pickle_step.get("type"))
        ids = [self.messages[index].id] if index is not None else []
        return _test_step(test_step_id, pickle_step, ids, spans)

    def index_for(self, step: StepRecord, text: str, pickle_type: str | None) -> int | None:
        """The definition a step ran; for a step that never ran, the one that matches it."""
        if step.status == "undefined":
            return None
        if step.location is not None:
            candidates = self.by_location.get(step.location, [])
        else:
            keyword = KEYWORD.get(pickle_type or "")
            candidates = [
                i
                for i, d in enumerate(self.definitions)
                if d.keyword in (None, keyword) or keyword is None
            ]
        chosen = [i for i in candidates if self.definitions[i].parser.is_matching(text)]
        if not chosen and step.location is not None:
            chosen = candidates  # it ran this function, whatever its parser says now
        # pytest-bdd lets the definition registered last win.
        return chosen[-1] if chosen else None


def _match_key(step: StepRecord, text: str, pickle_type: str | None) -> MatchKey:
    return (step.status == "undefined", step.location, text, pickle_type)


def _test_step(
    test_step_id: str, pickle_step: dict[str, Any], ids: list[str], spans: list[tuple[int, str]]
) -> dict[str, Any]:
    """A pickle step's TestStep as JSON data, as _plain makes it of the library's class."""
    test_step = {"id": test_step_id, "pickleStepId": pickle_step["id"], "stepDefinitionIds": ids}
    if ids:
        arguments = [{"group": _group(start, value)} for start, value in spans]
        test_step["stepMatchArgumentsLists"] = [{"stepMatchArguments": arguments}]
    return test_step


def _group(start: int | None, value: str | None) -> dict[str, Any]:
    """A Group as JSON data: a field that is None left out, as _plain does (a run file's)."""
    if start is None or value is None:
        return {name: x for name, x in (("start", start), ("value", value)) if x is not None}
    return {"start": start, "value": value}


@dataclass
class RecordedStepDefinitions:
    """Step definitions as a run's file recorded them: the messages, and how each step matched.

    What ``StepDefinitions`` answers from pytest-bdd's live registry, answered from data, so that
    a process that never imported the step functions (``python -m reporting merge``) renders
    the same messages."""

    messages: list[dict[str, Any]]
    matched: dict[MatchKey, StepMatch]

    def test_step(
        self, test_step_id: str, pickle_step: dict[str, Any], step: StepRecord
    ) -> dict[str, Any]:
        index, spans = self.matched[_match_key(step, pickle_step["text"], pickle_step.get("type"))]
        ids = [self.messages[index]["id"]] if index is not None else []
        return _test_step(test_step_id, pickle_step, ids, spans)


def step_matches(run: Run) -> StepDefinitions:
    """This process's step definitions, with every step of the run matched against them."""
    documents = GherkinDocuments.of(run.records, run.sources)
    definitions = StepDefinitions(bdd_internals.step_definitions())
    for record in run.records:
        pickle = documents.pickle_of(record)
        if pickle is None:
            continue
        by_line = {step.line: step for step in record.steps}
        for pickle_step in pickle["steps"]:
            step = by_line.get(documents.step_lines[pickle_step["id"]])
            if step is not None:
                definitions.match(step, pickle_step["text"], pickle_step.get("type"))
    return definitions


# One scenario ----------------------------------------------------------------------------------
def _test_case(
    record: ScenarioRecord,
    pickle: dict[str, Any],
    step_lines: dict[str, int],
    definitions: StepDefinitions | RecordedStepDefinitions,
    ids: Iterator[str],
) -> Iterator[dict[str, Any]]:
    case_id, started_id = f"test-case-{next(ids)}", f"test-case-started-{next(ids)}"
    by_line = {step.line: step for step in record.steps}
    steps: list[tuple[dict[str, Any], StepRecord | None]] = []  # TestSteps as JSON data
    for pickle_step in pickle["steps"]:
        step = by_line.get(step_lines[pickle_step["id"]])
        if step is None:
            continue
        steps.append((definitions.test_step(f"test-step-{next(ids)}", pickle_step, step), step))
    if _outside_steps(record):
        steps.append(({"id": f"test-step-{next(ids)}", "hookId": FIXTURES_HOOK}, None))
    # The test case and the envelopes of every step are built as JSON data directly, as _plain
    # makes them of the library's classes (field order, camelCase, no None): at a fifth of the
    # cost.
    yield {
        "testCase": {
            "id": case_id,
            "pickleId": pickle["id"],
            "testSteps": [test_step for test_step, _ in steps],
            "testRunStartedId": "run",
        }
    }
    for test_step, step in steps:
        if step is not None and step.status == "undefined":
            yield _envelope(suggestion=_suggestion(test_step, step, pickle, next(ids)))
    clock = record.started_ns
    yield {
        "testCaseStarted": {
            "attempt": 0,
            "id": started_id,
            "testCaseId": case_id,
            "timestamp": _time(clock),
        }
    }
    for attachment in record.attachments:
        yield _attachment(attachment, started_id, None)
    for index, (test_step, step) in enumerate(steps):
        begin = max(step.started_ns if step else 0, clock)
        clock = begin + (step.duration_ns if step else 0)
        yield {
            "testStepStarted": {
                "testCaseStartedId": started_id,
                "testStepId": test_step["id"],
                "timestamp": _time(begin),
            }
        }
        for attachment in step.attachments if step else []:
            yield _attachment(attachment, started_id, test_step["id"])
        yield {
            "testStepFinished": {
                "testCaseStartedId": started_id,
                "testStepId": test_step["id"],
                "testStepResult": _result(record, step, first=index == 0),
                "timestamp": _time(clock),
            }
        }
    finished = max(clock, record.started_ns + record.duration_ns)
    yield {
        "testCaseFinished": {
            "testCaseStartedId": started_id,
            "timestamp": _time(finished),
            "willBeRetried": False,
        }
    }


def _suggestion(
    test_step: dict[str, Any], step: StepRecord, pickle: dict[str, Any], n: str
) -> Suggestion:
    """What the report offers for an undefined step: the project's hint, then a definition."""
    pickle_step = next(s for s in pickle["steps"] if s["id"] == test_step["pickleStepId"])
    keyword = KEYWORD.get(pickle_step.get("type", ""), "step")
    hint = "".join(f"# {line}\n" for line in (step.error_message or "").splitlines())
    code = f"{hint}@{keyword}({json.dumps(step.name)})\ndef _():\n    raise NotImplementedError\n"
    return Suggestion(
        id=f"suggestion-{n}",
        pickle_step_id=pickle_step["id"],
        snippets=[Snippet(code=code, language="python")],
    )


def _result(record: ScenarioRecord, step: StepRecord | None, first: bool) -> dict[str, Any]:
    """A TestStepResult as JSON data."""
    if step is None:  # the fixtures' own failure, outside every step
        fixtures: dict[str, Any] = _plain(
            TestStepResult(
                duration=_duration(0),
                status=TestStepResultStatus.failed,
                message=record.error,
                exception=MessageException(type="FixtureError", message=record.error),
            )
        )
        return fixtures
    result: dict[str, Any] = {
        "duration": _time(step.duration_ns),
        "status": STATUS_VALUE[step.status],
    }
    message = None
    if step.status == "failed":
        exception = {"type": step.error_type or "Error"}
        if step.error_message is not None:
            exception["message"] = step.error_message
        result["exception"] = exception
        message = step.error
    elif step.status == "undefined":
        message = step.error_message
    elif step.status == "skipped" and first and record.error:
        message = record.error  # the skip's reason
    if message is not None:
        result["message"] = message
    return result


def _outside_steps(record: ScenarioRecord) -> bool:
    """A failure no step carries: a fixture's teardown, say."""
    statuses = {step.status for step in record.steps}
    return record.status == "failed" and not statuses & NOT_PASSING


def _attachment(attachment: Any, started_id: str, step_id: str | None) -> dict[str, Any]:
    return _envelope(
        attachment=Attachment(
            body=attachment.body,
            content_encoding=AttachmentContentEncoding.identity,
            media_type=attachment.media_type,
            file_name=attachment.name,
            test_case_started_id=started_id,
            test_step_id=step_id,
        )
    )


def _fixtures_hook() -> Hook:
    return Hook(
        id=FIXTURES_HOOK,
        name="pytest fixtures (setup and teardown)",
        source_reference=SourceReference(uri="conftest.py"),
        type=HookType.after_test_case,
    )


def _meta() -> Meta:
    return Meta(
        protocol_version=version("cucumber-messages"),
        implementation=Product(name="pytest-bdd", version=version("pytest-bdd")),
        runtime=Product(name="python", version=platform.python_version()),
        os=Product(name=sys.platform, version=platform.release()),
        cpu=Product(name=platform.machine()),
    )


def _envelope(**message: Any) -> dict[str, Any]:
    """An envelope as JSON data: the library's own converter, at a third of its cost."""
    converted: dict[str, Any] = _plain(Envelope(**message))
    return converted


def _plain(value: Any) -> Any:
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is not None:
        plain = {}
        for name, camel in names:
            item = getattr(value, name)
            if item is not None:
                plain[camel] = item if type(item) in _LEAVES else _plain(item)
        return plain
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else _plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        _FIELDS[kind] = _camel_names(kind)
        return _plain(value)
    return value


# A dataclass's fields as (name, camelCase name), by class; values that are their own JSON data.
_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
_LEAVES = frozenset({str, int, float, bool})


@functools.cache
def _camel_names(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, snake_to_camel(f.name)) for f in fields(cls))


def _time(ns: int) -> dict[str, int]:
    """A Timestamp or Duration as JSON data."""
    return {"nanos": ns % 1_000_000_000, "seconds": ns // 1_000_000_000}


def _timestamp(ns: int) -> Timestamp:
    return Timestamp(seconds=ns // 1_000_000_000, nanos=ns % 1_000_000_000)


def _duration(ns: int) -> Duration:
    return Duration(seconds=ns // 1_000_000_000, nanos=ns % 1_000_000_000)
