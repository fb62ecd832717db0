"""`python -m vault` as a process, held to "The vault as a process" (acceptance language v3) and
to issue 21's console items: real processes, real signals and streams, over loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    ROOT,
    HostileServer,
    Peer,
    answer,
    assert_typed,
    hang,
    head,
    redirect,
    vault_run,
)

pytestmark = pytest.mark.real_http
PAGE = b'{"logs":[{"id":"evt-1"}]}'
QUICK = 5.0


def test_run_json_is_one_object_on_stdout(hostile_api: HostileServer, env: dict[str, str]) -> None:
    hostile_api.plan(answer(200, PAGE))
    trial = vault_run(env, "run", "--json")
    assert_typed(trial, "OK", QUICK)
    assert (trial.stdout, trial.stderr) == ('{"ok": true, "pages_archived": 1}\n', "")


def test_a_failed_run_with_json_names_the_page(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    hostile_api.plan(answer(404, b"gone"))
    trial = vault_run(env, "run", "--json")
    assert_typed(trial, "SOURCE_REJECTED", QUICK)
    failure = json.loads(trial.stdout)
    assert (failure["code"], failure["page"], failure["pages_archived"]) == (
        "SOURCE_REJECTED",
        1,
        0,
    )


def test_outside_text_reaches_the_terminal_escaped(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    # A Location that, shown raw, would set the window title and rewrite the line.
    hostile_api.plan(redirect("/x\x1b]0;owned\x07\x1b[2K\x7fvault: archived 9 page(s)"))
    trial = vault_run(env)
    assert_typed(trial, "SOURCE_REJECTED", QUICK)
    assert "\x1b" not in trial.stderr
    assert "/x\\x1b]0;owned\\x07\\x1b[2K\\x7fvault: archived 9 page(s)" in trial.stderr
    trial = vault_run(env, "run", "--json")
    assert "\x1b" not in trial.stdout
    assert "\\u001b]0;owned\\u0007\\u001b[2K\\u007fvault" in trial.stdout


def test_a_full_stdout_is_one_line_and_exit_1(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    hostile_api.plan(answer(200, PAGE))
    with open("/dev/full", "w") as full:
        trial = vault_run(env, "run", "--json", stdout=full.fileno())
    assert (trial.returncode, trial.stderr) == (
        1,
        "vault: cannot write to stdout: [Errno 28] No space left on device\n",
    )
    assert len(hostile_api.requests) == 1


def test_a_bad_setting_with_stderr_closed_still_exits_2(env: dict[str, str]) -> None:
    command = f"exec {sys.executable} -m vault run --json 2>&- <&-"
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        env={**env, "VAULT_MAX_PAGES": " 5"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2, done
    assert json.loads(done.stdout)["settings"] == ["VAULT_MAX_PAGES"]


def test_ctrl_c_is_one_line_and_exit_130(hostile_api: HostileServer, env: dict[str, str]) -> None:
    hostile_api.plan(hang)
    # Ctrl-C as a terminal gives it: a test run started in the background (`.ci/run &`) passes
    # SIGINT on ignored, and a vault started so rightly ignores it. A handled signal is reset to
    # its default in a child, so the vault starts with SIGINT as a shell's command would.
    ignored_or_not = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "vault", "run", "--json"],
            env={**env, "VAULT_HTTP_TIMEOUT": "30"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, ignored_or_not)
    try:
        deadline = time.monotonic() + 20
        while not hostile_api.requests and time.monotonic() < deadline:
            time.sleep(0.02)  # until the vault waits on the log API
        assert hostile_api.requests, "the vault never called the log API"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out) == (130, "")
    assert err.startswith("vault: interrupted"), err
    assert err.count("\n") == 1, err


def test_an_unreachable_mongodb_fails_page_1_before_the_log_api_is_called(
    hostile_api: HostileServer, env: dict[str, str], closed_port: int
) -> None:
    hostile_api.plan(answer(200, PAGE))
    uri = f"mongodb://127.0.0.1:{closed_port}/"
    trial = vault_run(
        {**env, "VAULT_MONGO_URI": uri, "VAULT_MONGO_TIMEOUT": "0.5"}, "run", "--json"
    )
    failure = json.loads(trial.stdout)
    assert (trial.returncode, failure["code"], failure["page"]) == (1, "AUDIT_UNAVAILABLE", 1)
    assert hostile_api.requests == []


def test_the_default_mongo_timeout_keeps_an_unreachable_mongodb_well_under_a_minute(
    hostile_api: HostileServer, env: dict[str, str], closed_port: int
) -> None:
    hostile_api.plan(answer(200, PAGE))
    trial = vault_run({**env, "VAULT_MONGO_URI": f"mongodb://127.0.0.1:{closed_port}/"})
    assert_typed(trial, "AUDIT_UNAVAILABLE", 5.0 + QUICK)


def test_the_pause_log_replaces_sleeping(
    hostile_api: HostileServer, env: dict[str, str], tmp_path: Path
) -> None:
    hostile_api.plan(answer(503, b"", ("Retry-After", "30")), answer(503), answer(200, PAGE))
    log = tmp_path / "pauses"
    trial = vault_run({**env, "VAULT_MAX_ATTEMPTS": "3", "VAULT_TEST_PAUSE_LOG": str(log)})
    assert_typed(trial, "OK", QUICK)  # 30 s and more of pauses, none of them slept
    first, second = log.read_text().splitlines()
    assert first == "30.0"
    assert 2.0 <= float(second) <= 3.0


@pytest.mark.parametrize(
    ("argv", "said"),
    [(["bogus"], "vault: argument COMMAND: invalid choice: 'bogus'"), (["run", "-x"], "vault: ")],
)
def test_a_command_line_argparse_cannot_read_is_a_vault_line_and_exit_2(
    argv: list[str], said: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vault", *argv],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(said)
    assert all(line.startswith("vault: ") for line in done.stderr.splitlines())


def test_the_vault_ends_when_its_command_does_not_when_libraries_exit_hooks_would(
    tmp_path: Path,
) -> None:
    # pymongo's exit hook joins its monitor threads, which sleep in half-second steps: the vault
    # ends without the interpreter's shutdown once its command has closed and flushed everything.
    # Here an exit hook that would hold the process 30 s stands for it; what the command wrote
    # must still come out, though it sits in stdout's buffer (no newline, no flush, buffered).
    starter = tmp_path / "start.py"
    starter.write_text(
        "import atexit, runpy, sys, time\n"
        "atexit.register(time.sleep, 30)\n"
        "import vault.cli\n"
        "vault.cli.main = lambda: (sys.stdout.write('x' * 100), 4)[1]\n"
        "sys.argv = ['vault']\n"
        "runpy.run_module('vault', run_name='__main__', alter_sys=True)\n"
    )
    started = time.monotonic()
    ended = subprocess.run(
        [sys.executable, str(starter)],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert time.monotonic() - started < QUICK
    assert (ended.returncode, ended.stdout, ended.stderr) == (4, b"x" * 100, b"")


def test_a_redirect_whose_body_never_ends_is_refused_at_once_not_timed_out(
    hostile_api: HostileServer, env: dict[str, str]
) -> None:
    # requests reads a redirect's whole body when it works out where it leads, even when it
    # follows none: a 302 that declares 10 MB and then sends nothing held the vault to its
    # deadline, and was retried as a timeout instead of refused.
    def endless_redirect(peer: Peer) -> None:
        peer.send(
            head(302, ("Location", "https://elsewhere.test/"), ("Content-Length", "10485760"))
        )
        peer.send(b"x" * 1024)
        hang(peer)

    hostile_api.plan(endless_redirect)
    trial = vault_run({**env, "VAULT_HTTP_TIMEOUT": "3"}, "run", "--json")
    assert_typed(trial, "SOURCE_REJECTED", QUICK)
    assert "HTTP 302 redirect from" in json.loads(trial.stdout)["message"]
