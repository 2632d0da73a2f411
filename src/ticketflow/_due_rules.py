"""What falls due next: the one mechanism behind every time-driven rule.

Theory of operation
-------------------
Every time-driven rule is a function of the ticket as it is now: a timer of the
ticket's status falls due a duration after the ticket entered the status (or after the
customer's last activity, or after its last update), its reminders a lead before that,
a scheduled status at the ticket's ``wake_at``. :func:`next_rule` computes each of them
from the ticket and the desk, and returns the earliest with the system command it
issues, stamped with the instant it falls due.

Nothing is stored about pending rules: when a rule fires, the events it causes change
the ticket (a new status, ``reminded_at``), and the next call sees what is due then. A
rule that a fired rule cancels (the ticket left the status) simply stops being
computed. This is what makes :func:`ticketflow.tick` batch-invariant: firing the due
rules one by one, each stamped with its own instant, gives the same events whether
the host sweeps punctually, late, or in several steps.

A rule whose instant is before the ticket's last change (the host handled a command
after the rule fell due without ticking first) is stamped with that last change, the
earliest instant the ticket can still accept.

:func:`next_due` asks after every change, and the host asks on every sweep, so finding
the earliest rule builds nothing it throws away: :func:`due_rule` compares the
candidates as small tuples and only the rule that fires becomes its command
(:func:`rule_command`), which :func:`next_rule` is the two together.

Instants are ordered exactly (:func:`ticketflow._instants.before`, in UTC unless both
share a zone on its first reading), never by wall clock alone: in a repeated DST hour
02:50+02:00 comes *before* 02:10+01:00. A rule that would fall due
after the last representable instant (the year 9999) never falls due, and neither do
its reminders; a reminder lead that would reach before the year 1 is due when its quiet
period starts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from ticketflow._calendar import BusinessCalendar
from ticketflow._commands import CheckSlaClock, PerformAction, SendReminder
from ticketflow._desk import Desk
from ticketflow._durations import Duration, shift
from ticketflow._instants import before, utc
from ticketflow._sla_machine import due as sla_due
from ticketflow._ticket import Actor, Ticket
from ticketflow._vocabulary import SINCE_CUSTOMER_ACTIVITY, SINCE_LAST_UPDATE
from ticketflow._workflow_parts import Status, Timer

__all__ = [
    "SYSTEM_ACTOR",
    "WAKE_UP",
    "DueRule",
    "RuleCommand",
    "due_rule",
    "next_rule",
    "rule_command",
]

SYSTEM_ACTOR: Final = Actor.system()
"""The actor of every command a time-driven rule issues."""
WAKE_UP: Final = "wake-up"
"""The rule name of a scheduled status's wake-up."""


RuleCommand = PerformAction | SendReminder | CheckSlaClock
"""A command a time-driven rule issues; its ``at`` is the instant the rule falls due."""

_WAKE: Final = 0
_SLA: Final = 1
_REMIND: Final = 1
_TIMER: Final = 2
"""The ranks of the rules due at one instant (timers count on from 2, in declared order)."""

DueRule = tuple[datetime, int, Status, object, datetime | None]
"""The earliest rule due on a ticket, before it becomes a command: its instant (not
before the ticket's last change), its rank, the ticket's status, what it is (the
metric's name for an SLA check, the :class:`Timer` for a timer or a reminder, ``None``
for a wake-up) and, for a reminder, the deadline it reminds of."""


def next_rule(desk: Desk, ticket: Ticket) -> RuleCommand | None:
    """The command of the earliest rule due on ``ticket`` (stamped with the instant it
    falls due), or ``None`` when nothing is pending.

    At the same instant a wake-up comes first, then reminders and SLA warnings and
    breaches, then timer actions (in the order the timers are declared).
    """
    found = due_rule(desk, ticket)
    return None if found is None else rule_command(found)


def rule_command(rule: DueRule) -> RuleCommand:
    """The system command that ``rule`` (a :func:`due_rule`) issues, stamped with its instant."""
    at, rank, status, what, reminds = rule
    if rank == _WAKE:
        assert status.wake_action is not None
        return PerformAction(
            actor=SYSTEM_ACTOR,
            at=at,
            action=status.wake_action,
            reason="the scheduled time has come",
            rule=WAKE_UP,
        )
    if isinstance(what, str):
        return CheckSlaClock(actor=SYSTEM_ACTOR, at=at, metric=what)
    assert isinstance(what, Timer)
    if reminds is not None:
        return SendReminder(
            actor=SYSTEM_ACTOR, at=at, rule=what.name, action=what.action, due=reminds
        )
    return PerformAction(
        actor=SYSTEM_ACTOR, at=at, action=what.action, reason=what.reason, rule=what.name
    )


