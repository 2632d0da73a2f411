"""The adversarial suite: classes of defect that must stay closed (issue 10).

- Random lifecycles on every preset, with instants walking through DST folds in
  several zones: every ordering decision agrees with UTC, replay gives the ticket back,
  and a late sweep records the same instants.
- The authorization matrix: every kind of actor (malformed role names included) times
  every command, on the requester's own ticket and on someone else's; and
  ``OpenTicket`` with every optional field, by a requester and by staff.

The codec's and the workflow documents' fuzz tests live beside their modules
(``tests/test_codec.py``, ``tests/test_workflow_documents.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import hypothesis
import pytest
from hypothesis import strategies as st

from strategies import command_sequences, dst_changes
from ticketflow import (
    Actor,
    Assign,
    ChangePriority,
    ChangeSupportLevel,
    CheckSlaClock,
    Command,
    CommandRefusedError,
    Desk,
    Escalate,
    Event,
    InvalidTypeError,
    InvalidValueError,
    MuteNotifications,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reply,
    Role,
    SendReminder,
    SetField,
    StaleCommandError,
    Ticket,
    TicketNotFoundError,
    allowed_actions,
    decide,
    explain,
    follow_up,
    handle,
    next_due,
    notifications,
    replay,
    sla_status,
    tick,
    validate_escalation,
    visible_to,
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

PRESETS: dict[str, Callable[[], Desk]] = {
    "support_portal": support_portal.desk,
    "hosting_portal": hosting_portal.desk,
    "escalation_process": escalation_process.desk,
    "servicenow": servicenow.desk,
    "italian_helpdesk": italian_helpdesk.desk,
    "volvo_it": volvo_it.desk,
    "case_portal": case_portal.desk,
}

# Zones whose clocks go back (a repeated hour, or half hour on Lord Howe Island).
FOLD_ZONES = ("Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns", "Europe/Rome")


def utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _starts() -> list[tuple[str, datetime]]:
    """An instant two hours before each DST change of 2026, per fold zone."""
    return [
        (name, change - timedelta(hours=2))
        for name in FOLD_ZONES
        for change in dst_changes(name, 2026)
    ]


STARTS = _starts()


@st.composite
def dst_lives(draw: st.DrawFn, desk: Desk) -> list[Command]:
    """A ticket's life that walks through a DST change in small steps, in one zone."""
    zone_name, start = draw(st.sampled_from(STARTS))
    zone = ZoneInfo(zone_name)
    return draw(
        command_sequences(
            desk.workflow,
            start=start,
            zone=zone,
            max_size=16,
            steps=(0, 60, 600, 1200, 1800, 3600),
        )
    )


def live(desk: Desk, commands: list[Command]) -> tuple[Ticket, tuple[Event, ...]]:
    """Handle ``commands`` as a punctual host would (sweeping due rules before each).

    Checks, on the way, that every refusal left the ticket as it was and that a command
    is refused as stale exactly when it is earlier, in UTC, than the ticket's last change.
    """
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        if ticket is not None and utc(command.at) >= utc(ticket.updated_at):
            swept = tick(desk, ticket, command.at)
            ticket = swept.ticket
            events.extend(swept.events)
        before = copy.deepcopy(ticket)
        earlier = ticket is not None and utc(command.at) < utc(ticket.updated_at)
        try:
            outcome = handle(desk, ticket, command)
        except StaleCommandError:
            assert earlier, f"refused as stale but not earlier in UTC: {command!r}"
            assert before == ticket
            continue
        except CommandRefusedError:
            assert before == ticket
            continue
        assert not earlier, f"accepted although earlier in UTC than the last change: {command!r}"
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None  # the first command opens the ticket
    return ticket, tuple(events)


def test_every_preset_lives_through_the_dst_changes() -> None:
    """The presets tried below are all of them: a new preset cannot be left out."""
    import ticketflow.presets

    assert sorted(ticketflow.presets.__all__) == sorted(PRESETS)


