"""The process contract of an Audit Vault (v3), held against what one command did.

The suite appends ``run --json``, ``verify --json`` or ``repair --json`` to the target's command.
``check`` takes what the command did (its argv, exit status, stdout and stderr) and returns the
document it printed as an ``Outcome``, or raises ``ContractBroken`` when the vault broke the
contract: its stdout is not exactly one JSON object matching the schemas in ``docs/contract/``,
its exit status is not 0, 1 or 2, or the status disagrees with the document. A wrong answer
that keeps the contract (a wrong code, a missing record) is not this module's business: the
scenarios fail it.

Knows nothing of this project's ``vault`` package: any implementation is held to the same data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import (  # type: ignore[import-untyped]
    ValidationError,
    best_match,
)
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "docs" / "contract"
COMMANDS = ("run", "verify", "repair")
REFUSAL = "refusal"
BAD_SETTINGS = "BAD_SETTINGS"
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2
_EXCERPT = 300  # characters of each stream quoted when the contract is broken
_JSON_WHITESPACE = " \t\r\n"


class ContractBroken(Exception):
    """The vault broke the process contract: an error of the target, not a wrong behaviour."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Problem(NamedTuple):
    kind: str
    key: str


@dataclass(frozen=True)
class Outcome:
    """One command's document, checked. Fields a document of its kind lacks are ``None``/empty."""

    command: str  # run, verify or repair
    exit_status: int
    document: Mapping[str, Any]
    stderr: str
    ok: bool
    code: str | None = None  # a failed run, a typed failure, or BAD_SETTINGS
    message: str | None = None
    page: int | None = None  # run
    pages_archived: int | None = None  # run
    problems: tuple[Problem, ...] = ()  # verify
    records_written: tuple[str, ...] = ()  # repair
    settings: tuple[str, ...] = ()  # a refusal
    extra: Mapping[str, Any] = field(default_factory=dict)  # fields the contract does not name

    @property
    def refused(self) -> bool:
        return self.code == BAD_SETTINGS


def check(
    argv: Sequence[str], exit_status: int, stdout: str | bytes, stderr: str | bytes = ""
) -> Outcome:
    """Hold one finished command to the contract; ``argv`` ends with ``<command> --json``."""
    command = command_of(argv)
    out, err = _text(stdout, "stdout"), _text(stderr, "stderr", strict=False)
    evidence = _evidence(out, err)
    if exit_status not in (EXIT_OK, EXIT_FAILED, EXIT_REFUSED):
        raise ContractBroken(
            f"`{command} --json` ended with exit status {exit_status}; the contract allows "
            f"0 (success), 1 (a failure) or 2 (a bad setting) only{evidence}"
        )
    document = _one_json_object(out, command, evidence)
    refused = document.get("code") == BAD_SETTINGS or exit_status == EXIT_REFUSED
    validate(REFUSAL if refused else command, document, evidence=evidence)
    if refused != (exit_status == EXIT_REFUSED):
        raise ContractBroken(
            f"`{command} --json` printed a BAD_SETTINGS refusal but ended with exit status "
            f"{exit_status}; a refusal ends with 2{evidence}"
        )
    if not refused and document["ok"] != (exit_status == EXIT_OK):
        raise ContractBroken(
            f'`{command} --json` printed "ok": {json.dumps(document["ok"])} but ended with exit '
            f"status {exit_status}; the status is 0 exactly when ok is true{evidence}"
        )
    if refused:
        unnamed = [name for name in document["settings"] if name not in err]
        if unnamed:
            raise ContractBroken(
                f"`{command} --json` refused to start but did not name {', '.join(unnamed)} "
                f"on standard error; a refusal names every bad setting there too{evidence}"
            )
    return _outcome(command, exit_status, document, err)


def command_of(argv: Sequence[str]) -> str:
    """``run``, ``verify`` or ``repair``: what the suite appended to the target's command."""
    if len(argv) >= 2 and argv[-1] == "--json" and argv[-2] in COMMANDS:
        return argv[-2]
    raise ValueError(f"argv must end with one of {COMMANDS} and --json, got {list(argv)!r}")


