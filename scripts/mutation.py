"""The mutation tier: mutmut over vault/ with each test selection, a table per file, the scores
over the non-equivalent mutants, and reports/mutation.html listing every survivor.

    python scripts/mutation.py                 # both selections, from scratch (what CI runs)
    python scripts/mutation.py --check         # ... and exit 1 if a score is under its floor
    python scripts/mutation.py --check --skip-equivalent   # ... without the equivalent mutants (CI)
    python scripts/mutation.py --record        # ... and write the scores as the floors
    python scripts/mutation.py --reuse         # read the last results again, run nothing
    python scripts/mutation.py --every-test    # each mutant against every test of its function

Each selection runs in its own copy of the tree (.mutation/<name>/), because mutmut reads its
test selection from pyproject.toml and keeps its results in ./mutants. The acceptance selection
runs first. The fast selection (acceptance + unit) starts from its results: a mutant a scenario
killed is killed by the fast suite too, and one the scenarios let through would pass them again,
so only the others run again, and only with the unit tests (RUN_AFTER_ACCEPTANCE).

The acceptance selection does not run the functions in OUT_OF_REACH (help text, checks of
settings that no scenario gets wrong): no sentence of the language can reach what they do, and
each of their surviving mutants would cost a whole acceptance run. Their mutants count in its
score as survivors ("not run"), so the score is a lower bound, never flattered.

Equivalent mutants and explained survivors are listed in tests/mutation/survivors.toml; the
floors are in tests/mutation/thresholds.toml. No score counts an equivalent mutant, so
--skip-equivalent does not run them (about a tenth of the time); a run without it (--record)
does, and so shows a note that a test now contradicts: that mutant is killed, and its note stale.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mutmut.configuration import reset_config
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
SURVIVORS = ROOT / "tests/mutation/survivors.toml"
THRESHOLDS = ROOT / "tests/mutation/thresholds.toml"
REPORT = ROOT / "reports/mutation.html"
SUMMARY = ROOT / "reports/mutation.json"

# The test selection of each way to run the tier (pyproject.toml holds the fast one).
SELECTIONS = {
    "acceptance": ["tests/acceptance"],
    "fast": ["tests/acceptance", "tests/unit", "--ignore=tests/unit/test_architecture.py"],
}
# What the fast selection runs when it starts from the acceptance results: the scenarios have
# already passed against every mutant left to run, so running them again would change nothing.
# mutmut run, each mutant given only the tests that execute the statement it changes.
REACH = [sys.executable, str(ROOT / "scripts/mutation_reach.py")]
EVERY_TEST: list[str] = []  # ["--every-test"]: mutmut's own selection, to compare (--every-test)
SKIP_EQUIVALENT: list[str] = []  # ["--skip-equivalent"]: leave out the mutants argued equivalent
RUN_AFTER_ACCEPTANCE = {"fast": ["tests/unit", "--ignore=tests/unit/test_architecture.py"]}
KEY_FILES = (
    "vault/service.py",
    "vault/payload.py",
    "vault/retry.py",
    "vault/adapters/http_log_source.py",
    "vault/adapters/s3_archive.py",
    "vault/adapters/mongo_audit_log.py",
    "vault/integrity.py",
)
GROUPS = {"key": KEY_FILES, "all": None}
DETECTED = {"killed", "timeout"}  # a mutant that hangs the suite is caught, as mutmut counts it
NOT_RUN = "not run"
EQUIVALENT_NOT_RUN = "equivalent, not run"  # --skip-equivalent
# Functions whose every effect lies outside the acceptance language: --help texts, and the
# checks that refuse a malformed URL, host or region (scenarios give only valid settings).
# Language v3 reaches the settings' rules ("the operator sets ... / the refusal names ..."):
# only the help text and the AWS region's rule are still out of its reach.
OUT_OF_REACH = {
    "vault/cli.py": ("_parser",),
    "vault/config.py": ("_region",),
}
OUT_OF_REACH_REASON = (
    "not run by the acceptance selection: the function is out of the acceptance language's "
    "reach (help text, or a check of a setting no scenario gets wrong); the fast suite runs it"
)


def status_of(exit_code: int | None) -> str:
    return str(status_by_exit_code[exit_code])


@dataclass
class Mutant:
    name: str
    file: str
    status: str
    function: str = ""
    line: int = 0
    original: str = ""
    mutated: str = ""
    classification: str = ""  # equivalent, explained or unexplained (survivors only)
    reason: str = ""


@dataclass
class Selection:
    name: str
    seconds: float = 0.0
    mutants: list[Mutant] = field(default_factory=list)

    def files(self) -> list[str]:
        return sorted({m.file for m in self.mutants})

    def counts(self, files: tuple[str, ...] | None = None) -> Counter[str]:
        picked = [m for m in self.mutants if files is None or m.file in files]
        counts = Counter(m.status for m in picked)
        counts["equivalent"] = sum(m.classification == "equivalent" for m in picked)
        counts["total"] = len(picked)
        return counts

    def score(self, files: tuple[str, ...] | None = None) -> float:
        counts = self.counts(files)
        # Equivalent mutants survive by definition; every other mutant should be detected.
        scored = counts["total"] - counts["equivalent"] - counts["skipped"]
        detected = sum(counts[s] for s in DETECTED)
        return 100.0 * detected / scored if scored else 100.0


# Running ------------------------------------------------------------------------------------
def tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [p for p in listed.split("\0") if p and not p.startswith(".mutation/")]


def prepare_copy(name: str, seed: str | None = None) -> Path:
    """A copy of the tree whose pyproject.toml selects this selection's tests. With ``seed``,
    the copy starts from that selection's results: what it detected stands, the rest is run."""
    copy = WORK / name
    shutil.rmtree(copy, ignore_errors=True)
    for relative in tree_files():
        source, target = ROOT / relative, copy / relative
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    pyproject = copy / "pyproject.toml"
    selection = json.dumps(RUN_AFTER_ACCEPTANCE[name] if seed else SELECTIONS[name])
    text, found = re.subn(
        r"^pytest_add_cli_args_test_selection = \[.*?\]",
        f"pytest_add_cli_args_test_selection = {selection}",
        pyproject.read_text(encoding="utf-8"),
        flags=re.S | re.M,
    )
    if found != 1:
        sys.exit("pyproject.toml: [tool.mutmut] has no pytest_add_cli_args_test_selection")
    pyproject.write_text(text, encoding="utf-8")
    if seed is not None:
        start_from(copy, WORK / seed)
    return copy


