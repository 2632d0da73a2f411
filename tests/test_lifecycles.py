"""``ticketflow.testing.lifecycles``: valid lives of one ticket that reach every
reachable status of a desk, and ``command_sequences``' host roles.

The measure of issue 15 is 200 lives per preset reaching at least 95 % of the statuses
its workflow can reach. The default profile draws fewer lives (the suite's time budget)
and still asks for 95 %; ``HYPOTHESIS_PROFILE=thorough`` draws the 200.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from ticketflow import (
    AGENT,
    SYSTEM,
    Actor,
    Command,
    Desk,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    Reply,
    StatusChanged,
    TicketOpened,
    Workflow,
    handle,
    tick,
)
from ticketflow.presets import (
    case_portal,
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)
from ticketflow.testing import (
    BASE,
    cast_of,
    command_sequences,
    lifecycles,
    lived,
    reachable_statuses,
)

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
LIVES = 200 if THOROUGH else 60
MEASURED = settings(
    max_examples=LIVES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(max_examples=10, database=None, deadline=None)


def statuses_of(desk: Desk, commands: list[Command]) -> set[str]:
    """Every status the ticket is in on the way, as a host runs the commands."""
    _, events = lived(desk, commands)
    return {e.status for e in events if isinstance(e, TicketOpened)} | {
        e.target for e in events if isinstance(e, StatusChanged)
    }


class TestReach:
    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_lives_reach_almost_every_reachable_status(self, name: str) -> None:
        """On every preset, the drawn lives visit at least 95 % of the statuses its
        workflow can reach."""
        desk = PRESETS[name]()
        reached: set[str] = set()

        @MEASURED
        @given(lifecycles(desk))
        def live(commands: list[Command]) -> None:
            reached.update(statuses_of(desk, commands))

        live()

        reachable = reachable_statuses(desk.workflow)
        assert len(reached & reachable) >= 0.95 * len(reachable), sorted(reachable - reached)

    def test_reachable_statuses_follow_transitions_chains_and_reactions(self) -> None:
        """A status entered only by a ``then`` chain, or only by a reaction, is reachable."""
        workflow = Workflow.from_document(
            {
                "name": "w",
                "initial": "a",
                "statuses": [
                    {"name": "a", "category": "active"},
                    {"name": "b", "category": "canceled"},
                    {"name": "c", "category": "closed"},
                    {"name": "d", "category": "active"},
                ],
                "transitions": [
                    {"action": "drop", "from": ["a"], "to": "b", "roles": ["agent"], "then": ["c"]},
                    {"action": "back", "from": ["d"], "to": "a", "roles": ["agent"]},
                ],
                "reactions": [{"on": "customer_reply", "from": ["c"], "to": "d"}],
            }
        )

        assert frozenset({"a", "b", "c", "d"}) == reachable_statuses(workflow)

    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_every_status_of_a_preset_is_reachable(self, name: str) -> None:
        """A workflow refuses an unreachable status when it is built, so every status of
        a preset is reachable: the measure counts them all."""
        workflow = PRESETS[name]().workflow

        assert {s.name for s in workflow.statuses} == reachable_statuses(workflow)


class TestValidity:
    @FEW
    @given(lifecycles(support_portal.desk()))
    def test_a_life_opens_its_ticket_first_and_every_command_is_accepted(
        self, commands: list[Command]
    ) -> None:
        """The first command opens T-1 and a host running the rest refuses none of them."""
        ticket, events = lived(support_portal.desk(), commands)

        assert isinstance(commands[0], OpenTicket)
        assert ("T-1", len(events)) == (ticket.id, ticket.version)

    @FEW
    @given(lifecycles(hosting_portal.desk()))
    def test_instants_never_go_back_and_show_the_calendar_zone(
        self, commands: list[Command]
    ) -> None:
        """Each command is at or after the one before it, in the desk calendar's zone."""
        instants = [c.at for c in commands]

        assert instants == sorted(instants)
        assert {hosting_portal.desk().calendar.tz} == {str(at.tzinfo) for at in instants}

    @FEW
    @given(lifecycles(escalation_process.engineering_desk(), max_size=5))
    def test_max_size_bounds_the_commands_after_the_opening(self, commands: list[Command]) -> None:
        """A life holds the opening and at most ``max_size`` commands."""
        assert 1 <= len(commands) <= 6

    def test_a_desk_s_own_host_role_acts(self) -> None:
        """Commands come from the desk's declared host roles (the hosting portal's
        billing staff), not from a hard-coded one."""
        desk = hosting_portal.desk()
        roles: set[str] = set()

        @FEW
        @given(lifecycles(desk))
        def live(commands: list[Command]) -> None:
            roles.update(c.actor.role for c in commands)

        live()

        assert "billing" in roles

    def test_a_naive_start_is_refused(self) -> None:
        """A start without a time zone is refused before anything is drawn."""
        with pytest.raises(NaiveDatetimeError):
            lifecycles(support_portal.desk(), start=datetime(2026, 3, 2, 9))  # noqa: DTZ001

    def test_a_workflow_is_not_a_desk(self) -> None:
        """lifecycles needs the whole desk (its policies decide what is valid)."""
        with pytest.raises(InvalidTypeError, match="a Desk"):
            lifecycles(support_portal.WORKFLOW)  # type: ignore[arg-type]


