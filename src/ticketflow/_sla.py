"""SLA metrics and their clocks: start, pause, stop, warn and breach at exact instants.

Theory of operation
-------------------
A :class:`Metric` is a small state machine driven by *signals* that the ticket's own
events raise: ``opened``, ``customer_reply``, ``agent_reply``, ``reopened`` and
``entered:<category>`` for every status change. A metric starts a cycle on one of its
``starts_on`` signals, stops on ``stops_on``, runs again on ``restarts_on`` (resuming
where it stopped, or starting a new cycle), and does not count while the ticket is in
one of its ``pauses_in`` categories. First response, next response and resolution are
three such machines (:meth:`Metric.first_response` and friends); a host writes its
own the same way.

``decide`` folds the events a command causes through every metric
(:func:`clock_events`) and appends one SLA event per clock that changed, carrying the
clock's whole new state: the business time counted so far, and while it runs the
instants its next warning and its breach fall due. ``evolve`` only stores that state,
so reading a due instant costs nothing, and ``replay`` needs no calendar. The desk
compiles its policy once (:class:`SlaPlan`), so the usual lone status change is judged
from a table, and only a clock that pauses, resumes or stops pays for calendar
arithmetic.

Warnings and breaches are time-driven rules like any other: :func:`due` tells the
scheduler when the next one falls due, and the system's :class:`CheckSlaClock`
command records it, stamped with the instant it fell due.

Instants are compared in UTC (:func:`ticketflow._instants.utc`), never by wall clock:
in a repeated DST hour 02:50+02:00 comes *before* 02:10+01:00. A warning or breach
that would fall due after the last instant the calendar can compute (the year 9999)
is never due: its ``warn_at`` or ``due_at`` is ``None``, as for a clock without target.

Time is counted on a calendar: a metric's own, else the policy's, else the desk's,
when its target is :class:`BusinessTime`; real time (a 24/7 calendar) when the target
is a plain ``timedelta``. Because a clock keeps its running segments, its elapsed time
can always be counted again on another calendar (when the priority changes the kind
of target) and explained interval by interval (:func:`explain`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Final, Protocol, TypedDict, Unpack, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._checks import items_of, sequence_of
from ticketflow._commands import CheckSlaClock
from ticketflow._convert import names
from ticketflow._durations import BusinessTime
from ticketflow._errors import (
    InstantBeforeLastChangeError,
    InvalidCommandError,
    InvalidTypeError,
    Problem,
    UnknownNameError,
    quoted,
)
from ticketflow._events import (
    Event,
    PriorityChanged,
    ReplyAdded,
    SlaBreached,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStarted,
    SlaClockStopped,
    SlaEvent,
    SlaTargetChanged,
    SlaWarningReached,
    StatusChanged,
    TicketOpened,
    TicketReopened,
)
from ticketflow._instants import not_after, require_instant, utc
from ticketflow._sla_clock import IDLE, PAUSED, RUNNING, STOPPED, SlaClock, replace_clock
from ticketflow._ticket import CUSTOMER, SYSTEM, Actor, Ticket, require_ticket
from ticketflow._workflow import Category, Workflow

__all__ = [
    "AGENT_REPLIED",
    "CUSTOMER_FOLLOWED_UP",
    "CUSTOMER_REPLIED",
    "MAX_WARNINGS",
    "NEW_CYCLE",
    "OPENED",
    "REOPENED",
    "RESUME",
    "Explanation",
    "Interval",
    "Metric",
    "MetricPlan",
    "MetricStatus",
    "SlaPlan",
    "SlaPolicy",
    "clock_events",
    "entered",
    "explain",
    "sla_status",
]

OPENED: Final = "opened"
"""Signal: the ticket was opened."""
CUSTOMER_REPLIED: Final = "customer_reply"
"""Signal: the requester added a public reply."""
CUSTOMER_FOLLOWED_UP: Final = "customer_follow_up"
"""Signal: the requester added a public reply after the staff's first public reply, or
on a ticket that was resolved (a reply that rejects a resolution awaits an answer)."""
AGENT_REPLIED: Final = "agent_reply"
"""Signal: the desk's staff added a public reply."""
REOPENED: Final = "reopened"
"""Signal: a closed ticket was reopened."""
RESUME: Final = "resume"
"""On restart, count on from where the clock stopped."""
NEW_CYCLE: Final = "new_cycle"
"""On restart, start a new cycle from zero."""

_EVENT_SIGNALS: Final = frozenset(
    {OPENED, CUSTOMER_REPLIED, CUSTOMER_FOLLOWED_UP, AGENT_REPLIED, REOPENED}
)
_CATEGORIES: Final = frozenset(c.value for c in Category)


def entered(category: str) -> str:
    """The signal raised when the ticket enters a status of ``category``.

    >>> entered("resolved")
    'entered:resolved'
    """
    return f"entered:{category}"


Target = timedelta | BusinessTime
"""A metric's target: real time (a ``timedelta``) or :class:`BusinessTime`."""


_Targets = Mapping[str, Target] | Iterable[tuple[str, Target]]
"""Targets per priority: a mapping, or pairs (as :attr:`Metric.targets` holds them)."""

MAX_WARNINGS: Final = 10
"""A metric records at most this many warnings per cycle: each is a time-driven rule,
and thousands of them falling due at one instant would look like a cycle of timers."""


def _targets(value: _Targets) -> tuple[tuple[str, Target], ...]:
    expected = "a mapping of priority names to timedelta or BusinessTime targets"
    items = value.items() if isinstance(value, Mapping) else sequence_of("targets", expected, value)
    out: list[tuple[str, Target]] = []
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidTypeError("a metric's target", "a (priority, target) pair", item)
        priority, target = item
        if not isinstance(priority, str):
            raise InvalidTypeError("a metric's priority", "a priority name (str)", priority)
        if not (
            isinstance(target, timedelta)
            or (isinstance(target, BusinessTime) and isinstance(target.duration, timedelta))
        ):
            raise InvalidTypeError(
                f"the target for priority {quoted(priority)}",
                "a timedelta or a BusinessTime of a timedelta",
                target,
            )
        out.append((priority, target))
    return tuple(sorted(out, key=lambda item: item[0]))


