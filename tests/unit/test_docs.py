"""The documentation cannot go stale: generated blocks, step examples, links, screenshots, CI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from steps import catalogue
from steps.sentences import CATALOGUE, Sentence, pattern
from tests import docs_pages
from vault.errors import ERROR_CODES
from vault.integrity import ProblemKind

ROOT = docs_pages.ROOT
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


# Generated blocks ---------------------------------------------------------------------------
def test_the_generated_blocks_are_current() -> None:
    assert docs_pages.stale() == [], f"run {docs_pages.COMMAND}"


def test_replace_block_changes_only_the_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\nbefore\n<!-- generated: speed by a command; do not edit -->\nold\n"
        "<!-- end: speed -->\nafter\n",
        encoding="utf-8",
    )
    assert docs_pages.replace_block(page, "speed", "new | table")
    assert page.read_text(encoding="utf-8") == (
        "# Title\n\nbefore\n<!-- generated: speed by a command; do not edit -->\nnew | table\n"
        "<!-- end: speed -->\nafter\n"
    )
    assert not docs_pages.replace_block(page, "speed", "new | table\n")
    with pytest.raises(docs_pages.MissingBlock, match="no block 'mutation'"):
        docs_pages.replace_block(page, "mutation", "x")


@pytest.mark.parametrize(
    ("page", "name", "writer"),
    [
        ("docs/performance.md", "performance", "bench/run.py"),
        ("docs/mutation.md", "mutation", "scripts/mutation.py"),
    ],
)
def test_measured_figures_stand_in_a_block_that_names_their_run(
    page: str, name: str, writer: str
) -> None:
    text = docs_pages.block(ROOT / page, name)
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", text), f"{page}: the block gives no date of its run"
    assert writer in text, f"{page}: the block does not name the command that measured it"


def test_a_feature_counts_every_row_of_its_outlines(tmp_path: Path) -> None:
    (tmp_path / "f.feature").write_text(
        "@a @b\nFeature: F\n  Why it matters.\n\n  Scenario: one\n    Given x\n\n"
        "  Scenario Outline: many\n    Given <n>\n    Examples:\n      | n |\n      | 1 |\n"
        "      | 2 |\n    Examples:\n      | n |\n      | 3 |\n\n"
        "  Rule: r\n    Scenario: in a rule\n      Given y\n",
        encoding="utf-8",
    )
    (summary,) = docs_pages.features(tmp_path, root=tmp_path)
    assert summary == docs_pages.FeatureSummary(
        "f.feature", "F", ("@a", "@b"), 5, "Why it matters."
    )


# What the screenshots show, against the suite ---------------------------------------------
def test_each_screenshot_records_the_suite_it_shows() -> None:
    """The suite's count is the features table's; tests/qa checks it against pytest's collection."""
    suite = docs_pages.scenario_count()
    recorded = json.loads((ROOT / "docs" / "screenshots.json").read_text(encoding="utf-8"))
    assert recorded, "docs/screenshots.json records no screenshot"
    for image, facts in recorded.items():
        assert (ROOT / "docs" / image).is_file(), f"docs/screenshots.json names a missing {image}"
        assert facts["suite_scenarios"] == suite, (
            f"docs/{image} shows a suite of {facts['suite_scenarios']} scenarios, the suite has "
            f"{suite}: run scripts/screenshots.sh"
        )


# The step catalogue's examples --------------------------------------------------------------
def _scenario_with(sentence: Sentence) -> str:
    lines = catalogue.example(sentence).splitlines()
    body = [f"    {sentence.keyword} {lines[0]}", *(f"    {line}" for line in lines[1:])]
    return "\n".join(["Feature: catalogue", "  Scenario: example", *body, ""])


def _step_texts(feature_text: str) -> list[str]:
    document = Parser().parse(feature_text)
    document["uri"] = "catalogue.feature"
    (pickle,) = Compiler().compile(document)
    return [step["text"] for step in pickle["steps"]]


@pytest.mark.parametrize("sentence", CATALOGUE, ids=lambda s: f"{s.keyword} {s.text}")
def test_each_example_parses_and_binds_to_its_own_sentence(sentence: Sentence) -> None:
    (text,) = _step_texts(_scenario_with(sentence))
    bound = [
        other.text
        for other in CATALOGUE
        if other.keyword == sentence.keyword and re.fullmatch(pattern(other.text), text)
    ]
    assert bound == [sentence.text], f"the example {text!r} binds to {bound}"


