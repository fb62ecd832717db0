"""scripts/mutation_reach.py: each mutant is given the tests that execute the statement it
changes, and every test that could see the change keeps running."""

from __future__ import annotations

import textwrap

import pytest
from mutmut.mutation import trampoline

from tests.mutation.scripts import equivalent_note, load

reach = load("mutation_reach")

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


@pytest.mark.parametrize(
    ("options", "by_line", "skip"),
    [
        ([], True, False),
        (["--every-test"], False, False),
        (["--skip-equivalent"], True, True),
        (["--skip-equivalent", "--every-test"], False, True),
    ],
)
def test_run_narrows_each_mutants_tests_unless_told_not_to(
    monkeypatch, tmp_path, options, by_line, skip
):
    import mutmut.__main__ as mutmut_main  # here: it sets multiprocessing's start method

    check = mutmut_main._check_test_to_mutant_associations
    monkeypatch.setattr(mutmut_main, "_check_test_to_mutant_associations", check)
    collect = mutmut_main.collect_source_file_mutation_data
    monkeypatch.setattr(mutmut_main, "collect_source_file_mutation_data", collect)
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
    assert (mutmut_main.collect_source_file_mutation_data is not collect) is skip
    assert trampoline.get_mutant_under_test is reach.mutant_under_test


@pytest.mark.parametrize("options", [["--skip-equivalent", "--skip-equivalent"], ["--fast"]])
def test_run_refuses_an_option_it_does_not_know_or_one_given_twice(tmp_path, options):
    with pytest.raises(SystemExit, match=r"python scripts/mutation_reach\.py"):
        reach.main(["run", str(tmp_path / "reach.json"), *options, "--"])


def test_only_the_mutants_an_equivalent_note_names_are_left_out_of_the_run():
    mutation = reach._mutation()
    notes = [
        equivalent_note("f", "x = 1", "x = 2"),
        equivalent_note("Box.size", "return 1", "return None"),
        # An explained survivor is a real gap: it runs, and counts.
        dict(equivalent_note("g", "y = 1", "y = 2"), kind="explained"),
    ]
    changes = {
        "vault.a.x_f__mutmut_1": ("f", "x = 1", "x = 2"),  # the note's change
        "vault.a.x_f__mutmut_2": ("f", "x = 1", "x = 3"),  # another change of f
        "vault.a.x\u01c1Box\u01c1size__mutmut_1": ("Box.size", "return 1", "return None"),
        "vault.a.x_g__mutmut_1": ("g", "y = 1", "y = 2"),
        "vault.a.x_h__mutmut_1": ("h", "x = 1", "x = 2"),  # same change, another function
    }
    asked: list[str] = []

    def describe(file: str, name: str):
        asked.append(name)
        function, original, mutated = changes[name]
        mutant = mutation.Mutant(name, file, "not checked", function=function)
        mutant.original, mutant.mutated = original, mutated
        return mutant

    candidates = [("vault/a.py", name) for name in changes]
    candidates.append(("vault/b.py", "vault.b.x_f__mutmut_1"))  # f of another file
    found = reach.equivalent_mutants(candidates, notes, describe)
    assert found == {"vault.a.x_f__mutmut_1", "vault.a.x\u01c1Box\u01c1size__mutmut_1"}
    # Only the mutants of a function an equivalent note names are described at all.
    assert sorted(asked) == sorted(
        ["vault.a.x_f__mutmut_1", "vault.a.x_f__mutmut_2", "vault.a.x\u01c1Box\u01c1size__mutmut_1"]
    )