def _sooner(at: datetime, rank: int, best: DueRule | None) -> bool:
    """Whether a candidate at ``at`` of ``rank`` comes before ``best`` (exact instants)."""
    if best is None:
        return True
    other = best[0]
    if at.tzinfo is other.tzinfo and not (at.fold or other.fold):
        # One zone, its first reading: wall clocks order exactly (_instants.before).
        return at < other or (at == other and rank < best[1])
    mine, theirs = utc(at), utc(other)
    return mine < theirs or (mine == theirs and rank < best[1])


def due_rule(desk: Desk, ticket: Ticket) -> DueRule | None:
    """The earliest rule due on ``ticket``, or ``None`` when nothing is pending: what
    :func:`next_rule` answers, without building its command."""
    try:
        status = desk.workflow.status(ticket.status)
    except KeyError:
        return None
    if status.terminal:
        return None  # no timer leaves a terminal status, and its clocks have stopped
    best: DueRule | None = None
    floor = ticket.updated_at
    if status.wake_action is not None and ticket.wake_at is not None:
        at = ticket.wake_at
        best = (floor if before(at, floor) else at, _WAKE, status, None, None)
    if ticket.clocks:
        sla = sla_due(ticket)
        if sla is not None:
            at = floor if before(sla[0], floor) else sla[0]
            if _sooner(at, _SLA, best):
                best = (at, _SLA, status, sla[1], None)
    timers = desk.timers_in(status.name)
    if not timers:
        return best
    calendar = desk.calendar
    reminded = ticket.reminded_at
    since = ticket.status_since
    activity = ticket.last_customer_activity_at
    since_activity = activity if activity is not None and before(since, activity) else since
    update = ticket.last_update_at
    since_update = update if update is not None and before(since, update) else since
    for rank, timer in enumerate(timers, start=_TIMER):
        if timer.since == SINCE_CUSTOMER_ACTIVITY:
            start = since_activity
        elif timer.since == SINCE_LAST_UPDATE:
            start = since_update
        else:
            start = since
        deadline = _deadline(calendar, start, timer)
        if deadline is None:
            continue  # it would fall due after the year 9999: never (nor its reminders)
        at = floor if before(deadline, floor) else deadline
        if _sooner(at, rank, best):
            best = (at, rank, status, timer, None)
        if timer.reminders:
            best = _reminders(
                calendar,
                (status, timers, timer),
                (start, deadline),
                reminded=reminded,
                floor=floor,
                best=best,
            )
    return best


def _reminders(
    calendar: BusinessCalendar,
    rule: tuple[Status, tuple[Timer, ...], Timer],
    period: tuple[datetime, datetime],
    *,
    reminded: datetime | None,
    floor: datetime,
    best: DueRule | None,
) -> DueRule | None:
    """``best``, or the earliest of ``timer``'s reminders still to send if it is sooner;
    ``rule`` is the status, its timers and the timer, ``period`` the quiet period's start
    and the timer's deadline."""
    status, timers, timer = rule
    start, deadline = period
    start_utc = utc(start)
    deadline_utc = utc(deadline)
    reminded_utc = None if reminded is None else utc(reminded)
    # ``reminded_at`` is one instant per ticket: when a single reminder runs in this
    # status, a reminder after the period's start means it is sent. One sent at the
    # very instant the period starts (a reply at the reminder's instant) may be the last
    # period's: the loop below compares it with this period's reminder.
    if (
        reminded_utc is not None
        and reminded_utc > start_utc
        and sum(len(t.reminders) for t in timers) == 1
    ):
        return best  # this quiet period's only reminder is sent: skip its arithmetic
    for lead in timer.reminders:
        remind, remind_utc = _reminder(calendar, deadline, lead, start, start_utc)
        if remind_utc >= deadline_utc:
            continue
        if reminded_utc is not None and reminded_utc >= remind_utc and reminded_utc >= start_utc:
            continue  # already sent in this quiet period
        at = floor if before(remind, floor) else remind
        if _sooner(at, _REMIND, best):
            best = (at, _REMIND, status, timer, deadline)
    return best


def _deadline(calendar: BusinessCalendar, start: datetime, timer: Timer) -> datetime | None:
    """When ``timer`` falls due, or ``None`` if never: its instant would be after the
    last one a calendar or ``datetime`` can hold."""
    try:
        deadline = shift(calendar, start, timer.after)
        if deadline.year in _EDGE_YEARS:
            utc(deadline)  # an instant whose UTC reading is past datetime's range: never
    except OverflowError:  # the calendar's CalendarRangeError is an OverflowError too
        return None
    return deadline


_EDGE_YEARS: Final = (1, 9999)


def _reminder(
    calendar: BusinessCalendar,
    deadline: datetime,
    lead: Duration,
    start: datetime,
    start_utc: datetime,
) -> tuple[datetime, datetime]:
    """A reminder ``lead`` before ``deadline``, not before the quiet period's ``start``."""
    try:
        remind = shift(calendar, deadline, lead, -1)
        remind_utc = utc(remind)
    except OverflowError:  # the lead reaches before the year 1: the start is later
        return start, start_utc
    return (remind, remind_utc) if remind_utc > start_utc else (start, start_utc)
