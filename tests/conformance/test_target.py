"""conformance.target: a target's configuration file, and the kit's own targets' files."""

from __future__ import annotations

import ast
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
