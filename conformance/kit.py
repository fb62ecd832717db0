"""The conformance kit: holds any Audit Vault to the acceptance language (``-p conformance.kit``).

- Every scenario needs the capabilities its sentences use (``CAPABILITIES``); the target names
  what it lacks (``--vault-lacks``, or ``lacks`` in ``--vault-config``), and a scenario that
  needs it is skipped with the capability named: never failed, never passed.
- Known failures live in the target's config file, each with its reason; they run as strict
  expected failures, so a fixed bug shows up as an unexpected pass.
- A vault that breaks "The vault as a process" (stdout that is not the contract's one JSON
  object, an exit status outside 0/1/2, a command still running at 60 s) is ERRORED, apart
  from a wrong answer (FAILED).
- ``--vault-smoke`` runs three trivial scenarios first and stops with advice when they fail.
- The conformance report: the end of the console and ``reports/conformance.json``.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conformance.target import Target, TargetConfigError, load_target, parse_lacks
from reporting import secrets
from reporting.bdd_internals import read_item
from reporting.run import CONFORMANCE

DEFAULT_COMMAND = "python -m vault"
ROOT = Path(__file__).resolve().parent.parent

LANGUAGE_VERSION = 3
# What a scenario needs beyond the core, from the sentences it uses: (capability, meaning,
# the sentences' shape). A step's data table counts too ("| timestamp |" needs the clock hook),
# and so does a raw body ("body: " and a line of its doc string) that names a cursor to follow.
CAPABILITIES: tuple[tuple[str, str, str], ...] = (
    (
        "paging",
        "follows next_cursor page by page",
        r"in pages of|never stops paging|for page \d+|loop back to page|fetches at most \d+ page"
        r'|^body: .*"next_cursor"\s*:\s*"[^"]',  # a raw body naming a cursor to follow
    ),
    ("verify", "verify --json", r"verifies the archive|the verification "),
    ("repair", "repair --json", r"repairs the audit log|the repair writes"),
    ("clock-hook", "the VAULT_TEST_NOW hook", r"the clock reads|^field: timestamp$"),
    ("pause-hook", "the VAULT_TEST_PAUSE_LOG hook", r"paused \d+ times?|waited at (?:least|most)"),
    (
        "limits",
        "VAULT_MAX_BODY_BYTES and VAULT_MAX_PAGES",
        r"bodies of at most|fetches at most|VAULT_MAX_BODY_BYTES|VAULT_MAX_PAGES",
    ),
    ("messages", "the operator's error messages", r"the error message mentions"),
    ("settings", "refuses bad settings (exit 2)", r"refuses to start|the refusal names"),
    (
        "wording",
        "the reference vault's own phrases, beyond what the language promises",
        r"^tag: wording$",
    ),
)
REFERENCE = "vault"  # the reference target: python -m vault (this project's own)
MEANINGS = {name: meaning for name, meaning, _ in CAPABILITIES}
SMOKE_TAG = "smoke"
ERRORED = "errored"


def needs(texts: list[str]) -> list[str]:
    """The capabilities a scenario's step texts (and table cells) need, in a fixed order."""
    joined = "\n".join(texts)
    return [name for name, _, shape in CAPABILITIES if re.search(shape, joined, re.MULTILINE)]


def scenario_texts(item: pytest.Item) -> list[str] | None:
    bdd = read_item(item)
    if bdd is None:
        return None
    texts = []
    texts += [f"tag: {tag}" for tag in sorted(bdd.template.tags | bdd.template.feature.tags)]
    for step in bdd.scenario.steps:
        texts.append(step.name)
        texts += [f"body: {line}" for line in (step.docstring or "").splitlines()]
        if step.datatable is not None and step.name.startswith("the audit record has these"):
            texts += [f"field: {row.cells[0].value}" for row in step.datatable.rows[1:]]
    return texts


def target_of(config: pytest.Config) -> Target:
    """The vault under test: its config file, then the command line's options over it."""
    try:
        path = config.getoption("vault_config")
        target = load_target(path) if path else Target(command=DEFAULT_COMMAND)
        lacks = target.lacks | parse_lacks(config.getoption("vault_lacks"))
    except TargetConfigError as error:
        raise pytest.UsageError(str(error)) from None
    command = config.getoption("vault_command") or target.command
    base = target.source.parent if target.source else Path.cwd()
    command = resolved(command, base)
    if config.getoption("vault_stack") == "live" and not is_reference(command):
        lacks |= {"wording"}  # only the reference vault is held to its own phrases
    return replace(target, command=command, lacks=lacks)


