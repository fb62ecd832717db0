"""Outside text made safe to show: control and bidi characters escaped, visibly.

A name in a feature file could otherwise clear a console line and write over it (``\\x1b``),
change a window title, or turn text around (``\\u202e``). Line breaks and tabs stay as they are.
"""

from __future__ import annotations

import re

# C0 but tab and line feed, DEL, C1; bidi marks, embeddings, overrides and isolates; the
# Unicode line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with each unsafe character written as its escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
