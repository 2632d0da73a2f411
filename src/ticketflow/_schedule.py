"""What falls due next: the one mechanism behind every time-driven rule.

Theory of operation
-------------------
Every time-driven rule is a function of the ticket as it is now: a timer of the
ticket's status falls due a duration after the ticket entered the status (or after the
customer's last activity), its reminders a lead before that, a scheduled status at the
ticket's ``wake_at``. :func:`next_rule` computes each of them from the ticket and the
desk, and returns the earliest with the system command it issues, stamped with the
instant it falls due.

Nothing is stored about pending rules: when a rule fires, the events it causes change
the ticket (a new status, ``reminded_at``), and the next call sees what is due then. A
rule that a fired rule cancels (the ticket left the status) simply stops being
computed. This is what makes :func:`ticketflow.tick` batch-invariant: firing the due
rules one by one, each stamped with its own instant, gives the same events whether
the host sweeps punctually, late, or in several steps.

A rule whose instant is before the ticket's last change (the host handled a command
after the rule fell due without ticking first) is stamped with that last change, the
earliest instant the ticket can still accept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from ticketflow._commands import CheckSlaClock, PerformAction, SendReminder
from ticketflow._desk import Desk
from ticketflow._durations import shift
from ticketflow._sla import due as sla_due
from ticketflow._ticket import Actor, Ticket
from ticketflow._workflow import SINCE_CUSTOMER_ACTIVITY

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
    best: tuple[datetime, int, RuleCommand] | None = None
    floor = ticket.updated_at
    if status.wake_action is not None and ticket.wake_at is not None:
        at = max(ticket.wake_at, floor)
        best = (
            at,
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
            at = max(sla[0], floor)
            if best is None or (at, 1) < best[:2]:
                best = (at, 1, CheckSlaClock(actor=SYSTEM_ACTOR, at=at, metric=sla[1]))
    timers = desk.timers_in(status.name)
    if not timers:
        return None if best is None else best[2]
    calendar = desk.calendar
    # ``reminded_at`` is one instant per ticket: when a single reminder runs in this
    # status, a reminder at or after the period's start means it is sent.
    sole_reminder = sum(len(t.reminders) for t in timers) == 1
    for rank, timer in enumerate(timers, start=2):
        start = ticket.status_since
        activity = ticket.last_customer_activity_at
        if timer.since == SINCE_CUSTOMER_ACTIVITY and activity is not None and activity > start:
            start = activity
        deadline = shift(calendar, start, timer.after)
        at = max(deadline, floor)
        if best is None or (at, rank) < best[:2]:
            best = (
                at,
                rank,
                PerformAction(
                    actor=SYSTEM_ACTOR,
                    at=at,
                    action=timer.action,
                    reason=timer.reason,
                    rule=timer.name,
                ),
            )
        reminded = ticket.reminded_at
        if reminded is not None and reminded >= start and sole_reminder:
            continue  # this quiet period's only reminder is sent: skip its arithmetic
        for lead in timer.reminders:
            remind = max(shift(calendar, deadline, lead, -1), start)
            if remind >= deadline:
                continue
            if reminded is not None and reminded >= remind and reminded >= start:
                continue  # already sent in this quiet period
            at = max(remind, floor)
            if (at, 1) < best[:2]:
                best = (
                    at,
                    1,
                    SendReminder(
                        actor=SYSTEM_ACTOR,
                        at=at,
                        rule=timer.name,
                        action=timer.action,
                        due=deadline,
                    ),
                )
    assert best is not None
    return best[2]