def is_reference(command: str) -> bool:
    """Whether the command is this project's own vault: ``python -m vault`` and nothing more."""
    words = shlex.split(command)
    return (
        len(words) == 3
        and Path(words[0]).name.startswith("python")
        and words[1:]
        == [
            "-m",
            REFERENCE,
        ]
    )


def resolved(command: str, base: Path) -> str:
    """The command with ``python`` as this interpreter and each relative path that exists
    (from ``base``, else from the project) made absolute: the vault runs in a directory of
    the kit's own."""
    words = shlex.split(command)
    for index, word in enumerate(words):
        if word == "python" and index == 0:
            words[index] = sys.executable
        elif not word.startswith("-") and not Path(word).is_absolute():
            for root in (base, ROOT):
                if (root / word).exists() and ("/" in word or word.endswith(".py")):
                    words[index] = str((root / word).resolve())
                    break
    return shlex.join(words)


TARGET = pytest.StashKey[Target]()
RESULTS = pytest.StashKey[dict[str, tuple[str, list[str]]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[TARGET] = target_of(config)
    config.stash[RESULTS] = {}
    config.addinivalue_line("markers", "needs(capability): what a scenario needs beyond the core")


def scenario_name(item: pytest.Item) -> str | None:
    bdd = read_item(item)
    if bdd is None:
        return None
    return f"{bdd.template.feature.name}: {bdd.template.name}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    target = config.stash[TARGET]
    for item in items:
        texts = scenario_texts(item)
        if texts is None:
            continue
        wanted = needs(texts)
        item.user_properties.append(("needs", ",".join(wanted) or "core"))
        for capability in wanted:
            item.add_marker(pytest.mark.needs(capability))
        lacked = [name for name in wanted if name in target.lacks]
        if lacked:
            reasons = "; ".join(f"{name} ({MEANINGS[name]})" for name in lacked)
            item.add_marker(pytest.mark.skip(reason=f"the target lacks {reasons}"))
            continue
        reason = target.known_failures.get(scenario_name(item) or "")
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=f"known failure: {reason}", strict=True))
    if config.getoption("vault_smoke"):
        smoke = [item for item in items if item.get_closest_marker(SMOKE_TAG)]
        items[:] = smoke + [item for item in items if item not in smoke]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[None] | Any:
    report: pytest.TestReport = yield
    excinfo = call.excinfo
    if report.failed and excinfo is not None and type(excinfo.value).__name__ == "ContractBroken":
        report.user_properties.append(("conformance", ERRORED))
    return report


def _errored(report: pytest.TestReport) -> bool:
    return ("conformance", ERRORED) in getattr(report, "user_properties", [])


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    if report.when == "call" and report.failed and _errored(report):
        return ERRORED, "E", "ERRORED (the vault broke its contract)"
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    session_results = _results
    if session_results is None:
        return
    status = _status(report)
    if status is None:
        return
    properties = dict(report.user_properties)
    if "environment" in properties:
        _environment.update(json.loads(str(properties["environment"])))
    needed = properties.get("needs")
    if needed is None:  # not a scenario
        return
    session_results[report.nodeid] = (status, str(needed).split(","))


_results: dict[str, tuple[str, list[str]]] | None = None
_environment: dict[str, str] = {}  # what the target was started with, as the first run saw it
ENVIRONMENT_SHOWN = pytest.StashKey[bool]()


def show_environment(item: pytest.Item, environment: dict[str, str]) -> None:
    """Attach the target's starting environment, once per process, to the conformance report."""
    if item.config.stash.get(ENVIRONMENT_SHOWN, False):
        return
    item.config.stash[ENVIRONMENT_SHOWN] = True
    item.user_properties.append(("environment", json.dumps(environment)))


