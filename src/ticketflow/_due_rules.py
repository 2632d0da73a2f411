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

Instants are ordered in UTC (:func:`ticketflow._instants.utc`), never by wall clock: in
a repeated DST hour 02:50+02:00 comes *before* 02:10+01:00. A rule that would fall due
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
from ticketflow._instants import utc
from ticketflow._sla_machine import due as sla_due
from ticketflow._ticket import Actor, Ticket
from ticketflow._vocabulary import SINCE_CUSTOMER_ACTIVITY, SINCE_LAST_UPDATE
from ticketflow._workflow_parts import Timer

__all__ = ["SYSTEM_ACTOR", "WAKE_UP", "RuleCommand", "next_rule"]

SYSTEM_ACTOR: Final = Actor.system()
"""The actor of every command a time-driven rule issues."""
WAKE_UP: Final = "wake-up"
"""The rule name of a scheduled status's wake-up."""


RuleCommand = PerformAction | SendReminder | CheckSlaClock
"""A command a time-driven rule issues; its ``at`` is the instant the rule falls due."""


def next_rule(desk: Desk, ticket: Ticket) -> RuleCommand | None:
    """The command of the earliest rule due on ``ticket`` (stamped with the instant it
    falls due), or ``None`` when nothing is pending.

    At the same instant a wake-up comes first, then reminders and SLA warnings and
    breaches, then timer actions (in the order the timers are declared).
    """
    try:
        status = desk.workflow.status(ticket.status)
    except KeyError:
        return None
    if status.terminal:
        return None  # no timer leaves a terminal status, and its clocks have stopped
    # Each candidate is (its instant in UTC, its rank, its command): compared in UTC.
    best: tuple[datetime, int, RuleCommand] | None = None
    floor = ticket.updated_at
    floor_utc = utc(floor)
    if status.wake_action is not None and ticket.wake_at is not None:
        at, key = _not_before(ticket.wake_at, floor, floor_utc)
        best = (
            key,
            0,
            PerformAction(
                actor=SYSTEM_ACTOR,
                at=at,
                action=status.wake_action,
                reason="the scheduled time has come",
                rule=WAKE_UP,
            ),
        )
    if ticket.clocks:
        sla = sla_due(ticket)
        if sla is not None:
            at, key = _not_before(sla[0], floor, floor_utc)
            if best is None or (key, 1) < best[:2]:
                best = (key, 1, CheckSlaClock(actor=SYSTEM_ACTOR, at=at, metric=sla[1]))
    timers = desk.timers_in(status.name)
    if not timers:
        return None if best is None else best[2]
    calendar = desk.calendar
    # ``reminded_at`` is one instant per ticket: when a single reminder runs in this
    # status, a reminder at or after the period's start means it is sent.
    sole_reminder = sum(len(t.reminders) for t in timers) == 1
    reminded = ticket.reminded_at
    reminded_utc = None if reminded is None else utc(reminded)
    since = ticket.status_since
    activity = ticket.last_customer_activity_at
    since_activity = since
    if activity is not None and utc(activity) > utc(since):
        since_activity = activity
    since_update = ticket.last_update_at
    if since_update is None or utc(since_update) <= utc(since):
        since_update = since
    for rank, timer in enumerate(timers, start=2):
        start = (
            since_activity
            if timer.since == SINCE_CUSTOMER_ACTIVITY
            else since_update
            if timer.since == SINCE_LAST_UPDATE
            else since
        )
        planned = _deadline(calendar, start, timer)
        if planned is None:
            continue  # it would fall due after the year 9999: never (nor its reminders)
        deadline, deadline_utc = planned
        at, key = _not_before(deadline, floor, floor_utc)
        if best is None or (key, rank) < best[:2]:
            best = (
                key,
                rank,
                PerformAction(
                    actor=SYSTEM_ACTOR,
                    at=at,
                    action=timer.action,
                    reason=timer.reason,
                    rule=timer.name,
                ),
            )
        start_utc = utc(start)
        if reminded_utc is not None and reminded_utc >= start_utc and sole_reminder:
            continue  # this quiet period's only reminder is sent: skip its arithmetic
        for lead in timer.reminders:
            remind, remind_utc = _reminder(calendar, deadline, lead, start, start_utc)
            if remind_utc >= deadline_utc:
                continue
            if (
                reminded_utc is not None
                and reminded_utc >= remind_utc
                and reminded_utc >= start_utc
            ):
                continue  # already sent in this quiet period
            at, key = _not_before(remind, floor, floor_utc)
            if best is None or (key, 1) < best[:2]:
                best = (
                    key,
                    1,
                    SendReminder(
                        actor=SYSTEM_ACTOR,
                        at=at,
                        rule=timer.name,
                        action=timer.action,
                        due=deadline,
                    ),
                )
    return None if best is None else best[2]


def _not_before(at: datetime, floor: datetime, floor_utc: datetime) -> tuple[datetime, datetime]:
    """``at``, or ``floor`` when it is later, with the instant in UTC."""
    at_utc = utc(at)
    return (at, at_utc) if at_utc >= floor_utc else (floor, floor_utc)


def _deadline(
    calendar: BusinessCalendar, start: datetime, timer: Timer
) -> tuple[datetime, datetime] | None:
    """When ``timer`` falls due (with the instant in UTC), or ``None`` if never: its
    instant would be after the last one a calendar or ``datetime`` can hold."""
    try:
        deadline = shift(calendar, start, timer.after)
        return deadline, utc(deadline)
    except OverflowError:  # the calendar's CalendarRangeError is an OverflowError too
        return None


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
