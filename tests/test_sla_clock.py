"""The SLA clock value (``_sla_clock.py``): the state of one metric on one ticket, checked
when built, and its one copy helper."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ticketflow import InvalidValueError, SlaClock, TicketflowError
from ticketflow._sla_clock import replace_clock

MOSCOW = ZoneInfo("Europe/Moscow")


class TestANewClock:
    def test_a_clock_built_with_its_metric_alone_has_not_started(self) -> None:
        """A clock of nothing but its metric is idle: no cycle, nothing counted, nothing due."""
        clock = SlaClock(metric="resolution")

        expected = ("idle", 0, timedelta(0), None, None)

        assert expected == (clock.state, clock.cycle, clock.elapsed, clock.due_at, clock.warn_at)

    def test_an_unknown_state_is_refused_listing_the_states(self) -> None:
        """A stored clock in a state the machine has no name for is refused, naming the
        state and listing the ones to use."""
        with pytest.raises(InvalidValueError) as raised:
            SlaClock(metric="resolution", state="frozen")

        message = str(raised.value)
        assert "SlaClock.state 'frozen' is not a clock state" in message
        assert "'idle', 'paused', 'running', 'stopped'" in message


class TestSlaClockSnapshots:
    """A stored SLA clock is checked like a stored ticket (second review of issue 10)."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"metric": None},
            {"state": 5},
            {"elapsed": "y"},
            {"target": 5},
            {"warned": "x"},
            {"business": "yes"},
            {"due_at": "z"},
            {"due_at": datetime(2026, 3, 29, 9)},  # noqa: DTZ001 - naive on purpose
            {"warn_at": datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))},
            {"segments": [("a", "b")]},
            {"segments": [1]},
            {"cycle": 2**70},
        ],
        ids=[
            "metric",
            "state",
            "elapsed",
            "target",
            "warned",
            "business",
            "due-string",
            "due-naive",
            "warn-in-gap",
            "segments-strings",
            "segments-not-pairs",
            "cycle-beyond-64-bits",
        ],
    )
    def test_a_clock_field_that_cannot_be_stored_or_compared_is_refused(
        self, changes: dict[str, object]
    ) -> None:
        """A wrong type, a naive or gap instant, or an overlong count is a typed error."""
        with pytest.raises(TicketflowError):
            SlaClock(**{"metric": "resolution", **changes})  # type: ignore[arg-type]


class TestReplaceClock:
    def test_the_copy_has_the_changes_and_the_original_is_untouched(self) -> None:
        """``replace_clock`` gives a new clock equal to one built with the changes, and
        leaves the clock it copied as it was."""
        due = datetime(2026, 3, 2, 14, tzinfo=MOSCOW)
        clock = SlaClock(metric="first_response", state="running", cycle=1)

        copied = replace_clock(clock, {"due_at": due, "warned": 1})

        expected = SlaClock(metric="first_response", state="running", cycle=1, due_at=due, warned=1)
        assert expected == copied
        assert SlaClock(metric="first_response", state="running", cycle=1) == clock
