"""Line reach: give each mutant only the tests that execute the statement it changes.

mutmut runs a mutant against every test that called the mutated function. A test that never
executes the changed statement runs exactly as it does against the original code (the run is
the same up to the first time that statement would run, and it never does), so it cannot kill
the mutant: running it only costs time. Tools such as PIT (line coverage) and Stryker ("perTest"
coverage analysis) select tests the same way. Here, a surviving mutant of a function every
scenario calls costs ~3.5 s of CPU with mutmut's selection, and a few tenths with this one.

    python scripts/mutation_reach.py collect OUT.json -- TESTS...   # per-test lines of vault/
    python scripts/mutation_reach.py run OUT.json [OPTIONS] -- [mutmut run arguments]

    OPTIONS: --every-test (mutmut's own selection), --skip-equivalent (see below)

Both run in a copy of the tree made by scripts/mutation.py. ``collect`` runs the tests once
under coverage.py, with one coverage context per test and phase (setup, call, teardown).
``run`` is ``mutmut run`` with each mutant's tests narrowed to those whose call phase executed
a line of the changed statement. It stays conservative wherever that reasoning is not exact:

- a statement that ran outside a test's call phase (in a fixture, during collection or import)
  keeps all of mutmut's tests for its function: a session fixture runs in whichever test comes
  first, and its effect may show in any later one;
- a change to a function's own header (its defaults and decorators run when it is defined)
  keeps all of mutmut's tests;
- a change inside a compound statement's header (``if``, ``for``, ``except`` ...) selects the
  tests that reached that header, a change in a simple statement those that reached any of its
  lines.

A mutant whose statement no test executes is given no tests, and mutmut reports it as
"no tests": it survives, as it would have after running them all.

``--skip-equivalent`` leaves out of the run the mutants that tests/mutation/survivors.toml argues
equivalent (matched by file, function and change, as scripts/mutation.py matches them): no score
counts their verdict, and each costs every test that reaches it. They stay "not checked". A full
run (``scripts/mutation.py --record``) runs them, and so shows a note a test now contradicts.
"""

from __future__ import annotations

import ast
import difflib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import coverage
import pytest
from mutmut.mutation import trampoline
from mutmut.mutation.data import MutantLineSpans
from mutmut.mutation.diff_apply import generated_function_names
from mutmut.state import state
from mutmut.utils.format_utils import (
    mangled_name_from_mutant_name,
    orig_function_and_class_names_from_key,
)

CALL = "call|"  # the context of a test's call phase: "call|<node id>"
EVERY_TEST = None  # a mutant that keeps all of mutmut's tests for its function


# Collecting: which test executed which line ----------------------------------------------------
class LineReach:
    """A pytest plugin: coverage.py over vault/, one context per test and phase."""

    def __init__(self) -> None:
        self.coverage = coverage.Coverage(data_file=None, source_pkgs=["vault"], config_file=False)
        self.coverage.start()

    def _phase(self, phase: str, item: Any) -> Iterator[None]:
        self.coverage.switch_context(f"{phase}|{item.nodeid}")
        try:
            yield
        finally:
            self.coverage.switch_context("")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item: Any) -> Iterator[None]:
        yield from self._phase("setup", item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: Any) -> Iterator[None]:
        yield from self._phase("call", item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item: Any) -> Iterator[None]:
        yield from self._phase("teardown", item)

    def reach(self) -> dict[str, Any]:
        """``{"contexts": [...], "files": {file under vault/: {line: [context index]}}}``."""
        import vault  # noqa: PLC0415 - the package the tests imported, wherever it lies

        self.coverage.stop()
        data = self.coverage.get_data()
        package = Path(vault.__file__).resolve().parent
        contexts: dict[str, int] = {}
        files: dict[str, dict[int, list[int]]] = {}
        for measured in sorted(data.measured_files()):
            path = Path(measured).resolve()
            if package not in path.parents:
                continue
            by_line = data.contexts_by_lineno(measured)
            files[f"vault/{path.relative_to(package).as_posix()}"] = {
                line: sorted(contexts.setdefault(c, len(contexts)) for c in by_line[line])
                for line in sorted(by_line)
            }
        return {"contexts": list(contexts), "files": files}


