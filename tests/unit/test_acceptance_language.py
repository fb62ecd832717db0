"""Every sentence of the acceptance language exists word for word, in singular and plural.

The list below is copied from shared/acceptance-language.md (version 3), the product's fixed
vocabulary; (v2) and (v3) mark the sentences versions 2 and 3 added.
"""

from __future__ import annotations

import re

import pytest
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

import steps.given
import steps.then
import steps.when
from steps.catalogue import main as catalogue_main
from steps.sentences import PLURALS

LANGUAGE = [
    ("given", "the log API serves {count} security log entries"),
    ("given", "the log API serves these security log entries:"),
    ("given", "the log API serves this raw body:"),
    ("given", "the log API serves {count} security log entries in pages of {size}"),
    ("given", "the log API responds with HTTP {status} to the first {count} requests"),
    ("given", "the log API always responds with HTTP {status}"),
    ("given", "the log API times out on the first {count} requests"),
    ("given", "the log API drops the connection on the first {count} requests"),
    (
        "given",
        "the log API responds with HTTP {status} and Retry-After {seconds} to the first request",
    ),
    ("given", "the vault makes at most {count} attempts per request"),
    ("given", 'the clock reads "{instant}"'),
    ("given", "the archive denies uploads"),
    ("given", "the archive bucket does not exist"),
    ("given", "the archive fails uploads with HTTP {status}"),
    ("given", "the vault accepts bodies of at most {size} bytes"),
    ("given", "the audit log rejects writes"),
    # (v2)
    (
        "given",
        "the log API responds with HTTP {status} to the first {count} requests for page {page}",
    ),
    ("given", "the log API times out on the first {count} requests for page {page}"),
    ("given", "the log API drops the connection on the first {count} requests for page {page}"),
    (
        "given",
        "the log API responds with HTTP {status} and Retry-After {seconds} "
        "to the first request for page {page}",
    ),
    ("given", 'the log API redirects every request to "{value}"'),
    ("given", "the log API never stops paging"),
    ("given", "the archive accepts {count} uploads, then denies uploads"),
    ("given", "the archive accepts {count} uploads, then fails uploads with HTTP {status}"),
    ("given", "the audit log accepts {count} writes, then rejects writes"),
    ("given", "the vault fetches at most {count} pages per run"),
    # (v3)
    ("given", "the log API serves {count} pages that loop back to page {page}"),
    ("given", 'the operator sets {setting} to "{value}"'),
    ("given", "the operator unsets {setting}"),
    ("given", 'the log API requires the password "{value}"'),
    ("given", 'the log API requires the token "{value}"'),
    ("given", 'the operator gives the log API the password "{value}"'),
    ("given", "the audit log is unreachable"),
    ("given", "the log API trickles its body on the first {count} requests"),
    ("when", "the vault runs"),
    ("when", "the vault runs again"),
    ("when", "the audit log accepts writes again"),
    # (v2)
    ("when", "the archive accepts uploads again"),
    ("when", "the archive bucket is created"),
    ("when", "the log API recovers"),
    ("when", "the log API now serves {count} security log entries"),
    ("when", "the log API now serves this raw body:"),
    ("when", "an archived object is overwritten with other bytes"),
    ("when", "an archived object is deleted"),
    ("when", "an audit record is deleted"),
    ("when", "the vault verifies the archive"),
    ("when", "the vault repairs the audit log"),
    ("then", "the run succeeds"),
    ("then", 'the run fails with error "{code}"'),
    ("then", "the log API was called {count} times"),
    ("then", "the vault paused {count} times before retrying"),
    ("then", "the vault waited at least {seconds} seconds before retrying"),
    ("then", "the archive holds {count} objects"),
    ("then", "the archive is empty"),
    ("then", "the archived object is byte-for-byte the body the log API served"),
    ("then", "the audit log holds {count} records"),
    ("then", "no audit record is written"),
    ("then", 'the audit record has status "{value}"'),
    ("then", "the audit record points to the archived object"),
    ("then", "the audit record's checksum matches the archived object"),
    ("then", "every audit record points to an archived object"),
    ("then", "the audit record has these fields:"),
    # (v2)
    ("then", "the vault waited at most {seconds} seconds before retrying"),
    ("then", "the log API was called {count} times for page {page}"),
    ("then", "the run fails on page {page}"),
    ("then", "the run reports {count} pages archived"),
    ("then", 'the error message mentions "{value}"'),
    ("then", '{count} audit records have status "{value}"'),
    ("then", "the verification passes"),
    ("then", "the verification reports {count} problems"),
    ("then", 'the verification reports "{code}" for {count} objects'),
    ("then", "the repair writes {count} records"),
    # (v3)
    ("then", "the vault refuses to start"),
    ("then", "the refusal names {setting}"),
    ("then", 'the output never shows "{value}"'),
]
SINGULAR = {
    "requests": "request",
    "times": "time",
    "entries": "entry",
    "attempts": "attempt",
    "seconds": "second",
    "objects": "object",
    "records": "record",
    "bytes": "byte",
    "uploads": "upload",
    "writes": "write",
    "pages": "page",
    "problems": "problem",
    "have": "has",
}
VALUES = {
    "code": "MISSING_RECORD",
    "instant": "2026-03-01T12:00:00Z",
    "value": "ARCHIVED",
    "setting": "VAULT_HTTP_TIMEOUT",
}


def definitions() -> list[StepFunctionContext]:
    modules = {m.__name__ for m in (steps.given, steps.when, steps.then)}
    return [c for c in step_function_context_registry.values() if c.step_func.__module__ in modules]


def instances(text: str) -> list[str]:
    """The sentence with plural numbers, and with 1 and every plural noun made singular."""
    plural = re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), "12"), text)
    singular = re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), "1"), text)
    for word, one in SINGULAR.items():
        singular = re.sub(rf"\b{word}\b", one, singular)
    return sorted({plural, singular})


@pytest.mark.parametrize(("keyword", "text"), LANGUAGE, ids=[t for _, t in LANGUAGE])
def test_every_sentence_matches_exactly_one_step_of_its_kind(keyword: str, text: str) -> None:
    for sentence in instances(text):
        matches = [d for d in definitions() if d.type == keyword and d.parser.is_matching(sentence)]
        assert len(matches) == 1, f"{keyword} {sentence!r} matches {len(matches)} step(s)"


def test_numbers_reach_the_step_as_integers() -> None:
    (context,) = [
        d for d in definitions() if d.parser.is_matching("the log API was called 12 times")
    ]
    arguments = context.parser.parse_arguments("the log API was called 12 times")
    assert arguments == {"count": "12"}
    assert context.converters == {"count": int}


def test_near_misses_do_not_match() -> None:
    for sentence in (
        "the log API was called 2 timez",
        "the log API was called two times",
        "the log API serves 3 security log entries please",
        "the vault runs twice",
        'the operator sets VAULT HTTP TIMEOUT to "1"',
        "the refusal names 12",
    ):
        assert not any(d.parser.is_matching(sentence) for d in definitions()), sentence


def test_the_singular_forms_cover_every_plural_the_steps_accept() -> None:
    assert set(SINGULAR) == set(PLURALS)


def test_the_step_catalogue_is_current() -> None:
    assert catalogue_main(["--check"]) == 0, "docs/steps.md is stale: python -m steps.catalogue"
