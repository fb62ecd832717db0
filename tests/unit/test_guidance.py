"""QA guidance for a step that matches no sentence: the closest ones, or the right keyword."""

from __future__ import annotations

import steps.given
import steps.then
import steps.when  # noqa: F401 - the sentences register when their modules load
from steps.guidance import hint


def test_a_misspelled_step_names_the_sentence_meant() -> None:
    message = hint("the log API was caled 3 times", "then")
    assert message.startswith('No step matches "Then the log API was caled 3 times".')
    assert (
        "The closest sentences of the language:\n  Then the log API was called {count} times\n"
        in message
    )
    assert message.count("\n  ") <= 3
    assert message.endswith("Every sentence: docs/steps.md")


def test_a_then_sentence_written_under_when_says_where_it_stands() -> None:
    assert hint("the run succeeds", "when") == (
        '"the run succeeds" is a Then sentence; it stands after When. '
        'Write it as "Then the run succeeds" in the right place.'
    )


def test_a_given_sentence_written_under_then_says_so_too() -> None:
    assert hint("the audit log rejects writes", "then").startswith(
        '"the audit log rejects writes" is a Given sentence; it stands before When.'
    )


def test_a_wrong_number_word_still_finds_the_sentence() -> None:
    message = hint("the log API serves three security log entries", "given")
    assert "  Given the log API serves {count} security log entries\n" in message


def test_nothing_close_points_to_the_catalogue() -> None:
    assert hint("zzz qqq", "given").endswith(
        "No sentence of the language is close; every sentence: docs/steps.md"
    )
