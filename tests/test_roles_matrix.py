"""The authorization matrix on every preset (issue 12, deliverable 3).

Every role a preset's desk knows (the built-in ``customer``, ``agent``, ``system`` and
``anonymous``, the roles it declares, or on a desk that declares none the roles its
definition names) and one role it does not know, times every kind of command, on a
ticket of the actor's own (they requested it and it is assigned to them) and on
somebody else's. Each outcome is computed once per desk and role, and the tests read
the same table: a refusal is a typed error that leaves the ticket as it was; an
acceptance is one the role's powers (or the workflow's transitions) allow; the staff
powers decide exactly; an outsider is refused everything.
"""

from __future__ import annotations

import copy
import functools
import importlib
from datetime import UTC, datetime, timedelta
from typing import Final

import pytest

import ticketflow.presets
from ticketflow import (
    AGENT,
    ANONYMOUS,
    CUSTOMER,
    POWER_ASSIGN,
    POWER_CHANGE_PRIORITY,
    POWER_CHANGE_SUPPORT_LEVEL,
    POWER_INTERNAL_NOTES,
    POWER_MUTE,
    POWER_PUBLIC_REPLIES,
    POWER_SET_FIELDS,
    SYSTEM,
    Actor,
    Assign,
    AttachFile,
    ChangePriority,
    ChangeSupportLevel,
    CheckSlaClock,
    Command,
    CommandRefusedError,
    Desk,
    Escalate,
    MuteNotifications,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reply,
    SendReminder,
    SetField,
    Ticket,
    TicketNotFoundError,
    UnmuteNotifications,
    handle,
)

AT: Final = datetime(2026, 3, 4, 11, tzinfo=UTC)  # a Wednesday, inside every desk's hours
LATER: Final = AT + timedelta(minutes=1)
ME: Final = "pat"
"""The actor's id, whatever its role: the requester and assignee of its own ticket."""
SOMEONE_ELSE: Final = "quinn"
UNDECLARED: Final = "undeclared_role"
"""A role no preset builds in, declares or names."""


def _desks() -> dict[str, Desk]:
    desks = {
        name: importlib.import_module(f"ticketflow.presets.{name}").desk()
        for name in ticketflow.presets.__all__
    }
    from ticketflow.presets import escalation_process

    desks["escalation_process.engineering"] = escalation_process.engineering_desk()
    return desks


DESKS: Final = _desks()


def roles_of(desk: Desk) -> list[str]:
    """The roles the desk knows, and one it does not."""
    known = {CUSTOMER, AGENT, SYSTEM, ANONYMOUS} | desk.staff_roles
    return [*sorted(known), UNDECLARED]


CASES: Final = [(name, role) for name, desk in DESKS.items() for role in roles_of(desk)]
IDS: Final = [f"{name}-{role}" for name, role in CASES]
STAFF_CASES: Final = [(name, role) for name, role in CASES if role in DESKS[name].staff_roles]


def ticket_of(desk: Desk, person: str) -> Ticket:
    """A ticket ``person`` requested, assigned to them, opened by an agent."""
    opening = OpenTicket(
        actor=Actor.agent("opener"),
        at=AT,
        ticket_id=f"T-{person}",
        subject="The matrix",
        requester=person,
        assignee=person,
    )
    return handle(desk, None, opening).ticket


def other_priority(desk: Desk) -> str:
    wf = desk.workflow
    return next(p for p in wf.priorities if p != wf.default_priority)


def _schedules(desk: Desk, action: str) -> bool:
    wf = desk.workflow
    return any(
        wf.status(t.target).wake_action is not None for t in wf.transitions if t.action == action
    )


def commands(desk: Desk, actor: Actor) -> dict[str, Command]:
    """One command of every kind ``actor`` may send on a ticket, by name."""
    at = LATER
    out: dict[str, Command] = {
        "reply": Reply(actor=actor, at=at, body="Any news?"),
        "attach": AttachFile(
            actor=actor,
            at=at,
            name="screenshot.png",
            size=48_213,
            media_type="image/png",
            reference="blob:matrix-1",
        ),
        "internal-note": Reply(actor=actor, at=at, body="Call them", public=False),
        "assign": Assign(actor=actor, at=at, assignee="carol", group="voice"),
        "priority": ChangePriority(actor=actor, at=at, priority=other_priority(desk)),
        "mute": MuteNotifications(actor=actor, at=at),
        "unmute": UnmuteNotifications(actor=actor, at=at),
        "set-field": SetField(actor=actor, at=at, name="impact", value="all phones"),
        "reminder": SendReminder(actor=actor, at=at, rule="r", action="close", due=at),
        "sla-check": CheckSlaClock(actor=actor, at=at, metric="first_response"),
        "escalate": Escalate(actor=actor, at=at, reason="changed_scope", details="All sites"),
        "support-level": ChangeSupportLevel(actor=actor, at=at, level=2),
    }
    for action in desk.workflow.actions:
        until = at + timedelta(days=2) if _schedules(desk, action) else None
        out[f"perform:{action}"] = PerformAction(
            actor=actor, at=at, action=action, reason="the matrix", until=until
        )
    return out


