"""SLA metrics (``_sla_metric.py``): the signals that start, stop and restart a clock,
where it pauses, and its targets per priority."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_scenarios import FULL, Target, desk_with, every, hours, loosely
from ticketflow import (
    AGENT_REPLY,
    OPENED,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    DeskDefinitionError,
    Duration,
    InvalidTypeError,
    InvalidValueError,
    Metric,
    entered,
)

METRIC = loosely(Metric)


class TestBuiltInMetrics:
    def test_resume_is_the_default(self) -> None:
        """The built-in resolution metric resumes on reopen."""
        assert "resume" == Metric.resolution(every(hours(8))).on_restart

    def test_resolution_pauses_while_the_desk_waits_on_the_customer(self) -> None:
        """The built-in resolution metric pauses in waiting_on_customer, and on hold only
        when asked to."""
        plain = Metric.resolution(FULL)
        on_hold = Metric.resolution(FULL, pause_on_hold=True)

        assert (
            frozenset({"waiting_on_customer"}),
            frozenset({"waiting_on_customer", "on_hold"}),
        ) == (
            plain.pauses_in,
            on_hold.pauses_in,
        )

    def test_first_response_starts_on_the_opening_and_stops_on_the_agents_reply(self) -> None:
        """The first-response metric starts when the ticket is opened and stops on the
        staff's first public reply."""
        metric = Metric.first_response(FULL)

        assert (frozenset({OPENED}), True) == (metric.starts_on, AGENT_REPLY in metric.stops_on)


class TestTargets:
    def test_a_target_is_read_per_priority(self) -> None:
        """A metric gives the target of a priority it lists, and None for one it does not."""
        targets: dict[str, Target] = {"normal": hours(4), "high": timedelta(hours=1)}
        metric = Metric.first_response(targets)

        assert (hours(4), timedelta(hours=1), None) == (
            metric.target("normal"),
            metric.target("high"),
            metric.target("critical"),
        )

    def test_two_targets_for_one_priority_are_refused(self) -> None:
        """Given targets as pairs that name the priority "high" twice, when a metric is
        built, then it is refused naming the priority (which target would count is not
        for the library to guess)."""
        twice: list[tuple[str, Target]] = [
            ("high", timedelta(hours=1)),
            ("normal", hours(4)),
            ("high", hours(2)),
        ]

        with pytest.raises(InvalidValueError) as raised:
            Metric.first_response(twice)

        assert str(raised.value).startswith(
            "a metric's targets name the priority 'high' twice; give one target per priority"
        )

    def test_targets_given_in_another_order_make_the_same_metric(self) -> None:
        """Given the same targets as pairs in two orders, then the metrics are equal."""
        pairs: list[tuple[str, Target]] = [("high", timedelta(hours=1)), ("normal", hours(4))]

        assert Metric.first_response(pairs) == Metric.first_response(pairs[::-1])


class TestSignals:
    def test_entering_a_category_is_a_signal_named_after_it(self) -> None:
        """``entered(category)`` is the signal a status change into that category raises."""
        assert "entered:resolved" == entered("resolved")

    def test_a_lone_signal_is_one_signal(self) -> None:
        """A metric given one signal as a string holds that name, not its letters."""
        metric = Metric(name="m", targets=FULL, starts_on=OPENED, stops_on=AGENT_REPLY)

        assert (frozenset({OPENED}), frozenset({AGENT_REPLY})) == (
            metric.starts_on,
            metric.stops_on,
        )


