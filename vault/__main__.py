"""``python -m vault``: the process around ``vault.cli.main``."""

import contextlib
import io
import logging
import os
import sys
from typing import NoReturn


def _occupy_closed_standard_streams() -> None:
    """A vault started without stdin, stdout or stderr (``2>&-``) gets /dev/null in their place,
    so that no file or socket it opens later takes descriptor 0, 1 or 2 by chance."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one


def _end(code: int) -> NoReturn:
    """End the process with ``code`` once what it said is out, skipping the interpreter's
    shutdown. The command has closed what it opened (its MongoDB client, its HTTP session) and
    flushed stdout; shutdown would only wait: pymongo's exit hook joins its monitor threads,
    which sleep in half-second steps, and tearing down every module costs more (measured: a
    run ended 0.4-0.6 s after its last line)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # gone or closed
            stream.flush()
    os._exit(code)


_occupy_closed_standard_streams()
for _stream in (sys.stdout, sys.stderr):
    if isinstance(_stream, io.TextIOWrapper):  # a character the encoding lacks: its escape
        _stream.reconfigure(errors="backslashreplace")
try:
    from vault.cli import main
except KeyboardInterrupt:  # Ctrl-C before the vault started: nothing was done
    sys.exit(130)

_end(main())
