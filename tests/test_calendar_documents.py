"""Calendar documents: what a document may say, the problems it can have, round trips.

Moved from ``test_calendar.py`` to mirror ``_calendar_documents.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given

from hostile import nested
from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_definition import Closure, Window
from ticketflow._errors import CalendarDefinitionError
from ticketflow.testing import business_calendars

HOUR = timedelta(hours=1)


def problems_of(document: dict[str, object]) -> list[str]:
    with pytest.raises(CalendarDefinitionError) as raised:
        BusinessCalendar.from_document(document)
    return [str(problem) for problem in raised.value.problems]


class TestReadingProblems:
    def test_unknown_weekday(self) -> None:
        """An unknown weekday name is refused, listing the names that work."""
        (problem,) = problems_of(
            {"tz": "UTC", "week": {"mon": "09:00-17:00", "funday": "09:00-17:00"}}
        )
        assert "'funday' is not a weekday" in problem
        assert "use mon, tue, wed, thu, fri, sat, sun" in problem

    def test_backwards_weekday_range(self) -> None:
        """A range such as fri-mon is refused."""
        (problem,) = problems_of({"tz": "UTC", "week": {"fri-mon": "09:00-17:00"}})
        assert "runs backwards (fix: write it Monday-first" in problem

    def test_repeated_weekday(self) -> None:
        """A weekday given twice is refused."""
        (problem,) = problems_of(
            {"tz": "UTC", "week": {"mon-fri": "09:00-17:00", "fri": "18:00-19:00"}}
        )
        assert "repeats fri, already given by week.mon-fri (fix: give each weekday once)" in problem

    @pytest.mark.parametrize(
        "text", ["9-17", "09:00", "25:00-26:00", "09:60-10:00", "24:00-24:30", "nine-five"]
    )
    def test_bad_time_strings(self, text: str) -> None:
        """A window that is not two HH:MM times is refused, with an example."""
        (problem,) = problems_of({"tz": "UTC", "week": {"mon": text}})
        assert "fix: write it like '09:00-17:00'" in problem

    def test_a_window_from_midnight_to_midnight_asks_which_is_meant(self) -> None:
        """'00:00-00:00' could be a closed day or a whole one: it is refused in the
        document's own words, with both ways to write it."""
        (problem,) = problems_of({"tz": "UTC", "week": {"mon": "00:00-00:00"}})

        assert problem == (
            "window week.mon[0] '00:00-00:00': starts and ends at midnight "
            "(fix: write 00:00-24:00 for a whole day open; leave the day out for a day closed)"
        )

    @pytest.mark.parametrize(
        ("subdiv", "code"), [("by", "BY"), ("Bayern", "BY"), ("Thüringen", "TH")]
    )
    def test_a_subdivision_by_its_name_or_in_lower_case_is_told_its_code(
        self, subdiv: str, code: str
    ) -> None:
        """A subdivision given by its name or in another case is refused, naming the
        code to write (the document keeps one spelling of it)."""
        (problem,) = problems_of({"tz": "Europe/Berlin", "country": "DE", "subdiv": subdiv})

        assert problem == (
            f"subdiv: country 'DE' has no subdivision '{subdiv}' (fix: write {code!r})"
        )

    def test_missing_time_zone(self) -> None:
        """A document without tz is refused."""
        (problem,) = problems_of({"week": {"mon": "09:00-17:00"}})
        assert "document: misses the key 'tz' (fix: add tz: the IANA time zone" in problem

    def test_bad_dates_and_closures(self) -> None:
        """Dates that are not dates and closures without a window are refused."""
        problems = problems_of(
            {"tz": "UTC", "holidays": ["24.12.2026"], "closures": [{"date": "2026-12-24"}]}
        )
        assert 2 == len(problems)
        assert (
            "holidays[0]: is not a date: '24.12.2026' (fix: write a date like 2026-12-24)"
            == problems[0]
        )
        assert "closures[0]" in problems[1]

    def test_unknown_key(self) -> None:
        """A key the calendar does not read is refused rather than ignored."""
        (problem,) = problems_of({"tz": "UTC", "timezone": "UTC"})
        assert "timezone: is not a key of this calendar" in problem

    def test_all_problems_are_reported_together(self) -> None:
        """Every problem of a document comes in one error."""
        problems = problems_of(
            {
                "tz": "Mars/Olympus",
                "week": {
                    "funday": "09:00-17:00",
                    "mon": ["09:00-12:00", "11:00-13:00"],
                    "tue": "9-5",
                },
                "country": "XX",
            }
        )
        assert 5 == len(problems)

    @pytest.mark.parametrize(
        ("document", "expected"),
        [
            ({"tz": 3}, "tz: must be a string, got int 3"),
            ({"tz": "UTC", "country": 49}, "country: must be a country code or null, got int 49"),
            ({"tz": "UTC", "week": ["09:00-17:00"]}, "week: must be a table, got list"),
            (
                {"tz": "UTC", "week": {"mon": 9}},
                "week.mon: must be a window or a list of windows, got int 9",
            ),
            (
                {"tz": "UTC", "week": {"mon": [900]}},
                "week.mon: must be a window or a list of windows, got list [900]",
            ),
            ({"tz": "UTC", "week": {1: "09:00-17:00"}}, "week[1]: is not a usable name"),
            ({"tz": "UTC", "holidays": "2026-12-24"}, "holidays: must be a list, got str"),
            ({"tz": "UTC", "holidays": [20261224]}, "holidays[0]: is not a date: 20261224"),
            ({"tz": "UTC", "closures": {"date": "2026-12-24"}}, "closures: must be a list, got"),
            (
                {"tz": "UTC", "closures": [{"date": "2026-12-24", "window": "noon"}]},
                "closures[0].window 'noon': is not two HH:MM times",
            ),
        ],
    )
    def test_malformed_documents(self, document: dict[object, object], expected: str) -> None:
        """Values of the wrong shape are refused, each saying what shape to give."""
        problems = problems_of(document)  # type: ignore[arg-type]
        assert any(expected in problem and "(fix: " in problem for problem in problems), problems

    def test_a_document_must_be_a_mapping(self) -> None:
        """A list is not a calendar document."""
        (problem,) = problems_of(["tz", "UTC"])  # type: ignore[arg-type]
        assert problem.startswith(
            "document: must be a table of named values (a calendar), got list ['tz', 'UTC'] "
            "(fix: write a table with the keys 'tz', 'week'"
        )

    def test_bad_toml(self) -> None:
        """TOML that does not parse is refused with the parser's reason."""
        with pytest.raises(CalendarDefinitionError, match="fix the TOML syntax"):
            BusinessCalendar.from_toml("tz = ")


