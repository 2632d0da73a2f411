"""Lives of portal tickets for the SLA tests (``test_sla_*.py``).

Every test builds its tickets with commands at fixed aware instants on the portal's
calendar (Monday to Friday, 09:00-18:00 Moscow time, Russian holidays: Monday 9 March
2026 is one): :func:`life` handles commands in order, :func:`of` picks the SLA events of
one kind, :func:`status` reads one metric as of an instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from strategies import command_sequences
from ticketflow import (
    Actor,
    BusinessCalendar,
    BusinessTime,
    CommandRefusedError,
    Desk,
    Event,
    Metric,
    MetricStatus,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    Reply,
    SlaBreached,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStarted,
    SlaClockStopped,
    SlaPolicy,
    SlaTargetChanged,
    SlaWarningReached,
    Ticket,
    handle,
    sla_status,
)
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
UTC_ = ZoneInfo("UTC")
ALICE = Actor.customer("alice")
BOB = Actor.agent("bob")
ROBOT = Actor.system()
US = timedelta(microseconds=1)
PRIORITIES = portal.WORKFLOW.priorities
Target = timedelta | BusinessTime


def moscow(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def hours(n: float) -> BusinessTime:
    return BusinessTime(timedelta(hours=n))


def every(target: Target) -> dict[str, Target]:
    """The same target for every priority of the portal."""
    return dict.fromkeys(PRIORITIES, target)


def desk_with(
    *metrics: Metric,
    calendar: BusinessCalendar | None = None,
    desk_calendar: BusinessCalendar | None = None,
) -> Desk:
    """The portal with its own SLA policy of ``metrics``."""
    return portal.desk(calendar=desk_calendar, sla=SlaPolicy(metrics=metrics, calendar=calendar))


def life(desk: Desk, ticket: Ticket | None, *commands: object) -> tuple[Ticket, list[Event]]:
    """Handle ``commands`` in order; the final ticket and every event."""
    events: list[Event] = []
    for command in commands:
        outcome = handle(desk, ticket, command)  # type: ignore[arg-type]
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None
    return ticket, events


def opening(at: datetime, priority: str | None = None) -> OpenTicket:
    """Alice's ticket; at a chosen priority, the staff open it for her (the portal's
    form offers none)."""
    if priority is None:
        return OpenTicket(actor=ALICE, at=at, ticket_id="T-1", subject="No dial tone")
    return OpenTicket(
        actor=Actor.agent("carol"),
        at=at,
        ticket_id="T-1",
        subject="No dial tone",
        requester="alice",
        priority=priority,
    )


def opened(desk: Desk, at: datetime, priority: str | None = None) -> Ticket:
    return handle(desk, None, opening(at, priority)).ticket


def due_at(ticket: Ticket, metric: str) -> datetime | None:
    """The due instant of ``metric``'s clock on ``ticket``."""
    clock = ticket.clock(metric)
    assert clock is not None
    return clock.due_at


def status(desk: Desk, ticket: Ticket, at: datetime, metric: str) -> MetricStatus:
    """The status of one metric of ``ticket`` as of ``at``."""
    found = {s.metric: s for s in sla_status(desk, ticket, at)}
    return found[metric]


SlaEventT = TypeVar(
    "SlaEventT",
    SlaClockStarted,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStopped,
    SlaTargetChanged,
    SlaWarningReached,
    SlaBreached,
)


def of(
    kind: type[SlaEventT], events: Iterable[Event], metric: str | None = None
) -> list[SlaEventT]:
    """The SLA events of ``kind`` (of ``metric``'s clock, if given)."""
    found = [e for e in events if isinstance(e, kind)]
    return [e for e in found if metric is None or e.clock.metric == metric]


def act(action: str, at: datetime, reason: str = "") -> PerformAction:
    return PerformAction(actor=BOB, at=at, action=action, reason=reason)


def say(actor: Actor, at: datetime, body: str = "hello") -> Reply:
    return Reply(actor=actor, at=at, body=body)


FULL = every(hours(4))


def lived(desk: Desk, commands: list[object]) -> tuple[Ticket | None, list[Event]]:
    """Handle every command the desk accepts; check each pause on the way: pausing
    records exactly the time counted up to it, never more."""
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        try:
            outcome = handle(desk, ticket, command)  # type: ignore[arg-type]
        except (CommandRefusedError, NaiveDatetimeError):
            continue
        for event in of(SlaClockPaused, outcome.events):
            assert ticket is not None
            clock = event.clock
            assert status(desk, ticket, event.at, clock.metric).elapsed == clock.elapsed
        ticket = outcome.ticket
        events.extend(outcome.events)
    return ticket, events


DESK = portal.desk()
sequences = command_sequences(portal.WORKFLOW, max_size=12)
later = st.integers(0, 24 * 30)


BERLIN_ALWAYS = BusinessCalendar.always_open("Europe/Berlin")


def fold(hour: int, minute: int) -> datetime:
    """The instant ``hour:minute`` UTC on 2026-10-25 read in Berlin, which repeats
    02:00-03:00 that night (00:xxZ is 02:xx+02:00, 01:xxZ is 02:xx+01:00, fold=1)."""
    return datetime(2026, 10, 25, hour, minute, tzinfo=UTC_).astimezone(BERLIN)


def real_time(**metrics: timedelta) -> Desk:
    """The portal on Berlin's 24/7 calendar with real-time targets and no warnings."""
    made: dict[str, Callable[..., Metric]] = {
        "first_response": Metric.first_response,
        "resolution": Metric.resolution,
    }
    return desk_with(
        *(made[name](every(target), warnings=()) for name, target in metrics.items()),
        desk_calendar=BERLIN_ALWAYS,
    )


def in_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC_)


MEGABYTE = "x" * 10**6


def loosely(cls: type) -> Any:
    """``cls`` as a host that copies untyped configuration into it calls it."""
    return cls
