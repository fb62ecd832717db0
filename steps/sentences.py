"""Step sentences written exactly as the acceptance language spells them.

``given("the log API serves {count} security log entries")`` registers a pytest-bdd step whose
pattern is derived from that text: ``{count}``, ``{size}``, ``{status}``, ``{seconds}`` and
``{page}`` match whole numbers, ``"{code}"``, ``"{instant}"`` and ``"{value}"`` match quoted
strings, and each plural noun also matches its singular. Every sentence is also recorded for
the step catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest_bdd
from pytest_bdd import parsers

F = TypeVar("F", bound=Callable[..., Any])

NUMBERS = ("count", "size", "status", "seconds", "page")
QUOTED = ("code", "instant", "value")
NAMES = ("setting",)  # a bare environment variable name, such as VAULT_HTTP_TIMEOUT
PLURALS = {
    "requests": "requests?",
    "times": "times?",
    "entries": "entr(?:y|ies)",
    "attempts": "attempts?",
    "seconds": "seconds?",
    "objects": "objects?",
    "records": "records?",
    "bytes": "bytes?",
    "uploads": "uploads?",
    "writes": "writes?",
    "pages": "pages?",
    "problems": "problems?",
    "have": "(?:have|has)",  # "3 audit records have", "1 audit record has"
}
SAMPLES = {
    "count": "3",
    "size": "2",
    "status": "503",
    "seconds": "5",
    "page": "2",
    "code": "STORAGE_ACCESS_DENIED",
    "instant": "2026-03-01T12:00:00Z",
    "value": "ARCHIVED",
    "setting": "VAULT_HTTP_TIMEOUT",
}


@dataclass(frozen=True)
class Sentence:
    keyword: str
    text: str
    meaning: str
    example: str


CATALOGUE: list[Sentence] = []


def pattern(text: str) -> str:
    """The full-match regular expression for a sentence of the language."""
    out = []
    for token in re.split(r'("\{\w+\}"|\{\w+\}|\b\w+\b)', text):
        name = token.strip('"{}')
        if token.startswith('"{') and name in QUOTED:
            out.append(f'"(?P<{name}>[^"]*)"')
        elif token.startswith("{") and name in NUMBERS:
            out.append(rf"(?P<{name}>\d+)")
        elif token.startswith("{") and name in NAMES:
            out.append(rf"(?P<{name}>[A-Za-z_][A-Za-z0-9_]*)")
        elif token.startswith(("{", '"{')):
            raise ValueError(f"unknown placeholder {token} in {text!r}")
        else:
            out.append(PLURALS.get(token, re.escape(token)))
    return "".join(out)


def _register(keyword: str, text: str, example: str | None) -> Callable[[F], F]:
    names = set(re.findall(r"\{(\w+)\}", text))
    converters = {name: int for name in names if name in NUMBERS}
    decorate = getattr(pytest_bdd, keyword)

    def decorator(func: F) -> F:
        meaning = " ".join((func.__doc__ or "").split())
        if not meaning:
            raise ValueError(f"step {text!r} needs a docstring saying what it means")
        sample = example or re.sub(r"\{(\w+)\}", lambda m: SAMPLES[m.group(1)], text)
        CATALOGUE.append(Sentence(keyword.capitalize(), text, meaning, sample))
        func.gherkin_sentence = text  # type: ignore[attr-defined]  # Cucumber Messages' pattern
        # stacklevel=2: pytest-bdd puts the step fixture into the module that uses this helper.
        return decorate(parsers.re(pattern(text)), converters=converters, stacklevel=2)(func)  # type: ignore[no-any-return]

    return decorator


def given(text: str, example: str | None = None) -> Callable[[F], F]:
    return _register("given", text, example)


def when(text: str, example: str | None = None) -> Callable[[F], F]:
    return _register("when", text, example)


def then(text: str, example: str | None = None) -> Callable[[F], F]:
    return _register("then", text, example)
