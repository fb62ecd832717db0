"""``python -m reporting merge SHARD_DIR [SHARD_DIR ...] --into OUT_DIR``: see reporting.merge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reporting import merge

BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reporting")
    commands = parser.add_subparsers(dest="command", required=True)
    merging = commands.add_parser(
        "merge",
        help="merge the report folders of a split run's shards into one run's reports",
        description=merge.__doc__.splitlines()[0] if merge.__doc__ else None,
    )
    merging.add_argument("shards", nargs="+", type=Path, metavar="SHARD_DIR")
    merging.add_argument("--into", required=True, type=Path, metavar="OUT_DIR")
    merging.add_argument(
        "--compare-with",
        type=Path,
        metavar="PATH",
        help="a previous run's Cucumber JSON: what newly fails, is fixed, new or removed",
    )
    options = parser.parse_args(argv)
    try:
        merged = merge.merge(options.shards, options.into, options.compare_with)
    except merge.MergeError as error:
        print(f"reporting merge: {error}", file=sys.stderr)
        return BAD_INPUT
    print(merge.summary(merged, options.into))
    return 1 if merged.failed else 0


if __name__ == "__main__":
    sys.exit(main())
