"""The reporting fixture project run as 3 shards (pytest-split, the second with pytest-xdist) and
as one run: ``python -m reporting merge`` makes of the shards' reports the single run's reports.
Then each kind of bad input: one line naming the file, exit status 2, nothing written.

The fixture project's durations file was made with
``python -m pytest --store-durations --durations-path ../fixture-durations.json`` in a copy of
tests/reporting/fixture_project.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import weakref
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from reporting import merge, run_file
from reporting.__main__ import main
from reporting.model import ScenarioRecord
from tests.reporting.project import PREVIOUS, ROOT, SCENARIOS, run_project

pytestmark = pytest.mark.reporting
DURATIONS = Path(__file__).parent / "fixture-durations.json"
SHARDS = 3


def _compare_merge() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "compare_merge", ROOT / "scripts" / "compare-merge.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _compare_merge()


def layout(reports: Path) -> list[str]:
    """Every report, named as pytest.ini names them (run_project gives some other names)."""
    return [
        f"--cucumber-per-feature={reports}/cucumber-features",
        f"--cucumber-messages={reports}/cucumber.ndjson",
        f"--run-model={reports}/run-model.json",
        f"--compare-with={PREVIOUS}",
    ]


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("single")
    result, reports = run_project(tmp, *layout(tmp / "reports"))
    assert result.returncode == 1, result.stdout + result.stderr  # the failures are deliberate
    return reports


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = []
    for group in range(1, SHARDS + 1):
        tmp = tmp_path_factory.mktemp(f"shard-{group}")
        # Options with "=": a path after a space would be taken for a test path.
        split = [f"--splits={SHARDS}", f"--group={group}", "--splitting-algorithm=least_duration"]
        split.append(f"--durations-path={DURATIONS}")
        xdist = ["-n", "2"] if group == 2 else []
        result, reports = run_project(tmp, *split, *xdist, *layout(tmp / "reports"))
        assert result.returncode in (0, 1), result.stdout + result.stderr
        folders.append(reports)
    return folders


@pytest.fixture(scope="module")
def merged(shards: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("merged") / "reports"
    command = [sys.executable, "-m", "reporting", "merge", *map(str, shards), "--into", str(into)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    # A merged run with failures fails as the single run does.
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(f"merged 3 shards into {into}: 9 scenarios ("), result.stdout
    return into


# The shards ------------------------------------------------------------------------------------
def test_the_shards_share_out_the_scenarios(shards: list[Path]) -> None:
    ran = [[e["name"] for f in _cucumber(s) for e in f["elements"]] for s in shards]
    assert all(ran), ran  # every shard ran some
    assert sorted(name for names in ran for name in names) == sorted(n for n, _ in SCENARIOS)


def test_each_shards_reports_say_which_shard_they_are(shards: list[Path]) -> None:
    for group, reports in enumerate(shards, start=1):
        label = f"{group}/{SHARDS}"
        suite = ET.parse(reports / "junit.xml").getroot().find("testsuite")
        assert suite is not None
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert properties["shard"] == label
        assert suite.get("name") == f"pytest (shard {label})"
        for feature in _cucumber(reports):
            assert {"name": f"@shard:{label}", "line": feature["line"]} in feature["tags"]
        for path in (reports / "cucumber-features").glob("*.json"):
            assert f'"@shard:{label}"' in path.read_text()
        assert (
            f"<title>Audit Vault acceptance report (shard {label})</title>"
            in (reports / "report.html").read_text()
        )


def _cucumber(reports: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads((reports / "cucumber.json").read_text())
    return data


# The merge equals the single run ---------------------------------------------------------------
def test_the_merged_cucumber_json_is_the_single_runs_times_aside(
    single: Path, merged: Path
) -> None:
    assert check.cucumber(merged) == check.cucumber(single)
    assert check.per_feature(merged) == check.per_feature(single)
    assert "@shard" not in (merged / "cucumber.json").read_text()


def test_the_merged_junit_has_the_single_runs_cases(single: Path, merged: Path) -> None:
    assert check.junit_cases(merged) == check.junit_cases(single)
    suite = ET.parse(merged / "junit.xml").getroot().find("testsuite")
    single_suite = ET.parse(single / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert single_suite is not None
    for count in ("tests", "failures", "errors", "skipped"):
        assert suite.get(count) == single_suite.get(count), count
    assert suite.get("name") == "pytest"
    assert "shard" not in {p.get("name") for p in suite.iter("property")}


def test_the_merged_messages_are_the_single_runs_by_type_and_reference(
    single: Path, merged: Path
) -> None:
    stream = check.envelopes(merged)
    assert check.message_problems(stream) == []
    assert check._by_type(stream) == check._by_type(check.envelopes(single))
    finished = [e["testRunFinished"] for e in stream if "testRunFinished" in e]
    assert finished[0]["success"] is False


def test_the_merged_html_lists_the_single_runs_scenarios_and_statuses(
    single: Path, merged: Path
) -> None:
    listed = check.html_scenarios(merged)
    assert listed == check.html_scenarios(single)
    assert len(listed) == len(SCENARIOS)
    assert "(shard" not in (merged / "report.html").read_text()


def test_the_merged_comparison_is_the_single_runs(
    single: Path, merged: Path, shards: list[Path], tmp_path: Path
) -> None:
    # The shards were compared with PREVIOUS: the merge compares again, over every scenario.
    assert _comparison(merged) == _comparison(single) != ""
    # Or the merge is asked to compare.
    again = tmp_path / "again"
    assert (
        main(["merge", *map(str, shards), "--into", str(again), "--compare-with", str(PREVIOUS)])
        == 1
    )
    assert _comparison(again) == _comparison(single)


def _comparison(reports: Path) -> str:
    page = (reports / "report.html").read_text()
    found = re.search(r'<section class="top" id="comparison">.*?</section>', page, re.DOTALL)
    return found.group(0) if found else ""


def test_compare_merge_script_finds_a_merge_that_lost_a_scenario(
    single: Path, shards: list[Path], tmp_path: Path
) -> None:
    assert main(["merge", *map(str, shards[:2]), "--into", str(tmp_path / "two")]) == 1
    found = check.differences(single, tmp_path / "two")
    assert "cucumber.json: not the same scenario ids in the same order" in found
    assert check.differences(single, single) == []


# Bad input: one line naming the file, exit status 2, nothing written ---------------------------
@pytest.fixture
def into(tmp_path: Path) -> Path:
    """A merged folder from before: bad input must leave it as it was."""
    folder = tmp_path / "merged"
    folder.mkdir()
    (folder / "report.html").write_text("the last good merge")
    return folder


def refused(shards: list[Path], into: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["merge", *map(str, shards), "--into", str(into)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert [p.name for p in into.iterdir()] == ["report.html"]
    assert (into / "report.html").read_text() == "the last good merge"
    assert [p.name for p in into.parent.iterdir() if ".merging-" in p.name] == []
    return err.strip()


def copied(shard: Path, tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(shard, tmp_path / name))


def test_a_missing_shard_is_refused(
    shards: list[Path], into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "shard-4"
    assert refused([*shards, absent], into, capsys) == (
        f"reporting merge: {absent}: no such shard folder"
    )


def test_a_shard_without_its_run_model_is_refused(
    shards: list[Path], into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = copied(shards[2], tmp_path, "bare")
    (bare / "run-model.json").unlink()
    line = refused([*shards[:2], bare], into, capsys)
    assert line.startswith(f"reporting merge: {bare / 'run-model.json'}: missing")


def test_two_shards_that_ran_the_same_scenario_are_refused(
    shards: list[Path], into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = copied(shards[0], tmp_path, "twin")
    line = refused([*shards, twin], into, capsys)
    assert line.startswith(f"reporting merge: {twin / 'run-model.json'}: scenario features/")
    assert line.endswith(f"also ran in {shards[0] / 'run-model.json'}")


def test_shards_of_different_versions_of_the_features_are_refused(
    shards: list[Path], into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = copied(shards[1], tmp_path, "newer")
    data = json.loads((newer / "run-model.json").read_text())
    uri = next(iter(data["sources"]))
    data["sources"][uri] += "\n  # edited since\n"
    (newer / "run-model.json").write_text(json.dumps(data))
    older = next(s for s in (shards[0], shards[2]) if uri in _sources(s))
    line = refused([older, newer], into, capsys)
    assert line == (
        f"reporting merge: {newer / 'run-model.json'}: {uri} differs from the one in "
        f"{older / 'run-model.json'}: the shards ran different versions of the features"
    )


def _sources(shard: Path) -> dict[str, str]:
    sources: dict[str, str] = json.loads((shard / "run-model.json").read_text())["sources"]
    return sources


@pytest.mark.parametrize(
    ("name", "what"),
    [("run-model.json", "truncated or not JSON"), ("junit.xml", "truncated or not XML")],
)
def test_a_truncated_file_is_refused(
    name: str,
    what: str,
    shards: list[Path],
    into: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cut = copied(shards[1], tmp_path, "cut")
    text = (cut / name).read_text()
    (cut / name).write_text(text[: len(text) // 2])
    line = refused([shards[0], cut, shards[2]], into, capsys)
    assert line.startswith(f"reporting merge: {cut / name}: {what} (")


def test_merging_into_a_new_folder_writes_every_report(shards: list[Path], tmp_path: Path) -> None:
    into = tmp_path / "deep" / "merged"
    assert main(["merge", *map(str, shards), "--into", str(into)]) == 1
    names = {p.name for p in into.iterdir()}
    assert names == set(merge.REPORTS)
    assert len(list((into / "cucumber-features").glob("*.json"))) == 2


@pytest.mark.parametrize(
    ("label", "splits", "group", "expected"),
    [(None, 3, 2, "2/3"), ("linux-py311 #2", 3, 2, "linux-py311 #2"), (None, None, None, None)],
)
def test_a_shard_is_named_by_its_label_or_else_by_pytest_split(
    label: str | None, splits: int | None, group: int | None, expected: str | None
) -> None:
    options = {"shard_label": label, "splits": splits, "group": group}
    config = SimpleNamespace(
        getoption=lambda name, default=None: options.get(name, default),
        option=SimpleNamespace(splits=splits, group=group),
    )
    assert run_file.shard_label(config) == expected  # type: ignore[arg-type]


# Streaming: a merge holds one feature's records, whatever the size of the run ------------------
def scaled(shards: list[Path], copies: int, work: Path) -> list[Path]:
    """The shards with each feature file there ``copies`` times (as bench/shards.py scales)."""
    folders = []
    for number, shard in enumerate(shards, start=1):
        folder = work / f"x{copies}-shard-{number}"
        folder.mkdir()
        shutil.copy(shard / "junit.xml", folder / "junit.xml")
        data = json.loads((shard / "run-model.json").read_text())
        sources, records = dict(data["sources"]), list(data["records"])
        for copy in range(1, copies):
            prefix = f"features/copy-{copy:02d}/"
            sources.update(
                {uri.replace("features/", prefix, 1): text for uri, text in data["sources"].items()}
            )
            for record in data["records"]:
                twin = json.loads(json.dumps(record))
                twin["feature"]["uri"] = twin["feature"]["uri"].replace("features/", prefix, 1)
                records.append(twin)
        records.sort(
            key=lambda r: (r["feature"]["uri"], r["line"], (r["example"] or {}).get("index", 0))
        )
        data["sources"], data["records"] = sources, records
        (folder / "run-model.json").write_text(json.dumps(data))
        folders.append(folder)
    return folders


def test_the_merge_never_holds_more_than_one_features_records(
    shards: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = scaled(shards, 5, tmp_path)
    records: list[weakref.finalize[[], None, ScenarioRecord]] = []  # one per record read
    read = run_file.from_data

    def tracked(data: dict[str, object]) -> ScenarioRecord:
        record = read(data)
        records.append(weakref.finalize(record, lambda: None))
        return record

    held: list[tuple[int, int]] = []  # (records alive, records of the feature) at each feature
    write = merge.Writers.feature

    def feature(self: merge.Writers, scenarios: list[ScenarioRecord]) -> None:
        held.append((sum(r.alive for r in records), len(scenarios)))
        write(self, scenarios)

    monkeypatch.setattr(run_file, "from_data", tracked)
    monkeypatch.setattr(merge.Writers, "feature", feature)
    summary = merge.merge(large, tmp_path / "merged")
    assert summary.scenarios == 5 * len(SCENARIOS)
    assert len(held) == 5 * 2
    # The feature's records, the next one of each shard, and the one that ended the feature.
    assert all(alive_now <= count + len(large) + 1 for alive_now, count in held), held
    assert max(count for _, count in held) < summary.scenarios


def test_a_run_files_records_are_read_as_they_are_asked_for(
    shards: list[Path], tmp_path: Path
) -> None:
    shard = max(
        shards, key=lambda s: len(json.loads((s / "run-model.json").read_text())["records"])
    )
    text = (shard / "run-model.json").read_text()
    cut = tmp_path / "run-model.json"
    records = text.index('\n"records": [')
    second = text.index("\n", text.index("\n", records + 1) + 1)  # past the first record's line
    cut.write_text(text[: second + 40])
    with run_file.Reader(cut) as reader:
        assert reader.run.sources == _sources(shard)
        read = reader.records()
        assert next(read).feature.uri.startswith("features/")  # before the file's end was read
        with pytest.raises(run_file.RunFileError, match="truncated or not JSON"):
            next(read)


def test_a_run_file_of_any_key_order_reads_as_its_json(shards: list[Path], tmp_path: Path) -> None:
    data = json.loads((shards[1] / "run-model.json").read_text())
    records = data.pop("records")
    moved = tmp_path / "run-model.json"
    moved.write_text(json.dumps({"records": records, **data}, indent=1))  # the records first
    assert run_file.read(moved) == run_file.read(shards[1] / "run-model.json")


def test_a_shard_whose_records_are_out_of_order_is_refused(
    shards: list[Path], into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shuffled = copied(shards[1], tmp_path, "shuffled")
    data = json.loads((shuffled / "run-model.json").read_text())
    assert len(data["records"]) > 1
    data["records"].reverse()
    (shuffled / "run-model.json").write_text(json.dumps(data))
    line = refused([shards[0], shuffled, shards[2]], into, capsys)
    assert line.startswith(f"reporting merge: {shuffled / 'run-model.json'}: scenario features/")
    assert line.endswith("the records are not in reading order")


def test_a_source_every_shard_ran_is_held_once_and_read_a_file_at_a_time(
    shards: list[Path],
) -> None:
    texts: dict[str, str] = {}
    with (
        run_file.Reader(shards[0] / "run-model.json", texts) as first,
        run_file.Reader(shards[1] / "run-model.json", texts) as second,
    ):
        assert first.run.sources is not None
        assert second.run.sources is not None
        shared = first.run.sources.keys() & second.run.sources.keys()
        assert shared
        for uri in shared:
            assert first.run.sources[uri] is second.run.sources[uri]
    # Read a member at a time: the sources are never parsed as one JSON value of the buffer.
    values: list[int] = []
    original = run_file.Reader._value

    def value(self: run_file.Reader) -> object:
        parsed = original(self)
        values.append(len(parsed) if isinstance(parsed, dict) else 0)
        return parsed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(run_file.Reader, "_value", value)
        with run_file.Reader(shards[0] / "run-model.json") as reader:
            assert reader.run.sources == _sources(shards[0])
    assert len(_sources(shards[0])) not in values
