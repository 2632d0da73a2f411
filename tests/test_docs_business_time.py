"""docs/calendar.md's table of business-time answers: ticketflow's column is ticketflow's.

The table is the recorded output of ``benchmarks/business_time_answers.py``, which also
asks pandas and businesstimedelta. Those peers are not test dependencies, so their
columns are checked by running the script in the bench environment; here the questions
are read from the script (it imports no peer at module level) and ticketflow answers
them again.
"""

from __future__ import annotations

import runpy
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ticketflow import BusinessCalendar

ROOT = Path(__file__).resolve().parents[1]
SCRIPT: dict[str, Any] = runpy.run_path(str(ROOT / "benchmarks" / "business_time_answers.py"))
QUESTIONS: tuple[Any, ...] = SCRIPT["QUESTIONS"]
HEADER: str = SCRIPT["HEADER"]
BERLIN = ZoneInfo("Europe/Berlin")
NIGHTS = BusinessCalendar.from_document({"tz": "Europe/Berlin", "week": {"mon-sun": "22:00-06:00"}})


def page_rows() -> list[list[str]]:
    """The cells of every row of the page's answers table, header and rule left out."""
    lines = (ROOT / "docs" / "calendar.md").read_text().splitlines()
    first = lines.index(HEADER) + 2
    rows = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


class TestTheRecordedTable:
    def test_the_page_asks_the_scripts_questions_in_order(self) -> None:
        """Given the script's questions, when the page's table is read, then its rows are
        those questions, in the same order."""
        assert [q.label for q in QUESTIONS] == [row[0] for row in page_rows()]

    @pytest.mark.parametrize("index", range(len(QUESTIONS)), ids=[q.label for q in QUESTIONS])
    def test_ticketflows_column_is_what_ticketflow_answers(self, index: int) -> None:
        """Given a question of the table, when ticketflow answers it now, then the page
        records that answer in its ticketflow column."""
        question = QUESTIONS[index]
        calendar = SCRIPT["ticketflow_calendar"](question.calendar)
        if question.operation == "add":
            answer = calendar.add(question.start, timedelta(hours=question.hours))
            expected = answer.isoformat(timespec="minutes")
        else:
            hours, rest = divmod(calendar.between(question.start, question.end), timedelta(hours=1))
            expected = f"{hours}:{rest // timedelta(minutes=1):02d}"
        assert expected == page_rows()[index][1]


class TestTheConventionTheTableShows:
    @given(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 30)))
    def test_a_night_window_counts_the_real_time_between_its_edges(self, night: date) -> None:
        """Given any night of a 22:00-06:00 calendar in Berlin, when its business time is
        asked, then it is the real time elapsed between the two edges (7, 8 or 9 hours)."""
        opens = datetime.combine(night, time(22), BERLIN)
        closes = datetime.combine(night + timedelta(days=1), time(6), BERLIN)
        elapsed = closes.astimezone(UTC) - opens.astimezone(UTC)
        assert elapsed == NIGHTS.between(opens, closes)