def collect(out: Path, pytest_args: list[str]) -> int:
    plugin = LineReach()
    status = int(pytest.main(pytest_args, plugins=[plugin]))
    reach = plugin.reach()
    out.write_text(json.dumps(reach, separators=(",", ":")), encoding="utf-8")
    executed = sum(len(lines) for lines in reach["files"].values())
    print(f"line reach: {executed} lines of vault/ executed, by test, in {out}")
    return status


# Where a mutant changed its function ------------------------------------------------------------
def changed_offsets(original: list[str], mutated: list[str]) -> set[int]:
    """The 0-based lines of ``original`` a mutation changed; for a pure insertion, the lines on
    either side of it."""
    offsets: set[int] = set()
    matcher = difflib.SequenceMatcher(a=original, b=mutated, autojunk=False)
    for tag, a_start, a_end, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if a_end > a_start:
            offsets.update(range(a_start, a_end))
        else:
            offsets.update(x for x in (a_start - 1, a_start) if 0 <= x < len(original))
    return offsets


def renamed(text: str, generated: str, function: str) -> list[str]:
    """The lines of a function mutmut generated, under the name it has in the source."""
    lines = text.strip("\n").splitlines()
    for index, line in enumerate(lines):
        if f"def {generated}(" in line:
            lines[index] = line.replace(f"def {generated}(", f"def {function}(", 1)
            return lines
    raise LookupError(f"no def of {generated} in the text mutmut generated for it")


def function_start(source_lines: list[str], function_lines: list[str]) -> int:
    """The 1-based line of ``source_lines`` where ``function_lines`` (as mutmut copied them,
    indentation aside) begin. The text of a whole function occurs once in its file."""
    wanted = [line.strip() for line in function_lines]
    stripped = [line.strip() for line in source_lines]
    found = [
        index + 1
        for index in range(len(stripped) - len(wanted) + 1)
        if stripped[index] == wanted[0] and stripped[index : index + len(wanted)] == wanted
    ]
    if len(found) != 1:
        first = function_lines[0].strip()
        raise LookupError(f"the text of {first!r} occurs {len(found)} times in its file")
    return found[0]


class Statements:
    """The statements of one source file, to map a changed line to the lines that run it."""

    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        self.functions[f"{node.name}.{item.name}"] = item

    @staticmethod
    def _nodes(function: ast.AST) -> Iterable[ast.stmt | ast.excepthandler]:
        for node in ast.walk(function):
            if isinstance(node, ast.stmt | ast.excepthandler) and node is not function:
                yield node

    @staticmethod
    def _start(node: ast.stmt | ast.excepthandler) -> int:
        decorators = getattr(node, "decorator_list", [])
        return min([node.lineno, *(d.lineno for d in decorators)])

    @staticmethod
    def _header_end(node: ast.stmt | ast.excepthandler) -> int:
        """The last line of a compound statement's header; a simple statement's last line."""
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            return body[0].lineno - 1 if body[0].lineno > node.lineno else node.lineno
        return node.end_lineno or node.lineno

    def lines_that_run(self, function: str, line: int) -> range | None:
        """The lines of the statement (or compound header) holding ``line`` of ``function``, or
        None when the line is in the function's own header or in no statement of its body."""
        node = self.functions[function]
        if not node.body or line < node.body[0].lineno:
            return EVERY_TEST
        best: ast.stmt | ast.excepthandler | None = None
        for candidate in self._nodes(node):
            start, end = self._start(candidate), candidate.end_lineno or candidate.lineno
            if start <= line <= end and (
                best is None or end - start < (best.end_lineno or best.lineno) - self._start(best)
            ):
                best = candidate
        if best is None:
            return EVERY_TEST
        start, header_end = self._start(best), self._header_end(best)
        if start <= line <= header_end:
            return range(start, header_end + 1)
        return range(start, (best.end_lineno or best.lineno) + 1)  # else:, finally: ...


