"""The Cucumber Messages stream of the fixture project, with and without pytest-xdist: valid against
Cucumber's schema, every reference resolved, every scenario once with its statuses and evidence."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.reporting.test_reports import run_project

pytestmark = pytest.mark.reporting
SCHEMA = json.loads((Path(__file__).parent / "cucumber-messages.schema.json").read_text())
Envelope = dict[str, Any]

PICKLES = [  # features/sums.feature's, in file order
    "Adding works",
    "A wrong expectation fails",
    "A later step has no definition",
    "The first step has no definition",
    "Outline rows add up",
    "Outline rows add up",
    "Tables and doc strings are kept",
    "A skipped scenario is still listed",
]


@pytest.fixture(scope="module", params=["single process", "xdist"])
def stream(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> list[Envelope]:
    tmp = tmp_path_factory.mktemp("messages")
    extra = ("-n", "2") if request.param == "xdist" else ()
    result, reports = run_project(tmp, f"--cucumber-messages={tmp}/reports/cucumber.ndjson", *extra)
    assert result.returncode == 1, result.stdout + result.stderr  # the failures are deliberate
    lines = (reports / "cucumber.ndjson").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def of(stream: list[Envelope], kind: str) -> list[dict[str, Any]]:
    return [envelope[kind] for envelope in stream if kind in envelope]


def test_every_line_is_one_envelope_valid_against_cucumbers_schema(
    stream: list[Envelope],
) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for envelope in stream:
        errors = [error.message for error in validator.iter_errors(envelope)]
        assert not errors, f"{envelope}: {errors}"
        assert len(envelope) == 1


def test_messages_come_in_cucumbers_order(stream: list[Envelope]) -> None:
    kinds = [next(iter(envelope)) for envelope in stream]
    assert kinds[0] == "meta"
    assert kinds[1:4] == ["source", "gherkinDocument", "pickle"]
    assert kinds[-1] == "testRunFinished"
    last_definition = len(kinds) - 1 - kinds[::-1].index("stepDefinition")
    assert max(i for i, kind in enumerate(kinds) if kind == "pickle") < kinds.index(
        "stepDefinition"
    )
    assert last_definition < kinds.index("testRunStarted") < kinds.index("testCase")
    case_kinds = [k for k in kinds if k.startswith("testCase")]
    runs = len(of(stream, "pickle"))
    assert case_kinds == ["testCase", "testCaseStarted", "testCaseFinished"] * runs


def test_every_reference_resolves(stream: list[Envelope]) -> None:
    ast_ids = {
        node["id"] for d in of(stream, "gherkinDocument") for node in _nodes(d) if "id" in node
    }
    pickles = {p["id"]: p for p in of(stream, "pickle")}
    pickle_steps = {s["id"] for p in pickles.values() for s in p["steps"]}
    definitions = {d["id"] for d in of(stream, "stepDefinition")} | {
        h["id"] for h in of(stream, "hook")
    }
    cases = {c["id"]: c for c in of(stream, "testCase")}
    test_steps = {s["id"] for c in cases.values() for s in c["testSteps"]}
    started = {s["id"]: s for s in of(stream, "testCaseStarted")}
    for pickle in pickles.values():
        assert set(pickle["astNodeIds"]) <= ast_ids
        assert {tag["astNodeId"] for tag in pickle["tags"]} <= ast_ids
        assert {i for step in pickle["steps"] for i in step["astNodeIds"]} <= ast_ids
    for case in cases.values():
        assert case["pickleId"] in pickles
        for step in case["testSteps"]:
            assert step.get("pickleStepId", step.get("hookId")) in pickle_steps | definitions
            assert set(step.get("stepDefinitionIds", [])) <= definitions
    assert {s["testCaseId"] for s in started.values()} <= set(cases)
    for kind in ("testStepStarted", "testStepFinished", "testCaseFinished", "attachment"):
        for message in of(stream, kind):
            assert message["testCaseStartedId"] in started
            if "testStepId" in message:
                assert message["testStepId"] in test_steps
    assert {s["pickleStepId"] for s in of(stream, "suggestion")} <= pickle_steps
    run = of(stream, "testRunStarted")[0]["id"]
    assert {c["testRunStartedId"] for c in cases.values()} == {run}


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(n for value in node.values() for n in _nodes(value))]
    if isinstance(node, list):
        return [n for value in node for n in _nodes(value)]
    return []


def test_every_pickle_runs_once_and_each_outline_example_is_its_own(
    stream: list[Envelope],
) -> None:
    pickles = of(stream, "pickle")
    assert [p["name"] for p in pickles if p["uri"] == "features/sums.feature"] == PICKLES
    assert [p["location"]["line"] for p in pickles if p["name"] == "Outline rows add up"] == [
        33,
        34,
    ]
    cases = {c["id"]: c["pickleId"] for c in of(stream, "testCase")}
    started = {s["id"]: cases[s["testCaseId"]] for s in of(stream, "testCaseStarted")}
    finished = Counter(started[f["testCaseStartedId"]] for f in of(stream, "testCaseFinished"))
    assert finished == {p["id"]: 1 for p in pickles}


def results(stream: list[Envelope]) -> dict[str, list[dict[str, Any]]]:
    """Each pickle's name (an outline's with its row's line) -> its step results, in order."""
    pickles = {p["id"]: p for p in of(stream, "pickle")}
    cases = {c["id"]: pickles[c["pickleId"]] for c in of(stream, "testCase")}
    started = {s["id"]: cases[s["testCaseId"]] for s in of(stream, "testCaseStarted")}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for finished in of(stream, "testStepFinished"):
        pickle = started[finished["testCaseStartedId"]]
        name = f"{pickle['name']}:{pickle['location']['line']}"
        by_name.setdefault(name, []).append(finished["testStepResult"])
    return by_name


