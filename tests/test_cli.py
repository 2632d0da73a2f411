"""The ``ticketflow`` command line, run as a user runs it: ``ticketflow.cli.main`` in this
process, and ``python -m ticketflow ...`` in a process of its own where the process is what
is tested (its entry point and exit status)."""

from __future__ import annotations

import importlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from command_line import ticketflow, ticketflow_process
from ticketflow import (
    ActionPerformed,
    Actor,
    Desk,
    FileAttached,
    OpenTicket,
    PerformAction,
    handle,
    presets,
)
from ticketflow.cli import describe_event
from ticketflow.codec import to_document
from ticketflow.presets import support_portal

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=MOSCOW)

BROKEN_WORKFLOW = """
initial = "open"
statuses = [
  {name = "open", category = "active"},
  {name = "done", category = "finished"},
]
[[transitions]]
action = "close"
from = ["open"]
to = "closed"
roles = ["agent"]
"""

TINY_WORKFLOW = """
name = "tiny"
initial = "open"
statuses = [{name = "open", category = "active"}, {name = "done", category = "closed"}]
[[transitions]]
action = "close"
from = ["open"]
to = "done"
roles = ["agent"]
"""


TINY_DESK = """
[workflow]
name = "tiny"
initial = "open"
priorities = ["high"]
default_priority = "high"
statuses = [{name = "open", category = "active"}, {name = "done", category = "closed"}]
transitions = [{action = "close", from = ["open"], to = "done", roles = ["agent", "triage"]}]

[calendar]
tz = "Europe/Berlin"
week = {mon-fri = "09:00-17:00"}

[[roles]]
name = "triage"
may = ["assign"]

[[sla.metrics]]
name = "first_response"
targets = {high = {business_hours = 4}}
starts_on = ["opened"]
stops_on = ["agent_reply"]

[intake]
fields = ["impact"]
"""

PRESET_NAMES = tuple(presets.__all__)


@pytest.fixture(scope="module")
def tickets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three stored support-portal tickets: T-2 opened an hour after T-1, T-3 solved."""
    desk = support_portal.desk()
    lines = []
    for number, hours in ((2, 1), (1, 0)):
        opened = OpenTicket(
            actor=Actor.customer("alice"),
            at=MONDAY + timedelta(hours=hours),
            ticket_id=f"T-{number}",
            subject="No dial tone",
        )
        lines.append(to_document(handle(desk, None, opened).ticket))
    opened = OpenTicket(actor=Actor.customer("carol"), at=MONDAY, ticket_id="T-3", subject="Fax")
    ticket = handle(desk, None, opened).ticket
    solve = PerformAction(actor=Actor.agent("bob"), at=MONDAY, action="propose_resolution")
    lines.append(to_document(handle(desk, ticket, solve).ticket))
    path = tmp_path_factory.mktemp("store") / "tickets.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


class TestUsage:
    @pytest.mark.parametrize("command", ["diagram", "check", "schema", "demo", "due", "explain"])
    def test_every_command_has_help(self, command: str) -> None:
        """``ticketflow COMMAND --help`` prints the command's usage and exits 0."""
        run = ticketflow(command, "--help")
        assert (0, f"usage: ticketflow {command}") == (
            run.returncode,
            run.stdout[: 18 + len(command)],
        )

    def test_the_top_level_help_lists_every_command(self) -> None:
        """``python -m ticketflow --help``, in a process of its own, names every command and
        exits 0."""
        run = ticketflow_process("--help")
        assert 0 == run.returncode
        for command in ("diagram", "check", "schema", "demo", "due", "explain"):
            assert command in run.stdout

    def test_no_command_is_a_usage_error(self) -> None:
        """Without a command, ``python -m ticketflow`` exits 2 with its usage on stderr."""
        run = ticketflow_process()
        assert (2, "") == (run.returncode, run.stdout)
        assert "usage: ticketflow" in run.stderr


class TestDiagram:
    def test_a_preset_is_drawn_in_mermaid(self) -> None:
        """``diagram support_portal`` prints a Mermaid flowchart naming every status."""
        run = ticketflow("diagram", "support_portal", "--format", "mermaid")
        assert (0, "flowchart LR") == (run.returncode, run.stdout.splitlines()[0])
        for status in support_portal.WORKFLOW.statuses:
            assert status.name in run.stdout

    def test_a_workflow_file_is_drawn_in_dot(self, tmp_path: Path) -> None:
        """A ``.toml`` workflow document is drawn as a DOT digraph."""
        path = tmp_path / "tiny.toml"
        path.write_text(TINY_WORKFLOW)
        run = ticketflow("diagram", str(path), "--format", "dot")
        assert (0, 'digraph "tiny" {') == (run.returncode, run.stdout.splitlines()[0])
        assert 's0 -> s1 [label="close [agent]", style=solid];' in run.stdout

    def test_an_unknown_preset_is_a_usage_error(self) -> None:
        """A name that is neither a preset nor a workflow file exits 2, naming the presets."""
        run = ticketflow("diagram", "zendesk")
        assert (2, "") == (run.returncode, run.stdout)
        assert "support_portal" in run.stderr