def tests_reaching(
    lines: Iterable[int], by_line: dict[str, list[int]], contexts: list[str]
) -> set[str] | None:
    """The tests whose call phase executed any of ``lines``; None when any of them also ran
    outside a call phase (a fixture, collection, import), where every test may see it."""
    tests: set[str] = set()
    for line in lines:
        for index in by_line.get(str(line), ()):
            context = contexts[index]
            if not context.startswith(CALL):
                return EVERY_TEST
            tests.add(context.removeprefix(CALL))
    return tests


# Running mutmut with the narrowed selection ----------------------------------------------------
def narrow(
    reach: dict[str, Any],
    data_by_path: dict[str, Any],
    tests_of: dict[str, Any],
    durations: dict[str, float],
) -> dict[str, list[str]]:
    """{mutant: its tests, fastest first} for every mutant whose tests could be narrowed."""
    narrowed: dict[str, list[str]] = {}
    for path, data in sorted(data_by_path.items()):
        file = Path(path).as_posix()
        source_lines = Path(path).read_text(encoding="utf-8").splitlines()
        statements = Statements("\n".join(source_lines))
        spans = MutantLineSpans.load(path)
        if spans is None:
            raise SystemExit(f"line reach: mutmut wrote no line index for {file}")
        starts: dict[str, tuple[int, list[str]]] = {}
        for key in data.exit_code_by_key:
            name = key.replace("__init__.", "")
            every = tests_of.get(mangled_name_from_mutant_name(name))
            if not every:
                continue  # mutmut finds no test for the function: nothing to narrow
            function, cls = orig_function_and_class_names_from_key(key)
            function = function.rpartition(".")[2]
            qualified = f"{cls}.{function}" if cls else function
            orig_name, generated = generated_function_names(key)
            if orig_name not in starts:
                (orig_text,) = spans.read_function_sources([orig_name])
                orig = renamed(orig_text, orig_name, function)
                starts[orig_name] = (function_start(source_lines, orig), orig)
            start, orig = starts[orig_name]
            (mutant_text,) = spans.read_function_sources([generated])
            mutant = renamed(mutant_text, generated, function)
            picked: set[str] = set()
            for offset in sorted(changed_offsets(orig, mutant)):
                lines = statements.lines_that_run(qualified, start + offset)
                found = (
                    EVERY_TEST
                    if lines is None
                    else tests_reaching(lines, reach["files"].get(file, {}), reach["contexts"])
                )
                if found is EVERY_TEST:
                    break
                picked |= found
            else:
                unknown = picked - durations.keys()
                if unknown:
                    raise SystemExit(
                        f"line reach: {len(unknown)} tests that coverage saw are unknown to "
                        f"mutmut, e.g. {sorted(unknown)[0]}: the two runs named tests differently"
                    )
                narrowed[name] = sorted(picked, key=lambda t: (durations[t], t))
    return narrowed


def equivalent_mutants(
    candidates: Iterable[tuple[str, str]],
    notes: list[dict[str, str]],
    describe: Callable[[str, str], Any],
) -> set[str]:
    """The names, among ``candidates`` ((file, mutant name) pairs), of the mutants that an
    equivalent note names, matched as scripts/mutation.py matches a survivor to its note.
    ``describe(file, name)`` gives the mutant described (function, original and mutated code);
    only the mutants of a function some note names are described."""
    mutation = _mutation()
    equivalent = [note for note in notes if note["kind"] == "equivalent"]
    functions = {(note["file"], note["function"]) for note in equivalent}
    found = set()
    for file, name in candidates:
        if (file, mutation.function_of(name)) not in functions:
            continue
        mutant = describe(file, name)
        if any(mutation.same(note, mutant, "") for note in equivalent):
            found.add(name)
    return found