@pytest.mark.parametrize("preset", sorted(PRESETS))
class TestLivesThroughDstChanges:
    @hypothesis.settings(max_examples=25)
    @hypothesis.given(data=st.data())
    def test_every_ordering_decision_agrees_with_utc(
        self, preset: str, data: st.DataObject
    ) -> None:
        """Events run forward in UTC, stale refusals match UTC, replay gives the ticket back."""
        desk = PRESETS[preset]()
        commands = data.draw(dst_lives(desk))

        ticket, events = live(desk, commands)

        instants = [utc(e.at) for e in events]
        assert sorted(instants) == instants
        assert ticket == replay(events)

    @hypothesis.settings(max_examples=15)
    @hypothesis.given(data=st.data())
    def test_a_late_sweep_fires_everything_due_and_nothing_after(
        self, preset: str, data: st.DataObject
    ) -> None:
        """A sweep 40 days later fires rules in UTC order, none after now, and re-arms later."""
        desk = PRESETS[preset]()
        ticket, _ = live(desk, data.draw(dst_lives(desk)))
        now = ticket.updated_at + timedelta(days=40)

        swept = tick(desk, ticket, now)

        fired = [utc(e.at) for e in swept.events]
        assert sorted(fired) == fired
        assert all(at <= utc(now) for at in fired)
        due = next_due(desk, swept.ticket)
        assert due is None or utc(due) > utc(now)


# -- the authorization matrix ----------------------------------------------------------------

AT = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
SYSTEM = Actor.system()
NOBODY = Actor.anonymous()
AUDITOR = Actor("ursula", "readonly_auditor")
OUTSIDERS = {"other-customer": BOB, "anonymous": NOBODY, "undeclared-role": AUDITOR}


def alices_ticket(desk: Desk) -> Ticket:
    opening = OpenTicket(actor=ALICE, at=AT, ticket_id="T-1", subject="Phones down")
    return handle(desk, None, opening).ticket


def every_command(actor: Actor, at: datetime) -> dict[str, Command]:
    """One command of every kind, as staff would send it."""
    return {
        "perform": PerformAction(actor=actor, at=at, action="propose_resolution"),
        "reply": Reply(actor=actor, at=at, body="Any news?"),
        "internal-note": Reply(actor=actor, at=at, body="Call them", public=False),
        "assign": Assign(actor=actor, at=at, assignee="carol", group="voice"),
        "priority": ChangePriority(actor=actor, at=at, priority="critical"),
        "mute": MuteNotifications(actor=actor, at=at),
        "set-field": SetField(actor=actor, at=at, name="impact", value="all phones"),
        "reminder": SendReminder(actor=actor, at=at, rule="r", action="close", due=at),
        "sla-check": CheckSlaClock(actor=actor, at=at, metric="first_response"),
        "escalate": Escalate(actor=actor, at=at, reason="changed_scope", details="All sites"),
        "support-level": ChangeSupportLevel(actor=actor, at=at, level=2),
    }


COMMAND_KINDS = sorted(every_command(CAROL, AT))
# What only the desk's staff may do: a requester is refused each, whatever the ticket.
STAFF_ONLY = {
    "internal-note",
    "assign",
    "priority",
    "set-field",
    "reminder",
    "sla-check",
    "support-level",
}
PORTAL = support_portal.desk()


class TestAuthorizationMatrix:
    @pytest.mark.parametrize("kind", COMMAND_KINDS)
    @pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
    def test_an_outsider_learns_nothing_and_changes_nothing(self, outsider: str, kind: str) -> None:
        """Every command of every outsider is refused as not found; the ticket is unchanged."""
        ticket = alices_ticket(PORTAL)
        before = copy.deepcopy(ticket)
        command = every_command(OUTSIDERS[outsider], AT + timedelta(minutes=1))[kind]

        with pytest.raises(TicketNotFoundError) as raised:
            handle(PORTAL, ticket, command)

        assert before == ticket
        assert "T-1" not in str(raised.value)

    @pytest.mark.parametrize("kind", sorted(STAFF_ONLY))
    def test_the_requester_may_not_do_what_only_staff_do(self, kind: str) -> None:
        """Alice's staff-only commands on her own ticket are refused; the ticket is unchanged."""
        ticket = alices_ticket(PORTAL)
        before = copy.deepcopy(ticket)
        command = every_command(ALICE, AT + timedelta(minutes=1))[kind]

        with pytest.raises(CommandRefusedError) as raised:
            handle(PORTAL, ticket, command)

        assert not isinstance(raised.value, TicketNotFoundError)
        assert before == ticket

    @pytest.mark.parametrize("kind", ["internal-note", "assign", "priority", "set-field"])
    def test_an_agent_may_do_what_staff_do(self, kind: str) -> None:
        """Carol's staff commands on alice's ticket are accepted."""
        ticket = alices_ticket(PORTAL)
        command = every_command(CAROL, AT + timedelta(minutes=1))[kind]

        assert handle(PORTAL, ticket, command).ticket.version > ticket.version

    @pytest.mark.parametrize(
        "role",
        ["Customer ", "CUSTOMER", "anonymous ", "agent\u200b", " agent", "Agent", "", "a" * 65],
    )
    def test_a_malformed_role_is_never_an_actor(self, role: str) -> None:
        """Whitespace, capitals, zero-width spaces and overlong names make no actor at all."""
        with pytest.raises(InvalidValueError):
            Actor("mallory", role)


