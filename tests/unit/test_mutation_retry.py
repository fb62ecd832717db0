"""vault/retry.py: RetryPolicy.call, the one-call form of the policy. Written to close the fast
selection's survivors (tests/mutation/survivors.toml)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vault.errors import SourceUnavailable, TransientSourceError
from vault.retry import RetryPolicy


def _attempts(*outcomes: str | Exception) -> Callable[[], str]:
    """An attempt that raises or returns each outcome in turn."""
    left = list(outcomes)

    def attempt() -> str:
        outcome = left.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return attempt


def test_a_call_pauses_and_tries_again_until_the_attempt_succeeds() -> None:
    pauses: list[float] = []
    policy = RetryPolicy(max_attempts=3, jitter=lambda: 0.0)
    attempt = _attempts(TransientSourceError("HTTP 503"), TransientSourceError("HTTP 502"), "page")
    assert policy.call(attempt, pauses.append, "fetching page 1") == "page"
    assert pauses == [1.0, 2.0]


def test_a_call_out_of_attempts_says_what_failed_how_often_and_the_last_reason() -> None:
    pauses: list[float] = []
    policy = RetryPolicy(max_attempts=2, jitter=lambda: 0.0)
    attempt = _attempts(TransientSourceError("HTTP 503"), TransientSourceError("HTTP 502"))
    with pytest.raises(SourceUnavailable) as caught:
        policy.call(attempt, pauses.append, "fetching page 1")
    assert caught.value.message == "fetching page 1 failed 2 time(s); last: HTTP 502"
    assert pauses == [1.0]
