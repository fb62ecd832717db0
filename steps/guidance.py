"""Guidance for a QA engineer whose step matches no sentence of the language.

A step written under the wrong keyword is named as such; otherwise the closest sentences are
offered, compared with their placeholders standing for any number or quoted text.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from steps.sentences import CATALOGUE, Sentence, pattern

WHERE = {
    "Given": "it stands before When",
    "When": "it stands after Given and before Then",
    "Then": "it stands after When",
}
CLOSEST = 3


@cache
def _compiled() -> list[tuple[Sentence, re.Pattern[str], str]]:
    return [(s, re.compile(pattern(s.text)), _shape(s.text)) for s in CATALOGUE]


def _shape(text: str) -> str:
    """The text with numbers, quoted values and placeholders made alike, for comparison."""
    text = re.sub(r'"[^"]*"', '"_"', text)
    text = re.sub(r"\{\w+\}|\d+", "#", text)
    return text.lower()


def hint(step_text: str, keyword: str) -> str:
    """What to tell someone whose ``keyword`` step ``step_text`` matches no definition."""
    keyword = keyword.capitalize()
    wrong_keyword = [
        s
        for s, compiled, _ in _compiled()
        if s.keyword != keyword and compiled.fullmatch(step_text)
    ]
    if wrong_keyword:
        right = wrong_keyword[0].keyword
        return (
            f'"{step_text}" is a {right} sentence; {WHERE[right]}. '
            f'Write it as "{right} {step_text}" in the right place.'
        )
    return f'No step matches "{keyword} {step_text}".\n' + closest_sentences(step_text, keyword)


def closest_sentences(step_text: str, keyword: str) -> str:
    shape = _shape(step_text)
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, shape, sentence_shape).ratio(), s.keyword == keyword, s)
            for s, _, sentence_shape in _compiled()
        ),
        key=lambda scored: (scored[0], scored[1]),
        reverse=True,
    )
    lines = [f"  {s.keyword} {s.text}" for ratio, _, s in scored[:CLOSEST] if ratio >= 0.5]
    if not lines:
        return "No sentence of the language is close; every sentence: docs/steps.md"
    return (
        "The closest sentences of the language:\n"
        + "\n".join(lines)
        + "\nEvery sentence: docs/steps.md"
    )
