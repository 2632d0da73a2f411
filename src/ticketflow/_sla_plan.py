"""An SLA policy compiled for one desk (:class:`SlaPlan`): each metric with its calendars
resolved and, per category, what entering it does to each clock.

A clock counts on a calendar through a :class:`Measure`. Most clocks count real time
(a plain ``timedelta`` target, or a 24/7 calendar): a calendar that is always open
counts the real time between two instants, so its measure subtracts and adds instants
in UTC instead of asking the calendar's tables, and gives the same instants (the
tests hold the two to each other). Near the ends of the calendar's range (the years 1
and 9999) it asks the calendar, which says where time ends.

Depends on the policy, the calendar and the workflow; the SLA machine reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Final, final

from ticketflow._calendar import BusinessCalendar
from ticketflow._instants import utc
from ticketflow._sla_clock import SlaClock
from ticketflow._sla_metric import Metric
from ticketflow._sla_policy import SlaPolicy
from ticketflow._vocabulary import CATEGORIES, IDLE, PAUSED, RUNNING, STOPPED, entered
from ticketflow._workflow import Workflow

__all__ = ["Measure", "MetricPlan", "SlaPlan"]


class _SetOnce:
    """Slots set once, while the object is built, and read-only after: the compiled
    plan belongs to a frozen desk."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, name):
            raise AttributeError(f"{type(self).__name__} is read-only: cannot set {name!r}")
        object.__setattr__(self, name, value)


_FIRST_YEAR: Final = 2
_LAST_YEAR: Final = 9997
"""Instants of these years, wherever they are read, are well inside every calendar's
range (the local dates 0001-01-02 to 9999-12-30): the real-time measure's own."""


@final
class Measure(_SetOnce):
    """How a clock counts time on ``calendar``: :meth:`BusinessCalendar.between` and
    :meth:`BusinessCalendar.add`, in UTC arithmetic when the calendar is always open.

    Attributes:
        calendar: the calendar counted on.
        real: the calendar is open at every instant, so it counts real time.
    """

    __slots__ = ("calendar", "real", "zone")

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.real = calendar == BusinessCalendar.always_open(calendar.tz)
        self.zone = calendar.zone

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The calendar's ``between(start, end)``."""
        if self.real and _inside(start) and _inside(end):
            return utc(end) - utc(start)
        return self.calendar.between(start, end)

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The calendar's ``add(start, span)``.

        Raises:
            CalendarRangeError: the instant would be outside the calendar's range.
        """
        if self.real and _inside(start):
            try:
                end = utc(start) + span
            except OverflowError:
                return self.calendar.add(start, span)
            if _inside(end):
                return end.astimezone(self.zone)
        return self.calendar.add(start, span)

    def add_each(self, start: datetime, spans: Iterable[timedelta]) -> tuple[datetime, ...]:
        """The calendar's ``add_each(start, spans)``.

        Raises:
            CalendarRangeError: an instant would be outside the calendar's range.
        """
        if self.real:
            return tuple([self.add(start, span) for span in spans])
        return self.calendar.add_each(start, spans)


def _inside(instant: datetime) -> bool:
    return _FIRST_YEAR <= instant.year <= _LAST_YEAR


@final
class MetricPlan(_SetOnce):
    """One metric compiled for a desk: its signal sets, the two calendars it may count
    on (business time on its calendar, real time in that calendar's zone), and its
    clock before it first starts (``idle``, the one every ticket's clock begins as)."""

    __slots__ = (
        "business",
        "holds_in",
        "idle",
        "measures",
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
        self.holds_in = metric.pauses_in | {c for c in CATEGORIES if entered(c) in self.stops_on}
        self.restarts_on = metric.restarts_on
        self.business = business
        self.real = BusinessCalendar.always_open(business.tz)
        self.idle = SlaClock(metric=metric.name)
        self.measures = (Measure(self.real), Measure(business))

    def calendar(self, business: bool) -> BusinessCalendar:
        """The calendar a clock counts on: business time or real time."""
        return self.business if business else self.real

    def measure(self, business: bool) -> Measure:
        """How a clock counts on :meth:`calendar` ``(business)``."""
        return self.measures[business]

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
        for category in CATEGORIES | {s.category for s in workflow.statuses}:
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
