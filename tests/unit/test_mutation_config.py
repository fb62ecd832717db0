"""vault/config.py: the numbers a setting turns into, and the rules an operator reads. Written to
close the fast selection's survivors (tests/mutation/survivors.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vault.config import LARGEST_WHOLE_NUMBER, ConfigError, settings_from_env

GOOD = {
    "VAULT_API_URL": "https://logs.example.invalid/api",
    "VAULT_BUCKET": "audit-archive",
    "VAULT_MONGO_URI": "mongomock://",
}


@pytest.mark.parametrize(
    ("raw", "pages"),
    [
        ("0" * 20 + "5", 5),  # zeros in front count for nothing, however many
        ("9" * 18, 10**18 - 1),  # 18 digits: taken as they are
        ("1" + "0" * 18, LARGEST_WHOLE_NUMBER),
        ("9" * 19, LARGEST_WHOLE_NUMBER),
        ("9" * 5000, LARGEST_WHOLE_NUMBER),
    ],
)
def test_a_whole_number_setting_is_the_number_it_spells_up_to_the_largest(
    raw: str, pages: int
) -> None:
    assert settings_from_env({**GOOD, "VAULT_MAX_PAGES": raw}).max_pages == pages


def _problems(name: str, raw: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**GOOD, name: raw})
    return caught.value.problems


@pytest.mark.parametrize("raw", ["2026-03-01 12:00", "2026-02-30T12:00:00Z"])
def test_a_bad_test_now_is_refused_with_an_example_of_a_good_one(raw: str) -> None:
    assert _problems("VAULT_TEST_NOW", raw) == [
        f"VAULT_TEST_NOW must be an ISO 8601 UTC instant such as 2026-03-01T12:00:00Z, got {raw!r}"
    ]


def test_a_pause_log_in_a_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    raw = str(tmp_path / "gone" / "pauses.log")
    assert _problems("VAULT_TEST_PAUSE_LOG", raw) == [
        f"VAULT_TEST_PAUSE_LOG must be a file path in a folder that exists, got {raw!r}"
    ]


def test_a_pause_log_path_with_a_nul_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No file system takes a NUL, whatever folders the working directory holds.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "XXXX").mkdir()
    raw = "pauses\x00.log"
    assert _problems("VAULT_TEST_PAUSE_LOG", raw) == [
        f"VAULT_TEST_PAUSE_LOG must be a file path in a folder that exists, got {raw!r}"
    ]