def start_from(copy: Path, seed: Path) -> None:
    """Reuse ``seed``'s mutants and its detected results; clear every other result, and the
    test statistics (they belong to the other selection's tests)."""
    shutil.copytree(seed / "mutants", copy / "mutants", copy_function=shutil.copy2)
    for stats in ("mutmut-stats.json", "mutmut-cicd-stats.json"):
        (copy / "mutants" / stats).unlink(missing_ok=True)
    for meta in (copy / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data["exit_code_by_key"]
        for key, code in codes.items():
            if status_of(code) not in DETECTED:
                codes[key] = None
        meta.write_text(json.dumps(data), encoding="utf-8")


def functions_in_reach() -> list[str]:
    """mutmut name patterns for every mutant but those of OUT_OF_REACH functions."""
    patterns = []
    for path in sorted((ROOT / "vault").rglob("*.py")):
        file = str(path.relative_to(ROOT))
        module = file.removesuffix(".py").replace("/", ".")
        if file == "vault/demo.py":
            continue
        if file not in OUT_OF_REACH:
            patterns.append(f"{module}.*")
            continue
        for function in function_lines(path.read_text(encoding="utf-8")):
            if function in OUT_OF_REACH[file]:
                continue
            cls, _, method = function.rpartition(".")
            mangled = f"x\u01c1{cls}\u01c1{method}" if cls else f"x_{function}"
            patterns.append(f"{module}.{mangled}__mutmut_*")
    return patterns


def mutmut_pytest_args() -> list[str]:
    """The pytest arguments mutmut adds to every run (pyproject.toml [tool.mutmut])."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return list(tomllib.load(file)["tool"]["mutmut"]["pytest_add_cli_args"])


def run_mutmut(name: str, max_children: int, seed: str | None = None) -> float:
    copy = prepare_copy(name, seed)
    names = functions_in_reach() if name == "acceptance" else []
    log = WORK / f"{name}.log"
    started_from = f", starting from the {seed} results" if seed else ""
    tests = RUN_AFTER_ACCEPTANCE[name] if seed else SELECTIONS[name]
    print(f"mutation: running the {name} selection ({' '.join(tests)}{started_from})")
    print(f"mutation: log {log}")
    started = time.monotonic()
    reach = copy / "line-reach.json"
    # Which test executes which line (scripts/mutation_reach.py): each mutant is then run
    # against the tests that execute the statement it changes, not all that call its function.
    pytest_args = ["-q", "-p", "no:randomly", "--rootdir=.", *tests, *mutmut_pytest_args()]
    commands = [
        [*REACH, "collect", str(reach), "--", *pytest_args],
        [
            *REACH,
            "run",
            str(reach),
            *EVERY_TEST,
            *SKIP_EQUIVALENT,
            "--",
            f"--max-children={max_children}",
            *names,
        ],
    ]
    with log.open("w", encoding="utf-8") as out:
        for command in commands:
            done = subprocess.run(
                command, cwd=copy, stdout=out, stderr=subprocess.STDOUT, check=False
            )
            if done.returncode != 0:
                break
    seconds = time.monotonic() - started
    (WORK / f"{name}.seconds").write_text(f"{seconds:.1f}\n")
    if done.returncode != 0:
        sys.stdout.write(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        sys.exit(f"mutation: mutmut failed on the {name} selection (exit {done.returncode})")
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("line reach:"):
            print(f"mutation: {line}")
    print(f"mutation: the {name} selection took {seconds:.0f} s")
    return seconds


# Reading the results ------------------------------------------------------------------------
def function_lines(source: str) -> dict[str, int]:
    """The line of every function's `def`, by mutmut's name for it (Class.method or function)."""
    lines: dict[str, int] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines[node.name] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines[f"{node.name}.{item.name}"] = item.lineno
    return lines


def function_of(mutant_name: str) -> str:
    mangled = mutant_name.rpartition(".")[2].partition("__mutmut_")[0]
    if "ǁ" in mangled:
        _, cls, method = mangled.split("ǁ")
        return f"{cls}.{method}"
    return mangled.removeprefix("x_")


def describe(mutant: Mutant, copy: Path, sources: dict[str, str]) -> None:
    """Fill in the function, the source line, and the original and mutated code."""
    mutant.function = function_of(mutant.name)
    diff = get_diff_for_mutant(mutant.name, path=mutant.file).splitlines()
    removed, added, first_offset = [], [], None
    offset = 0
    for line in diff[2:]:
        if line.startswith("@@"):
            offset = int(re.match(r"@@ -(\d+)", line).group(1)) - 1  # type: ignore[union-attr]
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
            first_offset = offset if first_offset is None else first_offset
        elif line.startswith("+"):
            added.append(line[1:].strip())
            first_offset = offset if first_offset is None else first_offset
            continue
        offset += 1
    mutant.original = "\n".join(removed)
    mutant.mutated = "\n".join(added)
    source = sources.setdefault(mutant.file, (copy / mutant.file).read_text(encoding="utf-8"))
    start = function_lines(source).get(mutant.function, 0)
    mutant.line = start + (first_offset or 0) if start else 0


def read_results(name: str, names: set[str] | None = None) -> Selection:
    """The selection's results; with ``names``, only those mutants, each described."""
    copy = WORK / name
    if not (copy / "mutants").is_dir():
        sys.exit(f"mutation: no results for the {name} selection: run without --reuse")
    selection = Selection(name)
    seconds = WORK / f"{name}.seconds"
    selection.seconds = float(seconds.read_text()) if seconds.exists() else 0.0
    here = Path.cwd()
    os.chdir(copy)  # mutmut reads its configuration and mutants from the working directory
    try:
        reset_config()
        sources: dict[str, str] = {}
        for meta in sorted(Path("mutants/vault").rglob("*.py.meta")):
            file = str(meta.relative_to("mutants").with_suffix("").with_suffix(".py"))
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            for mutant_name, code in sorted(codes.items(), key=lambda kv: mutant_order(kv[0])):
                if names is not None and mutant_name not in names:
                    continue
                mutant = Mutant(mutant_name, file, status_of(code))
                if mutant.status not in DETECTED or names is not None:
                    describe(mutant, Path.cwd(), sources)
                selection.mutants.append(mutant)
    finally:
        os.chdir(here)
    return selection


def mark_not_run(acceptance: Selection) -> None:
    """The mutants of OUT_OF_REACH functions, which the acceptance selection leaves unchecked,
    count in its score as survivors."""
    for mutant in acceptance.mutants:
        if mutant.status == "not checked" and mutant.function in OUT_OF_REACH.get(mutant.file, ()):
            mutant.status = NOT_RUN


def mutant_order(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


# Classification ------------------------------------------------------------------------------
def prune_notes(stale: list[dict[str, str]]) -> int:
    """Delete from survivors.toml every note that matches no mutant any more (the code it
    named changed, or a test now kills it); return how many went."""
    blocks = re.split(r"\n(?=\[\[)", SURVIVORS.read_text(encoding="utf-8"))
    keys = ("file", "function", "original", "mutated")
    gone = {tuple(note.get(k) for k in keys) for note in stale}
    kept = []
    for block in blocks:
        entries = tomllib.loads(block).get("equivalent", []) + tomllib.loads(block).get(
            "explained", []
        )
        if entries and tuple(entries[0].get(k) for k in keys) in gone:
            continue
        kept.append(block)
    SURVIVORS.write_text("\n".join(kept), encoding="utf-8")
    return len(blocks) - len(kept)


def load_survivor_notes() -> list[dict[str, str]]:
    data = tomllib.loads(SURVIVORS.read_text(encoding="utf-8"))
    for entry in data.get("equivalent", []):
        if not {"file", "function", "original", "mutated", "reason"} <= entry.keys():
            sys.exit(
                f"{SURVIVORS.relative_to(ROOT)}: an equivalent mutant needs file, function, "
                f"original, mutated and reason: {entry}"
            )
    return [dict(entry, kind="equivalent") for entry in data.get("equivalent", [])] + [
        dict(entry, kind="explained") for entry in data.get("explained", [])
    ]


def same(note: dict[str, str], mutant: Mutant, selection: str) -> bool:
    """A note names mutants by file, function and the code it changes: not by mutmut's number,
    which shifts whenever the function changes. An explained note may leave out the code (every
    survivor of the function) or the function too (every survivor of the file), and may hold for
    one selection only; an equivalent note always names one change."""
    return (
        note["file"] == mutant.file
        and note.get("function", mutant.function) == mutant.function
        and note.get("original", mutant.original).strip() == mutant.original
        and note.get("mutated", mutant.mutated).strip() == mutant.mutated
        and note.get("selection", selection) == selection
    )


def classify(selections: list[Selection], notes: list[dict[str, str]]) -> list[dict[str, str]]:
    used: set[int] = set()
    for selection in selections:
        for mutant in selection.mutants:
            if mutant.status in DETECTED:
                continue
            if mutant.status == NOT_RUN:
                mutant.classification, mutant.reason = "explained", OUT_OF_REACH_REASON
                continue
            for index, note in enumerate(notes):
                if same(note, mutant, selection.name):
                    used.add(index)
                    mutant.classification, mutant.reason = note["kind"], note["reason"]
                    break
            else:
                mutant.classification = "unexplained"
            if mutant.status == "not checked" and mutant.classification == "equivalent":
                mutant.status = EQUIVALENT_NOT_RUN  # left out by --skip-equivalent
    return [note for index, note in enumerate(notes) if index not in used]


# Output --------------------------------------------------------------------------------------
COLUMNS = ("killed", "survived", "timeout", "no tests", NOT_RUN, "equivalent")


def table(selection: Selection) -> list[str]:
    rows = [
        f"{selection.name} selection: {' '.join(SELECTIONS[selection.name])}",
        f"| file | mutants | {' | '.join(COLUMNS)} | score |",
        "|---|---:|" + "---:|" * (len(COLUMNS) + 1),
    ]
    groups: list[tuple[str, tuple[str, ...] | None]] = [(f, (f,)) for f in selection.files()]
    groups += [("**key files**", KEY_FILES), ("**all of vault/**", None)]
    for label, files in groups:
        counts = selection.counts(files)
        cells = " | ".join(str(counts[c]) for c in COLUMNS)
        rows.append(f"| {label} | {counts['total']} | {cells} | {selection.score(files):.1f}% |")
    return rows


def combined(selections: list[Selection]) -> list[str]:
    """One row per file, one score column per selection: the README's table."""
    names = [s.name for s in selections]
    rows = [f"| file | {' | '.join(names)} |", "|---|" + "---:|" * len(names)]
    groups: list[tuple[str, tuple[str, ...] | None]] = [
        (f, (f,)) for f in sorted({f for s in selections for f in s.files()})
    ]
    groups += [("**key files**", KEY_FILES), ("**all of vault/**", None)]
    for label, files in groups:
        scores = " | ".join(f"{s.score(files):.1f}%" for s in selections)
        rows.append(f"| {label} | {scores} |")
    return rows


def page(selections: list[Selection], stale: list[dict[str, str]]) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Mutation testing: survivors</title>',
        "<style>body{font-family:sans-serif;margin:2em;max-width:80em}"
        "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #bbb;"
        "padding:.3em .5em;vertical-align:top;text-align:left}pre{margin:0;white-space:pre-wrap}"
        ".equivalent{background:#eef6ee}.explained{background:#fff8e0}"
        ".unexplained{background:#fde8e8}</style></head><body>",
        "<h1>Mutation testing: the survivors</h1>",
        "<p>mutmut changed vault/ one small edit at a time and ran the tests that cover each "
        "change. A <em>survivor</em> is a change that no test noticed. <b>equivalent</b>: no test "
        "could tell it apart (reason given); <b>explained</b>: a real gap, with why it is left; "
        "<b>unexplained</b>: a gap still to close. Scores count killed and timed-out mutants over "
        "all mutants but the equivalent ones.</p>",
    ]
    for selection in selections:
        parts.append(
            f"<h2>{e(selection.name)} selection: {e(' '.join(SELECTIONS[selection.name]))}</h2>"
        )
        parts.append(
            f"<p>key files: {selection.score(KEY_FILES):.1f}% &middot; all of vault/: "
            f"{selection.score():.1f}% &middot; {selection.seconds:.0f} s</p>"
        )
        parts.append(
            "<table><tr><th>file</th><th>line</th><th>function</th><th>original</th>"
            "<th>mutated</th><th>status</th><th>classification</th></tr>"
        )
        for m in selection.mutants:
            if m.status in DETECTED:
                continue
            parts.append(
                f'<tr class="{e(m.classification)}"><td>{e(m.file)}</td><td>{m.line}</td>'
                f"<td>{e(m.function)}</td><td><pre>{e(m.original)}</pre></td>"
                f"<td><pre>{e(m.mutated)}</pre></td><td>{e(m.status)}</td>"
                f"<td><b>{e(m.classification)}</b>{': ' + e(m.reason) if m.reason else ''}"
                f"<br><small>{e(m.name)}</small></td></tr>"
            )
        parts.append("</table>")
    if stale:
        parts.append("<h2>Notes that matched no mutant (stale)</h2><ul>")
        parts += [
            f"<li>{e(n['file'])} {e(n.get('function', ''))}: {e(n.get('original', ''))}</li>"
            for n in stale
        ]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_page(page: Path, selections: list[Selection]) -> None:
    """The scores per file and selection, with the date and the command, into the page."""
    sys.path.insert(0, str(ROOT))
    from tests.docs_pages import replace_block  # noqa: PLC0415 - the one way to write a block

    command = "python scripts/mutation.py " + " ".join(sys.argv[1:])
    files = sorted({m.file for s in selections for m in s.mutants})
    names = [s.name for s in selections]
    lines = [
        f"Written by `{command}` on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC "
        f"({sum(len(s.mutants) for s in selections[:1])} mutants; the selections ran "
        + ", ".join(f"{s.name} {s.seconds:.0f} s" for s in selections)
        + "). "
        "Scores: killed and timed-out mutants over all but the equivalent ones.",
        "",
        "| file | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        *(
            f"| {file} | " + " | ".join(f"{s.score((file,)):.1f}%" for s in selections) + " |"
            for file in files
        ),
        "| **key files** | "
        + " | ".join(f"**{s.score(KEY_FILES):.1f}%**" for s in selections)
        + " |",
        "| **all of vault/** | " + " | ".join(f"**{s.score():.1f}%**" for s in selections) + " |",
    ]
    replace_block(page, "mutation", "\n".join(lines))


