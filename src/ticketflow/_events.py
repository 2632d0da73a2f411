"""Events: what happened to a ticket, in the past tense.

Events are frozen attrs values with an instance dictionary rather than slots: they are
built on every change, and a dictionary-backed frozen class is built in about half the
time (measured in ``benchmarks/bench_core.py``), while staying immutable.

Each event carries everything :func:`ticketflow.evolve` needs to record it (the
category of a new status, for instance), so replaying events needs no desk. Every
event carries the ticket's id, the instant ``at`` it happened, the ``actor`` (a person
or the desk's ``system`` rules) and the ticket's new ``version``.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import datetime
from typing import Final, TypeAlias, cast, final, get_args

import attrs

from ticketflow._checks import (
    Check,
    FieldChecks,
    check_fields,
    field_checks,
    is_a,
    require_int,
    storable_text,
)
from ticketflow._checks import unchecked as _unchecked
from ticketflow._errors import InvalidTypeError
from ticketflow._instants import require_instant
from ticketflow._sla_clock import SlaClock
from ticketflow._ticket import (
    EMPTY_FIELDS,
    Actor,
    FieldValue,
    FrozenMap,
    field_value,
    to_frozen_map,
)

__all__ = [
    "ActionPerformed",
    "Event",
    "check_event",
    "FieldChanged",
    "FileAttached",
    "NotificationsMuted",
    "NotificationsUnmuted",
    "PriorityChanged",
    "ReminderSent",
    "ReplyAdded",
    "SlaBreached",
    "SlaClockPaused",
    "SlaClockResumed",
    "SlaClockStarted",
    "SlaClockStopped",
    "SlaEvent",
    "SlaTargetChanged",
    "SlaWarningReached",
    "StatusChanged",
    "SupportLevelChanged",
    "TicketAssigned",
    "TicketEscalated",
    "TicketOpened",
    "TicketReopened",
]


@attrs.frozen(kw_only=True, slots=False)
class _EventBase:
    """Which ticket, when, who, and the ticket's version after the event."""

    ticket_id: str
    at: datetime
    actor: Actor
    version: int


@final
@attrs.frozen(kw_only=True, slots=False)
class TicketOpened(_EventBase):
    """A ticket was opened in the workflow's initial status."""

    subject: str
    requester: str
    status: str
    priority: str
    description: str = ""
    assignee: str | None = None
    group: str | None = None
    parent_id: str | None = None
    fields: FrozenMap = attrs.field(default=EMPTY_FIELDS, converter=to_frozen_map)
    notifications_muted: bool = False
    support_level: int = 1


@final
@attrs.frozen(kw_only=True, slots=False)
class StatusChanged(_EventBase):
    """The ticket moved from ``source`` to ``target`` (of category ``category``).

    ``action`` names the transition or reaction that moved it; ``chained`` marks a
    follow-on step of the same action (a customer's cancel landing in *canceled* and
    then in *closed*). ``rule`` names the time-driven rule that performed it (a timer,
    a scheduled wake-up), empty when a person did; ``until`` is the wake-up instant of
    a scheduled status.
    """

    action: str
    source: str
    target: str
    category: str
    reason: str = ""
    chained: bool = False
    rule: str = ""
    until: datetime | None = None


@final
@attrs.frozen(kw_only=True, slots=False)
class ActionPerformed(_EventBase):
    """The transition ``action`` was performed and the ticket stays in ``status``.

    A transition whose target is its source (rescheduling a scheduled ticket, a
    "chase" button that leaves the status as it is) is recorded as what it is: the
    action, not a change of status. The ticket did not enter ``status`` again: its
    time in the status (``Ticket.status_since``) and every timer measured since
    entering it keep counting, no SLA clock sees a category entered, and a rule on
    ``StatusChanged`` does not tell anybody of a status that did not change. What the
    action states explicitly does change: ``until``, the wake-up instant of a
    scheduled status, moves to the new date. ``reason`` and ``rule`` are those of
    :class:`StatusChanged`.

    ``restarted`` says, explicitly, that the time in the status starts again at
    ``at``: it is set when a time-driven rule (``rule``) performed the action, so a
    timer whose action loops in its own status recurs once per period instead of
    falling due again at the same instant. A person's action never restarts it.
    """

    action: str
    status: str
    reason: str = ""
    rule: str = ""
    until: datetime | None = None
    restarted: bool = False


@final
@attrs.frozen(kw_only=True, slots=False)
class ReminderSent(_EventBase):
    """A timer reminded the requester that ``action`` happens at ``due`` unless they answer.

    ``to_requester`` is false when the requester muted the ticket: the reminder is
    recorded (it marks the reminder as done) but nobody is notified.
    """

    rule: str
    action: str
    due: datetime
    to_requester: bool


@final
@attrs.frozen(kw_only=True, slots=False)
class TicketReopened(_EventBase):
    """A reply reopened a ticket from a terminal status into ``target``."""

    source: str
    target: str
    category: str


@final
@attrs.frozen(kw_only=True, slots=False)
class ReplyAdded(_EventBase):
    """A reply (``public``) or an internal note was added by ``actor``."""

    body: str
    public: bool = True


@final
@attrs.frozen(kw_only=True, slots=False)
class FileAttached(_EventBase):
    """``actor`` attached a file: its ``name``, ``size`` in bytes, ``media_type`` and the
    host's ``reference`` to the bytes (which the host keeps; the ticket lists the file)."""

    name: str
    size: int
    media_type: str
    reference: str