def statuses(stream: list[Envelope], name: str) -> list[str]:
    [steps] = [steps for key, steps in results(stream).items() if key.startswith(f"{name}:")]
    return [step["status"] for step in steps]


def test_failed_undefined_and_skipped_steps_are_marked_as_such(stream: list[Envelope]) -> None:
    assert statuses(stream, "Adding works") == ["PASSED"] * 3
    assert statuses(stream, "A wrong expectation fails") == [
        "PASSED",
        "PASSED",
        "FAILED",
        "SKIPPED",
    ]
    assert statuses(stream, "A later step has no definition") == ["PASSED", "UNDEFINED", "SKIPPED"]
    assert statuses(stream, "The first step has no definition") == ["UNDEFINED", "SKIPPED"]
    assert statuses(stream, "A skipped scenario is still listed") == ["SKIPPED", "SKIPPED"]
    assert of(stream, "testRunFinished")[0]["success"] is False


def test_an_undefined_step_is_offered_the_projects_hint_and_a_definition(
    stream: list[Envelope],
) -> None:
    pickle_steps = {s["id"]: s["text"] for p in of(stream, "pickle") for s in p["steps"]}
    suggestions = {pickle_steps[s["pickleStepId"]]: s["snippets"] for s in of(stream, "suggestion")}
    assert set(suggestions) == {"I multiply by 5", "a calculator from the future"}
    [snippet] = suggestions["I multiply by 5"]
    assert snippet["language"] == "python"
    assert snippet["code"].startswith('# Closest sentences: "the total should be {expected}"')
    assert '@when("I multiply by 5")' in snippet["code"]


def test_a_failed_step_carries_its_exception_and_every_step_a_duration(
    stream: list[Envelope],
) -> None:
    failing = next(
        r for r in results(stream)["A wrong expectation fails:11"] if r["status"] == "FAILED"
    )
    assert failing["exception"]["type"] == "AssertionError"
    assert "expected 4, the total is 3" in failing["exception"]["message"]
    passed = results(stream)["Adding works:5"][1]
    assert passed["duration"]["seconds"] * 10**9 + passed["duration"]["nanos"] > 0


