"""Gherkin reports for pytest-bdd: Cucumber JSON, a static HTML page, JUnit properties."""

from __future__ import annotations

import pytest

from reporting import recorder


def attach(
    request_or_item: pytest.FixtureRequest | pytest.Item,
    text: str,
    name: str,
    media_type: str = "text/plain",
) -> None:
    """Attach text to the running step (or to the scenario, outside any step) in its record.

    Call it from a step or a fixture: ``reporting.attach(request, body, "S3 response")``. It
    travels with the record, so it survives pytest-xdist.
    """
    if isinstance(request_or_item, pytest.FixtureRequest):
        request_or_item = request_or_item.node
    assert isinstance(request_or_item, pytest.Item), "attach() needs a test's request or item"
    recorder.attach(request_or_item, text, name, media_type)