def floors() -> dict[str, dict[str, float]]:
    return tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))


def record(selections: list[Selection]) -> None:
    recorded = floors()
    for selection in selections:
        for group, files in GROUPS.items():
            # Floor to one decimal, so that the same results always pass.
            floor = math.floor(selection.score(files) * 10) / 10
            recorded.setdefault(selection.name, {})[group] = floor
    lines = [
        "# The scores CI requires (percent of non-equivalent mutants killed), per selection:",
        "# key = the key files, all = all of vault/ but demo.py.",
        "# python scripts/mutation.py --record writes them.",
    ]
    for name, groups in recorded.items():
        lines += ["", f"[{name}]"] + [f"{group} = {value}" for group, value in groups.items()]
    THRESHOLDS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"mutation: recorded the scores in {THRESHOLDS.relative_to(ROOT)}")


def check(selections: list[Selection]) -> bool:
    ok = True
    recorded = floors()
    for selection in selections:
        for group, files in GROUPS.items():
            floor = recorded.get(selection.name, {}).get(group)
            score = selection.score(files)
            if floor is not None and score < floor:
                print(f"mutation: {selection.name}/{group} scored {score:.1f}%, under {floor}%")
                ok = False
    return ok


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="read the last results; run nothing")
    parser.add_argument("--check", action="store_true", help="fail when a score is under its floor")
    parser.add_argument("--record", action="store_true", help="write the scores as the floors")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--write", metavar="PAGE", help="write the scores into PAGE's block (docs/mutation.md)"
    )
    parser.add_argument(
        "--prune", action="store_true", help="delete the notes that match no mutant any more"
    )
    parser.add_argument(
        "--every-test",
        action="store_true",
        help="run each mutant against every test that calls its function, as mutmut alone does "
        "(slower; to compare with the line reach)",
    )
    parser.add_argument(
        "--skip-equivalent",
        action="store_true",
        help="do not run the mutants survivors.toml argues equivalent (no score counts them); "
        "not with --record, which must see whether a test now kills one",
    )
    args = parser.parse_args()
    if args.every_test:
        EVERY_TEST.append("--every-test")
    if args.skip_equivalent:
        if args.record or args.prune:
            parser.error("--skip-equivalent: a record (or a prune) runs every mutant")
        SKIP_EQUIVALENT.append("--skip-equivalent")
    return args


