"""Durations of time-driven rules: shifting instants, checks, readings and documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ticketflow._calendar import BusinessCalendar
from ticketflow._durations import (
    MAX_DURATION,
    MAX_DURATION_DAYS,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    Duration,
    check_duration,
    describe,
    duration_from_document,
    duration_to_document,
    is_duration,
    is_positive,
    shift,
)
from ticketflow._errors import CalendarRangeError

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[arg-type,misc]


def office() -> BusinessCalendar:
    return BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")


def fault(duration: object) -> str:
    """What check_duration says is wrong with ``duration`` as a timer's wait."""
    problem = check_duration("timer 'x'", duration, "its wait")
    assert problem is not None
    return problem.what


class TestShift:
    def test_real_time_counts_every_hour(self) -> None:
        """A timedelta is real elapsed time: 360 hours across a DST change end an hour
        later on the wall clock."""
        assert berlin(2026, 4, 4, 11) == shift(office(), berlin(2026, 3, 20, 10), 15 * 24 * HOUR)

    def test_calendar_days_keep_the_wall_time(self) -> None:
        """CalendarDays land at the same local wall time, DST or not."""
        assert berlin(2026, 4, 4, 10) == shift(office(), berlin(2026, 3, 20, 10), CalendarDays(15))

    def test_business_time_counts_open_time_only(self) -> None:
        """BusinessTime counts only the calendar's open hours (Friday 16:00 + 2 h is
        Monday 10:00)."""
        landed = shift(office(), berlin(2026, 3, 6, 16), BusinessTime(2 * HOUR))
        assert berlin(2026, 3, 9, 10) == landed

    def test_business_days_skip_closed_days(self) -> None:
        """BusinessDays count business days at the same wall time (Friday + 1 is Monday)."""
        assert berlin(2026, 3, 9, 10) == shift(office(), berlin(2026, 3, 6, 10), BusinessDays(1))

    def test_a_negative_sign_moves_back(self) -> None:
        """sign=-1 moves the same duration backwards."""
        assert berlin(2026, 3, 6, 10) == shift(
            office(), berlin(2026, 3, 9, 10), BusinessDays(1), sign=-1
        )

    def test_the_result_is_in_the_calendars_zone(self) -> None:
        """A start given in UTC comes back in the calendar's zone."""
        landed = shift(office(), datetime(2026, 3, 2, 9, tzinfo=UTC), HOUR)
        assert BERLIN == landed.tzinfo

    def test_real_time_past_year_9999_is_a_range_error(self) -> None:
        """A timedelta beyond what datetime holds raises CalendarRangeError, not a bare
        OverflowError."""
        with pytest.raises(CalendarRangeError):
            shift(office(), datetime(9999, 12, 1, tzinfo=UTC), timedelta(days=60))

    def test_calendar_days_past_year_9999_are_a_range_error(self) -> None:
        """Local days beyond the calendar's dates raise the calendar's range error."""
        with pytest.raises(CalendarRangeError):
            shift(office(), datetime(9999, 12, 1, tzinfo=UTC), CalendarDays(60))


class TestCheckDuration:
    @pytest.mark.parametrize(
        "duration", [HOUR, CalendarDays(1), BusinessTime(HOUR), BusinessDays(MAX_DURATION_DAYS)]
    )
    def test_a_positive_bounded_duration_is_fine(self, duration: Duration) -> None:
        """A positive duration of at most the maximum has no problem."""
        assert check_duration("timer 'x'", duration) is None

    def test_a_non_duration_is_refused(self) -> None:
        """A value of another type is not a duration, and the problem says which are."""
        assert "is not a duration: 3" in fault(3)

    def test_a_bool_is_not_a_number_of_days(self) -> None:
        """CalendarDays(True) is refused: a bool is no count of days."""
        assert "is not a duration" in fault(CalendarDays(True))

    def test_zero_is_refused(self) -> None:
        """A zero wait is refused as zero."""
        assert "its wait is zero (0 business days)" == fault(BusinessDays(0))

    def test_a_negative_span_is_refused(self) -> None:
        """A negative timedelta is refused as negative, quoting it readably."""
        assert "its wait is negative (-2:00:00)" == fault(-2 * HOUR)

    def test_more_than_the_maximum_of_days_is_refused(self) -> None:
        """More days than MAX_DURATION_DAYS is too long."""
        assert "longer than the maximum" in fault(CalendarDays(MAX_DURATION_DAYS + 1))

    def test_more_than_the_maximum_of_business_time_is_refused(self) -> None:
        """BusinessTime longer than MAX_DURATION is too long."""
        assert "longer than the maximum" in fault(BusinessTime(MAX_DURATION + HOUR))

    def test_the_fix_names_the_bounds(self) -> None:
        """The fix says what a duration may be."""
        problem = check_duration("timer 'x'", BusinessDays(0))
        assert problem is not None
        assert "give a positive duration of at most 36,525 days (100 years)" == problem.fix


