"""Reading SLA clocks: :func:`metric_statuses` (each metric as of an instant) and
:func:`explanation` (which intervals counted, and why the others did not), on a desk's
compiled plan; ``ticketflow.sla_status`` and ``ticketflow.explain`` ask them of a desk.

Depends on the compiled plan and the calendar; it changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._errors import (
    InstantBeforeLastChangeError,
    UnknownNameError,
)
from ticketflow._instants import require_instant, utc
from ticketflow._sla_plan import SlaPlan
from ticketflow._ticket import Ticket, require_ticket
from ticketflow._vocabulary import IDLE, PAUSED, RUNNING, STOPPED

__all__ = ["Explanation", "Interval", "MetricStatus", "explanation", "metric_statuses"]


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


def metric_statuses(plan: SlaPlan, ticket: Ticket, at: datetime) -> tuple[MetricStatus, ...]:
    """Every SLA metric of ``ticket`` as of ``at`` (not before the ticket's last change),
    counted on ``plan`` (the desk's compiled policy); :func:`ticketflow.sla_status`.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        NonexistentInstantError: ``at`` is a wall time inside a DST gap.
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    if utc(at) < utc(ticket.updated_at):
        raise InstantBeforeLastChangeError("the SLA status was", at, ticket.updated_at)
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


def explanation(plan: SlaPlan, ticket: Ticket, metric: str, at: datetime) -> Explanation:
    """The intervals of ``metric``'s current cycle up to ``at``, counted and excluded.

    Running stretches are split into open time (counted) and closed hours or holidays
    (excluded, per the metric's calendar); the gaps between running stretches are the
    pauses (excluded).

    A metric that has not started on the ticket yet (a next response before any
    follow-up) has no intervals.

    Raises:
        UnknownNameError: the plan has no metric ``metric`` (a ``LookupError``).
        InstantBeforeLastChangeError: ``at`` is before the ticket's last change.
    """
    require_ticket("ticket", ticket)
    require_instant("at", at)
    if utc(at) < utc(ticket.updated_at):
        raise InstantBeforeLastChangeError("the SLA explanation was", at, ticket.updated_at)
    definition = plan.by_name.get(metric) if isinstance(metric, str) else None
    if definition is None:
        raise UnknownNameError("SLA metric", metric, plan.by_name)
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