def openings(desk: Desk, actor: Actor) -> dict[str, OpenTicket]:
    """Opening a ticket for ``ME`` plain, and with each staff choice beyond the form."""

    def opening(**choices: object) -> OpenTicket:
        return OpenTicket(
            actor=actor,
            at=AT,
            ticket_id="T-new",
            subject="Opened in the matrix",
            requester=ME,
            **choices,  # type: ignore[arg-type]
        )

    return {
        "open": opening(),
        "open-assigned": opening(assignee="carol"),
        "open-prioritised": opening(priority=other_priority(desk)),
        "open-with-field": opening(fields={"internal_rating": "gold"}),
    }


POWER_OF: Final = {
    "reply": POWER_PUBLIC_REPLIES,
    "attach": POWER_PUBLIC_REPLIES,
    "internal-note": POWER_INTERNAL_NOTES,
    "assign": POWER_ASSIGN,
    "priority": POWER_CHANGE_PRIORITY,
    "mute": POWER_MUTE,
    "unmute": POWER_MUTE,
    "set-field": POWER_SET_FIELDS,
    "support-level": POWER_CHANGE_SUPPORT_LEVEL,
    "open-assigned": POWER_ASSIGN,
    "open-prioritised": POWER_CHANGE_PRIORITY,
    "open-with-field": POWER_SET_FIELDS,
}
"""The staff power each kind needs."""
REQUESTERS_OWN: Final = frozenset({"reply", "attach", "mute", "unmute", "open"})
"""What the requester may do on their own ticket whatever their powers (none)."""


class Outcome:
    """What one command did: accepted (with the ticket after it) or refused (the error)."""

    def __init__(self, before: Ticket | None, error: BaseException | None) -> None:
        self.before = before
        self.error = error

    @property
    def accepted(self) -> bool:
        return self.error is None


@functools.cache
def outcomes(name: str, role: str) -> dict[tuple[str, bool], tuple[Outcome, Ticket | None]]:
    """Every command of ``role`` on ``name``'s desk, on its own ticket (``True``) and on
    somebody else's (``False``): the outcome and the ticket as it is afterwards."""
    desk = DESKS[name]
    actor = Actor(ME, role)
    out: dict[tuple[str, bool], tuple[Outcome, Ticket | None]] = {}
    for own in (True, False):
        ticket = ticket_of(desk, ME if own else SOMEONE_ELSE)
        for kind, command in commands(desk, actor).items():
            before = copy.deepcopy(ticket)
            out[(kind, own)] = (_run(desk, ticket, command, before), ticket)
    for kind, opening in openings(desk, actor).items():
        out[(kind, True)] = (_run(desk, None, opening, None), None)
    return out


def _run(desk: Desk, ticket: Ticket | None, command: Command, before: Ticket | None) -> Outcome:
    try:
        handle(desk, ticket, command)
    except Exception as error:  # every kind of failure is recorded, to be judged
        return Outcome(before, error)
    return Outcome(before, None)


def sees(desk: Desk, role: str, own: bool) -> bool:
    return (role == CUSTOMER and own) or role in desk.staff_roles


def permitted(desk: Desk, role: str, kind: str, own: bool, ticket: Ticket | None) -> bool:
    """Whether the role's powers and the workflow allow ``kind`` at all (other rules, a
    missing reason or an escalation policy's, may still refuse it)."""
    if kind.startswith("open"):
        if role == CUSTOMER:
            return kind == "open"
        return role in desk.staff_roles and (
            kind == "open" or POWER_OF[kind] in desk.powers_of(role)
        )
    if not sees(desk, role, own):
        return False
    if role == CUSTOMER and kind in REQUESTERS_OWN:
        return True
    if kind in POWER_OF:
        return POWER_OF[kind] in desk.powers_of(role)
    if kind in {"reminder", "sla-check"}:
        return role == SYSTEM
    if kind == "escalate":
        return desk.escalation is not None and role in desk.escalation.roles
    assert kind.startswith("perform:")
    assert ticket is not None
    action = kind.removeprefix("perform:")
    return any(role in t.roles for t in desk.workflow.transitions_from(ticket.status, action))


