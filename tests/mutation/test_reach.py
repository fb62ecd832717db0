"""scripts/mutation_reach.py: each mutant is given the tests that execute the statement it
changes, and every test that could see the change keeps running."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from mutmut.mutation import trampoline

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    path = ROOT / "scripts/mutation_reach.py"
    spec = importlib.util.spec_from_file_location("mutation_reach", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation_reach", module)
    spec.loader.exec_module(module)
    return module


reach = _load()

SOURCE = textwrap.dedent(
    '''\
    import re


    # A comment above the function belongs to mutmut's copy of it.
    def check(value: str, limit: int = 3) -> str:
        """Docstring."""
        if (
            len(value) > limit
            and value.isdigit()
        ):
            return "too long"
        try:
            number = int(
                value,
                10,
            )
        except ValueError as error:
            return f"bad: {error}"
        else:
            return str(number)


    class Box:
        def size(self) -> int:
            return 1
    '''
)


def line_of(text: str) -> int:
    (found,) = [n for n, line in enumerate(SOURCE.splitlines(), 1) if text in line]
    return found


@pytest.fixture
def statements() -> object:
    return reach.Statements(SOURCE)


def test_a_line_of_a_simple_statement_runs_with_every_line_of_that_statement(statements):
    lines = statements.lines_that_run("check", line_of("10,"))
    assert lines == range(line_of("number = int("), line_of("10,") + 2)


def test_a_compound_header_is_its_own_statement_not_its_body(statements):
    header = statements.lines_that_run("check", line_of("and value.isdigit()"))
    assert header == range(line_of("if ("), line_of("):") + 1)
    assert line_of('return "too long"') not in header


def test_an_except_clause_runs_only_when_an_exception_reaches_it(statements):
    assert statements.lines_that_run("check", line_of("except ValueError")) == range(
        line_of("except ValueError"), line_of("except ValueError") + 1
    )


def test_a_change_to_the_functions_header_keeps_every_test(statements):
    # A default value is computed when the function is defined, not when a test calls it.
    assert statements.lines_that_run("check", line_of("def check")) is reach.EVERY_TEST
    assert statements.lines_that_run("Box.size", line_of("return 1")) == range(
        line_of("return 1"), line_of("return 1") + 1
    )


def test_only_tests_whose_call_ran_a_line_are_picked():
    contexts = ["call|t1", "call|t2", "call|t3"]
    by_line = {"10": [0], "11": [1], "12": [2]}
    assert reach.tests_reaching(range(10, 12), by_line, contexts) == {"t1", "t2"}
    assert reach.tests_reaching(range(20, 22), by_line, contexts) == set()


@pytest.mark.parametrize("outside", ["setup|t1", "teardown|t1", ""])
def test_a_line_a_fixture_or_an_import_ran_keeps_every_test(outside):
    # A session fixture runs in whichever test comes first; its effect may show in any.
    contexts = ["call|t2", outside]
    assert reach.tests_reaching([10], {"10": [0, 1]}, contexts) is reach.EVERY_TEST


def test_the_changed_lines_of_a_replacement_a_removal_and_an_insertion():
    original = ["a", "b", "c", "d"]
    assert reach.changed_offsets(original, ["a", "B", "c", "d"]) == {1}
    assert reach.changed_offsets(original, ["a", "c", "d"]) == {1}
    assert reach.changed_offsets(original, ["a", "b", "x", "c", "d"]) == {1, 2}
    assert reach.changed_offsets(original, original) == set()


def test_mutmuts_copy_of_a_function_is_found_in_its_source_under_its_own_name():
    generated = "\n\n# A comment above the function belongs to mutmut's copy of it.\n" + (
        "def x_check__mutmut_orig(value: str, limit: int = 3) -> str:\n"
    )
    lines = reach.renamed(generated, "x_check__mutmut_orig", "check")
    assert lines[1] == "def check(value: str, limit: int = 3) -> str:"
    assert reach.function_start(SOURCE.splitlines(), lines) == line_of("# A comment above")
    with pytest.raises(LookupError):
        reach.function_start(SOURCE.splitlines(), ["def nowhere():"])


def test_the_active_mutant_is_the_one_mutmut_set_in_this_process(monkeypatch):
    monkeypatch.setenv("MUTANT_UNDER_TEST", "from.the.environment")
    monkeypatch.setattr(trampoline, "_mutant_under_test", "vault.config.x_f__mutmut_1")
    assert reach.mutant_under_test() == "vault.config.x_f__mutmut_1"
    monkeypatch.setattr(trampoline, "_mutant_under_test", "")
    assert reach.mutant_under_test() == ""
    # Not set in this process (a vault a test started): its environment names it.
    monkeypatch.setattr(trampoline, "_mutant_under_test", None)
    assert reach.mutant_under_test() == "from.the.environment"


@pytest.mark.parametrize(("options", "by_line"), [([], True), (["--every-test"], False)])
def test_run_narrows_each_mutants_tests_unless_told_not_to(monkeypatch, tmp_path, options, by_line):
    import mutmut.__main__ as mutmut_main  # here: it sets multiprocessing's start method

    check = mutmut_main._check_test_to_mutant_associations
    monkeypatch.setattr(mutmut_main, "_check_test_to_mutant_associations", check)
    monkeypatch.setattr(
        mutmut_main, "mangled_name_from_mutant_name", reach.mangled_name_from_mutant_name
    )
    monkeypatch.setattr(trampoline, "get_mutant_under_test", trampoline.get_mutant_under_test)
    ran: list[list[str]] = []
    monkeypatch.setattr(mutmut_main, "cli", ran.append)
    file = tmp_path / "reach.json"
    file.write_text('{"contexts": [], "files": {}}')
    assert reach.main(["run", str(file), *options, "--", "--max-children=2"]) == 0
    assert ran == [["run", "--max-children=2"]]
    assert (mutmut_main._check_test_to_mutant_associations is not check) is by_line
    assert trampoline.get_mutant_under_test is reach.mutant_under_test