def _mutation() -> ModuleType:
    """scripts/mutation.py, whose notes, matching and descriptions these are."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import mutation  # noqa: PLC0415

    return mutation


def described(file: str, name: str) -> Any:
    """A generated mutant, described as scripts/mutation.py describes a survivor (run where
    mutmut generated it)."""
    mutation = _mutation()
    mutant = mutation.Mutant(name, file, "not checked")
    mutation.describe(mutant, Path.cwd(), {})
    return mutant


def run(
    reach_file: Path,
    mutmut_args: list[str],
    *,
    by_line: bool = True,
    skip_equivalent: bool = False,
) -> None:
    """``mutmut run``; with ``by_line=False``, each mutant keeps mutmut's own selection; with
    ``skip_equivalent``, the mutants argued equivalent are not run."""
    # Imported here: importing mutmut's command line sets multiprocessing's start method.
    import mutmut.__main__ as mutmut_main  # noqa: PLC0415

    reach = json.loads(reach_file.read_text(encoding="utf-8"))
    narrowed: dict[str, list[str]] = {}
    check = mutmut_main._check_test_to_mutant_associations
    mangled = mutmut_main.mangled_name_from_mutant_name

    def check_then_narrow(data_by_path: dict[str, Any]) -> None:
        check(data_by_path)
        tests_of = state().tests_by_mangled_function_name
        narrowed.update(narrow(reach, data_by_path, tests_of, state().duration_by_test))
        tests_of.update(narrowed)  # keyed by mutant: mutmut looks them up through `mangled`
        before = sum(len(tests_of[mangled(n)]) for n in narrowed)
        after = sum(len(t) for t in narrowed.values())
        print(f"line reach: {len(narrowed)} mutants narrowed, {before} test runs to {after}")

    def by_mutant(name: str) -> str:
        return name if name in narrowed else mangled(name)

    collect = mutmut_main.collect_source_file_mutation_data

    def without_equivalent(*, mutant_names: Any) -> Any:
        mutants, data_by_path = collect(mutant_names=mutant_names)
        skipped = equivalent_mutants(
            ((Path(data.path).as_posix(), name) for data, name, _ in mutants),
            _mutation().load_survivor_notes(),
            described,
        )
        print(f"line reach: {len(skipped)} mutants argued equivalent not run (--skip-equivalent)")
        return [m for m in mutants if m[1] not in skipped], data_by_path

    if skip_equivalent:
        mutmut_main.collect_source_file_mutation_data = without_equivalent
    if by_line:
        mutmut_main._check_test_to_mutant_associations = check_then_narrow
        mutmut_main.mangled_name_from_mutant_name = by_mutant
    trampoline.get_mutant_under_test = mutant_under_test
    mutmut_main.cli(["run", *mutmut_args])


_environment_lookup = trampoline.get_mutant_under_test


def mutant_under_test() -> str:
    """The active mutant, as mutmut's trampolines ask for it on every call of a function of
    vault/: the name mutmut set in this process, without mutmut's look-up of os.environ first
    (which cost a third of the CPU of a scenario). Every change of the active mutant goes
    through ``set_mutant_under_test``, which sets both; a process started by a test still
    reads it from its environment."""
    name = trampoline._mutant_under_test
    return _environment_lookup() if name is None else name


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] not in {"collect", "run"} or "--" not in argv[2:]:
        sys.exit(__doc__)
    split = argv.index("--", 2)
    command, file, options, rest = argv[0], Path(argv[1]), argv[2:split], argv[split + 1 :]
    if command == "collect" and not options:
        return collect(file, rest)
    known = {"--every-test", "--skip-equivalent"}
    if command == "run" and set(options) <= known and len(set(options)) == len(options):
        run(
            file,
            rest,
            by_line="--every-test" not in options,
            skip_equivalent="--skip-equivalent" in options,
        )
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