def test_the_failed_step_carries_the_projects_evidence(stream: list[Envelope]) -> None:
    failed = {
        f["testStepId"]
        for f in of(stream, "testStepFinished")
        if f["testStepResult"]["status"] == "FAILED"
    }
    evidence = [a for a in of(stream, "attachment") if a.get("fileName") == "evidence"]
    assert [a["body"] for a in evidence] == [
        "evidence for 'the total should be 4': the total was 3"
    ]
    assert evidence[0]["mediaType"] == "text/plain"
    assert evidence[0]["testStepId"] in failed


def test_step_definitions_are_the_languages_sentences_at_their_functions(
    stream: list[Envelope],
) -> None:
    definitions = {d["pattern"]["source"]: d for d in of(stream, "stepDefinition")}
    assert set(definitions) == {
        "the total is {start:d}",
        "these amounts:",
        "this note:",
        "I add {amount:d}",
        "the total should be {expected:d}",
        "I subtract {amount}",  # a regular expression that names its sentence
    }
    add = definitions["I add {amount:d}"]["sourceReference"]
    assert add["uri"] == "conftest.py"
    assert add["location"]["line"] == 45  # the sentence's decorator
    ids = {d["id"]: d["pattern"]["source"] for d in of(stream, "stepDefinition")}
    pickle_steps = {s["id"]: s["text"] for p in of(stream, "pickle") for s in p["steps"]}
    for case in of(stream, "testCase"):
        for step in case["testSteps"]:
            text = pickle_steps[step["pickleStepId"]]
            names = [ids[i] for i in step["stepDefinitionIds"]]
            undefined = text in ("I multiply by 5", "a calculator from the future")
            assert len(names) == (0 if undefined else 1), (text, names)


def test_a_steps_arguments_are_located_in_its_text(stream: list[Envelope]) -> None:
    pickle_steps = {s["id"]: s["text"] for p in of(stream, "pickle") for s in p["steps"]}
    arguments = {
        pickle_steps[step["pickleStepId"]]: [
            a["group"] for a in step["stepMatchArgumentsLists"][0]["stepMatchArguments"]
        ]
        for case in of(stream, "testCase")
        for step in case["testSteps"]
        if step.get("stepMatchArgumentsLists")
    }
    assert arguments["the total is 1"] == [{"start": 13, "value": "1"}]
    assert arguments["the total should be 10"] == [{"start": 20, "value": "10"}]
    assert arguments["these amounts:"] == []


RULED = """Feature: Ruled
  Background:
    Given a
  Rule: One rule
    Background:
      Given b
    Scenario: In the rule
      When c
    Scenario Outline: An outline in the rule
      Then <x>
      Examples:
        | x |
        | 1 |
        | 2 |
  Scenario: After the rule
    Given d
"""


def test_every_pickle_and_pickle_step_finds_its_line_under_rules_and_backgrounds() -> None:
    from reporting import messages

    documents = messages.GherkinDocuments(messages.Gherkin(), {"r": RULED})
    document, pickles = documents.gherkin.compile("r", RULED)
    documents._index("r", document, pickles)
    assert sorted(line for (_, line) in documents.pickles) == [7, 9, 15]
    assert len(documents.pickles[("r", 9)]) == 2  # the outline's two examples
    steps = [step["id"] for pickle in pickles for step in pickle["steps"]]
    # Both backgrounds' steps, the rule's scenarios' and the last scenario's.
    assert {documents.step_lines[step] for step in steps} == {3, 6, 8, 10, 16}


TAGGED = """# a comment
@feature-tag
Feature: Tagged
  Some description.

  Background:
    Given a table:
      | a | b |
      | 1 | 2 |

  @scenario-tag
  Scenario: With a doc string
    When a doc string:
      \"\"\"json
      {"x": 1}
      \"\"\"
    Then <nothing>

  Scenario Outline: Tagged examples
    Given <x>
    @first
    Examples: one
      | x |
      | 1 |
    @second
    Examples: two
      | x |
      | 2 |
      | 3 |
"""


