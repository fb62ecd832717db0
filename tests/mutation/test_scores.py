"""scripts/mutation.py: a score counts every mutant but the equivalent ones, whether or not the
equivalent ones were run (--skip-equivalent)."""

from __future__ import annotations

from tests.mutation.scripts import equivalent_note, load

mutation = load("mutation")
NOTE = equivalent_note("f", "x = 1", "x = 2")


def _selection(equivalent_status: str) -> object:
    mutant = mutation.Mutant
    selection = mutation.Selection("acceptance")
    selection.mutants = [
        mutant("vault.a.x_f__mutmut_1", "vault/a.py", "killed", "f"),
        mutant("vault.a.x_f__mutmut_2", "vault/a.py", "survived", "f", 3, "x = 1", "x = 3"),
        mutant("vault.a.x_f__mutmut_3", "vault/a.py", equivalent_status, "f", 3, "x = 1", "x = 2"),
    ]
    return selection


def test_an_equivalent_mutant_left_unrun_counts_as_one_that_ran_and_survived():
    ran, skipped = _selection("survived"), _selection("not checked")
    assert mutation.classify([ran], [NOTE]) == []
    assert mutation.classify([skipped], [NOTE]) == []  # the note is used: not stale
    assert [m.classification for m in skipped.mutants] == ["", "unexplained", "equivalent"]
    assert skipped.mutants[2].status == mutation.EQUIVALENT_NOT_RUN
    assert ran.mutants[2].status == "survived"
    assert ran.score() == skipped.score() == 50.0


def test_a_mutant_left_unrun_that_no_equivalent_note_names_counts_against_the_score():
    selection = _selection("not checked")
    mutation.classify([selection], [dict(NOTE, mutated="x = 4")])
    assert selection.mutants[2].status == "not checked"
    assert selection.mutants[2].classification == "unexplained"
    assert selection.score() == 100.0 / 3