def _status(report: pytest.TestReport) -> str | None:
    """A scenario's conformance status, from the report of the phase that decides it."""
    if report.when == "setup":
        return "skipped" if report.skipped else ERRORED if report.failed else None
    if report.when != "call":
        return None
    if hasattr(report, "wasxfail"):
        return "known-failing" if report.skipped else "unexpectedly-passing"
    if not report.failed:
        return "passed" if report.passed else "skipped"
    if str(report.longrepr).startswith("[XPASS(strict)]"):
        return "unexpectedly-passing"  # a known failure that passed: the bug is fixed
    return ERRORED if _errored(report) else "failed"


def pytest_sessionstart(session: pytest.Session) -> None:
    global _results  # noqa: PLW0603 - one session per process; xdist workers report to the main
    _results = session.config.stash[RESULTS]


SMOKE_ADVICE = (
    "The smoke scenarios failed, so the rest of the kit would only repeat the same failure. "
    "Check your harness before anything else: the kit starts your command with 'run --json' "
    "(or verify/repair) appended, with only the contract's environment (VAULT_API_URL, "
    "VAULT_BUCKET, VAULT_MONGO_URI, AWS_ENDPOINT_URL, AWS credentials, ...); the command must "
    'print exactly one JSON object on stdout ({"ok": true, "pages_archived": N}), anything '
    "else on stderr, and exit 0, 1 or 2 (2 only for a bad or missing setting, before any "
    "request). Run the failing scenario alone with -vv to see the command, its environment "
    "and what it printed; docs/contract.md walks through a minimal target."
)


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    config = item.config
    if not config.getoption("vault_smoke") or item.get_closest_marker(SMOKE_TAG) is None:
        return
    status = config.stash[RESULTS].get(item.nodeid, ("?", []))[0]
    if status in ("failed", ERRORED):
        item.session.shouldstop = "the smoke scenarios failed: " + SMOKE_ADVICE


def summary(config: pytest.Config) -> dict[str, Any]:
    """The conformance report: the target, what it holds and lacks, and the results."""
    target = config.stash[TARGET]
    results = config.stash[RESULTS]
    counts = Counter(status for status, _ in results.values())
    by_capability: dict[str, Counter[str]] = {}
    for status, capabilities in results.values():
        for capability in capabilities:
            by_capability.setdefault(capability, Counter())[status] += 1
    total = len(results)
    return {
        "language_version": LANGUAGE_VERSION,
        "stack": config.getoption("vault_stack"),
        "command": target.command,
        "config_file": str(target.source) if target.source else None,
        "capabilities_held": [name for name in MEANINGS if name not in target.lacks],
        "capabilities_lacked": [name for name in MEANINGS if name in target.lacks],
        "results": dict(sorted(counts.items())),
        "by_capability": {name: dict(sorted(c.items())) for name, c in by_capability.items()},
        "score": round(counts["passed"] / total, 4) if total else 0.0,
        "scenarios": total,
        "environment": {name: secrets.redact(value) for name, value in _environment.items()},
    }


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The summary, for report.html (written when the session finishes)."""
    if session.config.stash[RESULTS]:
        session.config.stash[CONFORMANCE] = summary(session.config)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not config.stash[RESULTS]:
        return
    report = summary(config)
    write_report(config, report)
    counts = report["results"]
    line = ", ".join(f"{n} {status}" for status, n in counts.items())
    terminalreporter.write_sep("-", "conformance")
    terminalreporter.write_line(f"target: {report['command']} ({report['stack']} stack)")
    lacked = ", ".join(report["capabilities_lacked"]) or "nothing"
    terminalreporter.write_line(f"lacks: {lacked}; language version {LANGUAGE_VERSION}")
    terminalreporter.write_line(
        f"score: {report['score']:.1%} passed of {report['scenarios']} scenarios ({line}); "
        "skips count as not passed"
    )
    if config.getoption("vault_smoke") and counts.get("failed", 0) + counts.get(ERRORED, 0):
        terminalreporter.write_line(SMOKE_ADVICE)


def write_report(config: pytest.Config, report: dict[str, Any]) -> None:
    reports = Path(config.rootpath) / "reports"
    junit = config.getoption("xmlpath", None)
    if junit:
        reports = Path(junit).parent
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "conformance.json").write_text(json.dumps(report, indent=2) + "\n")
