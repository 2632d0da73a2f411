"""The parts a workflow is built from: statuses, transitions, reactions and timers.

Theory of operation
-------------------
Each part is a frozen value that records what its constructor was given, converting
only the shape (a lone name is one name, an iterable a tuple or a set). Whether the
parts make sense, alone and together, is judged once, when a :class:`Workflow` is built
from them (``_workflow_checks``), so every problem is reported together. A
:class:`Route` is a transition compiled by the workflow for the decider.

Dependencies flow one way: this module imports only the vocabulary, the durations, the
name converters and the errors; ``_workflow_checks`` and ``_workflow_documents`` build
on it, and ``_workflow`` on all three.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, TypedDict, TypeVar, final

import attrs

from ticketflow._checks import names, sequence
from ticketflow._durations import Duration, describe
from ticketflow._errors import InvalidTypeError, quoted
from ticketflow._vocabulary import (
    SINCE_CUSTOMER_ACTIVITY,
    SINCE_ENTERED,
    SINCE_LAST_UPDATE,
    Category,
)

_T = TypeVar("_T")

__all__ = [
    "DEFAULT_PRIORITIES",
    "Reaction",
    "Route",
    "Status",
    "Timer",
    "Transition",
    "WorkflowParts",
    "tuple_of",
]

DEFAULT_PRIORITIES: Final = ("low", "normal", "high", "urgent")
"""A workflow's priorities when it names none, lowest first."""


def tuple_of(value: Iterable[_T], what: str, expected: str) -> tuple[_T, ...]:
    """``value`` as a tuple; what is not iterable is an :class:`InvalidTypeError`.

    The items are checked when the workflow is built, with every other problem.
    """
    try:
        return tuple(value)
    except TypeError:  # not iterable
        raise InvalidTypeError(what, expected, value) from None


def _durations(value: Iterable[Duration]) -> tuple[Duration, ...]:
    return tuple_of(value, "a timer's reminders", "an iterable of durations")


def _category(value: str) -> str:
    # A Category is a str subclass: store its plain value. Anything that is not a
    # string is kept as given and reported when the workflow is built.
    return str(value) if isinstance(value, str) else value


@final
@attrs.frozen
class Status:
    """A status of a workflow.

    Args:
        name: the identifier used in tickets and events.
        category: one of :class:`Category`; what the status means to policies.
        label: what people see (defaults to the name).
        terminal: no transition leaves it (defaults to ``category == "closed"``);
            only declared reopen reactions may bring a ticket back.
        wake_action: makes it a *scheduled* status: a transition into it must give an
            instant (``PerformAction(until=...)``), and at that instant the desk's
            ``system`` performs this action (seed 002's *Scheduled* tickets).

    >>> Status("closed", Category.CLOSED).terminal
    True
    """

    name: str
    category: str = attrs.field(converter=_category)
    label: str = attrs.field(kw_only=True)
    terminal: bool = attrs.field(kw_only=True)
    wake_action: str | None = attrs.field(default=None, kw_only=True)

    @label.default
    def _label_default(self) -> str:
        return self.name

    @terminal.default
    def _terminal_default(self) -> bool:
        return self.category == Category.CLOSED


@final
@attrs.frozen(kw_only=True)
class Transition:
    """A named action that moves a ticket from one of ``sources`` to ``target``.

    Args:
        action: the action's name (``escalate``, ``resolve``, ...).
        sources: the statuses it may start from.
        target: the status it lands in.
        roles: the roles allowed to perform it.
        label: what a button shows (defaults to the action name).
        requires_reason: the command must give a non-empty reason.
        requires_fields: custom fields that must be set on the ticket.
        requires_assignee: the ticket must be assigned.
        then: follow-on statuses entered in the same outcome, in order.
    """

    action: str
    sources: frozenset[str] = attrs.field(converter=names)
    target: str
    roles: frozenset[str] = attrs.field(converter=names)
    label: str = attrs.field()
    requires_reason: bool = False
    requires_fields: tuple[str, ...] = attrs.field(default=(), converter=sequence)
    requires_assignee: bool = False
    then: tuple[str, ...] = attrs.field(default=(), converter=sequence)

    @label.default
    def _label_default(self) -> str:
        return self.action

    @property
    def has_requirements(self) -> bool:
        """Whether performing it needs a reason, a field or an assignee."""
        return self.requires_reason or bool(self.requires_fields) or self.requires_assignee


