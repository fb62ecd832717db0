"""Planted bug: the page is parsed and dumped again ("normalised") before it is archived, so the
archive holds json.dumps(json.loads(body)), not the bytes the log API sent, under the hash of
those new bytes."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import _plant

from vault import service
from vault.payload import Page

_original_parse_page = service.parse_page


def parse_and_normalise(body: bytes, max_bytes: int) -> Page:
    page = _original_parse_page(body, max_bytes)
    normalised = json.dumps(json.loads(body)).encode("utf-8")
    return dataclasses.replace(page, body=normalised, sha256=hashlib.sha256(normalised).hexdigest())


BUG = (service, "parse_page", parse_and_normalise)

if __name__ == "__main__":
    _plant.plant(*BUG)
    _plant.run_vault()
