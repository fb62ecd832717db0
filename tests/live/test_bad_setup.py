"""A server that cannot start stops the live run with one line: which server, how to fix it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from livestack import LiveStackError, MongoStack, S3Stack

pytestmark = pytest.mark.live


def test_nx_27017_not_installed_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(LiveStackError) as raised:
        MongoStack(venv=tmp_path / "no-venv").start()

    assert str(raised.value) == (
        "the MongoDB server (nx-27017) is not installed: run python -m livestack.install"
    )


def test_nx_27017_that_dies_at_start_is_reported_at_once(tmp_path: Path) -> None:
    binary = tmp_path / "bin" / "nx-27017"
    binary.parent.mkdir()
    binary.write_text("#!/bin/sh\necho 'Address already in use' >&2\nexit 1\n")
    binary.chmod(0o755)

    started = time.monotonic()
    with pytest.raises(LiveStackError, match=r"^the MongoDB server \(nx-27017\) did not start"):
        MongoStack(venv=tmp_path).start()
    assert time.monotonic() - started < 2  # not the whole start deadline


def test_a_given_mongodb_that_does_not_answer_names_the_option() -> None:
    with pytest.raises(LiveStackError) as raised:
        MongoStack(uri=MongoStack.unreachable_uri(), reach_seconds=0.2).start()

    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("the MongoDB server at 127.0.0.1 cannot be reached")
    assert "--live-mongo-uri" in str(raised.value)


def test_moto_failing_to_start_says_which_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import moto.server

    class Broken:
        def __init__(self, **_: object) -> None:
            raise OSError("[Errno 98] Address already in use\nwhile binding")

    monkeypatch.setattr(moto.server, "ThreadedMotoServer", Broken)

    with pytest.raises(LiveStackError) as raised:
        S3Stack().start()

    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(
        "the S3 server (moto) cannot start: OSError: [Errno 98] Address already in use"
    )
