"""The SLA modules (``_sla_metric.py``, ``_sla_machine.py``, ...) at their edges, found
by mutation testing (``tools/mutation.sh``): what the usual tests leave unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ticketflow import (
    Actor,
    Desk,
    InvalidTypeError,
    InvalidValueError,
    Metric,
    NaiveDatetimeError,
    OpenTicket,
    Reply,
    SlaClock,
    SlaPolicy,
    Ticket,
    handle,
)
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")
ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")
FOUR_HOURS = {p: timedelta(hours=4) for p in portal.WORKFLOW.priorities}


def at(hour: int, minute: int = 0) -> datetime:
    """Monday 2 March 2026 at ``hour``:``minute`` in Moscow, inside the desk's hours."""
    return datetime(2026, 3, 2, hour, minute, tzinfo=MOSCOW)


def conversation(desk: Desk, *turns: tuple[Actor, datetime]) -> Ticket:
    """Alice's ticket opened at 10:00, then a public reply by each actor at each instant."""
    opening = OpenTicket(actor=ALICE, at=at(10), ticket_id="T-1", subject="No dial tone")
    ticket = handle(desk, None, opening).ticket
    for actor, instant in turns:
        ticket = handle(desk, ticket, Reply(actor=actor, at=instant, body="...")).ticket
    return ticket


class TestNextResponse:
    def test_the_next_follow_up_after_an_answer_starts_a_new_cycle(self) -> None:
        """Given a follow-up answered by the desk, when the customer follows up again,
        then next response runs again, in its second cycle."""
        desk = portal.desk(
            sla=SlaPolicy(
                metrics=[Metric.first_response(FOUR_HOURS), Metric.next_response(FOUR_HOURS)]
            )
        )

        ticket = conversation(
            desk, (CAROL, at(10, 30)), (ALICE, at(11)), (CAROL, at(11, 30)), (ALICE, at(12))
        )

        clock = ticket.clock("next_response")
        assert ("running", 2) == (None if clock is None else (clock.state, clock.cycle))


HOUR = {"normal": timedelta(hours=1)}


def wrong(value: object) -> Any:
    """``value``, typed as anything: a part of the wrong type, on purpose."""
    return value


# Each malformed part of a metric, and the refusal it gets: what it must be, what it got.
MALFORMED_METRICS: dict[str, tuple[Callable[[], object], str]] = {
    "targets-not-a-mapping": (
        lambda: Metric.first_response(wrong(5)),
        "targets must be a mapping of priority names to timedelta or BusinessTime "
        "targets, got int 5; give a mapping of priority names to timedelta or "
        "BusinessTime targets",
    ),
    "priority-not-a-name": (
        lambda: Metric.first_response(wrong({5: timedelta(hours=1)})),
        "a metric's priority must be a priority name (str), got int 5; give a priority name (str)",
    ),
    "signal-not-a-name": (
        lambda: Metric(name="m", targets=HOUR, starts_on=["x"], stops_on=wrong([7])),
        "a metric's signal must be a str, got int 7; give a str",
    ),
    "warning-not-a-fraction": (
        lambda: Metric.first_response(HOUR, warnings=wrong(["0.5"])),
        "a warning must be a fraction like 0.75 (a float), got str '0.5'; "
        "give a fraction like 0.75 (a float)",
    ),
    "calendar-not-a-calendar": (
        lambda: Metric.first_response(HOUR, calendar=wrong("UTC")),
        "calendar must be a BusinessCalendar or None, got str 'UTC'; "
        "give a BusinessCalendar or None",
    ),
    "policy-of-a-name": (
        lambda: SlaPolicy(metrics=wrong(["first_response"])),
        "an item of SlaPolicy metrics must be a Metric, got str 'first_response'; give a Metric",
    ),
}


class TestMalformedMetrics:
    @pytest.mark.parametrize(
        ("build", "message"), MALFORMED_METRICS.values(), ids=MALFORMED_METRICS.keys()
    )
    def test_a_malformed_metric_is_refused_saying_what_it_must_be(
        self, build: Callable[[], object], message: str
    ) -> None:
        """Given a metric or a policy with one part of the wrong type, when it is built,
        then the refusal names the part, what it must be and the value given."""
        with pytest.raises(InvalidTypeError) as raised:
            build()

        assert message == str(raised.value)


# Each malformed field of a stored clock, and the refusal it gets.
MALFORMED_CLOCKS: dict[str, tuple[dict[str, Any], type[Exception], str]] = {
    "metric-not-a-string": (
        {"metric": 5},
        InvalidTypeError,
        "SlaClock.metric must be a string, got int 5; give a string",
    ),
    "negative-cycle": (
        {"cycle": -1},
        InvalidValueError,
        "SlaClock.cycle is negative; fix the stored clock",
    ),
    "warned-not-an-integer": (
        {"warned": "1"},
        InvalidTypeError,
        "SlaClock.warned must be an integer, got str '1'; give an integer",
    ),
    "business-not-a-boolean": (
        {"business": "yes"},
        InvalidTypeError,
        "SlaClock.business must be a boolean, got str 'yes'; give a boolean",
    ),
    "segment-not-a-pair": (
        {"segments": ((at(10),),)},
        InvalidTypeError,
        "SlaClock.segments must be (start, end) pairs, got tuple (datetime.datetime(2026, 3, "
        "2...oneInfo(key='Europe/Moscow')),); give (start, end) pairs",
    ),
    "segment-ending-naive": (
        {"segments": ((at(10), at(11).replace(tzinfo=None)),)},
        NaiveDatetimeError,
        "SlaClock.segments is a naive datetime (2026-03-02T11:00:00); ticketflow needs an "
        "instant: give it a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Berlin')) "
        "or datetime(..., tzinfo=timezone.utc)",
    ),
    "elapsed-not-a-timedelta": (
        {"elapsed": 5},
        InvalidTypeError,
        "SlaClock.elapsed must be a timedelta, got int 5; give a timedelta",
    ),
}


class TestStoredClocks:
    @pytest.mark.parametrize(
        ("fields", "error", "message"), MALFORMED_CLOCKS.values(), ids=MALFORMED_CLOCKS.keys()
    )
    def test_a_malformed_stored_clock_is_refused_by_its_field(
        self, fields: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        """Given a clock a host stored with one malformed field, when it is loaded, then
        the refusal names the field and what is wrong with it."""
        values: dict[str, Any] = {"metric": "first_response", **fields}

        with pytest.raises(error) as raised:
            SlaClock(**values)

        assert message == str(raised.value)
