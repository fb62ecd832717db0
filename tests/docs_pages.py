"""The generated parts of the documentation, and the one way to write them.

python -m tests.docs_pages --write  # rewrite every block this module owns
python -m tests.docs_pages --check  # exit 1 when one of them is stale

A page holds a generated block between two markers, and nothing else in the page is touched:

    <!-- generated: NAME by COMMAND; do not edit by hand -->
    ...
    <!-- end: NAME -->

This module owns the block ``features`` of docs/tiers.md (what is tested, read from features/).
Other scripts write their own blocks through ``replace_block``: ``bench/run.py`` the block
``performance`` of docs/performance.md, ``scripts/mutation.py`` the block ``mutation`` of
docs/mutation.md. Such a block records a run, so its text must give the date (YYYY-MM-DD) and
the command that produced it (tests/unit/test_docs.py checks both). A script run as
``python bench/run.py`` has its own folder first on ``sys.path``: put the repository's root
there before ``from tests.docs_pages import replace_block``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.parser import Parser

ROOT = Path(__file__).parents[1]
FEATURES = ROOT / "features"
TIERS = ROOT / "docs" / "tiers.md"
COMMAND = "python -m tests.docs_pages --write"


class MissingBlock(ValueError):
    """The page has no block of that name: add its two markers where it belongs."""


def _markers(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<begin><!-- generated: {re.escape(name)}\b[^\n]*-->\n)"
        rf"(?P<body>.*?)"
        rf"(?P<end><!-- end: {re.escape(name)} -->)",
        re.DOTALL,
    )


def block(path: Path, name: str) -> str:
    """The text of the block ``name`` in ``path`` (without its markers)."""
    found = _markers(name).search(path.read_text(encoding="utf-8"))
    if found is None:
        raise MissingBlock(f"{path} has no block {name!r}")
    return found.group("body")


def replace_block(path: str | Path, name: str, text: str) -> bool:
    """Put ``text`` between the markers of the block ``name`` in ``path``; True if it changed.

    The markers stay where they are; ``text`` gets a final newline if it lacks one."""
    page = Path(path)
    before = page.read_text(encoding="utf-8")
    body = text if text.endswith("\n") else text + "\n"
    after, found = _markers(name).subn(
        lambda m: m.group("begin") + body + m.group("end"), before, count=1
    )
    if not found:
        raise MissingBlock(f"{page} has no block {name!r}")
    if after != before:
        page.write_text(after, encoding="utf-8")
    return after != before


@dataclass(frozen=True)
class FeatureSummary:
    path: str
    name: str
    tags: tuple[str, ...]
    scenarios: int
    description: str


def _children_scenarios(children: Sequence[Mapping[str, Any]]) -> int:
    count = 0
    for child in children:
        if "rule" in child:
            count += _children_scenarios(child["rule"]["children"])
        elif "scenario" in child:
            scenario = child["scenario"]
            rows = sum(len(examples.get("tableBody", [])) for examples in scenario["examples"])
            # An outline runs once per row of its examples, as pytest collects it.
            count += rows if scenario["examples"] else 1
    return count


def summarise(path: Path, root: Path = ROOT) -> FeatureSummary:
    """One feature file: name, tags, scenario count (each outline row counts) and description."""
    document = Parser().parse(path.read_text(encoding="utf-8"))
    feature = document["feature"]
    return FeatureSummary(
        path=path.relative_to(root).as_posix(),
        name=feature["name"],
        tags=tuple(tag["name"] for tag in feature["tags"]),
        scenarios=_children_scenarios(feature["children"]),
        description=" ".join(feature.get("description", "").split()),
    )


def features(directory: Path = FEATURES, root: Path = ROOT) -> list[FeatureSummary]:
    return [summarise(path, root) for path in sorted(directory.rglob("*.feature"))]


def scenario_count(directory: Path = FEATURES) -> int:
    return sum(summary.scenarios for summary in features(directory))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def features_block() -> str:
    summaries = features()
    lines = [
        f"{scenario_count()} scenarios in {len(summaries)} feature files"
        " (each row of an outline's examples counts, as pytest runs it).",
        "",
        "| feature | tags | scenarios | what it is about |",
        "|---|---|---:|---|",
    ]
    for summary in summaries:
        tags = " ".join(f"`{tag}`" for tag in summary.tags)
        name = f"[{_cell(summary.name)}](../{summary.path})"
        lines.append(f"| {name} | {tags} | {summary.scenarios} | {_cell(summary.description)} |")
    return "\n".join(lines) + "\n"


BLOCKS = ((TIERS, "features", features_block),)


def stale() -> list[str]:
    """The blocks this module owns whose text is not what it would write now."""
    return [
        f"{page.relative_to(ROOT)}: block {name!r}"
        for page, name, render in BLOCKS
        if block(page, name) != render()
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        behind = stale()
        for where in behind:
            print(f"{where} is stale: run {COMMAND}", file=sys.stderr)
        return 1 if behind else 0
    if "--write" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    for page, name, render in BLOCKS:
        changed = replace_block(page, name, render())
        print(f"{page.relative_to(ROOT)}: block {name!r} {'rewritten' if changed else 'current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
