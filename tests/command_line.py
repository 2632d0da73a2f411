"""Running ``ticketflow`` as a user does, in this process or in a process of its own.

:func:`ticketflow` calls :func:`ticketflow.cli.main`, the function behind
``python -m ticketflow`` (``ticketflow/__main__.py`` only passes its status to
``SystemExit``), with stdout and stderr captured: a test then pays for the command, not
for starting an interpreter and importing the library again (about a second each, on two
busy cores). :func:`ticketflow_process` runs ``python -m ticketflow`` in a subprocess, for
the tests of what only a process shows: the entry point, its exit status and a terminal.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

from ticketflow.cli import main


def ticketflow(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``ticketflow ARGUMENTS`` run in this process: its exit status, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = main(list(arguments))
        except SystemExit as exit_:  # argparse's --help and usage errors
            status = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(
        ["ticketflow", *arguments], status, stdout.getvalue(), stderr.getvalue()
    )


def ticketflow_process(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m ticketflow ARGUMENTS`` in a subprocess: its exit status, stdout and
    stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "ticketflow", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
