"""The same business-time questions asked of ticketflow, pandas and businesstimedelta.

Run: ``python benchmarks/business_time_answers.py`` (the ``bench`` extra installs the
peers); ``--check`` compares the table with the one ``docs/calendar.md`` records and
exits 1, printing both, if they differ. It prints the Markdown table that
``docs/calendar.md`` records, one row per
question: ticketflow's answer, pandas' ``CustomBusinessHour`` answer and
businesstimedelta's, each an instant (ISO 8601, in Europe/Berlin) or a duration
(``h:mm``), or the error the peer raised. A peer that is not installed answers
"not installed".

This is a script, not a test: it reports what the peers answer and asserts nothing
about them. ``tests/test_docs_business_time.py`` checks the ticketflow column of the
page against ticketflow, using :data:`QUESTIONS` from this file (it imports no peer).

Two calendars, both in Europe/Berlin:

- ``office``: Monday to Friday 09:00-17:00, closed on German public holidays;
- ``nights``: every night 22:00-06:00 (a window belongs to the day it starts), no
  holidays.

Berlin moves its clocks forward on Sunday 29 March 2026 (02:00 becomes 03:00) and back
on Sunday 25 October 2026 (03:00 becomes 02:00 again).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from ticketflow import BusinessCalendar

PAGE: Final = Path(__file__).resolve().parents[1] / "docs" / "calendar.md"
HEADER: Final = "| question | ticketflow | pandas | businesstimedelta |"
BERLIN: Final = ZoneInfo("Europe/Berlin")
OFFICE_WEEK: Final = ("09:00", "17:00", (0, 1, 2, 3, 4))
NIGHTS_WEEK: Final = ("22:00", "06:00", (0, 1, 2, 3, 4, 5, 6))


class Question(NamedTuple):
    """One question: ``add`` ``hours`` business hours to ``start``, or the business time
    ``between`` ``start`` and ``end``, on the ``office`` or the ``nights`` calendar."""

    label: str
    calendar: str
    operation: str
    start: datetime
    hours: int = 0
    end: datetime | None = None


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


QUESTIONS: Final = (
    Question(
        "office: Fri 27 Mar 15:00 + 4 h (the clocks go forward on Sunday)",
        "office",
        "add",
        _at(3, 27, 15),
        hours=4,
    ),
    Question(
        "office: Thu 2 Apr 15:00 + 4 h (Good Friday, Easter Monday)",
        "office",
        "add",
        _at(4, 2, 15),
        hours=4,
    ),
    Question(
        "office: Mon 2 Mar 16:00 + 1 h (runs out at closing time)",
        "office",
        "add",
        _at(3, 2, 16),
        hours=1,
    ),
    Question(
        "office: Fri 27 Mar 15:00 to Mon 30 Mar 11:00",
        "office",
        "between",
        _at(3, 27, 15),
        end=_at(3, 30, 11),
    ),
    Question(
        "nights: Tue 13 Jan 22:00 to Wed 06:00 (an ordinary night)",
        "nights",
        "between",
        datetime(2026, 1, 13, 22, tzinfo=BERLIN),
        end=datetime(2026, 1, 14, 6, tzinfo=BERLIN),
    ),
    Question(
        "nights: Tue 13 Jan 23:30 + 2 h (an ordinary night)",
        "nights",
        "add",
        datetime(2026, 1, 13, 23, 30, tzinfo=BERLIN),
        hours=2,
    ),
    Question(
        "nights: Sat 28 Mar 22:00 to Sun 06:00 (clocks forward)",
        "nights",
        "between",
        _at(3, 28, 22),
        end=_at(3, 29, 6),
    ),
    Question(
        "nights: Sat 28 Mar 22:00 + 7 h (clocks forward)", "nights", "add", _at(3, 28, 22), hours=7
    ),
    Question(
        "nights: Sat 24 Oct 22:00 to Sun 06:00 (clocks back)",
        "nights",
        "between",
        _at(10, 24, 22),
        end=_at(10, 25, 6),
    ),
    Question(
        "nights: Sat 24 Oct 22:00 + 8 h (clocks back)", "nights", "add", _at(10, 24, 22), hours=8
    ),
    Question(
        "nights: Sat 24 Oct 23:30 + 3 h (ends in the repeated hour)",
        "nights",
        "add",
        _at(10, 24, 23, 30),
        hours=3,
    ),
)
"""The questions, in the order of the table."""


def instant_text(value: datetime) -> str:
    """An answer that is an instant: ISO 8601 to the minute, with its UTC offset."""
    return value.isoformat(timespec="minutes")


def duration_text(value: timedelta) -> str:
    """An answer that is a duration: hours and minutes, ``h:mm``."""
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def ticketflow_calendar(name: str) -> BusinessCalendar:
    """The question's calendar in ticketflow."""
    if name == "office":
        return BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE")
    return BusinessCalendar.from_document(
        {"tz": "Europe/Berlin", "week": {"mon-sun": "22:00-06:00"}}
    )


