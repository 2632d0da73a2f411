"""Reading SLA clocks: :func:`metric_statuses` (each metric as of an instant) and
:func:`explanation` (which intervals counted, and why the others did not), on a desk's
compiled plan; ``ticketflow.sla_status`` and ``ticketflow.explain`` ask them of a desk.
Both answers render as plain text for a terminal or a support agent
(:meth:`MetricStatus.render`, :meth:`Explanation.render`): durations as ``h:mm``,
instants to the minute with their UTC offset and zone.

Depends on the compiled plan and the calendar; it changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import final
from zoneinfo import ZoneInfo

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_definition import DAY_MINUTES
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
        business: the target counts business time (else real time).

    :meth:`render` reads it as one line; ``repr`` stays the full attrs repr.
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
    business: bool = True

    def render(self) -> str:
        """One line for a terminal or a support agent: the state, the time used of the
        target in ``h:mm``, and the due instant of a running clock or the breach instant
        of a breached one, to the minute in the zone it carries (the calendar's).

        A method, not ``__str__``: ``str()`` of a value lands in logs and f-strings,
        where the full repr is what a developer wants; a reader asks for this.

        >>> from datetime import UTC, datetime, timedelta
        >>> print(MetricStatus(metric="first_response", state="running",
        ...     elapsed=timedelta(hours=3), target=timedelta(hours=4),
        ...     remaining=timedelta(hours=1), due_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        ...     paused=False, breached=False, breached_at=None, met=None, cycle=1).render())
        first_response: running, 3:00 of 4:00 business hours used, due 2026-03-02 11:00 +00:00
        """
        head = self.metric if self.cycle <= 1 else f"{self.metric} (cycle {self.cycle})"
        if self.state == IDLE:
            return f"{head}: not started"
        unit = "business hours" if self.business else "hours"
        if self.target is None:
            used = f"{_hours(self.elapsed)} {unit} counted, no target"
        else:
            used = f"{_hours(self.elapsed)} of {_hours(self.target)} {unit} used"
        word = self.state
        if self.state == STOPPED and self.met and self.target is not None:
            word = "met"
        parts = [word, used]
        if self.breached:
            at = self.breached_at
            parts.append("breached" if at is None else f"breached at {_instant(at)}")
        elif self.state == RUNNING and self.due_at is not None:
            parts.append(f"due {_instant(self.due_at)}")
        return f"{head}: {', '.join(parts)}"


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
                business=clock.business,
            )
        )
    return tuple(result)


@final
@attrs.frozen
class Interval:
    """A stretch of a clock's cycle: counted or not, and why.

    Attributes:
        start: where the stretch begins.
        end: where it ends.
        counted: the stretch counted towards the target.
        why: ``open``, ``closed hours``, ``holiday``, ``paused`` or ``stopped``.
        detail: what more is known (``None``: nothing): a holiday's name from the
            calendar, the closure that removed the time, the status a ticket paused
            now is in.
    """

    start: datetime
    end: datetime
    counted: bool
    why: str
    detail: str | None = None

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

    def render(self) -> str:
        """A short table for a terminal or a support agent: a line per interval (start,
        end, duration in ``h:mm``, counted or excluded and why, with its detail), then
        the total counted. Instants are shown in the zone of the first one, named in the
        heading, to the minute.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> msk = ZoneInfo("Europe/Moscow")
        >>> print(Explanation("resolution", (
        ...     Interval(datetime(2026, 3, 6, 17, tzinfo=msk), datetime(2026, 3, 6, 18, tzinfo=msk),
        ...              True, "open"),
        ...     Interval(datetime(2026, 3, 6, 18, tzinfo=msk), datetime(2026, 3, 9, tzinfo=msk),
        ...              False, "closed hours"),
        ... )).render())
        resolution, times in Europe/Moscow:
          Fri 2026-03-06 17:00  Fri 2026-03-06 18:00   1:00  counted   open
          Fri 2026-03-06 18:00  Mon 2026-03-09 00:00  54:00  excluded  closed hours
        counted: 1:00
        """
        if not self.intervals:
            return f"{self.metric}: not started, nothing counted"
        zone = self.intervals[0].start.tzinfo
        name = zone.key if isinstance(zone, ZoneInfo) else str(zone)
        rows = [
            (
                f"{i.start.astimezone(zone):%a %Y-%m-%d %H:%M}",
                f"{i.end.astimezone(zone):%a %Y-%m-%d %H:%M}",
                _hours(i.duration),
                "counted" if i.counted else "excluded",
                i.why if i.detail is None else f"{i.why}: {i.detail}",
            )
            for i in self.intervals
        ]
        width = max(len(row[2]) for row in rows)
        lines = [f"{self.metric}, times in {name}:"]
        lines.extend(f"  {a}  {b}  {d:>{width}}  {c:8}  {why}" for a, b, d, c, why in rows)
        lines.append(f"counted: {_hours(self.counted)}")
        return "\n".join(lines)


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
        if clock.state == PAUSED:  # paused now: the ticket's status is the pause's
            intervals.append(
                Interval(previous_end, at, False, "paused", f"ticket now in {ticket.status!r}")
            )
        else:
            intervals.append(Interval(previous_end, at, False, "stopped"))
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
        why, detail = _closed_why(calendar, at)
        last = out[-1] if out else None
        if last and (last.why, last.detail) == (why, detail) and utc(last.end) == at_utc:
            out[-1] = Interval(last.start, stop, False, why, detail)
        else:
            out.append(Interval(at, stop, False, why, detail))
        at = stop
    return out


def _closed_why(calendar: BusinessCalendar, at: datetime) -> tuple[str, str | None]:
    """Why the calendar is closed at ``at``, and what more is known.

    A usual workday with no open time at all is a ``holiday``, with the calendar's name
    for it; any other closed time is ``closed hours``. Either names the closure that
    covers ``at``, when one does and no holiday name says more.
    """
    local = at.astimezone(calendar.zone)
    day: date = local.date()
    closure = _closure_at(calendar, local)
    usual = calendar.week[day.weekday()]
    if usual and calendar.business_days_between(day, day + timedelta(days=1)) == 0:
        name = calendar.holiday_name(day)
        # "holiday" is the calendar's word for a date of its own: nothing more to say.
        return "holiday", name if name not in (None, "holiday") else closure
    return "closed hours", closure


def _closure_at(calendar: BusinessCalendar, local: datetime) -> str | None:
    """The closure covering the local wall time ``local`` (``"closure <date> <window>"``)."""
    minute = local.hour * 60 + local.minute
    day = local.date()
    for closure in sorted(calendar.closures):
        window = closure.window
        end = window.end + (DAY_MINUTES if window.overnight else 0)
        offset = (day - closure.on).days * DAY_MINUTES  # 0 on its date, 1440 the day after
        if offset in (0, DAY_MINUTES) and window.start <= minute + offset < end:
            return f"closure {closure}"
    return None


def _hours(span: timedelta) -> str:
    """``span`` as ``h:mm``, whole minutes (``-`` before a negative one).

    >>> _hours(timedelta(hours=54, seconds=59)), _hours(timedelta(minutes=-90))
    ('54:00', '-1:30')
    """
    minutes = abs(span) // timedelta(minutes=1)
    sign = "-" if span < timedelta(0) else ""
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def _instant(at: datetime) -> str:
    """``at`` to the minute, with its UTC offset and, for a named zone, the zone.

    >>> from datetime import UTC
    >>> _instant(datetime(2026, 3, 2, 14, 0, 59, 5, tzinfo=UTC))
    '2026-03-02 14:00 +00:00'
    """
    text = at.isoformat(sep=" ", timespec="minutes")
    zone = at.tzinfo
    named = f" ({zone.key})" if isinstance(zone, ZoneInfo) else ""
    return f"{text[:16]} {text[16:]}{named}"
