"""``ticketflow replay``, run as a user runs it: ``python -m ticketflow replay ...``."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from command_line import ticketflow
from ticketflow import Actor, OpenTicket, PerformAction, Reply, whatif
from ticketflow.presets import support_portal

MONDAY = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
ANN, BOB = Actor.customer("ann"), Actor.agent("bob")
ENTRIES = (
    whatif.Entry("T-1", OpenTicket(actor=ANN, at=MONDAY, ticket_id="T-1", subject="Dial")),
    whatif.Entry("T-2", OpenTicket(actor=ANN, at=MONDAY, ticket_id="T-2", subject="Bill")),
    whatif.Entry("T-1", Reply(actor=BOB, at=MONDAY + timedelta(minutes=30), body="On it")),
    whatif.Entry(
        "T-1",
        PerformAction(actor=BOB, at=MONDAY + timedelta(hours=1), action="propose_resolution"),
    ),
    whatif.Entry("T-2", PerformAction(actor=BOB, at=MONDAY + timedelta(hours=2), action="fly")),
    # A week later, so the replay's end comes after the auto-close.
    whatif.Entry("T-2", Reply(actor=BOB, at=MONDAY + timedelta(days=7), body="Still here?")),
)


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two support-portal tickets: T-1 answered and proposed resolved, T-2 never answered
    (and one unknown action on it)."""
    path = tmp_path_factory.mktemp("replay") / "stream.jsonl"
    path.write_text("".join(f"{line}\n" for line in whatif.write_stream(ENTRIES)), "utf-8")
    return path


@pytest.fixture(scope="module")
def shorter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk file: the support portal closing after 1 business day instead of 3."""
    text = files("ticketflow.presets").joinpath("support_portal.toml").read_text(encoding="utf-8")
    old = "after = {business_days = 3}\nreminders = [{business_days = 1}]"
    assert old in text
    path = tmp_path_factory.mktemp("desks") / "shorter.toml"
    path.write_text(text.replace(old, "after = {business_days = 1}"), "utf-8")
    return path


class TestReport:
    def test_the_report_reads_on_a_terminal(self, stream: Path) -> None:
        """Given a stream, when it is replayed under a preset, then the report gives the
        tickets, commands, refusals by code with an example, SLA and closes."""
        result = ticketflow("replay", str(stream), "--desk", "support_portal")

        assert (0, "") == (result.returncode, result.stderr)
        lines = result.stdout.splitlines()
        assert "support_portal (sweep due)" == lines[0]
        assert "  commands           6: 5 accepted, 1 refused" in lines
        assert "    unknown_action: 1" in lines
        assert "  SLA first_response: met 1, breached 1, running 0" in lines
        assert "  automatic closes   1" in lines

    def test_json_gives_the_reports_figures(self, stream: Path) -> None:
        """Given a stream, when it is replayed with --json, then stdout is the report's
        document, as the module makes it."""
        result = ticketflow("replay", str(stream), "--desk", "support_portal", "--json")

        document = json.loads(result.stdout)
        expected = whatif.replay(support_portal.desk(), ENTRIES).to_document()
        assert (0, expected) == (result.returncode, json.loads(json.dumps(document["report"])))

    def test_no_progress_line_when_stderr_is_not_a_terminal(self, stream: Path) -> None:
        """Given stderr captured (not a TTY), when a stream is replayed, then stderr stays
        empty."""
        result = ticketflow("replay", str(stream), "--desk", "support_portal", "--sweep", "hourly")

        assert (0, "") == (result.returncode, result.stderr)

    def test_a_progress_line_on_a_terminal(self, stream: Path) -> None:
        """Given stderr on a terminal (a pseudo-terminal), when a stream is replayed, then
        stderr shows how many lines were read, and stdout still holds the report."""
        controller, terminal = pty.openpty()
        try:
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ticketflow",
                    "replay",
                    str(stream),
                    "--desk",
                    "support_portal",
                ],
                stdout=subprocess.PIPE,
                stderr=terminal,
                text=True,
                check=False,
                timeout=120,
            )
            shown = os.read(controller, 4096).decode()
        finally:
            os.close(controller)
            os.close(terminal)

        assert (0, "support_portal (sweep due)") == (
            result.returncode,
            result.stdout.splitlines()[0],
        )
        assert f"reading {stream}: 6 lines, replaying" in shown


class TestAgainst:
    def test_a_shorter_auto_close_moves_the_close(self, stream: Path, shorter: Path) -> None:
        """Given the portal and a desk file closing after 1 business day, when the stream
        is replayed against it, then T-1's close moves two business days earlier."""
        result = ticketflow(
            "replay", str(stream), "--desk", "support_portal", "--against", str(shorter)
        )

        assert 0 == result.returncode
        lines = result.stdout.splitlines()
        assert "1 tickets differ: 0 gain a breach, 0 lose one, 1 close at another instant" in lines
        assert "  T-1: closed 2026-03-05T11:00:00+03:00 -> 2026-03-03T11:00:00+03:00" in lines

    def test_json_lists_the_differences(self, stream: Path, shorter: Path) -> None:
        """Given the same two desks, when replayed with --json, then the document lists
        T-1 as the one difference, with both closes."""
        result = ticketflow(
            "replay", str(stream), "--desk", "support_portal", "--against", str(shorter), "--json"
        )

        expected = {
            "ticket": "T-1",
            "breaches_gained": [],
            "breaches_lost": [],
            "closed_before": "2026-03-05T11:00:00+03:00",
            "closed_after": "2026-03-03T11:00:00+03:00",
        }
        assert [expected] == json.loads(result.stdout)["differences"]


class TestErrors:
    @pytest.mark.parametrize(
        ("arguments", "says"),
        [
            (("--desk", "support_portal", "--sweep", "weekly"), "'weekly' is not a cadence"),
            (("--desk", "nowhere"), "'nowhere' is neither a preset"),
            (("--desk", "missing.toml"), "missing.toml: no such file"),
            ((), "the following arguments are required: --desk"),
        ],
    )
    def test_a_usage_error_exits_2_on_stderr(
        self, stream: Path, arguments: tuple[str, ...], says: str
    ) -> None:
        """Given an option naming nothing that can run, when replay runs, then it exits 2
        with the message on stderr and nothing on stdout."""
        result = ticketflow("replay", str(stream), *arguments)

        assert (2, "") == (result.returncode, result.stdout)
        assert says in result.stderr

    def test_a_missing_stream_is_a_usage_error(self, tmp_path: Path) -> None:
        """Given no stream file, when replay runs, then it exits 2 naming the file."""
        result = ticketflow("replay", str(tmp_path / "none.jsonl"), "--desk", "support_portal")

        assert (2, f"{tmp_path / 'none.jsonl'}: no such file\n") == (
            result.returncode,
            result.stderr,
        )

    def test_a_bad_line_is_refused_with_its_number(self, tmp_path: Path) -> None:
        """Given a stream whose second line is not an entry, when replay runs, then it
        exits 1 naming the line, and prints no report."""
        path = tmp_path / "bad.jsonl"
        (first,) = whatif.write_stream(ENTRIES[:1])
        path.write_text(f'{first}\n{{"ticket": "T-1"}}\n', "utf-8")

        result = ticketflow("replay", str(path), "--desk", "support_portal")

        assert (1, "") == (result.returncode, result.stdout)
        assert "line 2: the entry has no 'command'" in result.stderr
