"""Running ``ticketflow`` as a user does: ``python -m ticketflow`` in a subprocess."""

from __future__ import annotations

import subprocess
import sys


def ticketflow(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m ticketflow ARGUMENTS``: its exit status, stdout and stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "ticketflow", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
