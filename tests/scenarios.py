"""Given / when / then over events, for the decider's tests (``test_decide.py``,
``test_evolve.py``, ``test_driver.py``).

*Given* the events a ticket was built from (:func:`given`, with the event builders
:func:`opened`, :func:`moved` and :func:`replied`), *when* a command is decided,
*then* these events, or this refusal (:func:`refused`). The helpers are the public
``ticketflow.testing.given`` and ``Scenario``, which hosts use too, bound to this
module's desk: the support portal without its SLA and escalation policies, so these
tests read the core alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from strategies import BASE
from ticketflow import (
    Actor,
    Category,
    Command,
    Desk,
    Event,
    Reaction,
    ReplyAdded,
    SlaPolicy,
    Status,
    StatusChanged,
    Ticket,
    TicketOpened,
    TicketReopened,
    Timer,
    Transition,
    Workflow,
)
from ticketflow.presets import support_portal as portal
from ticketflow.testing import Scenario
from ticketflow.testing import given as story

# The portal without its SLA and escalation policies: these tests read the core alone
# (Escalate is then the workflow's plain transition).
DESK = portal.desk(sla=SlaPolicy(), escalation=None)
WORKFLOW = portal.WORKFLOW
ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
ROBOT = Actor.system()
NOBODY = Actor.anonymous()


def t(minutes: int) -> datetime:
    """The instant ``minutes`` after the fixed base instant."""
    return BASE + timedelta(minutes=minutes)


def opened(**changes: object) -> TicketOpened:
    values: dict[str, object] = {
        "ticket_id": "T-1",
        "at": t(0),
        "actor": ALICE,
        "version": 1,
        "subject": "No dial tone",
        "requester": "alice",
        "status": portal.IN_PROGRESS,
        "priority": "normal",
    }
    values.update(changes)
    return TicketOpened(**values)  # type: ignore[arg-type]


def reopened(
    version: int, source: str, target: str, *, at: datetime | None = None
) -> TicketReopened:
    """Alice's reply reopening T-1 from ``source`` into the active ``target``."""
    return TicketReopened(
        ticket_id="T-1",
        at=t(version) if at is None else at,
        actor=ALICE,
        version=version,
        source=source,
        target=target,
        category="active",
    )


def moved(
    version: int,
    source: str,
    target: str,
    action: str,
    *,
    actor: Actor = CAROL,
    at: datetime | None = None,
    reason: str = "",
    chained: bool = False,
    workflow: Workflow = WORKFLOW,
) -> StatusChanged:
    return StatusChanged(
        ticket_id="T-1",
        at=t(version) if at is None else at,
        actor=actor,
        version=version,
        action=action,
        source=source,
        target=target,
        category=workflow.category(target),
        reason=reason,
        chained=chained,
    )


def replied(
    version: int,
    body: str,
    *,
    actor: Actor = ALICE,
    public: bool = True,
    at: datetime | None = None,
) -> ReplyAdded:
    return ReplyAdded(
        ticket_id="T-1",
        at=t(version) if at is None else at,
        actor=actor,
        version=version,
        body=body,
        public=public,
    )


def given(*events: Event) -> Ticket:
    """The ticket the events build (on the portal's desk)."""
    ticket = story(DESK, *events).ticket
    assert ticket is not None, "given() needs at least the opening event"
    return ticket


def in_status(status: str) -> Ticket:
    """A ticket of alice's moved by an agent into ``status`` (at version 2, minute 2)."""
    if status == portal.IN_PROGRESS:
        return given(opened(), replied(2, "Any news?"))
    return given(opened(), moved(2, portal.IN_PROGRESS, status, "test_setup"))


def refused(
    error: type[Exception], ticket: Ticket | None, command: Command, desk: Desk = DESK
) -> Exception:
    """Decide ``command``, expect ``error`` (from decide and from handle), and check the
    ticket was left as it was."""
    return Scenario(desk=desk, ticket=ticket).when(command).then_refused(error)


# A small workflow with requirements, a reopen reaction and no approval action.
STRICT = Workflow(
    name="strict",
    statuses=(
        Status("open", Category.ACTIVE),
        Status("solved", Category.RESOLVED),
        Status("closed", Category.CLOSED),
    ),
    initial="open",
    transitions=(
        Transition(
            action="solve",
            sources="open",
            target="solved",
            roles="agent",
            requires_reason=True,
            requires_fields=("root_cause",),
            requires_assignee=True,
        ),
        Transition(action="close", sources="solved", target="closed", roles={"agent", "customer"}),
    ),
    reactions=(Reaction(on="customer_reply", sources="closed", target="open"),),
)
STRICT_DESK = Desk(workflow=STRICT)


def strict_opened(**changes: object) -> TicketOpened:
    return opened(status="open", **changes)


BERLIN = ZoneInfo("Europe/Berlin")
# 2026-10-25: Berlin's clocks go back from 03:00+02:00 to 02:00+01:00; 02:xx happens twice.
FIRST_0250 = datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)  # 00:50Z
FIRST_0240 = datetime(2026, 10, 25, 2, 40, tzinfo=BERLIN)  # 00:40Z
SECOND_0210 = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)  # 01:10Z


# Closes a ticket nobody touched for 30 minutes.
QUIET = Workflow(
    name="quiet",
    statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
    initial="open",
    transitions=(
        Transition(action="close", sources="open", target="closed", roles={"system", "agent"}),
    ),
    timers=(Timer(name="quiet", statuses="open", after=timedelta(minutes=30), action="close"),),
)
