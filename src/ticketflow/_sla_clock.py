"""The SLA clock value: the state of one metric on one ticket (:class:`SlaClock`), and its
one copy helper (:func:`replace_clock`).

A clock only records where it is; how it moves is the SLA machine's
(:mod:`ticketflow._sla_machine`). Depends on the shared checks and instants only, so a
ticket (:mod:`ticketflow._ticket`) can hold clocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final, final

import attrs

from ticketflow._checks import require_int, require_str
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    quoted,
    quoted_names,
)
from ticketflow._instants import require_instant
from ticketflow._vocabulary import IDLE, PAUSED, RUNNING, STOPPED

__all__ = ["SlaClock", "replace_clock"]


_CLOCK_STATES: Final = frozenset({IDLE, RUNNING, PAUSED, STOPPED})


_CLOCK_INSTANTS: Final = ("running_since", "due_at", "warn_at", "breached_at", "stopped_at")


def _segments(
    value: Iterable[tuple[datetime, datetime]],
) -> tuple[tuple[datetime, datetime], ...]:
    # Clocks are rebuilt on every change: a tuple passes through without a copy.
    if type(value) is tuple:
        return value
    try:
        return tuple((start, end) for start, end in value)
    except (TypeError, ValueError):  # not an iterable of pairs
        raise InvalidTypeError("SlaClock.segments", "(start, end) pairs", value) from None


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClock:
    """The state of one SLA metric on one ticket, as of the ticket's last change.

    The SLA policy (``ticketflow.SlaPolicy``) decides how a clock moves; the clock only
    records where it is, so that due instants cost nothing to read.

    Attributes:
        metric: the metric's name (``first_response``, ``resolution``, ...).
        state: ``idle`` (not started), ``running``, ``paused`` or ``stopped``.
        cycle: how many times it started (a new cycle restarts the count).
        elapsed: the time counted in this cycle's finished running segments.
        running_since: when the current running segment began.
        segments: this cycle's finished running segments, oldest first.
        target: the target for the ticket's priority.
        business: the target counts business time (else real time).
        due_at: while running and not yet breached, when the target is used up.
        warn_at: while running, when the next warning falls due.
        warned: how many warnings this cycle has given.
        breached_at: when the target was used up in this cycle.
        stopped_at: when the clock stopped.
    """

    metric: str
    state: str = IDLE
    cycle: int = 0
    elapsed: timedelta = timedelta(0)
    running_since: datetime | None = None
    segments: tuple[tuple[datetime, datetime], ...] = attrs.field(default=(), converter=_segments)
    target: timedelta | None = None
    business: bool = True
    due_at: datetime | None = None
    warn_at: datetime | None = None
    warned: int = 0
    breached_at: datetime | None = None
    stopped_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        # Built when a clock first starts and when a host loads a snapshot; the SLA
        # policy's moves copy it (replace_clock), so this is not on the hot path.
        require_str("SlaClock.metric", self.metric)
        if self.state not in _CLOCK_STATES:
            raise InvalidValueError(
                f"SlaClock.state {quoted(self.state)} is not a clock state",
                f"use one of {quoted_names(sorted(_CLOCK_STATES))}",
            )
        for what in ("cycle", "warned"):
            if require_int(f"SlaClock.{what}", getattr(self, what)) < 0:
                raise InvalidValueError(f"SlaClock.{what} is negative", "fix the stored clock")
        if type(self.business) is not bool:
            raise InvalidTypeError("SlaClock.business", "a boolean", self.business)
        for what in ("elapsed", "target"):
            value = getattr(self, what)
            if not isinstance(value, timedelta) and not (what == "target" and value is None):
                raise InvalidTypeError(f"SlaClock.{what}", "a timedelta", value)
        for what in _CLOCK_INSTANTS:
            value = getattr(self, what)
            if value is not None:
                require_instant(f"SlaClock.{what}", value)
        for segment in self.segments:
            if type(segment) is not tuple or len(segment) != 2:
                raise InvalidTypeError("SlaClock.segments", "(start, end) pairs", segment)
            for instant in segment:
                require_instant("SlaClock.segments", instant)


def replace_clock(clock: SlaClock, changes: dict[str, object]) -> SlaClock:
    """A copy of ``clock`` with ``changes`` (the SLA machine's values): the one copy
    helper of :class:`SlaClock`, a new field dictionary as ``ticketflow._ticket.replace``
    gives a ticket's copy."""
    new = object.__new__(SlaClock)
    object.__setattr__(new, "__dict__", clock.__dict__ | changes)
    return new
