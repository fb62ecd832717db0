"""Planted bug: an S3 403 is swallowed ("permissions settle eventually"), so the run goes on,
writes an audit record for an object that is not there, and exits 0."""

from __future__ import annotations

import contextlib

import _plant

from vault.adapters.s3_archive import S3Archive
from vault.errors import StorageAccessDenied

_original_store = S3Archive.store


def store_ignoring_403(self: S3Archive, key: str, body: bytes, sha256_hex: str) -> None:
    with contextlib.suppress(StorageAccessDenied):
        _original_store(self, key, body, sha256_hex)


BUG = (S3Archive, "store", store_ignoring_403)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