def test_a_text_several_files_hold_is_parsed_once_and_gives_what_a_parse_gives() -> None:
    from gherkin.ast_builder import AstBuilder
    from gherkin.parser import Parser
    from gherkin.pickles.compiler import Compiler
    from gherkin.stream.id_generator import IdGenerator

    from reporting import messages

    features = sorted(Path(__file__).parents[2].glob("features/**/*.feature"))
    texts = [RULED, TAGGED, *(path.read_text(encoding="utf-8") for path in features)]
    # Each text under three URIs, the copies after every first, and one held by a single file.
    files = {f"{copy}/{n}": text for copy in "abc" for n, text in enumerate(texts)}
    files["single"] = "Feature: Alone\n  Scenario: S\n    Given s\n"
    ids = IdGenerator()
    parser, compiler = Parser(AstBuilder(ids)), Compiler(ids)
    gherkin = messages.Gherkin(files)
    parsed = []
    original = gherkin.parser.parse

    def parse(text: str) -> object:
        parsed.append(text)
        return original(text)

    gherkin.parser.parse = parse  # type: ignore[method-assign]
    for uri, text in files.items():
        document = {**parser.parse(text), "uri": uri}
        assert gherkin.compile(uri, text) == (document, compiler.compile(document)), uri
    assert sorted(parsed) == sorted(set(files.values()))  # once each
    # Nothing held once the last copy went by.
    assert not gherkin.kept
    assert not gherkin.uses


def test_a_test_case_as_json_data_is_the_librarys_message() -> None:
    from cucumber_messages import (
        Group,
        StepMatchArgument,
        StepMatchArgumentsList,
        TestCase,
        TestStep,
    )

    from reporting import messages
    from reporting.model import FeatureInfo, ScenarioRecord, StepRecord

    text = "Feature: F\n  Scenario: S\n    Given a 1\n    When b\n    Then c\n"
    documents = messages.GherkinDocuments(messages.Gherkin(), {"f": text})
    feature = FeatureInfo("f", "F", "Feature", "", 1, [])

    def record(when: str, status: str) -> ScenarioRecord:
        steps = [
            StepRecord("Given", "a 1", 3, status="passed", location="steps.py:1"),
            StepRecord("When", "b", 4, status=when),  # type: ignore[arg-type]
            StepRecord("Then", "c", 5),
        ]
        return ScenarioRecord("t", feature, "Scenario", "S", "", 2, [], None, steps, status, 1)  # type: ignore[arg-type]

    undefined, outside = record("undefined", "undefined"), record("passed", "failed")
    documents.add(undefined)
    pickle = documents.pickle_of(undefined)
    assert pickle is not None
    definitions = messages.RecordedStepDefinitions(
        [{"id": "step-definition-0"}],
        {
            (False, "steps.py:1", "a 1", "Context"): (0, [(2, "1")]),
            (True, None, "b", "Action"): (None, []),
            (False, None, "b", "Action"): (None, []),
            # A value a run file left null: out of the message, as the library leaves it.
            (False, None, "c", "Outcome"): (0, [(0, None)]),  # type: ignore[list-item]
        },
    )

    def matched(pickle_step: dict[str, Any], start: int, value: str | None) -> dict[str, Any]:
        arguments = [StepMatchArgument(group=Group(start=start, value=value))]
        return {
            "pickle_step_id": pickle_step["id"],
            "step_definition_ids": ["step-definition-0"],
            "step_match_arguments_lists": [StepMatchArgumentsList(step_match_arguments=arguments)],
        }

    given, when, then = pickle["steps"]
    unmatched = {"pickle_step_id": when["id"], "step_definition_ids": []}
    steps = [matched(given, 2, "1"), unmatched, matched(then, 0, None)]
    for scenario, hook in ((undefined, []), (outside, [{"hook_id": messages.FIXTURES_HOOK}])):
        ids = (str(n) for n in range(100))
        envelopes = messages._test_case(scenario, pickle, documents.step_lines, definitions, ids)
        made = [next(envelopes) for _ in range(2)]  # the test case, then what follows it
        test_steps = [TestStep(id=f"test-step-{n + 2}", **s) for n, s in enumerate(steps + hook)]
        case = TestCase(
            id="test-case-0",
            pickle_id=pickle["id"],
            test_steps=test_steps,
            test_run_started_id="run",
        )
        assert messages.line(made[0]) == messages.line(messages._envelope(test_case=case))
        assert ("suggestion" in made[1]) is (scenario is undefined)
