"""Instants compared exactly (``_instants.py``): folds, gaps and the same-zone fast path."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import dst_changes
from ticketflow import InvalidTypeError, NaiveDatetimeError, NonexistentInstantError
from ticketflow._instants import before, is_nonexistent, not_after, require_instant, utc

ZONES = ("Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "UTC")
# Real instants near the DST changes of 2026 (within a day), read in one of the zones:
# the repeated hours come with fold=1, and no wall time inside a gap can arise.
CHANGES = tuple(change for zone in ZONES if zone != "UTC" for change in dst_changes(zone, 2026))


@st.composite
def real_instants(draw: st.DrawFn, zone: str) -> datetime:
    change = draw(st.sampled_from(CHANGES))
    minutes = draw(st.integers(-24 * 60, 24 * 60))
    return (change + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))


class TestExactOrder:
    @given(st.data())
    def test_before_and_not_after_agree_with_utc_in_one_zone(self, data: st.DataObject) -> None:
        """Two instants of one zone (its fast path) are ordered as their UTC instants."""
        zone = data.draw(st.sampled_from(ZONES))
        a, b = data.draw(real_instants(zone)), data.draw(real_instants(zone))

        assert (utc(a) < utc(b), utc(a) <= utc(b)) == (before(a, b), not_after(a, b))

    @given(st.data())
    def test_before_and_not_after_agree_with_utc_across_zones(self, data: st.DataObject) -> None:
        """Two instants of different zones are ordered as their UTC instants."""
        a = data.draw(real_instants(data.draw(st.sampled_from(ZONES))))
        b = data.draw(real_instants(data.draw(st.sampled_from(ZONES))))

        assert (utc(a) < utc(b), utc(a) <= utc(b)) == (before(a, b), not_after(a, b))

    def test_the_second_pass_of_a_repeated_hour_comes_after_the_first(self) -> None:
        """02:10 the second time (01:10Z) is after 02:50 the first time (00:50Z)."""
        berlin = ZoneInfo("Europe/Berlin")
        first = datetime(2026, 10, 25, 2, 50, tzinfo=berlin)
        second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)

        assert (True, False) == (before(first, second), before(second, first))


class TestWhatNamesAnInstant:
    @given(st.data())
    def test_no_real_instant_is_taken_for_a_gap(self, data: st.DataObject) -> None:
        """Every instant the clocks showed, folds included, is accepted."""
        zone = data.draw(st.sampled_from(ZONES))

        assert is_nonexistent(data.draw(real_instants(zone))) is False

    @pytest.mark.parametrize(
        "wall",
        [
            datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),
            datetime(2026, 3, 8, 2, 30, tzinfo=ZoneInfo("America/St_Johns")),
            datetime(2026, 10, 4, 2, 15, tzinfo=ZoneInfo("Australia/Lord_Howe")),
        ],
    )
    def test_a_wall_time_the_clocks_skipped_is_refused(self, wall: datetime) -> None:
        """A wall time inside a DST gap, with either fold, is refused as no instant."""
        for fold in (0, 1):
            with pytest.raises(NonexistentInstantError):
                require_instant("at", wall.replace(fold=fold))

    def test_a_naive_or_non_datetime_value_is_refused(self) -> None:
        """A naive datetime and a string are refused with their own typed errors."""
        with pytest.raises(NaiveDatetimeError):
            require_instant("at", datetime(2026, 3, 2, 9))  # noqa: DTZ001
        with pytest.raises(InvalidTypeError):
            require_instant("at", "2026-03-02T09:00Z")