def test_an_example_given_for_another_sentence_is_replaced() -> None:
    mistaken = Sentence(
        "Given",
        'the operator gives the log API the password "{value}"',
        "meaning",
        'the log API requires the password "Kestrel-Harbour-42"',
    )
    assert catalogue.example(mistaken) == (
        f'the operator gives the log API the password "{catalogue.SECRET}"'
    )


def _example_values(placeholder: str, words: str) -> list[str]:
    values = []
    for sentence in CATALOGUE:
        if f'"{{{placeholder}}}"' in sentence.text and words in sentence.text:
            found = re.fullmatch(pattern(sentence.text), catalogue.example(sentence).split("\n")[0])
            assert found, sentence.text
            values.append(found.group(placeholder))
    assert values, f"no sentence with {words!r}"
    return values


def test_examples_use_values_their_sentences_accept() -> None:
    codes = {error.code for error in ERROR_CODES}
    assert set(_example_values("code", "fails with error")) <= codes
    assert set(_example_values("code", "verification reports")) <= {k.value for k in ProblemKind}
    assert all(v.startswith("https://") for v in _example_values("value", "redirects"))
    assert set(_example_values("value", "status")) <= {"ARCHIVED", "RECOVERED"}


KEYWORD_OF_TYPE = {"Context": "Given", "Action": "When", "Outcome": "Then"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_scenario_shown_in_the_docs_binds_to_the_language(page: Path) -> None:
    blocks = re.findall(r"```gherkin\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)
    for feature in (block for block in blocks if "Feature:" in block):
        document = Parser().parse(feature)
        document["uri"] = page.name
        for pickle in Compiler().compile(document):
            for step in pickle["steps"]:
                keyword = KEYWORD_OF_TYPE[step["type"]]
                bound = [
                    s.text
                    for s in CATALOGUE
                    if s.keyword == keyword and re.fullmatch(pattern(s.text), step["text"])
                ]
                assert len(bound) == 1, f"{page.name}: {keyword} {step['text']} binds to {bound}"


# Links --------------------------------------------------------------------------------------
def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a page's headings."""
    seen: dict[str, int] = {}
    anchors = set()
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        heading = re.match(r"#{1,6} (.+)", line)
        if in_code or not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _relative_links(markdown: str) -> list[str]:
    without_code = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    without_code = re.sub(r"`[^`\n]*`", "", without_code)
    targets = re.findall(r"\]\(([^)\s]+)\)", without_code)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def test_the_anchor_of_a_heading_is_githubs() -> None:
    assert _anchors("# Run it: in Docker\n## `--vault-lacks`\n# Run it: in Docker\n") == {
        "run-it-in-docker",
        "--vault-lacks",
        "run-it-in-docker-1",
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for link in _relative_links(page.read_text(encoding="utf-8")):
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{link}: no {target.relative_to(ROOT)}")
        elif (
            anchor
            and target.suffix == ".md"
            and anchor not in _anchors(target.read_text(encoding="utf-8"))
        ):
            broken.append(f"{link}: no heading #{anchor} in {target.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def _prose(markdown: str) -> str:
    """The page without its generated blocks and code: what someone typed and must keep true."""
    markdown = re.sub(r"<!-- generated: .*?<!-- end: [^>]* -->", "", markdown, flags=re.DOTALL)
    return re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_count_is_typed_by_hand_and_no_work_log(page: Path) -> None:
    prose = _prose(page.read_text(encoding="utf-8"))
    counts = re.findall(
        r"\b\d[\d,]* (?:scenarios?|(?:unit )?tests?|features?|feature files?)\b", prose
    )
    log = re.findall(r"(?i)this round|the round|before the change|the code before", prose)
    assert not counts, f"{page.name} states counts by hand: {counts}; generate them or drop them"
    assert not log, f"{page.name} reads like a work log: {log}"


# The front door and CI ----------------------------------------------------------------------
def test_the_readme_is_short() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200


@pytest.mark.skipif(
    not (ROOT / ".ci" / "run").exists(), reason="CI's files are not in the image (.dockerignore)"
)
def test_the_workflow_comment_and_the_tiers_page_name_every_stage_of_ci_run() -> None:
    stages = re.findall(r"^stage (\S+) ", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    comment = " ".join(re.findall(r"^\s*# ?(.*)$", workflow, re.MULTILINE))
    tiers = (ROOT / "docs" / "tiers.md").read_text(encoding="utf-8")
    ci_table = tiers[tiers.index("## CI") :]
    assert stages, "no stage found in .ci/run"
    missing = [
        name for name in stages if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", comment)
    ]
    assert not missing, f".github/workflows/ci.yml's comment omits stages {missing}"
    untold = [name for name in stages if f"`{name}`" not in ci_table]
    assert not untold, f"docs/tiers.md#ci omits stages {untold}"
