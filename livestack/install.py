"""Install the embedded MongoDB server, nx-27017, into its own venv: `python -m livestack.install`.

Idempotent and fast when done: the venv records the requirements it was built from, and a venv
built from the same ones is left alone.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-nx"
REQUIREMENTS = Path(__file__).with_name("requirements-nx.txt")
STAMP = "livestack-requirements.txt"  # inside the venv: what it was built from


def nx_binary(venv_dir: Path = VENV) -> Path:
    """Where the nx-27017 command lives once installed."""
    return venv_dir / "bin" / "nx-27017"


def is_installed(venv_dir: Path = VENV) -> bool:
    stamp = venv_dir / STAMP
    return (
        nx_binary(venv_dir).exists()
        and stamp.exists()
        and stamp.read_text() == REQUIREMENTS.read_text()
    )


def install(venv_dir: Path = VENV) -> bool:
    """Build the venv from the pinned requirements; False when it was already up to date."""
    if is_installed(venv_dir):
        return False
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    subprocess.run(  # the venv's own pip, with the pinned file
        [
            str(venv_dir / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    (venv_dir / STAMP).write_text(REQUIREMENTS.read_text())
    return True


def main() -> int:
    done = install()
    state = "installed" if done else "already installed"
    print(f"nx-27017 {state} in {VENV}")  # a command's one line of output
    return 0


if __name__ == "__main__":
    sys.exit(main())