def loosely(cls: type[object]) -> Any:
    """``cls`` called with values of any type, as a host copying a form would."""
    return cls


# OpenTicket's optional fields, each as staff would set it on the requester's behalf.
OPENING_CHOICES: dict[str, dict[str, object]] = {
    "priority": {"priority": "critical"},
    "assignee": {"assignee": "carol"},
    "group": {"group": "voice"},
    "fields": {"fields": {"information_collected": True}},
    "support-level": {"support_level": 2},
    "requester": {"requester": "bob"},
    "parent": {"parent_id": "T-0"},
}
DESKS = {"support_portal": PORTAL, "escalation_process": escalation_process.desk()}


class TestOpeningMatrix:
    @pytest.mark.parametrize("desk", sorted(DESKS))
    @pytest.mark.parametrize("choice", sorted(OPENING_CHOICES))
    def test_a_requester_cannot_set_what_the_desk_sets(self, choice: str, desk: str) -> None:
        """A customer's OpenTicket with any staff-only choice is refused."""
        command = loosely(OpenTicket)(
            actor=ALICE, at=AT, ticket_id="T-1", subject="Hi", **OPENING_CHOICES[choice]
        )

        with pytest.raises(CommandRefusedError):
            handle(DESKS[desk], None, command)

    @pytest.mark.parametrize(
        "choice", sorted(set(OPENING_CHOICES) - {"requester", "support-level"})
    )
    def test_staff_may_set_it_when_opening_on_the_requesters_behalf(self, choice: str) -> None:
        """An agent's OpenTicket for alice with the same choice is accepted on the portal."""
        command = loosely(OpenTicket)(
            actor=CAROL,
            at=AT,
            ticket_id="T-1",
            subject="Hi",
            requester="alice",
            **OPENING_CHOICES[choice],
        )

        opened = handle(PORTAL, None, command).events[0]

        assert all(getattr(opened, k) == v for k, v in OPENING_CHOICES[choice].items())

    @pytest.mark.parametrize("outsider", ["anonymous", "undeclared-role"])
    def test_an_outsider_cannot_open_a_ticket(self, outsider: str) -> None:
        """The anonymous visitor and a role the desk does not declare open nothing."""
        command = OpenTicket(
            actor=OUTSIDERS[outsider], at=AT, ticket_id="T-1", subject="Hi", requester="alice"
        )

        with pytest.raises(PermissionDeniedError):
            handle(PORTAL, None, command)


# -- what is not a ticket --------------------------------------------------------------------

ROW: Any = {"id": "T-1", "status": "in_progress"}  # a host's database row, not a Ticket
BOUNDARY: dict[str, Callable[[], object]] = {
    "decide": lambda: decide(PORTAL, ROW, Reply(actor=CAROL, at=AT, body="x")),
    "allowed_actions": lambda: allowed_actions(PORTAL, ROW, CAROL),
    "next_due": lambda: next_due(PORTAL, ROW),
    "tick": lambda: tick(PORTAL, ROW, AT),
    "sla_status": lambda: sla_status(PORTAL, ROW, AT),
    "explain": lambda: explain(PORTAL, ROW, "resolution", AT),
    "visible_to": lambda: visible_to(ALICE, ROW),
    "notifications": lambda: notifications(PORTAL, ROW),
    "follow_up": lambda: follow_up(ROW, actor=ALICE, at=AT, ticket_id="T-2"),
    "validate_escalation": lambda: validate_escalation(
        PORTAL, ROW, Escalate(actor=ALICE, at=AT, reason="other"), AT
    ),
    "replay": lambda: replay(ROW),
    "replay-text": lambda: replay(ROW["id"]),
}