@final
@attrs.frozen(kw_only=True)
class Reaction:
    """What a public reply does on its own while the ticket is in one of ``sources``.

    Args:
        on: ``"customer_reply"`` or ``"agent_reply"``.
        sources: the statuses in which the reply triggers it.
        target: the status the ticket moves to. From a terminal status this is a reopen;
            into the status it is in, the ticket re-enters it (its time in the status,
            and so its place in a queue ordered by it, restarts).
        within: for a reopen, how long after closing the reply still reopens the ticket
            (``None``: always). After that the reply is refused and a follow-up ticket
            is needed (seed 002: "replied to for a period of 30 days").
    """

    on: str
    sources: frozenset[str] = attrs.field(converter=names)
    target: str
    within: Duration | None = None


@final
@attrs.frozen(kw_only=True)
class Timer:
    """After a duration in one of ``statuses``, the desk's ``system`` performs ``action``.

    Args:
        name: identifies the timer in events (``StatusChanged.rule``, reminders).
        statuses: the statuses it runs in.
        after: how long: a ``timedelta`` (real time), :class:`CalendarDays`,
            :class:`BusinessTime` or :class:`BusinessDays` (the desk's calendar).
        action: the action performed when it fires; the ``system`` role must be
            allowed to perform it from every status in ``statuses``.
        since: ``"entered"`` (from entering the status), ``"customer_activity"``
            (restarted by every public reply or action of the requester) or
            ``"last_update"`` (restarted by every event somebody causes, as
            ServiceNow counts auto-close "from the resolved date or the last update").
        reminders: leads before the deadline at which a :class:`ReminderSent` event
            tells the requester (e.g. ``BusinessDays(1)``: "closes in 1 business day").
        reason: the reason recorded on the status change (default: says the timer ran
            out and after how long).

    >>> from ticketflow import BusinessDays
    >>> Timer(name="auto-close", statuses={"solved"}, after=BusinessDays(3),
    ...       action="close", since="customer_activity").reason
    'no customer response for 3 business days'
    """

    name: str
    statuses: frozenset[str] = attrs.field(converter=names)
    after: Duration
    action: str
    since: str = SINCE_ENTERED
    reminders: tuple[Duration, ...] = attrs.field(default=(), converter=_durations)
    reason: str = attrs.field()

    @reason.default
    def _reason_default(self) -> str:
        return quiet_for(self.after, self.since)


def quiet_for(after: Duration, since: str) -> str:
    """How a timer's wait reads in a reason: ``after`` counted from ``since``.

    >>> from ticketflow import CalendarDays
    >>> quiet_for(CalendarDays(5), "last_update")
    'no update for 5 days'
    """
    # A period that is no duration is a problem the desk reports; say what was given.
    reading = describe(after) or quoted(after)
    if since == SINCE_CUSTOMER_ACTIVITY:
        return f"no customer response for {reading}"
    if since == SINCE_LAST_UPDATE:
        return f"no update for {reading}"
    return f"{reading} in the status"


@final
@attrs.frozen
class Route:
    """A transition as the decider uses it, compiled once when the workflow is built.

    Attributes:
        transition: the declared transition.
        roles: who may take it (the transition's roles).
        steps: every ``(status, category)`` it enters, in order: its target, then its
            chained follow-on statuses.
        checked: whether it has requirements to check.
        schedules: whether it ends in a scheduled status (one with a ``wake_action``).
    """

    transition: Transition
    roles: frozenset[str]
    steps: tuple[tuple[str, str], ...]
    checked: bool
    schedules: bool


class WorkflowParts(TypedDict):
    """A workflow's constructor arguments, all of them: what a document is read into."""

    name: str
    initial: str
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]
    reactions: tuple[Reaction, ...]
    priorities: tuple[str, ...]
    default_priority: str
    approval_action: str | None
    timers: tuple[Timer, ...]