def ticketflow_answer(question: Question) -> str:
    calendar = ticketflow_calendar(question.calendar)
    if question.operation == "add":
        return instant_text(calendar.add(question.start, timedelta(hours=question.hours)))
    assert question.end is not None
    return duration_text(calendar.between(question.start, question.end))


def _german_holidays() -> list[date]:
    import holidays

    return sorted(holidays.country_holidays("DE", years=range(2025, 2028)))


def pandas_peer() -> Callable[[Question], str] | None:
    try:
        import pandas as pd
    except ImportError:
        return None
    closed = _german_holidays()

    def answer(question: Question) -> str:
        if question.operation != "add":
            return "(no such query)"
        opens, closes, days = OFFICE_WEEK if question.calendar == "office" else NIGHTS_WEEK
        weekmask = " ".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in days)
        offset = pd.offsets.CustomBusinessHour(
            n=question.hours,
            start=opens,
            end=closes,
            weekmask=weekmask,
            holidays=closed if question.calendar == "office" else [],
        )
        result = pd.Timestamp(question.start) + offset
        return instant_text(result.to_pydatetime())

    return answer


def businesstimedelta_peer() -> Callable[[Question], str] | None:
    try:
        import businesstimedelta
        import pytz
    except ImportError:
        return None
    zone = pytz.timezone("Europe/Berlin")

    def rules(name: str) -> object:
        opens, closes, days = OFFICE_WEEK if name == "office" else NIGHTS_WEEK
        workday = businesstimedelta.WorkDayRule(
            start_time=time.fromisoformat(opens),
            end_time=time.fromisoformat(closes),
            working_days=list(days),
            tz=zone,
        )
        if name == "nights":
            return businesstimedelta.Rules([workday])
        closed = businesstimedelta.HolidayRule(_german_holidays(), tz=zone)
        return businesstimedelta.Rules([workday, closed])

    def answer(question: Question) -> str:
        rule = rules(question.calendar)
        start = zone.normalize(question.start.astimezone(zone))
        if question.operation == "add":
            delta = businesstimedelta.BusinessTimeDelta(rule, hours=question.hours)
            result: datetime = start + delta
            return instant_text(result.astimezone(BERLIN))
        assert question.end is not None
        spent = rule.difference(start, zone.normalize(question.end.astimezone(zone)))  # type: ignore[attr-defined]
        return duration_text(timedelta(hours=spent.hours, seconds=spent.seconds))

    return answer


def asked(peer: Callable[[Question], str] | None, question: Question) -> str:
    """The peer's answer, or the error it raised (its type and the start of its message)."""
    if peer is None:
        return "not installed"
    try:
        return peer(question)
    except Exception as error:  # a peer's failure is an answer of the table
        first = str(error).split(",")[0]
        return f"error: {type(error).__name__} ({first})"


def table() -> str:
    """The Markdown table of every question's answers."""
    pandas_answer, btd_answer = pandas_peer(), businesstimedelta_peer()
    rows = [HEADER, "| --- | --- | --- | --- |"]
    for question in QUESTIONS:
        cells = (
            question.label,
            ticketflow_answer(question),
            asked(pandas_answer, question),
            asked(btd_answer, question),
        )
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def versions() -> str:
    """The versions the table was computed with."""
    found = []
    for name in ("pandas", "businesstimedelta", "holidays"):
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def recorded_table() -> str:
    """The table as ``docs/calendar.md`` records it (its header line to the last row)."""
    lines = PAGE.read_text().splitlines()
    first = lines.index(HEADER)
    rows = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with docs/calendar.md")
    args = parser.parse_args()
    answers = table()
    if args.check:
        recorded = recorded_table()
        if recorded != answers:
            print("docs/calendar.md records:\n" + recorded + "\n\nthe peers answer now:")
            print(answers)
            sys.exit(1)
        print(f"docs/calendar.md's table is what the peers answer ({versions()})")
        return
    print(answers)
    print()
    print(f"({versions()})")


if __name__ == "__main__":
    main()