class TestLived:
    def test_lived_sweeps_before_each_command(self) -> None:
        """The desk's timers up to a command's instant fire before the command, as in a
        host: a hosting ticket answered and left 30 days is closed by the system."""
        desk = hosting_portal.desk()
        alice, bob = Actor.customer("alice"), Actor.agent("bob")

        opening = OpenTicket(actor=alice, at=BASE, ticket_id="T-1", subject="Down")
        answer = PerformAction(actor=bob, at=BASE, action="answer")
        late = Reply(actor=alice, at=BASE + timedelta(days=31), body="It is down again")

        ticket, events = lived(desk, [opening, answer, late])

        answered = handle(desk, handle(desk, None, opening).ticket, answer).ticket
        swept = tick(desk, answered, late.at)
        assert hosting_portal.CLOSED == swept.ticket.status
        assert list(swept.events) == events[2 : 2 + len(swept.events)]
        assert handle(desk, swept.ticket, late).ticket == ticket

    def test_lived_refuses_no_commands(self) -> None:
        """Running nothing is refused, saying to give an opening."""
        with pytest.raises(InvalidValueError, match="give it an OpenTicket"):
            lived(support_portal.desk(), [])


class TestCast:
    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_the_cast_holds_every_role_that_may_act(self, name: str) -> None:
        """The cast is the requester, an agent, one actor of each host role, the system."""
        desk = PRESETS[name]()

        expected = ["customer", AGENT, *sorted(desk.staff_roles - {AGENT, SYSTEM}), SYSTEM]
        assert expected == [a.role for a in cast_of(desk)]


class TestCommandSequencesHostRoles:
    def test_a_desk_s_declared_roles_send_commands(self) -> None:
        """Given a desk, command_sequences draws its declared host roles (billing)."""
        roles: set[str] = set()

        @settings(max_examples=20, database=None, deadline=None)
        @given(command_sequences(hosting_portal.desk(), max_size=6))
        def draw(commands: list[Command]) -> None:
            roles.update(c.actor.role for c in commands)

        draw()

        assert "billing" in roles
        assert "supervisor" not in roles

    def test_a_workflow_without_host_roles_still_meets_a_stranger(self) -> None:
        """A workflow naming no host role gets ``supervisor``, a role it does not know."""
        roles: set[str] = set()

        @settings(max_examples=20, database=None, deadline=None)
        @given(command_sequences(servicenow.WORKFLOW, max_size=6))
        def draw(commands: list[Command]) -> None:
            roles.update(c.actor.role for c in commands)

        draw()

        assert "supervisor" in roles

    @pytest.mark.parametrize("chosen", [("auditor",), ("auditor", "lead")])
    def test_explicit_host_roles_win(self, chosen: tuple[str, ...]) -> None:
        """Host roles given explicitly are the only host roles drawn."""
        roles: set[str] = set()

        @settings(max_examples=20, database=None, deadline=None)
        @given(command_sequences(hosting_portal.desk(), max_size=6, host_roles=chosen))
        def draw(commands: list[Command]) -> None:
            roles.update(c.actor.role for c in commands)

        draw()

        assert set() != roles & set(chosen)
        assert roles - {"customer", "agent", "system", "anonymous"} <= set(chosen)
