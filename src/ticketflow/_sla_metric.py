"""SLA metrics: the signals that drive a clock and the :class:`Metric` value that names which
signals start, stop and restart it, where it pauses, and its targets per priority.

A :class:`Metric` is a small state machine driven by *signals* that the ticket's own
events raise: ``opened``, ``customer_reply``, ``agent_reply``, ``reopened`` and
``entered:<category>`` for every status change. A metric starts a cycle on one of its
``starts_on`` signals, stops on ``stops_on``, runs again on ``restarts_on`` (resuming
where it stopped, or starting a new cycle), and does not count while the ticket is in
one of its ``pauses_in`` categories. First response, next response and resolution are
three such machines (:meth:`Metric.first_response` and friends); a host writes its
own the same way.

Depends on the vocabulary, the calendar and durations only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from itertools import pairwise
from typing import Final, TypedDict, Unpack, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._checks import names, sequence_of
from ticketflow._durations import BusinessDays, BusinessTime, CalendarDays
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    quoted,
)
from ticketflow._vocabulary import (
    AGENT_REPLY,
    CUSTOMER_FOLLOWED_UP,
    NEW_CYCLE,
    OPENED,
    REOPENED,
    RESUME,
    Category,
    entered,
)

__all__ = [
    "optional_calendar",
    "MAX_WARNINGS",
    "Metric",
]


Target = timedelta | BusinessTime
"""A metric's target: real time (a ``timedelta``) or :class:`BusinessTime`.

A day count (:class:`CalendarDays`, :class:`BusinessDays`) is no target: a clock counts
the time of its running segments, and how many days a clock paused mid-day has counted
has no one answer. It is refused when the metric is built, saying how to write it."""

_TARGET_KINDS: Final = "a timedelta or a BusinessTime of a timedelta"


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
                f"the target for priority {quoted(priority)}", _expected_target(target), target
            )
        out.append((priority, target))
    out.sort(key=lambda item: item[0])
    for (name, _), (after, _) in pairwise(out):
        if name == after:
            raise InvalidValueError(
                f"a metric's targets name the priority {quoted(name)} twice",
                "give one target per priority",
            )
    return tuple(out)


def _expected_target(target: object) -> str:
    """What a target must be, with the span to write for a day count given instead."""
    match target:
        case BusinessDays(days=days) if type(days) is int:
            span = (
                f"{days} business days of 8 open hours are "
                f"BusinessTime(timedelta(hours={days} * 8))"
            )
        case CalendarDays(days=days) if type(days) is int:
            span = f"{days} days of real time are timedelta(days={days})"
        case _:
            return _TARGET_KINDS
    return f"{_TARGET_KINDS} (an SLA clock counts time, not days: {span})"


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


def optional_calendar(value: object) -> BusinessCalendar | None:
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
            :class:`BusinessTime` (counted on the metric's calendar); a day count
            (:class:`BusinessDays`, :class:`CalendarDays`) is refused.
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
            for a warning or the calendar, ``BusinessDays(3)`` for a target: the
            message says how to write it as business time).
        InvalidValueError: targets given as pairs name a priority twice.

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
    calendar: BusinessCalendar | None = attrs.field(default=None, converter=optional_calendar)
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
            stops_on={AGENT_REPLY, *_DONE},
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
            stops_on={AGENT_REPLY, *_DONE},
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
