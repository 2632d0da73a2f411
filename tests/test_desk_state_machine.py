"""``ticketflow.testing.DeskStateMachine`` on every preset, and proof that it fails
when it should: on a mutant desk (a host's invariant catches it) and on a machine that
loses events (the kit's replay invariant catches it).

The default profile runs a few short programs per preset (the suite's time budget);
``HYPOTHESIS_PROFILE=thorough`` runs many longer ones.
"""

from __future__ import annotations

import os
import runpy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from ticketflow import Desk, InvalidTypeError, Outcome, SlaEvent
from ticketflow.presets import (
    case_portal,
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)
from ticketflow.testing import DeskStateMachine, dst_changes

PRESETS: dict[str, Callable[[], Desk]] = {
    "support_portal": support_portal.desk,
    "hosting_portal": hosting_portal.desk,
    "escalation_process": escalation_process.desk,
    "escalation_process.engineering": escalation_process.engineering_desk,
    "italian_helpdesk": italian_helpdesk.desk,
    "volvo_it": volvo_it.desk,
    "servicenow": servicenow.desk,
    "case_portal": case_portal.desk,
}
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
RUNS = settings(
    max_examples=300 if THOROUGH else 6,
    stateful_step_count=60 if THOROUGH else 20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# A failure is found, not shrunk: the tests only ask whether the kit fails.
FIND = settings(RUNS, max_examples=60, phases=[Phase.generate], print_blob=False)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "test_my_desk.py"


class TestPresets:
    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_every_invariant_holds_on_the_preset(self, name: str) -> None:
        """Driven by the state machine, the preset keeps every invariant of the kit."""
        run_state_machine_as_test(DeskStateMachine.for_desk(PRESETS[name]()), settings=RUNS)


class TestTheKitFailsWhenItShould:
    def test_the_host_example_passes_on_its_desk(self) -> None:
        """The example host test (examples/test_my_desk.py) passes on the host's desk."""
        example = runpy.run_path(str(EXAMPLE))

        run_state_machine_as_test(example["MyDesk"], settings=RUNS)

    def test_the_host_invariant_catches_the_mutant_desk(self) -> None:
        """On the mutant desk, whose workflow lets a customer close a ticket, the
        example's invariant fails and says so."""
        example = runpy.run_path(str(EXAMPLE))

        with pytest.raises(AssertionError, match="a customer closed it"):
            run_state_machine_as_test(example["MutantDesk"], settings=FIND)

    def test_the_replay_invariant_catches_a_lost_event(self) -> None:
        """A machine that drops the SLA events it is given fails the replay invariant."""

        class Forgetful(DeskStateMachine):
            desk = support_portal.desk()

            def _record(self, ticket_id: str, outcome: Outcome) -> None:
                kept = tuple(e for e in outcome.events if not isinstance(e, SlaEvent))
                super()._record(ticket_id, Outcome(outcome.ticket, kept))

        with pytest.raises(AssertionError):
            run_state_machine_as_test(Forgetful, settings=FIND)


class TestTheMachine:
    def test_a_machine_without_a_desk_is_refused(self) -> None:
        """The base class itself has no desk: running it says how to give one."""
        with pytest.raises(InvalidTypeError, match=r"DeskStateMachine\.for_desk"):
            DeskStateMachine()

    def test_for_desk_refuses_a_workflow(self) -> None:
        """for_desk needs a desk, not a workflow."""
        with pytest.raises(InvalidTypeError, match="a Desk"):
            DeskStateMachine.for_desk(support_portal.WORKFLOW)  # type: ignore[arg-type]

    def test_a_jump_lands_on_the_calendar_s_next_dst_change(self) -> None:
        """On the Italian desk (Rome) the first landmark after 2 March 2026 is the DST
        change of 29 March (no Italian holiday falls between)."""
        machine = DeskStateMachine.for_desk(italian_helpdesk.desk())()

        machine.jump(0, timedelta(0))

        assert dst_changes("Europe/Rome", 2026)[0] == machine.now
        machine.teardown()

    def test_a_jump_lands_on_the_start_of_a_holiday(self) -> None:
        """On the support portal (Moscow, no DST any more) a jump lands on the local
        midnight that starts a Russian holiday."""
        desk = support_portal.desk()
        machine = DeskStateMachine.for_desk(desk)()

        machine.jump(0, timedelta(0))

        local = machine.at
        assert (0, 0) == (local.hour, local.minute)
        assert desk.calendar.holiday_name(local.date()) is not None
        machine.teardown()

    def test_time_only_moves_forward(self) -> None:
        """Waiting and jumping never move the machine's clock back."""
        machine = DeskStateMachine.for_desk(hosting_portal.desk())()
        instants = [machine.now]

        for around in (timedelta(hours=1), timedelta(0), -timedelta(minutes=1)):
            machine.jump(2, around)
            instants.append(machine.now)
            machine.wait(timedelta(minutes=1))
            instants.append(machine.now)

        assert instants == sorted(instants)
        assert datetime(2026, 3, 2, 9, tzinfo=UTC) == instants[0]
        machine.teardown()
