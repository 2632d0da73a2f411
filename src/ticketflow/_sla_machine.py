"""The SLA clock machine: clocks start, pause, stop, warn and breach at exact instants.

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

Depends on the metric, the compiled plan, the clock value, tickets and events; the
decider and the driver call it, and ``evolve`` records its events (:func:`record_clocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import attrs

from ticketflow._commands import CheckSlaClock
from ticketflow._durations import BusinessTime
from ticketflow._errors import (
    InvalidCommandError,
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
from ticketflow._instants import before, not_after
from ticketflow._sla_clock import SlaClock, replace_clock
from ticketflow._sla_metric import Metric
from ticketflow._sla_plan import Measure, MetricPlan, SlaPlan
from ticketflow._ticket import Actor, Ticket
from ticketflow._vocabulary import (
    AGENT_REPLY,
    CUSTOMER,
    CUSTOMER_FOLLOWED_UP,
    CUSTOMER_REPLY,
    IDLE,
    NEW_CYCLE,
    OPENED,
    PAUSED,
    REOPENED,
    RUNNING,
    STOPPED,
    SYSTEM,
    Category,
    entered,
)
from ticketflow._workflow import Workflow

__all__ = ["check", "clock_events", "due", "with_clocks"]


def _target_of(metric: Metric, priority: str) -> tuple[timedelta | None, bool]:
    target = metric.target(priority)
    if target is None:
        return None, True
    if isinstance(target, BusinessTime):
        return target.duration, True
    return target, False


def _plan(clock: SlaClock, metric: Metric, calendar: Measure, since: datetime) -> SlaClock:
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


def _add(calendar: Measure, since: datetime, span: timedelta) -> datetime | None:
    """``span`` of the calendar's time after ``since``, or ``None`` (never) when that
    falls past the last instant the calendar computes (a ticket answered in 9999-12)."""
    try:
        return calendar.add(since, span)
    except OverflowError:  # CalendarRangeError is an OverflowError
        return None


def _halt(clock: SlaClock, calendar: Measure, at: datetime, state: str) -> SlaClock:
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
            # A new cycle is the metric's idle clock with its target: a copy of the
            # plan's checked idle clock, as building SlaClock(...) would give.
            fresh = replace_clock(
                plan.idle, {"cycle": clock.cycle + 1, "target": target, "business": business}
            )
            kind: _Kind = SlaClockStarted
        else:
            fresh = replace_clock(
                clock, {"target": target, "business": business, "stopped_at": None}
            )
            kind = SlaClockResumed
        if pause:
            return replace_clock(fresh, {"state": PAUSED}), kind
        return _plan(fresh, metric, plan.measure(business), at), kind
    if state == STOPPED:
        return None
    calendar = plan.measure(clock.business)
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
    calendar = plan.measure(business)
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
        return _with_entered(_OPENED_IN, OPENED, category), category
    if isinstance(event, TicketReopened):
        return _with_entered(_REOPENED_IN, REOPENED, event.category), event.category
    return _NO_SIGNALS, None


_OPENED_IN: Final = {c.value: frozenset({OPENED, entered(c.value)}) for c in Category}
_REOPENED_IN: Final = {c.value: frozenset({REOPENED, entered(c.value)}) for c in Category}


def _with_entered(known: dict[str, frozenset[str]], signal: str, category: str) -> frozenset[str]:
    """``signal`` and entering ``category``, the set built once for every category."""
    signals = known.get(category)
    return frozenset({signal, entered(category)}) if signals is None else signals


_REPLIED_CUSTOMER: Final = frozenset({CUSTOMER_REPLY})


_FOLLOWED_UP: Final = frozenset({CUSTOMER_REPLY, CUSTOMER_FOLLOWED_UP})


_REPLIED_AGENT: Final = frozenset({AGENT_REPLY})


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
        event = events[0]
        if not isinstance(event, PriorityChanged) and not _signals_of(event, workflow, True)[0]:
            # An event that raises no signal and changes no target (an internal note, a
            # field set) moves no clock: the fold passes it by, overdue warnings too.
            return ()
        quick = _lone_status_change(plan, ticket, event)
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
        answered = answered or AGENT_REPLY in signals
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
            clock = known or metric.idle
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
    while due := _milestone(metric.metric, metric.measure(clock.business), clock, at):
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
    return _halt(clock, plan.measure(clock.business), at, STOPPED), SlaClockStopped


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


def _falls_due(clock: SlaClock, at: datetime) -> bool:
    """Whether a warning or the breach of the running ``clock`` is due by ``at``."""
    warn_at, due_at = clock.warn_at, clock.due_at
    return (warn_at is not None and not_after(warn_at, at)) or (
        due_at is not None and not_after(due_at, at)
    )


def due(ticket: Ticket) -> tuple[datetime, str] | None:
    """The earliest warning or breach due on ``ticket``'s clocks, with its metric."""
    best: tuple[datetime, str] | None = None
    for clock in ticket.clocks:
        if clock.state != RUNNING:
            continue
        for at in (clock.warn_at, clock.due_at):
            if at is not None and (best is None or before(at, best[0])):
                best = (at, clock.metric)
    return best


def _milestone(
    metric: Metric, measure: Measure, clock: SlaClock, at: datetime
) -> tuple[SlaClock, float | None] | None:
    """The first warning or breach of a running clock due by ``at``, if any.

    Returns the clock after it and, for a warning, its fraction (``None`` for the
    breach). A warning due at the same instant as the breach comes first.
    """
    if clock.state != RUNNING:
        return None
    warn_at, due_at = clock.warn_at, clock.due_at
    if (
        warn_at is not None
        and not_after(warn_at, at)
        and (due_at is None or not_after(warn_at, due_at))
    ):
        since = clock.running_since
        assert since is not None
        # The next warning is planned from the same running segment.
        warned = _plan(replace_clock(clock, {"warned": clock.warned + 1}), metric, measure, since)
        return warned, metric.warnings[clock.warned]
    if due_at is not None and not_after(due_at, at):
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
    due = _milestone(metric.metric, metric.measure(clock.business), clock, command.at)
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


def with_clocks(clocks: tuple[SlaClock, ...], events: Sequence[SlaEvent]) -> tuple[SlaClock, ...]:
    """``clocks`` after SLA events: each replaces (or adds) its metric's clock (the
    SLA side of ``evolve``: an event carries its clock's whole new state)."""
    new = list(clocks)
    for event in events:
        clock = event.clock
        for i, old in enumerate(new):
            if old.metric == clock.metric:
                new[i] = clock
                break
        else:
            new.append(clock)
    return tuple(new)