class TestWhatIsNotATicket:
    @pytest.mark.parametrize("call", sorted(BOUNDARY))
    def test_a_row_where_a_ticket_belongs_is_a_typed_error(self, call: str) -> None:
        """Every public function given a dict for a ticket raises InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            BOUNDARY[call]()


# -- the matrix of declared roles ------------------------------------------------------------

ROLES_DESK = attrs.evolve(
    PORTAL,
    roles=(
        Role("readonly_auditor"),
        Role("triage", may={"assign", "change_priority", "internal_notes"}),
    ),
)
TRIAGE = Actor("tom", "triage")
ROLE_ACTORS = {
    "requester": ALICE,
    "other-customer": BOB,
    "agent": CAROL,
    "system": SYSTEM,
    "readonly-auditor": AUDITOR,
    "triage": TRIAGE,
    "anonymous": NOBODY,
    "undeclared-role": Actor("sam", "supervisor"),
}
# The staff power each command kind needs.
POWER_OF = {
    "reply": "public_replies",
    "internal-note": "internal_notes",
    "assign": "assign",
    "priority": "change_priority",
    "mute": "mute",
    "set-field": "set_fields",
    "support-level": "change_support_level",
}
# What each actor's command of each kind does on alice's ticket: accepted, refused as not
# found, refused for the power it lacks ("power"), or refused by another rule ("refused").
ACCEPTED = {
    "requester": {"reply", "mute", "escalate"},
    "agent": {"perform", "reply", "internal-note", "assign", "priority", "mute", "set-field"}
    | {"escalate"},
    "system": {"reply", "internal-note", "assign", "priority", "mute", "set-field", "reminder"},
    "readonly-auditor": set(),
    "triage": {"internal-note", "assign", "priority"},
}
INVISIBLE = {"other-customer", "anonymous", "undeclared-role"}


def expected_outcome(who: str, kind: str) -> str:
    if who in INVISIBLE:
        return "not_found"
    if kind in ACCEPTED[who]:
        return "accepted"
    if who in {"readonly-auditor", "triage"} and kind in POWER_OF:
        return "power"
    return "refused"


class TestDeclaredRolesMatrix:
    @pytest.mark.parametrize("kind", COMMAND_KINDS)
    @pytest.mark.parametrize("who", sorted(ROLE_ACTORS))
    def test_every_role_gets_exactly_its_powers(self, who: str, kind: str) -> None:
        """Each actor's command of each kind on alice's ticket is accepted, hidden, or
        refused for the staff power it lacks, as the matrix says; a refusal changes
        nothing."""
        ticket = alices_ticket(ROLES_DESK)
        before = copy.deepcopy(ticket)
        command = every_command(ROLE_ACTORS[who], AT + timedelta(minutes=1))[kind]

        try:
            handle(ROLES_DESK, ticket, command)
        except TicketNotFoundError:
            outcome = "not_found"
        except PermissionDeniedError as refusal:
            grant = f"Role({command.actor.role!r}, may={{{POWER_OF.get(kind)!r}"
            outcome = "power" if grant in str(refusal) else "refused"
        except CommandRefusedError:
            outcome = "refused"
        else:
            outcome = "accepted"

        assert expected_outcome(who, kind) == outcome
        assert before == ticket

    def test_a_read_only_auditors_public_reply_stops_no_sla_clock(self) -> None:
        """The auditor's public reply is refused and the first-response clock runs on."""
        ticket = alices_ticket(ROLES_DESK)
        later = AT + timedelta(minutes=1)

        with pytest.raises(PermissionDeniedError, match="public_replies"):
            handle(ROLES_DESK, ticket, Reply(actor=AUDITOR, at=later, body="Looking"))

        status = {s.metric: s.state for s in sla_status(ROLES_DESK, ticket, later)}
        assert "running" == status["first_response"]

    @pytest.mark.parametrize("who", sorted(ROLE_ACTORS))
    def test_allowed_actions_agree_with_decide_for_every_role(self, who: str) -> None:
        """Every workflow action allowed_actions allows is accepted by handle, and every
        one it refuses is refused (the escalation action is sent as Escalate, above)."""
        ticket = alices_ticket(ROLES_DESK)
        actor = ROLE_ACTORS[who]
        for availability in allowed_actions(ROLES_DESK, ticket, actor):
            if availability.action == "escalate":
                continue
            command = PerformAction(
                actor=actor, at=AT + timedelta(minutes=1), action=availability.action, reason="x"
            )
            try:
                handle(ROLES_DESK, ticket, command)
                accepted = True
            except CommandRefusedError:
                accepted = False
            assert availability.allowed == accepted, availability.action
