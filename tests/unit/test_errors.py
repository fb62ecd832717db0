"""The error codes: one typed error each, the published ones all present, all documented."""

from __future__ import annotations

from pathlib import Path

from vault import errors

PUBLISHED = {
    "SOURCE_UNAVAILABLE",
    "SOURCE_REJECTED",
    "INVALID_PAYLOAD",
    "PAYLOAD_TOO_LARGE",
    "STORAGE_ACCESS_DENIED",
    "STORAGE_BUCKET_MISSING",
    "STORAGE_UNAVAILABLE",
    "AUDIT_UNAVAILABLE",
}


def test_every_error_class_has_its_own_code_and_the_published_ones_exist() -> None:
    subclasses = set(errors.VaultError.__subclasses__())
    assert subclasses == set(errors.ERROR_CODES)
    codes = [error.code for error in errors.ERROR_CODES]
    assert len(codes) == len(set(codes))
    assert set(codes) >= PUBLISHED


def test_the_operating_page_tells_users_what_to_do_about_every_code() -> None:
    readme = (Path(__file__).parents[2] / "docs" / "operating.md").read_text(encoding="utf-8")
    missing = [e.code for e in errors.ERROR_CODES if f"| `{e.code}` |" not in readme]
    assert missing == []