def main() -> int:
    args = arguments()
    started = time.monotonic()
    if not args.reuse:
        run_mutmut("acceptance", args.max_children)
        run_mutmut("fast", args.max_children, seed="acceptance")
    acceptance, fast = read_results("acceptance"), read_results("fast")
    mark_not_run(acceptance)
    selections = [acceptance, fast]
    stale = classify(selections, load_survivor_notes())

    for selection in selections:
        print()
        print("\n".join(table(selection)))
        print(f"{selection.name} selection: {selection.seconds:.0f} s")
    if len(selections) > 1:
        print()
        print("\n".join(combined(selections)))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(page(selections, stale), encoding="utf-8")
    summary = {
        s.name: {g: round(s.score(f), 1) for g, f in GROUPS.items()} | {"seconds": s.seconds}
        for s in selections
    }
    SUMMARY.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print()
    for s in selections:
        unexplained = sum(m.classification == "unexplained" for m in s.mutants)
        skipped = sum(m.status == EQUIVALENT_NOT_RUN for m in s.mutants)
        print(
            f"mutation score {s.name}: key files {s.score(KEY_FILES):.1f}%, "
            f"all of vault/ {s.score():.1f}% ({unexplained} unexplained survivors"
            + (f"; {skipped} argued equivalent, not run" if skipped else "")
            + ")"
        )
    if stale:
        print(f"mutation: {len(stale)} notes in {SURVIVORS.relative_to(ROOT)} match no mutant:")
        for note in stale:
            print(f"  {note['file']} {note.get('function', '')}: {note.get('original', '')!r}")
    print(f"mutation: report {REPORT.relative_to(ROOT)}")
    if args.prune and stale:
        print(f"mutation: {prune_notes(stale)} stale notes deleted from {SURVIVORS.name}")
    if args.record:
        record(selections)
    if args.write:
        write_page(Path(args.write), selections)
    print(f"mutation tier time: {time.monotonic() - started:.0f} s")
    if args.check and not check(selections):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
