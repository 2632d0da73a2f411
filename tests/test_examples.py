"""Every example in ``examples/`` runs, as a user would run it."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.fixture(autouse=True)
def _as_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    # An example run as a script sees only its own name in sys.argv, never pytest's
    # options: the host example would otherwise store its database in a file named "-n".
    monkeypatch.setattr(sys, "argv", ["example.py"])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Running the example as a script completes and prints something."""
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out


def test_demo_tells_the_seed_story(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo tells the seed story: escalate with a reason, approve, closed is final."""
    runpy.run_path(
        str(Path(__file__).parent.parent / "examples" / "support_portal_demo.py"),
        run_name="__main__",
    )
    out = capsys.readouterr().out
    assert "escalated (changed_scope)" in out
    assert "escalate: in_progress -> escalated" in out
    assert "resolve: awaiting_confirmation -> closed" in out
    assert "refused  TicketClosedError" in out
    assert "gives back the same ticket" in out


def test_the_host_example_sweeps_and_delivers_each_notification_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The host example stores the commands, refuses the stale one, lets the sweep remind
    and close both tickets, and delivers every notification once."""
    runpy.run_path(
        str(Path(__file__).parent.parent / "examples" / "host_support_portal.py"),
        run_name="__main__",
    )
    out = capsys.readouterr().out
    assert "refused  StaleCommandError" in out
    assert out.count("closing_soon") == 2
    assert "T-1: closed after 12 events" in out
    assert "T-2: closed after 10 events" in out
    keys = [line.rpartition("[")[2] for line in out.splitlines() if "notify" in line]
    assert len(keys) == len(set(keys)) == 8