class TestDescribe:
    @pytest.mark.parametrize(
        ("duration", "reading"),
        [
            (BusinessDays(1), "1 business day"),
            (BusinessDays(3), "3 business days"),
            (CalendarDays(30), "30 days"),
            (CalendarDays(-1), "-1 day"),
            (4 * HOUR, "4:00:00"),
            (BusinessTime(8 * HOUR), "8:00:00 of business time"),
        ],
    )
    def test_each_kind_reads_in_its_unit(self, duration: Duration, reading: str) -> None:
        """Each kind of duration reads in its own unit, singular for one."""
        assert reading == describe(duration)

    def test_a_negative_span_reads_with_a_minus(self) -> None:
        """A negative timedelta reads with a leading minus, not as -1 day plus hours."""
        assert "-2:00:00" == describe(-2 * HOUR)

    def test_less_than_a_second_reads_in_microseconds(self) -> None:
        """A span shorter than a second reads in µs, also when negative."""
        assert ("6 µs", "-6 µs") == (
            describe(timedelta(microseconds=6)),
            describe(timedelta(microseconds=-6)),
        )

    def test_the_most_negative_span_reads_without_overflow(self) -> None:
        """timedelta.min, which cannot be negated, still reads."""
        assert "-" + str(timedelta.max) == describe(timedelta.min)

    @pytest.mark.parametrize(
        ("malformed", "reading"),
        [
            (BusinessTime(3), "BusinessTime(duration=3)"),  # type: ignore[arg-type]
            (BusinessTime(CalendarDays(3)), "BusinessTime(duration=CalendarDays(days=3))"),  # type: ignore[arg-type]
            (CalendarDays("3"), "CalendarDays(days='3')"),  # type: ignore[arg-type]
            (BusinessDays(True), "BusinessDays(days=True)"),
        ],
    )
    def test_a_kind_holding_the_wrong_type_reads_as_written(
        self, malformed: Duration, reading: str
    ) -> None:
        """A kind holding the wrong type reads as its repr, so a timer or auto-close rule
        naming it is built and its problem reported, not a raw TypeError raised."""
        assert reading == describe(malformed)


class TestIsDuration:
    @pytest.mark.parametrize(
        "duration",
        [-HOUR, CalendarDays(0), BusinessTime(HOUR), BusinessDays(-3), CalendarDays(10**9)],
    )
    def test_every_well_formed_kind_is_a_duration(self, duration: Duration) -> None:
        """Each kind holding its own type is a duration, whatever its sign or size."""
        assert is_duration(duration)

    @pytest.mark.parametrize(
        "value",
        [
            3,
            None,
            "3 days",
            BusinessTime(3),  # type: ignore[arg-type]
            BusinessTime(CalendarDays(3)),  # type: ignore[arg-type]
            CalendarDays("3"),  # type: ignore[arg-type]
            CalendarDays(True),
            BusinessDays(2.5),  # type: ignore[arg-type]
        ],
    )
    def test_a_kind_holding_the_wrong_type_is_no_duration(self, value: object) -> None:
        """A non-duration, or a kind holding the wrong type (a bool as days), is none."""
        assert not is_duration(value)


