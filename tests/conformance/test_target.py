"""conformance.target: a target's configuration file, and the kit's own targets' files."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

from conformance.target import Target, TargetConfigError, load_target, parse_lacks

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "target.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_target_file_gives_its_command_lacks_and_known_failures(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'command = "./my-vault --quiet"\nlacks = ["paging", "verify"]\n'
        '[known_failures]\n"Feature A: Scenario B" = "https://example.test/issues/7"\n',
    )
    assert load_target(path) == Target(
        command="./my-vault --quiet",
        lacks=frozenset({"paging", "verify"}),
        known_failures={"Feature A: Scenario B": "https://example.test/issues/7"},
        source=path,
    )


def test_only_the_command_is_required(tmp_path: Path) -> None:
    target = load_target(write(tmp_path, 'command = "vault"\n'))
    assert (target.lacks, dict(target.known_failures)) == (frozenset(), {})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('lacks = ["paging"]\n', "command must be a non-empty string"),
        ('command = ""\n', "command must be a non-empty string"),
        ('command = "v"\nlacks = ["pagination"]\n', "unknown capability 'pagination'"),
        ('command = "v"\nlacks = "paging"\n', "lacks must be a list"),
        ('command = "v"\nlack = ["paging"]\n', "unknown key 'lack'"),
        ('command = "v"\n[known_failures]\n"F: S" = ""\n', "needs a reason"),
        ('command = "v"\n[known_failures]\n"Just a scenario" = "why"\n', "is not named"),
        ('command = "v"\nknown_failures = ["F: S"]\n', "known_failures must be a table"),
        ("command = \n", "cannot be read as TOML"),
    ],
)
def test_a_bad_target_file_is_refused_saying_why(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(TargetConfigError, match="target.toml: .*" + says.replace("(", r"\(")):
        load_target(write(tmp_path, text))


def test_lacks_on_the_command_line_are_checked_like_the_files() -> None:
    assert parse_lacks(" paging, verify ,") == frozenset({"paging", "verify"})
    with pytest.raises(TargetConfigError, match="--vault-lacks: unknown capability 'hooks'"):
        parse_lacks("paging,hooks")


def test_the_kit_knows_nothing_of_this_projects_vault() -> None:
    for module in (ROOT / "conformance").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not [n for n in names if n.split(".")[0] == "vault"], module


SHIPPED = sorted(
    [*(ROOT / "tests/conformance/targets").glob("*.toml"), ROOT / "examples/minimal_vault.toml"]
)


def scenario_names() -> set[str]:
    names = set()
    for feature in (ROOT / "features").glob("*.feature"):
        text = feature.read_text(encoding="utf-8")
        [title] = re.findall(r"^Feature: (.+)$", text, re.MULTILINE)
        names |= {
            f"{title}: {name}"
            for name in re.findall(r"^\s*Scenario(?: Outline)?: (.+)$", text, re.MULTILINE)
        }
    return names


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_each_shipped_target_file_runs_a_script_that_exists(path: Path) -> None:
    target = load_target(path)
    program = shlex.split(target.command)
    assert program[0] == "python"
    assert program[1:] == ["-m", "vault"] or (ROOT / program[1]).is_file()
    assert set(target.known_failures) <= scenario_names()


def test_the_minimal_example_lacks_everything_but_the_core() -> None:
    from conformance.contract import capabilities

    # "wording" (the reference vault's own phrases) is lacked by every other target anyway.
    lacks = load_target(ROOT / "examples/minimal_vault.toml").lacks
    assert lacks == set(capabilities()) - {"wording"}


def test_one_shipped_known_failure_names_a_scenario_that_passes_on_the_reference() -> None:
    target = load_target(ROOT / "tests/conformance/targets/reference_unexpected_pass.toml")
    assert target.command == "python -m vault"
    assert list(target.known_failures) == [
        "Archive security logs and audit them: A valid batch is archived byte for byte and audited"
    ]