def _names_of(what: str, value: str | Iterable[str]) -> frozenset[str]:
    found = names(value)
    for name in found:
        if not isinstance(name, str):
            raise InvalidTypeError(f"a metric's {what}", "a str", name)
    return found


def _signal_names(value: str | Iterable[str]) -> frozenset[str]:
    """A metric's set of signals (one name or several, each a str)."""
    return _names_of("signal", value)


def _category_names(value: str | Iterable[str]) -> frozenset[str]:
    """A metric's set of categories to pause in (one name or several, each a str)."""
    return _names_of("category", value)


def _fractions(value: Iterable[float]) -> tuple[float, ...]:
    found: list[float] = []
    for fraction in sequence_of("warnings", "an iterable of fractions like 0.75", value):
        # Exactly an int or a float: a bool is an int in Python, but not a fraction.
        if not isinstance(fraction, int | float) or type(fraction) not in (int, float):
            raise InvalidTypeError("a warning", "a fraction like 0.75 (a float)", fraction)
        found.append(fraction)
    return tuple(sorted(found))


def _optional_calendar(value: object) -> BusinessCalendar | None:
    if value is not None and not isinstance(value, BusinessCalendar):
        raise InvalidTypeError("calendar", "a BusinessCalendar or None", value)
    return value


def _text(what: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidTypeError(what, "a str", value)


_OPEN_CATEGORIES: Final = (
    Category.NEW,
    Category.ACTIVE,
    Category.WAITING_ON_CUSTOMER,
    Category.ON_HOLD,
)
# Entering one of these ends the desk's work on the ticket: the built-in metrics stop.
_DONE: Final = frozenset(
    entered(c) for c in (Category.RESOLVED, Category.CLOSED, Category.CANCELED)
)


class MetricOptions(TypedDict, total=False):
    """The options every :class:`Metric` constructor passes on (``calendar``, ``warnings``)."""

    calendar: BusinessCalendar | None
    warnings: Iterable[float]


@final
@attrs.frozen(kw_only=True)
class Metric:
    """One SLA metric: when its clock starts, pauses, stops and restarts, and its targets.

    Args:
        name: the metric's name, unique in its policy.
        targets: the target per priority: a ``timedelta`` (real time) or
            :class:`BusinessTime` (counted on the metric's calendar).
        starts_on: the signals that start the first cycle.
        stops_on: the signals that stop a running or paused clock.
        pauses_in: the status categories in which the clock does not count.
        restarts_on: the signals that make a stopped clock run again.
        on_restart: ``"resume"`` (count on from where it stopped) or ``"new_cycle"``.
        calendar: the calendar business time is counted on (default: the policy's).
        warnings: fractions of the target at which a warning is recorded, each
            strictly between 0 and 1 and each once, at most :data:`MAX_WARNINGS`
            (checked when the desk is built).

    Raises:
        InvalidTypeError: a field of the wrong type (``None`` for targets, a string
            for a warning or the calendar).

    >>> from datetime import timedelta
    >>> Metric.resolution({"normal": BusinessTime(timedelta(hours=16))}).pauses_in
    frozenset({'waiting_on_customer'})
    """

    name: str = attrs.field(validator=lambda _, __, v: _text("a metric's name", v))
    targets: tuple[tuple[str, Target], ...] = attrs.field(converter=_targets)
    starts_on: frozenset[str] = attrs.field(converter=_signal_names)
    stops_on: frozenset[str] = attrs.field(converter=_signal_names)
    pauses_in: frozenset[str] = attrs.field(default=frozenset(), converter=_category_names)
    restarts_on: frozenset[str] = attrs.field(default=frozenset(), converter=_signal_names)
    on_restart: str = attrs.field(
        default=RESUME, validator=lambda _, __, v: _text("a metric's on_restart", v)
    )
    calendar: BusinessCalendar | None = attrs.field(default=None, converter=_optional_calendar)
    warnings: tuple[float, ...] = attrs.field(default=(0.75,), converter=_fractions)

    def target(self, priority: str) -> Target | None:
        """The target for ``priority``, if the metric has one."""
        for name, target in self.targets:
            if name == priority:
                return target
        return None

    @classmethod
    def first_response(
        cls, targets: _Targets, *, pauses_in: Iterable[str] = (), **options: Unpack[MetricOptions]
    ) -> Metric:
        """From opening to the first public reply of the desk's staff (one cycle).

        Resolving, closing or canceling the ticket without a reply also stops it (met,
        unless it breached before), as Zendesk fulfils the metric when a ticket is solved.
        """
        return cls(
            name="first_response",
            targets=targets,
            starts_on={OPENED},
            stops_on={AGENT_REPLIED, *_DONE},
            pauses_in=pauses_in,
            **options,
        )

    @classmethod
    def next_response(
        cls, targets: _Targets, *, pauses_in: Iterable[str] = (), **options: Unpack[MetricOptions]
    ) -> Metric:
        """From the oldest unanswered public customer reply to the staff's next public reply.

        It measures the follow-ups, after the staff's first public reply or a resolution:
        before, the customer's replies are the first response's to answer. Every answer
        ends a cycle, and the next follow-up starts a new one. Resolving, closing or
        canceling the ticket stops it too; a follow-up on a resolved ticket starts it
        paused until the ticket goes back to work.
        """
        return cls(
            name="next_response",
            targets=targets,
            starts_on={CUSTOMER_FOLLOWED_UP},
            stops_on={AGENT_REPLIED, *_DONE},
            restarts_on={CUSTOMER_FOLLOWED_UP},
            on_restart=NEW_CYCLE,
            pauses_in=pauses_in,
            **options,
        )

    @classmethod
    def resolution(
        cls,
        targets: _Targets,
        *,
        pause_on_hold: bool = False,
        on_reopen: str = RESUME,
        **options: Unpack[MetricOptions],
    ) -> Metric:
        """From opening until the ticket is resolved, closed or canceled.

        The clock pauses while the desk waits on the customer (and, with
        ``pause_on_hold``, while the ticket is on hold). When a resolved or closed ticket
        goes back to work, the clock resumes where it stopped (``on_reopen="resume"``)
        or starts a new cycle (``"new_cycle"``).
        """
        pauses = {Category.WAITING_ON_CUSTOMER.value}
        if pause_on_hold:
            pauses.add(Category.ON_HOLD.value)
        return cls(
            name="resolution",
            targets=targets,
            starts_on={OPENED},
            stops_on=_DONE,
            pauses_in=pauses,
            restarts_on={REOPENED, *(entered(c) for c in _OPEN_CATEGORIES)},
            on_restart=on_reopen,
            **options,
        )


def _metrics(value: Iterable[Metric]) -> tuple[Metric, ...]:
    return items_of("SlaPolicy metrics", Metric, value)


@final
@attrs.frozen(kw_only=True)
class SlaPolicy:
    """The desk's SLA metrics (none by default) and the calendar they count on.

    Args:
        metrics: the metrics, in the order their clocks appear on tickets.
        calendar: the calendar for business-time targets (default: the desk's).

    >>> from datetime import timedelta
    >>> policy = SlaPolicy(metrics=[
    ...     Metric.first_response({"normal": BusinessTime(timedelta(hours=4))}),
    ...     Metric.resolution({"normal": BusinessTime(timedelta(hours=16))}),
    ... ])
    >>> [m.name for m in policy.metrics]
    ['first_response', 'resolution']
    """

    metrics: tuple[Metric, ...] = attrs.field(default=(), converter=_metrics)
    calendar: BusinessCalendar | None = attrs.field(default=None, converter=_optional_calendar)

    def metric(self, name: str) -> Metric | None:
        """The metric called ``name``, if any."""
        for metric in self.metrics:
            if metric.name == name:
                return metric
        return None

    def problems(self, workflow: Workflow) -> list[Problem]:
        """Every way this policy does not fit ``workflow``, each with its fix."""
        return _lint(self, workflow)


# -- the clock machine ------------------------------------------------------------------


class _SetOnce:
    """Slots set once, while the object is built, and read-only after: the compiled
    plan belongs to a frozen desk."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, name):
            raise AttributeError(f"{type(self).__name__} is read-only: cannot set {name!r}")
        object.__setattr__(self, name, value)


@final
class MetricPlan(_SetOnce):
    """One metric compiled for a desk: its signal sets and the two calendars it may
    count on (business time on its calendar, real time in that calendar's zone)."""

    __slots__ = (
        "business",
        "holds_in",
        "metric",
        "name",
        "real",
        "restarts_on",
        "starts_on",
        "stops_on",
    )

    def __init__(self, metric: Metric, business: BusinessCalendar) -> None:
        self.metric = metric
        self.name = metric.name
        self.starts_on = metric.starts_on
        self.stops_on = metric.stops_on
        # The categories the clock does not count in: those that pause it, and those
        # whose entry stops it (a clock started there, by a customer writing on a
        # resolved ticket, waits for the ticket to go back to work).
        self.holds_in = metric.pauses_in | {c for c in _CATEGORIES if entered(c) in self.stops_on}
        self.restarts_on = metric.restarts_on
        self.business = business
        self.real = BusinessCalendar.always_open(business.tz)

    def calendar(self, business: bool) -> BusinessCalendar:
        """The calendar a clock counts on: business time or real time."""
        return self.business if business else self.real

    def moves(self, state: str, signals: frozenset[str], category: str) -> bool:
        """Whether ``signals``, raised in ``category``, can move a clock in ``state``
        (a warning or breach falling due aside): the one statement of when a clock moves.
        """
        if state == RUNNING:
            return category in self.holds_in or not signals.isdisjoint(self.stops_on)
        if state == PAUSED:
            return category not in self.holds_in or not signals.isdisjoint(self.stops_on)
        if state == IDLE:
            return not signals.isdisjoint(self.starts_on)
        return not signals.isdisjoint(self.restarts_on)


@final
class SlaPlan(_SetOnce):
    """An SLA policy compiled for one desk, built once when the desk is.

    Deciding a command reads it instead of the policy: each metric with its calendars
    resolved (the metric's, else the policy's, else the desk's; a 24/7 calendar in
    that calendar's zone for real-time targets), the workflow's terminal statuses,
    and for each category what entering it does to each metric's clock, so no command
    resolves a calendar or scans the workflow, and the usual status change, which
    moves no clock, is seen to move none at a glance (:func:`_lone_status_change`).

    Attributes:
        metrics: the compiled metrics, in the policy's order.
        by_name: the same, by name.
        terminal: the names of the workflow's terminal statuses.
        entering: per category, whether entering it starts a metric and, per metric,
            whether it moves a running, a paused and a stopped clock.
    """

    __slots__ = ("_source", "by_name", "entering", "metrics", "terminal")

    def __init__(self, policy: SlaPolicy, calendar: BusinessCalendar, workflow: Workflow) -> None:
        self._source = (policy, calendar, workflow)
        self.metrics = tuple(
            MetricPlan(m, m.calendar or policy.calendar or calendar) for m in policy.metrics
        )
        self.by_name: Mapping[str, MetricPlan] = MappingProxyType({m.name: m for m in self.metrics})
        self.terminal = frozenset(s.name for s in workflow.statuses if s.terminal)
        entering: dict[str, tuple[bool, Mapping[str, tuple[bool, bool, bool]]]] = {}
        for category in _CATEGORIES | {s.category for s in workflow.statuses}:
            # The table is MetricPlan.moves read for one signal, so a lone status
            # change is judged by the same rule as the general fold.
            signals = frozenset({entered(category)})
            starts = any(m.moves(IDLE, signals, category) for m in self.metrics)
            moves = {
                m.name: (
                    m.moves(RUNNING, signals, category),
                    m.moves(PAUSED, signals, category),
                    m.moves(STOPPED, signals, category),
                )
                for m in self.metrics
            }
            entering[category] = (starts, MappingProxyType(moves))
        # Read-only views: the plan belongs to a frozen desk.
        self.entering: Mapping[str, tuple[bool, Mapping[str, tuple[bool, bool, bool]]]] = (
            MappingProxyType(entering)
        )

    def __reduce__(self) -> tuple[type[SlaPlan], tuple[SlaPolicy, BusinessCalendar, Workflow]]:
        # Pickled as what it is compiled from (a desk sent to another process).
        return SlaPlan, self._source

    def metric(self, name: str) -> MetricPlan | None:
        """The compiled metric called ``name``, if the policy has one."""
        return self.by_name.get(name)


def _target_of(metric: Metric, priority: str) -> tuple[timedelta | None, bool]:
    target = metric.target(priority)
    if target is None:
        return None, True
    if isinstance(target, BusinessTime):
        return target.duration, True
    return target, False


def _plan(clock: SlaClock, metric: Metric, calendar: BusinessCalendar, since: datetime) -> SlaClock:
    """A clock running from ``since``, with its next warning and breach instants.

    A target or threshold already used up falls due at ``since`` itself.
    """
    target = clock.target
    due_at = warn_at = None
    if target is not None:
        elapsed = clock.elapsed
        left = target - elapsed if target > elapsed else _ZERO
        warns = clock.warned < len(metric.warnings)
        to_warn = _ZERO
        if warns:
            threshold = target * metric.warnings[clock.warned]
            to_warn = threshold - elapsed if threshold > elapsed else _ZERO
        if clock.breached_at is not None:
            warn_at = _add(calendar, since, to_warn) if warns else None
        elif warns:
            try:
                due_at, warn_at = calendar.add_each(since, (left, to_warn))  # one call
            except OverflowError:  # one of them falls past the calendar's range
                due_at, warn_at = _add(calendar, since, left), _add(calendar, since, to_warn)
        else:
            due_at = _add(calendar, since, left)
    return replace_clock(
        clock, {"state": RUNNING, "running_since": since, "due_at": due_at, "warn_at": warn_at}
    )


_ZERO: Final = timedelta(0)


def _add(calendar: BusinessCalendar, since: datetime, span: timedelta) -> datetime | None:
    """``span`` of the calendar's time after ``since``, or ``None`` (never) when that
    falls past the last instant the calendar computes (a ticket answered in 9999-12)."""
    try:
        return calendar.add(since, span)
    except OverflowError:  # CalendarRangeError is an OverflowError
        return None


def _halt(clock: SlaClock, calendar: BusinessCalendar, at: datetime, state: str) -> SlaClock:
    """A running clock paused or stopped at ``at``, its running segment counted."""
    since = clock.running_since
    elapsed = clock.elapsed
    segments = clock.segments
    if since is not None:
        elapsed += calendar.between(since, at)
        segments = (*segments, (since, at))
    return replace_clock(
        clock,
        {
            "state": state,
            "elapsed": elapsed,
            "segments": segments,
            "running_since": None,
            "due_at": None,
            "warn_at": None,
            "stopped_at": at if state == STOPPED else None,
        },
    )


_Kind = (
    type[SlaClockStarted]
    | type[SlaClockPaused]
    | type[SlaClockResumed]
    | type[SlaClockStopped]
    | type[SlaTargetChanged]
)


def _step(
    plan: MetricPlan,
    clock: SlaClock,
    signals: frozenset[str],
    category: str,
    *,
    priority: str,
    at: datetime,
) -> tuple[SlaClock, _Kind] | None:
    """How ``signals`` at ``at`` move one clock, or ``None`` when it does not move."""
    metric = plan.metric
    state = clock.state
    pause = category in plan.holds_in
    if state == IDLE or (state == STOPPED and signals & plan.restarts_on):
        if state == IDLE and not signals & plan.starts_on:
            return None
        target, business = _target_of(metric, priority)
        if state == IDLE or metric.on_restart == NEW_CYCLE:
            fresh = SlaClock(
                metric=metric.name, cycle=clock.cycle + 1, target=target, business=business
            )
            kind: _Kind = SlaClockStarted
        else:
            fresh = replace_clock(
                clock, {"target": target, "business": business, "stopped_at": None}
            )
            kind = SlaClockResumed
        if pause:
            return replace_clock(fresh, {"state": PAUSED}), kind
        return _plan(fresh, metric, plan.calendar(business), at), kind
    if state == STOPPED:
        return None
    calendar = plan.calendar(clock.business)
    if signals & plan.stops_on:
        return _halt(clock, calendar, at, STOPPED), SlaClockStopped
    if state == RUNNING and pause:
        return _halt(clock, calendar, at, PAUSED), SlaClockPaused
    if state == PAUSED and not pause:
        return _plan(clock, metric, calendar, at), SlaClockResumed
    return None


def _retarget(
    plan: MetricPlan, clock: SlaClock, priority: str, at: datetime
) -> tuple[SlaClock, _Kind] | None:
    """A running or paused clock after the ticket's priority changed, if its target moves."""
    if clock.state not in (RUNNING, PAUSED):
        return None
    target, business = _target_of(plan.metric, priority)
    if (target, business) == (clock.target, clock.business):
        return None
    calendar = plan.calendar(business)
    # Count the finished segments again on the new target's calendar.
    elapsed = sum((calendar.between(a, b) for a, b in clock.segments), timedelta(0))
    moved = replace_clock(clock, {"target": target, "business": business, "elapsed": elapsed})
    if clock.state == PAUSED:
        return moved, SlaTargetChanged
    since = clock.running_since
    assert since is not None
    moved = attrs.evolve(
        moved,
        elapsed=elapsed + calendar.between(since, at),
        segments=(*clock.segments, (since, at)),
    )
    return _plan(moved, plan.metric, calendar, at), SlaTargetChanged


_NO_SIGNALS: Final[frozenset[str]] = frozenset()
_ENTERED: Final = {c.value: frozenset({entered(c.value)}) for c in Category}


def _entered(category: str) -> frozenset[str]:
    signals = _ENTERED.get(category)
    return frozenset({entered(category)}) if signals is None else signals


def _signals_of(
    event: Event, workflow: Workflow, answered: bool
) -> tuple[frozenset[str], str | None]:
    """The signals ``event`` raises and the category the ticket is in after it
    (``answered``: the staff has replied publicly before it)."""
    if isinstance(event, StatusChanged):
        return _entered(event.category), event.category
    if isinstance(event, ReplyAdded):
        if not event.public:
            return _NO_SIGNALS, None
        role = event.actor.role
        if role == CUSTOMER:
            return (_FOLLOWED_UP if answered else _REPLIED_CUSTOMER), None
        return (_NO_SIGNALS if role == SYSTEM else _REPLIED_AGENT), None
    if isinstance(event, TicketOpened):
        category = workflow.category(event.status)
        return frozenset({OPENED, entered(category)}), category
    if isinstance(event, TicketReopened):
        return frozenset({REOPENED, entered(event.category)}), event.category
    return _NO_SIGNALS, None


_REPLIED_CUSTOMER: Final = frozenset({CUSTOMER_REPLIED})
_FOLLOWED_UP: Final = frozenset({CUSTOMER_REPLIED, CUSTOMER_FOLLOWED_UP})
_REPLIED_AGENT: Final = frozenset({AGENT_REPLIED})


def clock_events(
    plan: SlaPlan, workflow: Workflow, ticket: Ticket | None, events: Sequence[Event]
) -> tuple[SlaEvent, ...]:
    """The SLA events that ``events`` (one command's, about to happen to ``ticket``) cause.

    Args:
        plan: the desk's compiled SLA policy.
        workflow: the desk's workflow (for the categories of statuses).
        ticket: the ticket before ``events`` (``None`` when they open it).
        events: the events the command causes, in order.

    Returns:
        One event per clock change, numbered after ``events``.
    """
    if not plan.metrics or not events:
        return ()
    if len(events) == 1 and ticket is not None:
        quick = _lone_status_change(plan, ticket, events[0])
        if quick is not None:
            return quick
    return _fold(plan, workflow, ticket, events)


def _fold(
    plan: SlaPlan, workflow: Workflow, ticket: Ticket | None, events: Sequence[Event]
) -> tuple[SlaEvent, ...]:
    """:func:`clock_events` in general: every event through every metric, in order."""
    metrics = plan.metrics
    clocks = {c.metric: c for c in ticket.clocks} if ticket is not None else {}
    priority = ticket.priority if ticket is not None else ""
    category = ""  # read from the workflow only if an event needs it
    out: list[SlaEvent] = []
    version = events[-1].version
    closing: bool | None = None
    started: dict[str, int] = {}
    # A customer's reply is a follow-up once the staff has answered publicly or the
    # ticket has been resolved (a reply that says "still broken" awaits an answer).
    answered = ticket is not None and (
        ticket.last_agent_reply_at is not None or ticket.resolved_at is not None
    )
    for event in events:
        signals, now_in = _signals_of(event, workflow, answered)
        answered = answered or AGENT_REPLIED in signals
        final = retarget = False
        if now_in is not None:
            category = now_in
            if isinstance(event, StatusChanged):
                final = event.target in plan.terminal
            elif isinstance(event, TicketOpened):
                priority = event.priority
        elif isinstance(event, PriorityChanged):
            priority = event.target
            retarget = True
        if not signals and not retarget:
            continue
        if not category and ticket is not None:
            category = workflow.category(ticket.status)
        at = event.at
        for metric in metrics:
            known = clocks.get(metric.name)
            if not (final or retarget or _may_move(metric, known, signals, category, at)):
                continue
            clock = known or SlaClock(metric=metric.name)
            clock, version = _overdue(metric, clock, event, version, out)
            clocks[metric.name] = clock
            if final:
                step = _stop(metric, clock, at)
            elif retarget:
                step = _retarget(metric, clock, priority, at)
            else:
                step = _step(metric, clock, signals, category, priority=priority, at=at)
            if step is None:
                continue
            new, change = step
            if change is SlaClockStarted or change is SlaClockResumed:
                # A command that ends in a terminal status starts nothing on its way
                # there (an approving reply that closes the ticket does not open a
                # next-response cycle).
                if closing is None:
                    closing = _closes(plan, events)
                if closing:
                    continue
            clocks[metric.name] = new
            version = _record(out, started, change, event, version=version, clock=new)
    return tuple(out)


def _record(
    out: list[SlaEvent],
    started: dict[str, int],
    change: _Kind,
    cause: Event,
    *,
    version: int,
    clock: SlaClock,
) -> int:
    """Append the event of ``change`` to ``out``; the version after it.

    A clock started in this command and resumed later in it (a customer writing on a
    resolved ticket that the same command sends back to work) makes one event: its
    start, running. ``started`` remembers where each start of this command is.
    """
    index = started.pop(clock.metric, None)
    if change is SlaClockResumed and index is not None:
        first = out[index]
        out[index] = _clock_event(SlaClockStarted, first, first.version, clock)
        return version
    version += 1
    if change is SlaClockStarted:
        started[clock.metric] = len(out)
    out.append(_clock_event(change, cause, version, clock))
    return version


def _overdue(
    metric: MetricPlan, clock: SlaClock, event: Event, version: int, out: list[SlaEvent]
) -> tuple[SlaClock, int]:
    """Record in ``out`` the warnings and breach that fell due before ``event`` but were
    not ticked yet, each with its true instant in the clock; the clock and version after."""
    at = event.at
    while due := _milestone(metric.metric, metric.calendar(clock.business), clock, at):
        clock = due[0]
        version += 1
        out.append(_milestone_event(due, event.ticket_id, at, event.actor, version))
    return clock, version


def _lone_status_change(plan: SlaPlan, ticket: Ticket, event: Event) -> tuple[SlaEvent, ...] | None:
    """The clock events of a command whose one event is a usual status change, or
    ``None`` when the general fold must decide.

    The usual transition moves no clock, or pauses, resumes or stops one; each clock is
    judged from the plan's table, which is :meth:`MetricPlan.moves` read for the one
    signal of entering a category (the rule :func:`_may_move` applies). Anything else (a
    terminal status, a start, a restart, an overdue warning or breach, two clocks
    moving at once) is left to the general fold.
    """
    if not isinstance(event, StatusChanged) or event.target in plan.terminal:
        return None
    category = event.category
    entering = plan.entering.get(category)
    if entering is None or entering[0]:
        return None
    moves = entering[1]
    at = event.at
    mover: SlaClock | None = None
    for clock in ticket.clocks:
        move = moves.get(clock.metric)
        if move is None:
            continue  # a clock of a metric the policy no longer has: never moves
        state = clock.state
        if state == RUNNING:
            if _falls_due(clock, at):
                return None
            moved = move[0]
        elif state == PAUSED:
            moved = move[1]
        elif state == STOPPED and move[2]:
            return None
        else:
            continue
        if moved:
            if mover is not None:
                return None
            mover = clock
    if mover is None:
        return ()
    metric = plan.by_name[mover.metric]
    step = _step(metric, mover, _entered(category), category, priority=ticket.priority, at=at)
    return () if step is None else (_clock_event(step[1], event, event.version + 1, step[0]),)


def _clock_event(change: _Kind, cause: Event, version: int, clock: SlaClock) -> SlaEvent:
    return change(
        ticket_id=cause.ticket_id, at=cause.at, actor=cause.actor, version=version, clock=clock
    )


def _closes(plan: SlaPlan, events: Sequence[Event]) -> bool:
    """Whether ``events`` take the ticket to a terminal status."""
    return any(isinstance(e, StatusChanged) and e.target in plan.terminal for e in events)


def _stop(plan: MetricPlan, clock: SlaClock, at: datetime) -> tuple[SlaClock, _Kind] | None:
    """A running or paused clock stopped because the ticket reached a terminal status."""
    if clock.state not in (RUNNING, PAUSED):
        return None
    return _halt(clock, plan.calendar(clock.business), at, STOPPED), SlaClockStopped


def _may_move(
    metric: MetricPlan,
    clock: SlaClock | None,
    signals: frozenset[str],
    category: str,
    at: datetime,
) -> bool:
    """A cheap test that ``signals`` (in ``category``, at ``at``) can move this clock."""
    if clock is None:
        return metric.moves(IDLE, signals, category)
    state = clock.state
    return metric.moves(state, signals, category) or (state == RUNNING and _falls_due(clock, at))


# -- warnings and breaches ----------------------------------------------------------------


def _falls_due(clock: SlaClock, at: datetime) -> bool:
    """Whether a warning or the breach of the running ``clock`` is due by ``at``."""
    warn_at, due_at = clock.warn_at, clock.due_at
    return (warn_at is not None and not_after(warn_at, at)) or (
        due_at is not None and not_after(due_at, at)
    )


def due(ticket: Ticket) -> tuple[datetime, str] | None:
    """The earliest warning or breach due on ``ticket``'s clocks, with its metric."""
    best: tuple[datetime, str] | None = None
    best_utc: datetime | None = None
    for clock in ticket.clocks:
        if clock.state != RUNNING:
            continue
        for at in (clock.warn_at, clock.due_at):
            if at is None:
                continue
            at_utc = utc(at)
            if best_utc is None or at_utc < best_utc:
                best, best_utc = (at, clock.metric), at_utc
    return best


def _milestone(
    metric: Metric, measure: BusinessCalendar, clock: SlaClock, at: datetime
) -> tuple[SlaClock, float | None] | None:
    """The first warning or breach of a running clock due by ``at``, if any.

    Returns the clock after it and, for a warning, its fraction (``None`` for the
    breach). A warning due at the same instant as the breach comes first.
    """
    if clock.state != RUNNING:
        return None
    warn_at, due_at = clock.warn_at, clock.due_at
    at_utc = utc(at)
    warn_utc = None if warn_at is None else utc(warn_at)
    due_utc = None if due_at is None else utc(due_at)
    if warn_utc is not None and warn_utc <= at_utc and (due_utc is None or warn_utc <= due_utc):
        since = clock.running_since
        assert since is not None
        # The next warning is planned from the same running segment.
        warned = _plan(replace_clock(clock, {"warned": clock.warned + 1}), metric, measure, since)
        return warned, metric.warnings[clock.warned]
    if due_utc is not None and due_utc <= at_utc:
        return replace_clock(clock, {"breached_at": due_at, "due_at": None}), None
    return None


def check(plan: SlaPlan, ticket: Ticket, command: CheckSlaClock) -> tuple[Event, ...]:
    """Record the warning or breach of ``command.metric`` that fell due by ``command.at``.

    The warning comes first when both are due; each carries the instant it truly fell
    due in its clock (``breached_at``), whatever the command's instant.
    """
    metric = plan.metric(command.metric)
    clock = ticket.clock(command.metric)
    if metric is None or clock is None or clock.state != RUNNING:
        raise InvalidCommandError(
            f"ticket {quoted(ticket.id)} has no running SLA clock {quoted(command.metric)}",
            "check only the clocks that next_due reported",
        )
    due = _milestone(metric.metric, metric.calendar(clock.business), clock, command.at)
    if due is None:
        raise InvalidCommandError(
            f"nothing is due on SLA clock {quoted(command.metric)} of ticket "
            f"{quoted(ticket.id)} at {command.at.isoformat()}",
            "check the clock at the instant next_due reported",
        )
    return (_milestone_event(due, ticket.id, command.at, command.actor, ticket.version + 1),)


def _milestone_event(
    due: tuple[SlaClock, float | None], ticket_id: str, at: datetime, actor: Actor, version: int
) -> SlaEvent:
    clock, fraction = due
    if fraction is None:
        return SlaBreached(ticket_id=ticket_id, at=at, actor=actor, version=version, clock=clock)
    return SlaWarningReached(
        ticket_id=ticket_id, at=at, actor=actor, version=version, clock=clock, fraction=fraction
    )


# -- reading clocks -----------------------------------------------------------------------


@final
@attrs.frozen(kw_only=True)
class MetricStatus:
    """One metric of one ticket as of an instant.

    Attributes:
        metric: the metric's name.
        state: ``idle``, ``running``, ``paused`` or ``stopped``.
        elapsed: the time counted in the current cycle.
        target: the target for the ticket's priority (``None``: no target).
        remaining: ``target - elapsed`` (negative once breached; ``None`` without target).
        due_at: when a running clock uses up its target (``None`` otherwise).
        paused: the clock is paused.
        breached: the target was used up in this cycle.
        breached_at: the exact instant it was used up.
        met: a stopped clock that did not breach (``None`` while it is not stopped).
        cycle: the cycle number.
    """

    metric: str
    state: str
    elapsed: timedelta
    target: timedelta | None
    remaining: timedelta | None
    due_at: datetime | None
    paused: bool
    breached: bool
    breached_at: datetime | None
    met: bool | None
    cycle: int


def sla_status(desk: _DeskLike, ticket: Ticket, at: datetime) -> tuple[MetricStatus, ...]:
    """Every SLA metric of ``ticket`` as of ``at`` (not before the ticket's last change).

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> from ticketflow import Actor, OpenTicket, handle
    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> monday = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
    >>> ticket = handle(desk, None, OpenTicket(actor=Actor.customer("alice"), at=monday,
    ...                                        ticket_id="T-1", subject="No dial tone")).ticket
    >>> first = sla_status(desk, ticket, monday + timedelta(hours=3))[0]
    >>> first.metric, str(first.elapsed), str(first.remaining), first.due_at.isoformat()
    ('first_response', '3:00:00', '1:00:00', '2026-03-02T14:00:00+03:00')
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    if utc(at) < utc(ticket.updated_at):
        raise InstantBeforeLastChangeError("the SLA status was", at, ticket.updated_at)
    plan = desk.sla_plan
    result = []
    for clock in ticket.clocks:
        metric = plan.metric(clock.metric)
        elapsed = clock.elapsed
        if clock.state == RUNNING and clock.running_since is not None and metric is not None:
            elapsed += metric.calendar(clock.business).between(clock.running_since, at)
        target = clock.target
        remaining = None if target is None else target - elapsed
        breached = clock.breached_at is not None or (
            remaining is not None and remaining <= timedelta(0) and clock.state != IDLE
        )
        breached_at = clock.breached_at
        if breached_at is None and breached and clock.due_at is not None:
            breached_at = clock.due_at  # used up, the tick has not recorded it yet
        result.append(
            MetricStatus(
                metric=clock.metric,
                state=clock.state,
                elapsed=elapsed,
                target=target,
                remaining=remaining,
                due_at=clock.due_at,
                paused=clock.state == PAUSED,
                breached=breached,
                breached_at=breached_at,
                met=(not breached) if clock.state == STOPPED else None,
                cycle=clock.cycle,
            )
        )
    return tuple(result)


@final
@attrs.frozen
class Interval:
    """A stretch of a clock's cycle: counted or not, and why."""

    start: datetime
    end: datetime
    counted: bool
    why: str

    @property
    def duration(self) -> timedelta:
        """The real time the stretch lasts, across a change of DST too.

        (``end - start`` of two datetimes in one zone is wall-clock time in Python, an
        hour off over a DST change; this is measured in UTC.)
        """
        return utc(self.end) - utc(self.start)


@final
@attrs.frozen
class Explanation:
    """Why a metric's deadline is where it is: every stretch of its current cycle."""

    metric: str
    intervals: tuple[Interval, ...]

    @property
    def counted(self) -> timedelta:
        """The time counted: the sum of the counted intervals."""
        return sum((i.duration for i in self.intervals if i.counted), timedelta(0))


def explain(desk: _DeskLike, ticket: Ticket, metric: str, at: datetime) -> Explanation:
    """The intervals of ``metric``'s current cycle up to ``at``, counted and excluded.

    Running stretches are split into open time (counted) and closed hours or holidays
    (excluded, per the metric's calendar); the gaps between running stretches are the
    pauses (excluded).

    A metric that has not started on the ticket yet (a next response before any
    follow-up) has no intervals.

    Raises:
        UnknownNameError: the desk has no metric ``metric`` (a ``LookupError``).
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    if utc(at) < utc(ticket.updated_at):
        raise InstantBeforeLastChangeError("the SLA explanation was", at, ticket.updated_at)
    definition = desk.sla_plan.by_name.get(metric) if isinstance(metric, str) else None
    if definition is None:
        raise UnknownNameError("SLA metric", metric, desk.sla_plan.by_name)
    clock = ticket.clock(metric)
    if clock is None:  # the metric has not started on this ticket: nothing counted yet
        return Explanation(metric, ())
    calendar = definition.calendar(clock.business)
    segments = list(clock.segments)
    if clock.state == RUNNING and clock.running_since is not None:
        segments.append((clock.running_since, at))
    intervals: list[Interval] = []
    previous_end: datetime | None = None
    for start, end in segments:
        if previous_end is not None and utc(previous_end) < utc(start):
            intervals.append(Interval(previous_end, start, False, "paused"))
        intervals.extend(_split(calendar, start, end))
        previous_end = end
    if (
        clock.state in (PAUSED, STOPPED)
        and previous_end is not None
        and utc(previous_end) < utc(at)
    ):
        why = "paused" if clock.state == PAUSED else "stopped"
        intervals.append(Interval(previous_end, at, False, why))
    return Explanation(metric, tuple(intervals))


def _split(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[Interval]:
    """``[start, end)`` cut into open (counted) and closed (excluded) stretches."""
    out: list[Interval] = []
    at = start
    end_utc = utc(end)
    while utc(at) < end_utc:
        if calendar.is_open(at):
            close = calendar.next_close(at)
            stop = end if close is None or utc(close) > end_utc else close
            out.append(Interval(at, stop, True, "open"))
        else:
            opens = calendar.next_open(at)
            stop = opens if utc(opens) < end_utc else end
            out.extend(_closed(calendar, at, stop))
        at = stop
    return out


def _closed(calendar: BusinessCalendar, start: datetime, end: datetime) -> list[Interval]:
    """A closed stretch, labelled day by day (a holiday inside a weekend shows)."""
    zone = calendar.zone
    out: list[Interval] = []
    at = start
    end_utc = utc(end)
    while (at_utc := utc(at)) < end_utc:
        today = at.astimezone(zone).date()
        stop = end
        if today < date.max:  # the last date has no next midnight: one stretch to end
            midnight = calendar.day_start(today + timedelta(days=1))
            if at_utc < utc(midnight) < end_utc:  # else (a zone skipping midnight): to end
                stop = midnight
        why = _closed_why(calendar, at)
        if out and out[-1].why == why and utc(out[-1].end) == at_utc:
            out[-1] = Interval(out[-1].start, stop, False, why)
        else:
            out.append(Interval(at, stop, False, why))
        at = stop
    return out


def _closed_why(calendar: BusinessCalendar, at: datetime) -> str:
    day: date = at.astimezone(calendar.zone).date()
    usual = calendar.week[day.weekday()]
    if usual and calendar.business_days_between(day, day + timedelta(days=1)) == 0:
        return "holiday"
    return "closed hours"


# -- the linter ----------------------------------------------------------------------------


def _lint(policy: SlaPolicy, workflow: Workflow) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    add_all = problems.extend
    categories = {s.category for s in workflow.statuses}
    seen: set[str] = set()
    initial = workflow.category(workflow.initial)
    for metric in policy.metrics:
        where = f"SLA metric {quoted(metric.name)}"
        if metric.name in seen:
            add(Problem(where, "is defined twice", "give each metric a unique name"))
        seen.add(metric.name)
        for priority in workflow.priorities:
            if metric.target(priority) is None:
                add(
                    Problem(
                        where,
                        f"has no target for priority {quoted(priority)}",
                        f"add a target for {quoted(priority)}",
                    )
                )
        for priority, target in metric.targets:
            if priority not in workflow.priorities:
                add(
                    Problem(
                        where,
                        f"has a target for unknown priority {quoted(priority)}",
                        f"use the workflow's priorities: {', '.join(workflow.priorities)}",
                    )
                )
            span = target.duration if isinstance(target, BusinessTime) else target
            if span <= timedelta(0):
                add(
                    Problem(
                        where,
                        f"has a non-positive target for {quoted(priority)}",
                        "give a positive target",
                    )
                )
        for signal in sorted(metric.starts_on | metric.stops_on | metric.restarts_on):
            if signal not in _EVENT_SIGNALS and not (
                signal.startswith("entered:") and signal.removeprefix("entered:") in _CATEGORIES
            ):
                add(
                    Problem(
                        where,
                        f"uses unknown signal {quoted(signal)}",
                        f"use {', '.join(sorted(_EVENT_SIGNALS))} or entered('<category>')",
                    )
                )
        for category in sorted(metric.pauses_in - _CATEGORIES):
            add(
                Problem(
                    where,
                    f"pauses in unknown category {quoted(category)}",
                    f"use one of {', '.join(sorted(_CATEGORIES))}",
                )
            )
        if not metric.starts_on:
            add(Problem(where, "never starts", "give it a starts_on signal"))
        starts_in = {
            s.removeprefix("entered:") for s in metric.starts_on if s.startswith("entered:")
        }
        if OPENED in metric.starts_on:
            starts_in.add(initial)
        if (
            metric.starts_on
            and starts_in
            and metric.starts_on <= {OPENED} | {entered(c) for c in starts_in}
            and starts_in <= metric.pauses_in
        ):
            add(
                Problem(
                    where,
                    "is paused wherever it starts, so its clock could never run",
                    "remove those categories from pauses_in or start it elsewhere",
                )
            )
        stop_categories = {
            s.removeprefix("entered:") for s in metric.stops_on if s.startswith("entered:")
        }
        if (
            metric.stops_on
            and not metric.stops_on & _EVENT_SIGNALS
            and not stop_categories & categories
        ):
            add(
                Problem(
                    where,
                    "stops only on categories no status of the workflow has, so it never stops",
                    f"stop it on a category the workflow uses: {', '.join(sorted(categories))}",
                )
            )
        if metric.on_restart not in (RESUME, NEW_CYCLE):
            add(
                Problem(
                    where,
                    f"has unknown on_restart {quoted(metric.on_restart)}",
                    "use 'resume' or 'new_cycle'",
                )
            )
        add_all(_warning_problems(where, metric.warnings))
    next_response = policy.metric("next_response")
    resolution = policy.metric("resolution")
    if next_response is not None and resolution is not None:
        for priority, target in next_response.targets:
            other = resolution.target(priority)
            if other is not None and _span(target) > _span(other):
                add(
                    Problem(
                        "SLA metric 'next_response'",
                        f"has a target for {quoted(priority)} longer than the resolution target",
                        "make the next-response target at most the resolution target",
                    )
                )
    return problems


def _warning_problems(where: str, warnings: tuple[float, ...]) -> list[Problem]:
    """What is wrong with a metric's warnings (sorted as :class:`Metric` keeps them)."""
    out: list[Problem] = []
    if len(warnings) > MAX_WARNINGS:
        out.append(
            Problem(
                where,
                f"has {len(warnings):,} warnings, more than the {MAX_WARNINGS} a metric may have",
                f"keep at most {MAX_WARNINGS} warnings, e.g. (0.5, 0.75, 0.9)",
            )
        )
    if any(not 0 < f < 1 for f in warnings):
        out.append(
            Problem(where, "has a warning fraction outside (0, 1)", "give fractions like 0.75")
        )
    if any(a == b for a, b in itertools.pairwise(warnings)):
        out.append(Problem(where, "has the same warning fraction twice", "give each fraction once"))
    return out


def _span(target: Target) -> timedelta:
    return target.duration if isinstance(target, BusinessTime) else target


class _DeskLike(Protocol):
    """What :func:`sla_status` and :func:`explain` read of a desk (the desk imports us)."""

    @property
    def sla(self) -> SlaPolicy: ...

    @property
    def sla_plan(self) -> SlaPlan: ...
