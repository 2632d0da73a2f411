"""The scripted life of one ticket through the support-portal preset.

Run: ``python examples/support_portal_demo.py`` (the same as ``ticketflow demo``).

The host's part is all in :func:`ticketflow.cli.run_demo`, shared with the command-line
tool: it keeps the ticket and its events in memory (a real host would store them),
passes the instant of every command (a real host would read its clock), and prints each
event instead of mailing anyone.
"""

from __future__ import annotations

from ticketflow.cli import run_demo


def main() -> None:
    """Run the demo."""
    run_demo()


if __name__ == "__main__":
    main()