class TestIsPositive:
    @pytest.mark.parametrize(
        ("duration", "positive"),
        [
            (HOUR, True),
            (timedelta(0), False),
            (CalendarDays(0), False),
            (BusinessDays(2), True),
            (BusinessTime(-HOUR), False),
        ],
    )
    def test_only_a_duration_that_moves_forward_is_positive(
        self, duration: Duration, positive: bool
    ) -> None:
        """A duration is positive when it moves time forward at all."""
        assert positive == is_positive(duration)

    @pytest.mark.parametrize(
        "malformed",
        [BusinessTime(3), CalendarDays("3"), BusinessTime(CalendarDays(1))],  # type: ignore[arg-type]
    )
    def test_a_kind_holding_the_wrong_type_is_not_positive(self, malformed: Duration) -> None:
        """A kind holding the wrong type moves no time (its check reports it), not a TypeError."""
        assert not is_positive(malformed)


class TestDocuments:
    @pytest.mark.parametrize(
        ("duration", "document"),
        [
            (BusinessDays(3), {"business_days": 3}),
            (CalendarDays(30), {"days": 30}),
            (72 * HOUR, {"hours": 72}),
            (timedelta(minutes=90), {"hours": 1.5}),
            (BusinessTime(8 * HOUR), {"business_hours": 8}),
        ],
    )
    def test_each_kind_writes_one_key(
        self, duration: Duration, document: dict[str, int | float]
    ) -> None:
        """A duration is written as one unit and an amount, whole amounts as ints."""
        assert document == duration_to_document(duration)

    @pytest.mark.parametrize(
        "duration", [BusinessDays(3), CalendarDays(30), 72 * HOUR, BusinessTime(HOUR)]
    )
    def test_a_written_duration_reads_back(self, duration: Duration) -> None:
        """duration_from_document reads what duration_to_document wrote."""
        assert duration == duration_from_document(duration_to_document(duration))

    @pytest.mark.parametrize(
        ("document", "duration"),
        [
            ({"seconds": 30}, timedelta(seconds=30)),
            ({"minutes": 5}, timedelta(minutes=5)),
            ({"business_minutes": 45}, BusinessTime(timedelta(minutes=45))),
        ],
    )
    def test_every_unit_is_read(self, document: dict[str, int], duration: Duration) -> None:
        """Seconds, minutes and business minutes are units too."""
        assert duration == duration_from_document(document)

    def test_more_than_one_key_is_refused(self) -> None:
        """A document of two units is not one duration."""
        message = duration_from_document({"days": 1, "hours": 2})
        assert isinstance(message, str)
        assert message.startswith("a duration is one unit and an amount")

    def test_a_non_mapping_is_refused(self) -> None:
        """A bare number is not a duration document."""
        assert isinstance(duration_from_document(3), str)

    def test_an_unknown_unit_is_refused_with_the_known_ones(self) -> None:
        """An unknown unit is named, with the units there are."""
        message = duration_from_document({"weeks": 2})
        assert isinstance(message, str)
        assert message.startswith("unknown unit 'weeks': use one of seconds, minutes")

    def test_a_non_number_amount_is_refused(self) -> None:
        """An amount that is not a number is refused, quoted."""
        assert "the amount of days must be a number, got '3'" == duration_from_document(
            {"days": "3"}
        )

    def test_a_bool_amount_is_refused(self) -> None:
        """True is not an amount, though Python counts it as 1."""
        assert "the amount of days must be a number, got True" == duration_from_document(
            {"days": True}
        )

    def test_a_non_finite_amount_is_refused(self) -> None:
        """An infinite or NaN amount is refused."""
        message = duration_from_document({"hours": float("inf")})
        assert isinstance(message, str)
        assert "must be a finite number" in message

    def test_an_amount_beyond_the_maximum_is_refused(self) -> None:
        """An amount longer than the maximum is refused before any timedelta is built."""
        message = duration_from_document({"seconds": 10**30})
        assert isinstance(message, str)
        assert "is longer than the maximum of 36,525 days (100 years)" in message

    def test_days_must_be_whole(self) -> None:
        """Calendar and business days are whole numbers."""
        message = duration_from_document({"business_days": 1.5})
        assert isinstance(message, str)
        assert "business_days must be a whole number" in message
