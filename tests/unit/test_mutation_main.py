"""``python -m vault`` started without a standard stream (``<&-``, ``>&-``, ``2>&-``): /dev/null
takes the stream's descriptor before the vault opens anything.

vault/__main__.py runs in this process, through ``runpy`` as ``-m`` runs it, so that the mutation
tier sees the tests that cover it (tests/hostile/test_vault_process.py starts a real process). It
runs under its module name, not as ``__main__``: mutmut tells its functions by their module."""

from __future__ import annotations

import io
import os
import runpy

import pytest

from vault import cli


@pytest.fixture(autouse=True)
def exit_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m vault`` ends with ``os._exit``; here it raises ``SystemExit`` instead, or it
    would end this test process (with status 0, the tests after it never run)."""

    def end(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", end)
    monkeypatch.setattr("logging.shutdown", lambda: None)  # not this process's logging


def start_vault_without(descriptor: int, monkeypatch: pytest.MonkeyPatch) -> os.stat_result:
    """What takes ``descriptor`` once ``python -m vault`` has started with it closed."""
    monkeypatch.setattr(cli, "main", lambda: cli.EXIT_OK)  # what the vault then does is not
    monkeypatch.setattr("sys.stdout", io.StringIO())  # under test; nor are pytest's streams
    monkeypatch.setattr("sys.stderr", io.StringIO())
    # The lowest free descriptor keeps the stream: so the ones above it are open.
    kept = os.dup(descriptor)
    os.close(descriptor)
    try:
        with pytest.raises(SystemExit) as exited:
            runpy.run_module("vault.__main__", run_name="vault.__main__")
        assert exited.value.code == cli.EXIT_OK
        return os.fstat(descriptor)  # OSError if the descriptor is still closed
    finally:
        os.dup2(kept, descriptor)
        os.close(kept)


@pytest.mark.parametrize("descriptor", [0, 1, 2], ids=["stdin", "stdout", "stderr"])
def test_a_closed_standard_stream_is_dev_null(
    descriptor: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert os.path.samestat(start_vault_without(descriptor, monkeypatch), os.stat(os.devnull))


def test_open_standard_streams_are_left_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    before = [os.fstat(descriptor) for descriptor in (0, 1, 2)]
    monkeypatch.setattr(cli, "main", lambda: cli.EXIT_OK)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with pytest.raises(SystemExit):
        runpy.run_module("vault.__main__", run_name="vault.__main__")
    after = [os.fstat(descriptor) for descriptor in (0, 1, 2)]
    assert all(map(os.path.samestat, before, after))


class Flushed(io.StringIO):
    def __init__(self, journal: list[str], name: str) -> None:
        super().__init__()
        self.journal, self.name = journal, name

    def flush(self) -> None:
        self.journal.append(self.name)


def test_the_vault_ends_with_mains_status_once_its_streams_and_logging_are_flushed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    journal: list[str] = []
    monkeypatch.setattr(cli, "main", lambda: 3)
    monkeypatch.setattr("sys.stdout", Flushed(journal, "stdout"))
    monkeypatch.setattr("sys.stderr", Flushed(journal, "stderr"))
    monkeypatch.setattr("logging.shutdown", lambda: journal.append("logging"))
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("vault.__main__", run_name="vault.__main__")
    assert exited.value.code == 3
    assert journal == ["logging", "stdout", "stderr"]


class CannotFlush(io.StringIO):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    "stdout",
    [
        CannotFlush(BrokenPipeError(32, "Broken pipe")),  # the reader left
        CannotFlush(ValueError("I/O operation on closed file.")),
        None,  # a process started without one
    ],
    ids=["reader-left", "closed", "none"],
)
def test_a_stdout_that_cannot_be_flushed_at_the_end_changes_nothing_and_stderr_is_flushed(
    stdout: io.StringIO | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal: list[str] = []
    monkeypatch.setattr(cli, "main", lambda: cli.EXIT_OK)
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", Flushed(journal, "stderr"))
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("vault.__main__", run_name="vault.__main__")
    assert exited.value.code == cli.EXIT_OK
    assert journal == ["stderr"]


def test_a_stderr_that_cannot_be_flushed_at_the_end_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "main", lambda: 1)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    monkeypatch.setattr("sys.stderr", CannotFlush(OSError(28, "No space left on device")))
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("vault.__main__", run_name="vault.__main__")
    assert exited.value.code == 1
