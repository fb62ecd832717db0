"""A stand-in for ``docker run --rm --env-file FILE IMAGE CMD...``: the vault gets exactly the
variables of FILE (one NAME=VALUE a line, as docker reads it) and nothing of this environment but
PATH, as in a container. Lets the kit's test prove how the environment reaches a containerised
vault without an engine."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "--env-file":
        sys.stderr.write("usage: envfile_runner.py --env-file FILE CMD...\n")
        return 125  # docker's own status for a failed `docker run`
    env = {"PATH": os.environ.get("PATH", "")}
    with open(argv[1], encoding="utf-8") as lines:
        for line in lines:
            name, _, value = line.rstrip("\n").partition("=")
            if name and not name.startswith("#"):
                env[name] = value
    os.execvpe(argv[2], argv[2:], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