class TestCheck:
    def test_a_valid_workflow_is_clean(self, tmp_path: Path) -> None:
        """A valid workflow document exits 0 and says what it holds."""
        path = tmp_path / "tiny.toml"
        path.write_text(TINY_WORKFLOW)
        run = ticketflow("check", str(path))
        assert (0, f"{path}: valid workflow 'tiny': 2 statuses, 1 transitions\n") == (
            run.returncode,
            run.stdout,
        )

    def test_a_broken_workflow_lists_every_problem_on_its_own_line(self, tmp_path: Path) -> None:
        """Each problem is one line: the file, the place, what is wrong and its fix; exit 1."""
        path = tmp_path / "broken.toml"
        path.write_text(BROKEN_WORKFLOW)
        run = ticketflow("check", str(path))
        lines = run.stdout.splitlines()
        assert 1 == run.returncode
        assert f"{path}: statuses[1].category: has unknown category 'finished'" in lines[0]
        assert any("transitions[0].to: names unknown target status 'closed'" in x for x in lines)
        assert all(line.startswith(f"{path}: ") and "(fix: " in line for line in lines)
        assert f"{len(lines)} problems" in run.stderr

    def test_a_json_calendar_is_told_from_its_keys(self, tmp_path: Path) -> None:
        """A JSON document with ``tz`` is checked as a business calendar."""
        path = tmp_path / "hours.json"
        path.write_text(json.dumps({"tz": "Europe/Berlin", "week": {"mon-fri": "09:00-17:00"}}))
        run = ticketflow("check", str(path))
        assert (0, f"{path}: valid business calendar in Europe/Berlin\n") == (
            run.returncode,
            run.stdout,
        )

    def test_a_broken_calendar_lists_its_problems(self, tmp_path: Path) -> None:
        """``--kind calendar`` checks a calendar; its problems are listed and it exits 1."""
        path = tmp_path / "hours.toml"
        path.write_text('tz = "Mars/Olympus"\n[week]\nfunday = "9-5"\n')
        run = ticketflow("check", "--kind", "calendar", str(path))
        assert 1 == run.returncode
        assert 3 == len(run.stdout.splitlines())

    def test_a_missing_file_is_a_usage_error(self, tmp_path: Path) -> None:
        """A file that does not exist exits 2 with the message on stderr."""
        run = ticketflow("check", str(tmp_path / "nowhere.toml"))
        assert (2, "", f"{tmp_path / 'nowhere.toml'}: no such file\n") == (
            run.returncode,
            run.stdout,
            run.stderr,
        )

    def test_an_unknown_kind_is_a_usage_error(self, tmp_path: Path) -> None:
        """``--kind`` accepts only desk, workflow or calendar; anything else exits 2."""
        run = ticketflow("check", "--kind", "ticket", str(tmp_path / "x.toml"))
        assert 2 == run.returncode
        assert "invalid choice: 'ticket'" in run.stderr

    def test_a_valid_desk_document_is_clean(self, tmp_path: Path) -> None:
        """A TOML desk document (told from its ``workflow`` key) exits 0 and says what
        it holds."""
        path = tmp_path / "desk.toml"
        path.write_text(TINY_DESK)
        run = ticketflow("check", str(path))
        assert (
            0,
            f"{path}: valid desk: workflow 'tiny' (2 statuses, 1 transition), "
            "1 SLA metric, 1 declared role\n",
        ) == (run.returncode, run.stdout)

    @pytest.mark.parametrize("preset", PRESET_NAMES)
    def test_every_preset_desk_document_is_clean(self, preset: str, tmp_path: Path) -> None:
        """Every preset's desk, written as a JSON document, passes the check."""
        module = importlib.import_module(f"ticketflow.presets.{preset}")
        path = tmp_path / f"{preset}.json"
        path.write_text(json.dumps(module.desk().to_document()))
        run = ticketflow("check", str(path))
        assert (0, f"{path}: valid desk") == (run.returncode, run.stdout[: len(str(path)) + 12])

    def test_a_broken_desk_lists_every_problem_with_its_path_and_fix(self, tmp_path: Path) -> None:
        """A desk document with four faults in three parts prints each on its own line,
        with its path and fix, and exits 1."""
        path = tmp_path / "desk.toml"
        path.write_text(
            TINY_DESK.replace('may = ["assign"]', 'may = ["asign"]')
            .replace("business_hours = 4", "business_days = 1")
            .replace('tz = "Europe/Berlin"', 'tz = "Europe/Berlni"')
            .replace("[intake]", "[intake]\nfeilds = []")
        )
        run = ticketflow("check", str(path))
        lines = run.stdout.splitlines()
        assert 1 == run.returncode
        assert [
            "roles[0].may[0]",
            "intake.feilds",
            "calendar.tz",
            "sla.metrics[0].targets.high",
        ] == [line.removeprefix(f"{path}: ").partition(":")[0] for line in lines]
        assert all("(fix: " in line for line in lines)
        assert "4 problems" in run.stderr

    def test_a_desk_whose_parts_do_not_fit_reports_the_metric_by_its_path(
        self, tmp_path: Path
    ) -> None:
        """The desk's SLA lint runs too: a metric without a target for a priority is
        reported at ``sla.metrics[0]``."""
        path = tmp_path / "desk.toml"
        path.write_text(TINY_DESK.replace('priorities = ["high"]', 'priorities = ["high", "low"]'))
        run = ticketflow("check", str(path))
        assert (1, f"{path}: sla.metrics[0]: has no target for priority 'low'") == (
            run.returncode,
            run.stdout.partition(" (fix")[0],
        )


