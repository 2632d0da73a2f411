"""What a calendar is made of: windows, closures, and the problems of a definition.

Every problem is reported together with its fix, whether the definition was written
in code or in a document (moved from ``test_calendar.py`` to mirror
``_calendar_definition.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_definition import Window
from ticketflow._errors import CalendarDefinitionError

HOUR = timedelta(hours=1)


def problems_of(document: dict[str, object]) -> list[str]:
    with pytest.raises(CalendarDefinitionError) as raised:
        BusinessCalendar.from_document(document)
    return [str(problem) for problem in raised.value.problems]


class TestDefinitionProblems:
    def test_overlapping_windows(self) -> None:
        """Overlapping windows on a day are refused, with the fix."""
        (problem,) = problems_of({"tz": "UTC", "week": {"mon": ["09:00-12:00", "11:00-17:00"]}})
        assert (
            "week mon 09:00-12:00: overlaps mon 11:00-17:00 (fix: make the windows disjoint"
            in problem
        )

    def test_overnight_window_overlapping_the_next_day(self) -> None:
        """Sunday's overnight window overlapping Monday morning is refused."""
        (problem,) = problems_of(
            {"tz": "UTC", "week": {"sun": "22:00-06:00", "mon": "05:00-09:00"}}
        )
        assert "week sun 22:00-06:00: overlaps mon 05:00-09:00" in problem

    def test_touching_windows_are_fine(self) -> None:
        """Windows that touch do not overlap."""
        calendar = BusinessCalendar.from_document(
            {"tz": "UTC", "week": {"mon": ["09:00-12:00", "12:00-17:00"]}}
        )
        assert 8 * HOUR == calendar.between(
            datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
        )

    def test_zero_length_window(self) -> None:
        """A window that ends where it starts is refused."""
        (problem,) = problems_of({"tz": "UTC", "week": {"mon": "09:00-09:00"}})
        assert "has zero length (fix: give an end different from the start" in problem

    def test_zero_length_window_in_code(self) -> None:
        """Window(540, 540) is refused too."""
        with pytest.raises(CalendarDefinitionError, match="zero length"):
            Window(540, 540)

    def test_window_outside_the_day(self) -> None:
        """A window of minutes outside the day is refused."""
        with pytest.raises(CalendarDefinitionError, match="outside the day"):
            Window(0, 1441)

    def test_unknown_time_zone(self) -> None:
        """An unknown zone is refused, suggesting close names."""
        (problem,) = problems_of({"tz": "Europe/Berln", "week": {"mon": "09:00-17:00"}})
        assert "unknown time zone 'Europe/Berln'" in problem
        assert "'Europe/Berlin'" in problem

    def test_unknown_country(self) -> None:
        """A country the holidays package does not know is refused."""
        (problem,) = problems_of({"tz": "UTC", "country": "XX"})
        assert "does not know country 'XX' (fix: give an ISO 3166-1 code" in problem

    def test_lower_case_country_suggests_the_code(self) -> None:
        """'de' is refused, suggesting 'DE'."""
        (problem,) = problems_of({"tz": "UTC", "country": "de"})
        assert "did you mean 'DE'" in problem

    def test_unknown_subdivision(self) -> None:
        """A subdivision the country does not have is refused, listing the ones it has."""
        (problem,) = problems_of({"tz": "UTC", "country": "DE", "subdiv": "XX"})
        assert "country 'DE' has no subdivision 'XX' (fix: give one of: BB, BE, BW, BY" in problem

    def test_subdivision_without_country(self) -> None:
        """A subdivision needs a country."""
        (problem,) = problems_of({"tz": "UTC", "subdiv": "BY"})
        assert "given without a country" in problem

    def test_a_week_without_windows(self) -> None:
        """A calendar that never opens is refused: business time could never pass."""
        with pytest.raises(CalendarDefinitionError, match="has no opening windows"):
            BusinessCalendar(tz="UTC", week=[()] * 7)

    def test_a_date_both_holiday_and_workday(self) -> None:
        """A date cannot be both a holiday and an extra working day."""
        (problem,) = problems_of(
            {"tz": "UTC", "holidays": ["2026-12-24"], "extra_workdays": ["2026-12-24"]}
        )
        assert "is both a holiday and an extra working day" in problem

    def test_a_week_must_have_seven_days(self) -> None:
        """A week given in code must have seven entries, Monday first."""
        with pytest.raises(CalendarDefinitionError, match="give exactly seven tuples"):
            BusinessCalendar(tz="UTC", week=[(Window(540, 1020),)] * 5)

    def test_a_zone_given_in_code_must_be_a_name(self) -> None:
        """A non-string zone given in code is refused."""
        with pytest.raises(CalendarDefinitionError, match="is not a time zone name"):
            BusinessCalendar(tz="")

    def test_the_message_lists_every_problem_with_its_fix(self) -> None:
        """The error message has one line per problem, each with '(fix: ...)'."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar.from_document({"tz": "Nowhere", "week": {"mon": "9"}})
        message = str(raised.value)
        assert message.startswith("invalid business calendar: 2 problems")
        assert 2 == message.count("(fix: ")

    def test_direct_construction_is_validated(self) -> None:
        """The constructor itself refuses a bad definition."""
        with pytest.raises(CalendarDefinitionError, match="unknown time zone"):
            BusinessCalendar(tz="Nowhere/Special")


# The refusal of a Monday window whose text is not two valid HH:MM times.
NOT_TWO_TIMES = (
    "window week.mon[0] {text!r}: is not two HH:MM times separated by '-' (hours 00-23, "
    "or 24:00 as an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
    "'12:00-24:00')"
)


class TestWindowTimes:
    @pytest.mark.parametrize(
        "text",
        ["09:60-17:00", "08:61-17:00", "09:00-25:00", "24:00-09:00", "09:00-24:01"],
        ids=["minute-60", "minute-61", "hour-25", "24:00-as-a-start", "past-24:00"],
    )
    def test_a_time_outside_the_clock_is_refused_as_no_time(self, text: str) -> None:
        """Given a calendar document whose Monday window has a minute of 60 or more, an
        hour past 24, 24:00 as its start or a minute past 24:00, when it is read, then
        the one problem is that the window is not two HH:MM times."""
        assert [NOT_TWO_TIMES.format(text=text)] == problems_of(
            {"tz": "UTC", "week": {"mon": text}}
        )


class TestLongWeekdayNames:
    def test_a_range_of_long_day_names_is_the_range_of_short_ones(self) -> None:
        """Given a calendar document whose week is 'Monday-Friday' 09:00-17:00, when it
        is read, then it is the Monday-to-Friday 09:00-17:00 calendar."""
        calendar = BusinessCalendar.from_document(
            {"tz": "UTC", "week": {"Monday-Friday": "09:00-17:00"}}
        )

        assert BusinessCalendar.weekdays("UTC") == calendar

    def test_a_long_day_name_is_read_in_any_case(self) -> None:
        """Given a calendar document open on 'tuesday' and 'THURSDAY', when it is read,
        then its week has windows on Tuesday and Thursday only."""
        calendar = BusinessCalendar.from_document(
            {"tz": "UTC", "week": {"tuesday": "09:00-17:00", "THURSDAY": "09:00-17:00"}}
        )

        assert [0, 1, 0, 1, 0, 0, 0] == [len(day) for day in calendar.week]
