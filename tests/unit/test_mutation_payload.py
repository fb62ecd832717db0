"""vault/payload.py: how outside text is cut short in a message, and what a lookup of a followed
cursor answers. Written to close the fast selection's survivors (tests/mutation/survivors.toml)."""

from __future__ import annotations

import threading
import tracemalloc
from collections.abc import Callable

import pytest

from vault.errors import InvalidPayload
from vault.payload import FollowedCursors, parse_page


def _duplicate_key_message(key: str) -> str:
    body = f'{{"logs":[{{"{key}":1,"{key}":2}}]}}'.encode()
    with pytest.raises(InvalidPayload) as caught:
        parse_page(body, len(body))
    return caught.value.message


def test_a_key_of_40_characters_is_quoted_whole() -> None:
    key = "k" * 40
    assert _duplicate_key_message(key) == f"duplicate key {key!r} in a JSON object"


def test_a_key_of_41_characters_is_cut_to_40_and_its_length_given() -> None:
    key = "k" * 40 + "z"
    assert _duplicate_key_message(key) == (
        f"duplicate key {'k' * 40!r}... (41 characters) in a JSON object"
    )


def test_only_a_cursor_that_was_followed_is_found() -> None:
    followed = FollowedCursors()
    assert "p2" not in followed
    followed.add("p2")
    followed.add("p3")
    assert "p2" in followed
    assert "p3" in followed
    assert "p4" not in followed


@pytest.mark.parametrize("other", [None, 5, b"p2", ["p2"]])
def test_what_is_not_a_string_was_never_followed(other: object) -> None:
    followed = FollowedCursors()
    followed.add("p2")
    assert other not in followed


def test_a_followed_cursor_costs_its_digest_not_its_text() -> None:
    """The docstring's promise: a run may follow 10,000 cursors of up to 60 KiB each."""
    followed = FollowedCursors()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(10_000):
            followed.add(f"{number:08}" + "c" * 1016)  # 1 KiB each, 10 MB of text in all
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 10_000 * 16 * 1.5, f"{grown:,} bytes for 10,000 cursors"
    assert f"{9_999:08}" + "c" * 1016 in followed


class _TwoByteDigests(FollowedCursors):
    """Digests so short that the bytes of two neighbours spell a third: the case that 16-byte
    digests make too rare to build, and that the lookup must still get right."""

    _SIZE = 2


def _found(followed: FollowedCursors, cursor: str) -> bool:
    """``cursor in followed``, bounded: a lookup that kept finding the same straddling bytes
    would never end, and a test should fail, not hang."""
    answer: list[bool] = []
    worker = threading.Thread(target=lambda: answer.append(cursor in followed), daemon=True)
    worker.start()
    worker.join(5.0)
    assert answer, "the lookup did not end within 5 s"
    return answer[0]


def _digest(cursor: str) -> bytes:
    return _TwoByteDigests()._digest(cursor)


def _first(wanted: Callable[[bytes], bool], *besides: str) -> str:
    """The first cursor c0, c1, ... not among ``besides`` whose digest is ``wanted``."""
    names = (f"c{n}" for n in range(2**20))  # 2-byte digests: one in 65,536 is any digest
    found = next((name for name in names if name not in besides and wanted(_digest(name))), None)
    assert found is not None, "no cursor of c0 to c1048575 has such a 2-byte digest"
    return found


def test_bytes_that_straddle_two_digests_are_not_a_followed_cursor() -> None:
    followed = _TwoByteDigests()
    followed.add("a")
    followed.add("b")
    straddling = _digest("a")[1:] + _digest("b")[:1]
    assert straddling not in (_digest("a"), _digest("b"))
    ghost = _first(lambda d: d == straddling)
    assert not _found(followed, ghost)
    followed.add(ghost)  # now found whole, after the straddling bytes: the lookup goes on
    assert _found(followed, ghost)


def test_a_followed_cursor_is_found_before_bytes_that_straddle_two_digests() -> None:
    followed = _TwoByteDigests()
    cursor = _first(lambda d: True)
    left = _first(lambda d: d[1:] == _digest(cursor)[:1], cursor)
    right = _first(lambda d: d[:1] == _digest(cursor)[1:], cursor, left)
    for name in (cursor, left, right):
        followed.add(name)
    assert _found(followed, cursor)


def test_a_followed_cursor_is_found_right_after_a_straddling_match_that_overlaps_it() -> None:
    # A digest of two equal bytes "xx", after a digest ending in "x": "?x" "xx" holds "xx" at
    # offset 1 (straddling) and at offset 2 (whole); the lookup must try offset 2.
    doubled = _first(lambda d: d[0] == d[1])
    before = _first(lambda d: d[1:] == _digest(doubled)[:1] and d[0] != d[1])
    followed = _TwoByteDigests()
    followed.add(before)
    followed.add(doubled)
    assert _found(followed, doubled)