def validate(name: str, document: Any, *, evidence: str = "") -> None:
    """Raise ``ContractBroken`` unless ``document`` matches ``<name>.schema.json``."""
    error = best_match(_within_branches(validator(name).iter_errors(document)))
    if error is not None:
        where = error.json_path if error.path else "the document"
        raise ContractBroken(
            f"the {_printed_by(name)} does not match docs/contract/{name}.schema.json: "
            f"{error.message} (at {where}){evidence}"
        )


def schema(name: str) -> dict[str, Any]:
    """One of ``run``, ``verify``, ``repair``, ``refusal``, ``failure``, as parsed JSON."""
    return _schemas()[name]


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), registry=_registry())


def capabilities() -> dict[str, str]:
    """What a target may lack, by name, with its meaning (docs/contract/capabilities.json)."""
    listed: dict[str, str] = _load(SCHEMA_DIR / "capabilities.json")["capabilities"]
    return dict(listed)


def run_error_codes() -> tuple[str, ...]:
    return tuple(schema("failure")["$defs"]["code"]["enum"])


def problem_kinds() -> tuple[str, ...]:
    return tuple(schema("verify")["$defs"]["problem"]["properties"]["kind"]["enum"])


def _within_branches(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """For a document that matches none of a schema's shapes, the errors within the one shape
    its ``ok`` chose: a failed run that lacks ``page`` is told so, not that ``ok`` is false."""
    for error in errors:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context or () if error.validator == "oneOf" else ():
            branches.setdefault(sub.schema_path[0], []).append(sub)
        chosen = [errs for errs in branches.values() if all(list(e.path) != ["ok"] for e in errs)]
        if len(chosen) == 1:
            yield from _within_branches(chosen[0])
        else:
            yield error


def _outcome(command: str, exit_status: int, document: dict[str, Any], stderr: str) -> Outcome:
    named = {"ok", "code", "message", "page", "pages_archived", "problems", "records_written"}
    return Outcome(
        command=command,
        exit_status=exit_status,
        document=document,
        stderr=stderr,
        ok=document["ok"],
        code=document.get("code"),
        message=document.get("message"),
        page=document.get("page") if command == "run" else None,
        pages_archived=document.get("pages_archived") if command == "run" else None,
        problems=tuple(Problem(p["kind"], p["key"]) for p in document.get("problems", ())),
        records_written=tuple(document.get("records_written", ())),
        settings=tuple(document["settings"]) if document.get("code") == BAD_SETTINGS else (),
        extra={k: v for k, v in document.items() if k not in named | {"settings"}},
    )


def _one_json_object(stdout: str, command: str, evidence: str) -> dict[str, Any]:
    text = stdout.strip(_JSON_WHITESPACE)
    said = f"`{command} --json` must print exactly one JSON object on stdout"
    if not text:
        raise ContractBroken(f"{said}, and printed nothing{evidence}")
    decoder = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    try:
        document, end = decoder.raw_decode(text)
    except (ValueError, RecursionError) as exc:
        raise ContractBroken(f"{said}; stdout is not JSON ({exc}){evidence}") from None
    if end != len(text):
        raise ContractBroken(
            f"{said}; stdout holds more after the first JSON document "
            f"(from character {end}: {text[end : end + 40]!r}){evidence}"
        )
    if not isinstance(document, dict):
        raise ContractBroken(f"{said}; stdout is a JSON {type(document).__name__}{evidence}")
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"the key(s) {', '.join(map(repr, repeated))} appear twice in one object")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _text(stream: str | bytes, name: str, *, strict: bool = True) -> str:
    if isinstance(stream, str):
        return stream
    try:
        return stream.decode("utf-8", errors="strict" if strict else "replace")
    except UnicodeDecodeError as exc:
        raise ContractBroken(f"{name} is not UTF-8 (byte {exc.start})") from None


def _evidence(stdout: str, stderr: str) -> str:
    shown = f"\n  stdout: {stdout[:_EXCERPT]!r}" + ("..." if len(stdout) > _EXCERPT else "")
    if stderr.strip():
        tail = stderr.rstrip()[-_EXCERPT:]
        shown += f"\n  stderr (end): {tail!r}"
    return shown


def _printed_by(name: str) -> str:
    return "refusal" if name == REFUSAL else f"document of `{name} --json`"


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {
        path.name.removesuffix(".schema.json"): _load(path)
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }


@cache
def _registry() -> Registry[Any]:
    resources = [(s["$id"], Resource.from_contents(s)) for s in _schemas().values()]
    return Registry().with_resources(resources)


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