class TestWrongTypes:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: METRIC.first_response(None),
            lambda: METRIC.first_response(1),
            lambda: METRIC.first_response("normal"),
            lambda: METRIC.first_response([["normal", hours(1)]]),
            lambda: METRIC.first_response({"normal": 5}),
            lambda: METRIC.first_response({"normal": None}),
            lambda: METRIC.first_response({"normal": loosely(BusinessTime)("4h")}),
            lambda: METRIC.first_response({1: hours(1)}),
            lambda: METRIC.first_response(FULL, warnings=("a",)),
            lambda: METRIC.first_response(FULL, warnings=None),
            lambda: METRIC.first_response(FULL, warnings=0.75),
            lambda: METRIC.first_response(FULL, warnings=[[0.75]]),
            lambda: METRIC.first_response(FULL, warnings=(True,)),
            lambda: METRIC.first_response(FULL, calendar="x"),
            lambda: METRIC.first_response(FULL, pauses_in=[1]),
            lambda: METRIC.first_response(FULL, pauses_in=None),
            lambda: METRIC.first_response(FULL, pauses_in=[["on_hold"]]),
            lambda: METRIC(name=None, targets=FULL, starts_on=OPENED, stops_on=AGENT_REPLY),
            lambda: METRIC(name="m", targets=FULL, starts_on=[1], stops_on=AGENT_REPLY),
            lambda: METRIC(name="m", targets=FULL, starts_on=OPENED, stops_on=None),
            lambda: METRIC(
                name="m", targets=FULL, starts_on=OPENED, stops_on=AGENT_REPLY, restarts_on=1
            ),
            lambda: METRIC(
                name="m", targets=FULL, starts_on=OPENED, stops_on=AGENT_REPLY, on_restart=None
            ),
        ],
    )
    def test_a_wrong_type_in_a_metric_is_an_invalid_type_error(
        self, build: Callable[[], object]
    ) -> None:
        """A value of the wrong type for a metric raises InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            build()

    def test_a_wrong_type_says_what_was_wrong_and_how_to_fix_it(self) -> None:
        """Targets given as a string are refused, quoting the string and saying to give a
        mapping of priorities to targets."""
        with pytest.raises(InvalidTypeError) as raised:
            METRIC.first_response("normal")

        message = str(raised.value)
        assert message.startswith("targets must be a mapping of priority names")
        assert "got str 'normal'; give a mapping of priority names" in message


_DAYS = st.integers(min_value=-(10**6), max_value=10**6)
SPANS: st.SearchStrategy[Target] = st.one_of(st.timedeltas(), st.timedeltas().map(BusinessTime))
"""The duration kinds that are spans of time, of any size and sign."""
DAY_COUNTS: st.SearchStrategy[Duration] = st.one_of(
    _DAYS.map(CalendarDays), _DAYS.map(BusinessDays)
)
"""The duration kinds that count days, of any sign."""


class TestDurationKindsAsTargets:
    """A target is a span of time: real (a timedelta) or business (BusinessTime). A day
    count is refused when the metric is built: a clock counts the time of its running
    segments, and "how many days" of a clock paused mid-day has no one answer."""

    @given(SPANS.filter(lambda t: _span(t) > timedelta(0)))
    def test_a_positive_span_of_either_kind_builds_a_desk(self, target: Target) -> None:
        """A positive timedelta or BusinessTime of any size builds the metric, policy and desk."""
        desk = desk_with(Metric.first_response(every(target)))

        assert target == desk.sla.metrics[0].target("normal")

    @given(SPANS.filter(lambda t: _span(t) <= timedelta(0)))
    def test_a_span_not_positive_of_either_kind_is_a_definition_error(self, target: Target) -> None:
        """A zero or negative timedelta or BusinessTime target is a DeskDefinitionError."""
        metric = Metric.first_response(every(target))

        with pytest.raises(DeskDefinitionError):
            desk_with(metric)

    @given(DAY_COUNTS)
    def test_a_day_count_of_either_kind_is_refused_by_the_metric(self, target: Duration) -> None:
        """CalendarDays or BusinessDays of any count as a target raise InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            METRIC.first_response({"normal": target})

    @pytest.mark.parametrize("target", [timedelta(hours=3), hours(3)])
    def test_a_span_of_time_is_a_target(self, target: Target) -> None:
        """A timedelta or a BusinessTime of a timedelta builds a desk that measures it."""
        desk = desk_with(Metric.first_response(every(target)))

        assert target == desk.sla.metrics[0].target("normal")

    @pytest.mark.parametrize("target", [BusinessDays(3), CalendarDays(3)])
    def test_a_day_count_target_is_refused_when_the_metric_is_built(self, target: object) -> None:
        """A BusinessDays or CalendarDays target raises InvalidTypeError from Metric(...)."""
        with pytest.raises(InvalidTypeError):
            METRIC.first_response({"normal": target})

    def test_a_business_days_target_is_refused_naming_the_target_and_the_kinds(self) -> None:
        """Refusing BusinessDays(3) names the priority, the value and the kinds accepted."""
        with pytest.raises(InvalidTypeError) as raised:
            METRIC.first_response({"normal": BusinessDays(3)})

        message = str(raised.value)
        assert message.startswith("the target for priority 'normal' must be a timedelta")
        assert "BusinessTime of a timedelta" in message
        assert "BusinessDays(days=3)" in message

    def test_a_business_days_target_is_refused_saying_how_to_write_it(self) -> None:
        """Refusing BusinessDays(3) says to write it as BusinessTime of its open hours."""
        with pytest.raises(InvalidTypeError) as raised:
            METRIC.first_response({"normal": BusinessDays(3)})

        assert "BusinessTime(timedelta(hours=3 * 8))" in str(raised.value)

    def test_a_calendar_days_target_is_refused_saying_how_to_write_it(self) -> None:
        """Refusing CalendarDays(3) says to write it as real time, timedelta(days=3)."""
        with pytest.raises(InvalidTypeError) as raised:
            METRIC.first_response({"normal": CalendarDays(3)})

        assert "timedelta(days=3)" in str(raised.value)


def _span(target: Target) -> timedelta:
    return target.duration if isinstance(target, BusinessTime) else target