class TestHostileDocuments:
    def test_a_ten_megabyte_string_is_refused_with_the_limit(self) -> None:
        """Given a 10 MB zone name, when read, then one problem names the limit of text."""
        assert ["document: holds more than 1,000,000 characters of text"] == [
            p.partition(" (fix")[0] for p in problems_of({"tz": "x" * 10_000_000})
        ]

    def test_a_document_a_million_levels_deep_is_refused_with_the_limit(self) -> None:
        """Given a week nested a million deep, when read, then one problem names the
        depth limit (no RecursionError)."""
        deep = nested(1_000_000)

        assert ["document: nests tables or lists more than 8 levels deep"] == [
            p.partition(" (fix")[0] for p in problems_of({"tz": "UTC", "week": {"mon": deep}})
        ]

    def test_twenty_thousand_holidays_are_refused_with_the_limit(self) -> None:
        """Given 20,000 holidays, when read, then the limit of the list is named."""
        holidays = ["2026-12-24"] * 20_000

        assert ["holidays: holds 20,000 entries, more than the limit of 10,000"] == [
            p.partition(" (fix")[0] for p in problems_of({"tz": "UTC", "holidays": holidays})
        ]


class TestDocuments:
    def test_document_round_trip(self) -> None:
        """to_document then from_document gives an equal calendar."""
        calendar = BusinessCalendar(
            tz="Europe/Berlin",
            week=BusinessCalendar.from_document(
                {"tz": "UTC", "week": {"mon-fri": ["08:00-12:00", "22:00-02:00"]}}
            ).week,
            country="DE",
            subdiv="BY",
            holidays={date(2026, 12, 24)},
            closures={Closure(date(2026, 12, 31), Window.parse("12:00-24:00"))},
            extra_workdays={date(2026, 12, 27)},
        )
        assert calendar == BusinessCalendar.from_document(calendar.to_document())

    def test_toml(self) -> None:
        """A TOML document with native dates and closure tables reads as expected."""
        calendar = BusinessCalendar.from_toml(
            """
            tz = "Europe/Berlin"
            holidays = [2026-12-24]
            [week]
            mon-fri = "09:00-17:00"
            sat = ["10:00-12:00", "13:00-14:00"]
            [[closures]]
            date = 2026-12-31
            window = "12:00-24:00"
            """
        )
        assert (date(2026, 12, 24),) == tuple(calendar.holidays)
        assert 2 == len(calendar.week[5])
        assert (Closure(date(2026, 12, 31), Window(720, 1440)),) == tuple(calendar.closures)

    def test_long_weekday_names(self) -> None:
        """Weekdays may be written in full and in any case."""
        calendar = BusinessCalendar.from_document({"tz": "UTC", "week": {"Monday": "09:00-17:00"}})
        assert (Window(540, 1020),) == calendar.week[0]

    @given(business_calendars(countries={"Europe/Berlin": ("DE", "BY")}))
    def test_any_calendar_round_trips(self, calendar: BusinessCalendar) -> None:
        """Every calendar survives a trip through its document."""
        assert calendar == BusinessCalendar.from_document(calendar.to_document())