class TestSchema:
    def test_the_schema_is_the_published_one(self) -> None:
        """``ticketflow schema`` prints the JSON Schema shipped as ticketflow/desk.schema.json."""
        run = ticketflow("schema")
        published = Path(__file__).resolve().parents[1] / "src" / "ticketflow" / "desk.schema.json"
        assert 0 == run.returncode
        assert json.loads(published.read_text()) == json.loads(run.stdout)
        assert Desk.json_schema() == json.loads(run.stdout)


class TestDemo:
    def test_the_demo_tells_the_seed_story(self) -> None:
        """``ticketflow demo`` escalates with a reason, closes on approval, replays."""
        run = ticketflow("demo")
        assert 0 == run.returncode
        assert "escalated (changed_scope)" in run.stdout
        assert "refused  TicketClosedError" in run.stdout
        assert "gives back the same ticket" in run.stdout


class TestDue:
    def test_due_tickets_are_listed_earliest_first(self, tickets: Path) -> None:
        """The tickets whose next rule falls due by the instant (T-3's auto-close comes
        later), earliest first, each at the instant's offset."""
        run = ticketflow(
            "due", str(tickets), "--preset", "support_portal", "--at", "2026-03-02T15:30:00+03:00"
        )
        assert (0, "") == (run.returncode, run.stderr)
        assert [
            "2026-03-02T13:00:00+03:00  T-1  (in_progress)",
            "2026-03-02T14:00:00+03:00  T-2  (in_progress)",
        ] == run.stdout.splitlines()

    def test_a_naive_instant_is_a_usage_error(self, tickets: Path) -> None:
        """An instant without an offset exits 2, saying to add one."""
        run = ticketflow(
            "due", str(tickets), "--preset", "support_portal", "--at", "2026-03-02T15:30"
        )
        assert (2, "") == (run.returncode, run.stdout)
        assert "has no offset" in run.stderr
        assert "add one" in run.stderr


class TestExplain:
    def test_the_explanation_is_printed(self, tickets: Path) -> None:
        """The metric's status and its counted and excluded intervals are printed."""
        run = ticketflow(
            "explain",
            str(tickets),
            "--preset",
            "support_portal",
            "--ticket",
            "T-1",
            "--metric",
            "first_response",
            "--at",
            "2026-03-03T12:00:00+03:00",
        )
        assert (0, "") == (run.returncode, run.stderr)
        assert "first_response" in run.stdout
        assert "closed hours" in run.stdout

    def test_an_unknown_metric_is_one_readable_refusal(self, tickets: Path) -> None:
        """A metric the desk lacks exits 1 with one message naming the known ones, no traceback."""
        run = ticketflow(
            "explain",
            str(tickets),
            "--preset",
            "support_portal",
            "--ticket",
            "T-1",
            "--metric",
            "happiness",
            "--at",
            "2026-03-03T12:00:00+03:00",
        )
        assert (1, "") == (run.returncode, run.stdout)
        assert "happiness" in run.stderr
        assert "first_response" in run.stderr
        assert "Traceback" not in run.stderr

    def test_an_unknown_ticket_is_refused(self, tickets: Path) -> None:
        """A ticket id the file does not hold exits 1, saying so."""
        run = ticketflow(
            "explain",
            str(tickets),
            "--preset",
            "support_portal",
            "--ticket",
            "T-9",
            "--metric",
            "first_response",
            "--at",
            "2026-03-03T12:00:00+03:00",
        )
        assert (1, f"{tickets}: holds no ticket 'T-9'\n") == (run.returncode, run.stderr)


class TestDescribeEvent:
    def test_a_self_loop_reads_as_the_action_performed(self) -> None:
        """A reschedule is told as the action with the status it stays in, not a change."""
        at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin"))
        event = ActionPerformed(
            ticket_id="T-1",
            version=4,
            at=at,
            actor=Actor.agent("bob"),
            action="schedule",
            status="scheduled",
            reason="customer asked for Friday",
        )

        line = describe_event(event)

        assert "schedule: stays scheduled (customer asked for Friday)" in line

    def test_an_attachment_reads_as_its_name_type_and_size(self) -> None:
        """A file attached is told by its name, media type and size, not its reference."""
        at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin"))
        event = FileAttached(
            ticket_id="T-1",
            version=2,
            at=at,
            actor=Actor.customer("alice"),
            name="error.png",
            size=48_213,
            media_type="image/png",
            reference="blob:7f3a",
        )

        line = describe_event(event)

        assert "attached 'error.png' (image/png, 48,213 bytes)" in line
        assert "blob:7f3a" not in line