def each(name: str, role: str) -> list[tuple[str, bool, Outcome, Ticket | None]]:
    return [(kind, own, o, t) for (kind, own), (o, t) in outcomes(name, role).items()]


class TestTheMatrix:
    @pytest.mark.parametrize(("name", "role"), CASES, ids=IDS)
    def test_a_refusal_is_a_typed_error_and_changes_nothing(self, name: str, role: str) -> None:
        """Every refused command of the role raised a CommandRefusedError, and the
        ticket it was sent for is equal to a copy taken before it."""
        wrong = [
            (kind, own, repr(o.error))
            for kind, own, o, ticket in each(name, role)
            if not o.accepted
            and (not isinstance(o.error, CommandRefusedError) or ticket != o.before)
        ]

        assert [] == wrong

    @pytest.mark.parametrize(("name", "role"), CASES, ids=IDS)
    def test_an_acceptance_is_one_the_roles_powers_allow(self, name: str, role: str) -> None:
        """Every command of the role that was accepted is one its staff powers, the
        requester's own rights or the workflow's transitions allow."""
        desk = DESKS[name]
        stray = [
            (kind, own)
            for kind, own, o, ticket in each(name, role)
            if o.accepted and not permitted(desk, role, kind, own, ticket)
        ]

        assert [] == stray

    @pytest.mark.parametrize(("name", "role"), CASES, ids=IDS)
    def test_the_staff_powers_decide_exactly(self, name: str, role: str) -> None:
        """On a ticket the role sees, each command that needs one staff power (and each
        opening with a staff choice) is accepted exactly when the role holds the power;
        a refusal names the power and how to grant it."""
        desk = DESKS[name]
        mismatched = [
            (kind, own, repr(o.error))
            for kind, own, o, _ in each(name, role)
            if kind in POWER_OF
            and kind != "support-level"  # the escalation policy has rules of its own
            and (sees(desk, role, own) or kind.startswith("open"))
            and role not in {CUSTOMER, ANONYMOUS, UNDECLARED}
            and (
                o.accepted != (POWER_OF[kind] in desk.powers_of(role))
                or (not o.accepted and f"Role({role!r}, may={{" not in str(o.error))
            )
        ]

        assert [] == mismatched

    @pytest.mark.parametrize("name", sorted(DESKS))
    def test_the_requester_has_exactly_the_requesters_rights(self, name: str) -> None:
        """On their own ticket the customer may reply, mute and unmute, and is refused
        every staff power; on somebody else's ticket they are refused everything as not
        found."""
        table = {(kind, own): o for kind, own, o, _ in each(name, CUSTOMER)}
        staff_only = [k for k in POWER_OF if not k.startswith("open") and k not in REQUESTERS_OWN]

        assert ([True] * 3, [False] * len(staff_only)) == (
            [table[(k, True)].accepted for k in ("reply", "mute", "unmute")],
            [table[(k, True)].accepted for k in staff_only],
        )
        assert [] == [k for (k, own), o in table.items() if not own and not _not_found(o.error)]

    @pytest.mark.parametrize("name", sorted(DESKS))
    @pytest.mark.parametrize("role", [ANONYMOUS, UNDECLARED])
    def test_an_outsider_role_is_refused_every_command(self, name: str, role: str) -> None:
        """The anonymous actor and a role the desk does not know are refused every
        command on every ticket as not found, and every opening with a permission
        error: never silently treated as staff, nor as nobody."""
        found = {
            (kind, own): (
                o.accepted,
                _not_found(o.error),
                isinstance(o.error, PermissionDeniedError),
            )
            for kind, own, o, _ in each(name, role)
        }

        assert [] == [
            key
            for key, (accepted, not_found, denied) in found.items()
            if accepted or not (not_found if not key[0].startswith("open") else denied)
        ]

    @pytest.mark.parametrize(("name", "role"), STAFF_CASES, ids=str)
    def test_a_staff_roles_outcome_does_not_depend_on_whose_ticket(
        self, name: str, role: str
    ) -> None:
        """A staff role's command is accepted on its own ticket exactly when it is on
        somebody else's: staff powers hold on every ticket of the desk."""
        table = outcomes(name, role)
        differ = [
            kind
            for (kind, own), (o, _) in table.items()
            if own and (kind, False) in table and o.accepted != table[(kind, False)][0].accepted
        ]

        assert [] == differ


def _not_found(error: BaseException | None) -> bool:
    return isinstance(error, TicketNotFoundError)
