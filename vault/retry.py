"""The one retry policy for log API requests, built on tenacity."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

from vault import defaults
from vault.errors import SourceUnavailable, TransientSourceError
from vault.ports import Pause

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per request and the pause before each new attempt.

    The pause before attempt n+1 is ``backoff_initial * 2**(n-1)`` seconds capped at
    ``backoff_max``, plus up to ``jitter_max`` seconds of jitter. A ``Retry-After`` from the
    API replaces it, capped at ``retry_after_max``.
    """

    max_attempts: int = defaults.MAX_ATTEMPTS
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    jitter_max: float = 1.0
    retry_after_max: float = 60.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def pause_before_next(self, failed_attempt: int, error: BaseException | None) -> float:
        """Seconds to wait after attempt ``failed_attempt`` (1-based) failed with ``error``."""
        if isinstance(error, TransientSourceError) and error.retry_after is not None:
            return min(max(float(error.retry_after), 0.0), self.retry_after_max)
        backoff = min(self.backoff_initial * 2.0 ** (failed_attempt - 1), self.backoff_max)
        jitter: float = self.jitter() * self.jitter_max
        return backoff + jitter

    def call(self, attempt: Callable[[], T], pause: Pause, what: str) -> T:
        """Run ``attempt`` until it succeeds, fails for good, or runs out of attempts."""
        return self.pausing_with(pause).call(attempt, what)

    def pausing_with(self, pause: Pause) -> Retrier:
        """This policy with its way of pausing, for many calls: one tenacity ``Retrying``
        holds itself in a reference cycle, so one per request would leave garbage per page."""
        return Retrier(
            self,
            tenacity.Retrying(
                retry=tenacity.retry_if_exception_type(TransientSourceError),
                stop=tenacity.stop_after_attempt(self.max_attempts),
                wait=self._tenacity_wait,
                sleep=pause,
                reraise=False,
            ),
        )

    def _tenacity_wait(self, state: tenacity.RetryCallState) -> float:
        # tenacity asks for a wait only after an attempt failed, so there is an outcome.
        return self.pause_before_next(state.attempt_number, state.outcome.exception())  # type: ignore[union-attr]


@dataclass(frozen=True)
class Retrier:
    """A retry policy bound to its way of pausing."""

    policy: RetryPolicy
    retrying: tenacity.Retrying

    def call(self, attempt: Callable[[], T], what: str) -> T:
        """Run ``attempt`` until it succeeds, fails for good, or runs out of attempts."""
        try:
            return self.retrying(attempt)
        except tenacity.RetryError as exhausted:
            last = exhausted.last_attempt.exception()
            raise SourceUnavailable(
                f"{what} failed {self.policy.max_attempts} time(s); last: {last}"
            ) from last
