"""``python -m vault``: the process around ``vault.cli.main``."""

import io
import os
import sys


def _occupy_closed_standard_streams() -> None:
    """A vault started without stdin, stdout or stderr (``2>&-``) gets /dev/null in their place,
    so that no file or socket it opens later takes descriptor 0, 1 or 2 by chance."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one


_occupy_closed_standard_streams()
for _stream in (sys.stdout, sys.stderr):
    if isinstance(_stream, io.TextIOWrapper):  # a character the encoding lacks: its escape
        _stream.reconfigure(errors="backslashreplace")
try:
    from vault.cli import main
except KeyboardInterrupt:  # Ctrl-C before the vault started: nothing was done
    sys.exit(130)

sys.exit(main())