@final
@attrs.frozen(kw_only=True, slots=False)
class TicketAssigned(_EventBase):
    """The ticket's assignee and group are now ``assignee`` and ``group``."""

    assignee: str | None
    group: str | None


@final
@attrs.frozen(kw_only=True, slots=False)
class PriorityChanged(_EventBase):
    """The priority changed from ``source`` to ``target``."""

    source: str
    target: str
    reason: str = ""


@final
@attrs.frozen(kw_only=True, slots=False)
class NotificationsMuted(_EventBase):
    """The requester asked not to be notified about this ticket any more."""


@final
@attrs.frozen(kw_only=True, slots=False)
class NotificationsUnmuted(_EventBase):
    """The requester's notifications about this ticket are back on."""


@final
@attrs.frozen(kw_only=True, slots=False)
class FieldChanged(_EventBase):
    """The custom field ``name`` now holds ``value`` (``None``: removed)."""

    name: str
    value: FieldValue


@final
@attrs.frozen(kw_only=True, slots=False)
class TicketEscalated(_EventBase):
    """The ticket was escalated for ``reason`` (a policy reason code), with ``details``.

    ``evidence`` says what backed an SLA reason (e.g. "resolution 92% used").
    """

    reason: str
    details: str
    evidence: str = ""


@final
@attrs.frozen(kw_only=True, slots=False)
class SupportLevelChanged(_EventBase):
    """The ticket moved from support level ``source`` to ``target``.

    ``skipped`` flags a jump over a level, ``downward`` a move down: both are allowed
    only to the roles the policy names, and always flagged.
    """

    source: int
    target: int
    reason: str = ""
    skipped: bool = False
    downward: bool = False


@attrs.frozen(kw_only=True, slots=False)
class _SlaEvent(_EventBase):
    """An SLA clock changed; ``clock`` is its new state (all ``evolve`` needs)."""

    clock: SlaClock


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClockStarted(_SlaEvent):
    """A metric's clock started a cycle (a ticket opened, a customer wrote, ...)."""


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClockPaused(_SlaEvent):
    """A metric's clock paused: the ticket entered a category that pauses it."""


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClockResumed(_SlaEvent):
    """A metric's clock runs again, counting on from where it paused or stopped."""


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClockStopped(_SlaEvent):
    """A metric's clock stopped: met if ``clock.breached_at`` is None, else late."""


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaTargetChanged(_SlaEvent):
    """A metric's target changed with the ticket's priority; due instants moved."""


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaWarningReached(_SlaEvent):
    """A running clock used up one of the policy's warning fractions of its target."""

    fraction: float


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaBreached(_SlaEvent):
    """A running clock used up its target at ``clock.breached_at`` (the exact instant)."""


SlaEvent: TypeAlias = (
    SlaClockStarted
    | SlaClockPaused
    | SlaClockResumed
    | SlaClockStopped
    | SlaTargetChanged
    | SlaWarningReached
    | SlaBreached
)
"""Every event of an SLA clock."""


Event: TypeAlias = (
    TicketOpened
    | StatusChanged
    | ActionPerformed
    | ReminderSent
    | TicketReopened
    | ReplyAdded
    | FileAttached
    | TicketAssigned
    | PriorityChanged
    | NotificationsMuted
    | NotificationsUnmuted
    | FieldChanged
    | TicketEscalated
    | SupportLevelChanged
    | SlaClockStarted
    | SlaClockPaused
    | SlaClockResumed
    | SlaClockStopped
    | SlaTargetChanged
    | SlaWarningReached
    | SlaBreached
)
"""Every event :func:`ticketflow.evolve` records."""


# -- the check of a stored event -----------------------------------------------------------
# Events are built by decide, which knows what it puts in them, so their constructors
# check nothing (they are built on every change); an event that comes from elsewhere
# (a host's store, built by hand) is checked by replay through this table.


def _instant(what: str, value: object) -> None:
    require_instant(what, value)


def _integer(what: str, value: object) -> None:
    require_int(what, value)


def _field_value(what: str, value: object) -> None:
    field_value(what, value, removable=True)


_BY_TYPE: Final[Mapping[object, Check]] = {
    Actor: is_a(Actor, "an Actor"),
    datetime: _instant,
    str: storable_text,
    bool: is_a(bool, "a boolean (True or False)"),
    int: _integer,
    float: is_a(float, "a float"),
    FrozenMap: _unchecked,  # its converter checks it
    FieldValue: _field_value,
    SlaClock: is_a(SlaClock, "an SlaClock"),  # its constructor checks it
}

_CHECKS: Final[Mapping[type, FieldChecks]] = types.MappingProxyType(
    {cls: field_checks(cls, _BY_TYPE, globals()) for cls in get_args(Event)}
)


def check_event(event: object) -> Event:
    """Return ``event`` if it is an event whose every field has the right type.

    Raises:
        InvalidTypeError: not an event, or a field of the wrong type.
        NaiveDatetimeError, NonexistentInstantError: an instant that names no instant.
    """
    checks = _CHECKS.get(type(event))
    if checks is None:
        raise InvalidTypeError("an event", "a ticketflow event", event)
    check_fields(event, checks)
    return cast("Event", event)  # its class is one of Event's, checked above
