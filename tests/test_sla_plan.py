"""The compiled SLA plan (``_sla_plan.py``): a policy compiled for one desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_scenarios import (
    moscow,
    opening,
)
from strategies import dst_changes
from ticketflow import (
    BusinessCalendar,
    CalendarRangeError,
    SlaClock,
    handle,
)
from ticketflow._sla_plan import Measure
from ticketflow.presets import support_portal as portal


class TestCompiledPlan:
    def test_a_desk_pickles_with_its_compiled_plan(self) -> None:
        """A desk sent to another process recompiles its SLA plan and decides alike."""
        import pickle

        desk = portal.desk()
        copy = pickle.loads(pickle.dumps(desk))
        at = moscow(2026, 3, 2, 10)

        assert handle(desk, None, opening(at)).ticket == handle(copy, None, opening(at)).ticket

    def test_the_compiled_plan_is_read_only(self) -> None:
        """The plan belongs to a frozen desk: its attributes and tables cannot change."""
        plan = portal.desk().sla_plan

        with pytest.raises(AttributeError, match="read-only"):
            plan.terminal = frozenset()
        with pytest.raises(AttributeError, match="read-only"):
            plan.metrics[0].holds_in = frozenset()
        with pytest.raises(TypeError):
            plan.entering["active"] = (True, {})  # type: ignore[index]


# -- the real-time measure: UTC arithmetic, the same instants as the calendar ------------

_ZONES = ("America/Sao_Paulo", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC")
_CHANGES = [c for zone in _ZONES for c in dst_changes(zone, 2016)] + [
    datetime(2016, 6, 1, tzinfo=UTC)
]


@st.composite
def _instants_near_changes(draw: st.DrawFn) -> datetime:
    """An instant within two days of a DST change, read in one of the zones (its own
    reading, fold included) or at a fixed offset."""
    at = draw(st.sampled_from(_CHANGES)) + timedelta(
        microseconds=draw(st.integers(-2 * 86_400_000_000, 2 * 86_400_000_000))
    )
    zone = draw(st.sampled_from([*_ZONES, None]))
    return at.astimezone(timezone(timedelta(hours=-3)) if zone is None else ZoneInfo(zone))


_SPANS = st.builds(
    lambda us: timedelta(microseconds=us), st.integers(-40 * 86_400_000_000, 40 * 86_400_000_000)
)


_ALWAYS = {zone: BusinessCalendar.always_open(zone) for zone in _ZONES}
"""One calendar per zone: a calendar builds its year tables once."""


def _reading(instant: datetime) -> tuple[datetime, object, int, timedelta | None]:
    """An instant with how it is written: equal readings are the same datetime."""
    return instant, instant.tzinfo, instant.fold, instant.utcoffset()


class TestRealTimeMeasure:
    @settings(deadline=None)
    @given(st.sampled_from(_ZONES), _instants_near_changes(), _SPANS)
    def test_adding_real_time_gives_the_calendars_instant(
        self, zone: str, start: datetime, span: timedelta
    ) -> None:
        """An always-open calendar's measure adds a span as the calendar does: the same
        instant, in the calendar's zone, with the same fold (DST changes included)."""
        calendar = _ALWAYS[zone]

        assert _reading(calendar.add(start, span)) == _reading(Measure(calendar).add(start, span))

    @settings(deadline=None)
    @given(st.sampled_from(_ZONES), _instants_near_changes(), _instants_near_changes())
    def test_real_time_between_two_instants_is_the_calendars(
        self, zone: str, start: datetime, end: datetime
    ) -> None:
        """An always-open calendar's measure counts the time between two instants (either
        way round) as the calendar does."""
        calendar = _ALWAYS[zone]

        assert calendar.between(start, end) == Measure(calendar).between(start, end)

    @pytest.mark.parametrize(
        ("start", "span"),
        [
            (datetime(9999, 12, 29, tzinfo=UTC), timedelta(days=1)),
            (datetime(9997, 12, 31, 23, tzinfo=UTC), timedelta(days=800)),
            (datetime(1, 1, 3, tzinfo=UTC), timedelta(days=-2)),
            (datetime(2, 1, 1, 1, tzinfo=UTC), timedelta(days=-400)),
        ],
    )
    def test_near_the_ends_of_time_the_measure_answers_as_the_calendar(
        self, start: datetime, span: timedelta
    ) -> None:
        """Near the years 1 and 9999 the measure asks the calendar, so an instant past
        the calendar's range is refused alike."""
        calendar = BusinessCalendar.always_open("America/Sao_Paulo")

        expected: object
        try:
            expected = _reading(calendar.add(start, span))
        except CalendarRangeError as error:
            expected = type(error)
        try:
            actual: object = _reading(Measure(calendar).add(start, span))
        except CalendarRangeError as error:
            actual = type(error)
        assert expected == actual

    def test_a_calendar_with_closed_hours_is_asked_itself(self) -> None:
        """A measure on a calendar that closes counts business time: the calendar's."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin")
        friday = datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("Europe/Berlin"))
        measure = Measure(calendar)

        assert (False, calendar.add(friday, timedelta(hours=2))) == (
            measure.real,
            measure.add(friday, timedelta(hours=2)),
        )

    def test_a_clock_starts_from_its_metrics_idle_clock(self) -> None:
        """The plan's idle clock is the clock a ticket's metric has before it starts."""
        plan = portal.desk().sla_plan

        assert [SlaClock(metric=m.name) for m in plan.metrics] == [m.idle for m in plan.metrics]
