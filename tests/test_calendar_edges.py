"""The business calendar (``_calendar.py``, ``_timeline.py``, ``_calendar_definition.py``)
at its edges, found by mutation testing (``tools/mutation.sh``): what the usual tests
leave unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ticketflow import (
    BusinessCalendar,
    CalendarDefinitionError,
    Closure,
    InvalidTypeError,
    LocalDateExpectedError,
    Window,
)

CALENDAR = BusinessCalendar.always_open("UTC")
NOT_A_DATE: Any = "2026-03-02"
NOT_A_WINDOW: Any = 5
CHRISTMAS_EVE: Any = "2026-12-24"


class TestLocalDateQuestions:
    @pytest.mark.parametrize(
        ("question", "message"),
        [
            (CALENDAR.day_start, "day must be a local date, got str '2026-03-02'"),
            (
                CALENDAR.holiday_name,
                "holiday_name's day must be a local date, got str '2026-03-02'",
            ),
        ],
        ids=["day_start", "holiday_name"],
    )
    def test_a_string_for_a_day_is_refused_saying_what_was_given(
        self, question: Callable[[Any], object], message: str
    ) -> None:
        """Given an always-open calendar, when a day's question is asked of a string,
        then the refusal says a local date was wanted and which value came instead."""
        with pytest.raises(InvalidTypeError) as raised:
            question(NOT_A_DATE)

        assert message + "; give a local date" == str(raised.value)

    def test_a_datetime_for_a_holiday_is_refused_by_the_questions_name(self) -> None:
        """Given an always-open calendar, when holiday_name is asked of a datetime, then
        the refusal names holiday_name and says how to get the local date."""
        with pytest.raises(LocalDateExpectedError) as raised:
            CALENDAR.holiday_name(datetime(2026, 3, 2, tzinfo=UTC))

        expected = (
            "holiday_name takes local dates, not datetimes; "
            "give instant.astimezone(calendar.zone).date()"
        )
        assert expected == str(raised.value)


def weekdays_in(first: date, end: date) -> int:
    """How many Mondays to Fridays lie in ``[first, end)``, counted one day at a time."""
    days = (first + timedelta(days=n) for n in range((end - first).days))
    return sum(1 for day in days if day.weekday() < 5)


class TestBusinessDaysBetween:
    def test_a_span_of_several_whole_years_counts_every_year(self) -> None:
        """Given a Monday-to-Friday calendar without holidays, when the business days of
        2020 to 2023 are counted, then each of the years in between counts."""
        calendar = BusinessCalendar.weekdays("UTC")

        counted = calendar.business_days_between(date(2020, 1, 1), date(2024, 1, 1))

        assert weekdays_in(date(2020, 1, 1), date(2024, 1, 1)) == counted

    def test_a_span_may_end_on_the_day_after_the_last_day_counted(self) -> None:
        """Given an always-open calendar, when the days from 9999-12-29 to the end
        9999-12-31 (not counted) are counted, then both days count."""
        assert 2 == CALENDAR.business_days_between(date(9999, 12, 29), date(9999, 12, 31))


class TestNextOpen:
    def test_after_a_years_last_opening_the_next_is_in_the_next_year(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when asked at 18:00 on Thursday
        31 December 2026 when it next opens, then Friday 1 January 2027 at 09:00."""
        calendar = BusinessCalendar.weekdays("UTC")

        opens = calendar.next_open(datetime(2026, 12, 31, 18, tzinfo=UTC))

        assert datetime(2027, 1, 1, 9, tzinfo=UTC) == opens


# Each malformed part of a calendar definition, and the one problem it is refused with.
MALFORMED_PARTS: dict[str, tuple[Callable[[], object], str]] = {
    "window-without-minutes": (
        lambda: Window.parse("9-17"),
        "window '9-17': is not two HH:MM times separated by '-' (hours 00-23, or 24:00 as "
        "an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
        "'12:00-24:00')",
    ),
    "closure-on-a-string": (
        lambda: Closure(CHRISTMAS_EVE, Window.parse("12:00-24:00")),
        "closure: on '2026-12-24' is not a date (fix: give a datetime.date)",
    ),
    "closure-of-a-number": (
        lambda: Closure(date(2026, 12, 24), NOT_A_WINDOW),
        "closure: window 5 is not a Window (fix: give e.g. Window.parse('12:00-24:00'))",
    ),
}


class TestMalformedDefinitions:
    @pytest.mark.parametrize(
        ("build", "problem"), MALFORMED_PARTS.values(), ids=MALFORMED_PARTS.keys()
    )
    def test_a_malformed_part_is_refused_with_its_problem_and_fix(
        self, build: Callable[[], object], problem: str
    ) -> None:
        """Given one malformed part of a calendar, when it is built, then the refusal
        holds that one problem, with its fix."""
        with pytest.raises(CalendarDefinitionError) as raised:
            build()

        assert "invalid business calendar: 1 problem\n  - " + problem == str(raised.value)


class TestTheFirstYear:
    def test_business_time_counted_back_reaches_into_year_one(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when five business days are
        taken back from 4 January of year 2, then the answer is in December of year 1."""
        calendar = BusinessCalendar.weekdays("UTC")

        earlier = calendar.add_business_days(datetime(2, 1, 4, 10, tzinfo=UTC), -5)

        assert datetime(1, 12, 28, 10, tzinfo=UTC) == earlier
