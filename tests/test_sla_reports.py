"""Reading SLA clocks (``_sla_reports.py``): ``sla_status`` (each metric as of an instant)
and ``explain`` (which intervals counted, and why the others did not).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings

from sla_scenarios import (
    ALICE,
    BERLIN,
    BOB,
    DESK,
    MEGABYTE,
    act,
    desk_with,
    every,
    fold,
    hours,
    later,
    life,
    lived,
    moscow,
    opened,
    opening,
    real_time,
    say,
    sequences,
    status,
)
from ticketflow import (
    BusinessCalendar,
    Explanation,
    InstantBeforeLastChangeError,
    Interval,
    Metric,
    MetricStatus,
    NaiveDatetimeError,
    SlaPolicy,
    TicketflowError,
    UnknownNameError,
    explain,
    sla_status,
)
from ticketflow.presets import support_portal as portal


class TestSlaStatus:
    def test_running_clock(self) -> None:
        """A running clock reports elapsed, remaining and due-at as of the instant asked."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        first = status(desk, ticket, moscow(2026, 3, 2, 12, 30), "first_response")

        assert (
            MetricStatus(
                metric="first_response",
                state="running",
                elapsed=timedelta(hours=2, minutes=30),
                target=timedelta(hours=4),
                remaining=timedelta(hours=1, minutes=30),
                due_at=moscow(2026, 3, 2, 14),
                paused=False,
                breached=False,
                breached_at=None,
                met=None,
                cycle=1,
            )
            == first
        )

    def test_closed_hours_are_not_counted(self) -> None:
        """Asked on Saturday, a clock that started Friday 17:00 has counted one hour."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 6, 17))

        first = status(desk, ticket, moscow(2026, 3, 7, 12), "first_response")

        assert timedelta(hours=1) == first.elapsed

    def test_breached_before_the_tick_records_it(self) -> None:
        """Past its due instant a clock reports the breach and its exact instant even
        though no tick has recorded it yet."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        first = status(desk, ticket, moscow(2026, 3, 2, 15), "first_response")

        assert (True, moscow(2026, 3, 2, 14), -timedelta(hours=1)) == (
            first.breached,
            first.breached_at,
            first.remaining,
        )
        assert [None] == [c.breached_at for c in ticket.clocks if c.metric == "first_response"]

    def test_met(self) -> None:
        """A clock stopped in time is met and no longer counts."""
        desk = portal.desk()
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 11))
        )

        first = status(desk, ticket, moscow(2026, 3, 20), "first_response")

        assert (True, False, timedelta(hours=1), None) == (
            first.met,
            first.breached,
            first.elapsed,
            first.due_at,
        )

    def test_paused(self) -> None:
        """A paused clock has no due instant and says it is paused."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 17), "resolution")

        assert ("paused", True, None, timedelta(hours=39)) == (
            resolution.state,
            resolution.paused,
            resolution.due_at,
            resolution.remaining,
        )

    def test_every_metric_the_ticket_has(self) -> None:
        """The status lists one entry per clock on the ticket."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        metrics = [s.metric for s in sla_status(desk, ticket, moscow(2026, 3, 2, 10))]

        assert ["first_response", "resolution"] == metrics

    def test_no_policy_no_clocks(self) -> None:
        """A desk without SLA gives tickets no clocks and an empty status."""
        desk = portal.desk(sla=SlaPolicy())
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        assert () == sla_status(desk, ticket, moscow(2026, 3, 2, 12))

    def test_an_instant_before_the_last_change_is_refused(self) -> None:
        """The ticket knows its clocks from its last change on; earlier is refused."""
        desk = portal.desk()
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 11))
        )

        with pytest.raises(InstantBeforeLastChangeError) as error:
            sla_status(desk, ticket, moscow(2026, 3, 2, 10, 30))

        assert (moscow(2026, 3, 2, 10, 30), moscow(2026, 3, 2, 11)) == (
            error.value.at,
            error.value.last_change,
        )

    def test_a_naive_instant_is_refused(self) -> None:
        """An instant without a time zone is refused, not guessed."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        with pytest.raises(NaiveDatetimeError):
            sla_status(desk, ticket, datetime(2026, 3, 2, 12))  # noqa: DTZ001


class TestExplain:
    def test_counted_and_excluded_intervals(self) -> None:
        """Open hours are counted; the night and the wait on the customer are excluded."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 17)),
            act("request_information", moscow(2026, 3, 3, 10), "logs"),
            say(ALICE, moscow(2026, 3, 3, 12), "logs"),
        )

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 3, 15))

        assert [
            Interval(moscow(2026, 3, 2, 17), moscow(2026, 3, 2, 18), True, "open"),
            Interval(moscow(2026, 3, 2, 18), moscow(2026, 3, 3, 9), False, "closed hours"),
            Interval(moscow(2026, 3, 3, 9), moscow(2026, 3, 3, 10), True, "open"),
            Interval(moscow(2026, 3, 3, 10), moscow(2026, 3, 3, 12), False, "paused"),
            Interval(moscow(2026, 3, 3, 12), moscow(2026, 3, 3, 15), True, "open"),
        ] == list(explanation.intervals)

    def test_counted_equals_sla_status_elapsed(self) -> None:
        """The counted total is the elapsed time ``sla_status`` reports."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 5, 17)),
            act("request_information", moscow(2026, 3, 6, 10), "logs"),
            say(ALICE, moscow(2026, 3, 6, 12), "logs"),
        )
        at = moscow(2026, 3, 11, 15)

        explanation = explain(desk, ticket, "resolution", at)

        assert status(desk, ticket, at, "resolution").elapsed == explanation.counted

    def test_counted_is_real_time_across_a_dst_change(self) -> None:
        """A night shift on the spring-forward night is counted as the 7 hours it lasts,
        not the 8 its wall clock shows (found replaying Volvo IT's log)."""
        nights = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"mon-sun": ["22:00-06:00"]}}
        )
        desk = desk_with(Metric.resolution(every(hours(40))), desk_calendar=nights)
        ticket = opened(desk, datetime(2026, 3, 28, 12, tzinfo=BERLIN))
        at = datetime(2026, 3, 29, 12, tzinfo=BERLIN)

        explanation = explain(desk, ticket, "resolution", at)

        assert (
            timedelta(hours=7)
            == explanation.counted
            == status(desk, ticket, at, "resolution").elapsed
        )

    def test_a_paused_clock_ends_paused(self) -> None:
        """A clock paused now ends its explanation with the pause up to the instant asked,
        naming the status the ticket is in."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 2, 13))

        assert (
            Interval(
                moscow(2026, 3, 2, 11),
                moscow(2026, 3, 2, 13),
                False,
                "paused",
                "ticket now in 'waiting_for_customer'",
            )
            == (explanation.intervals[-1])
        )

    def test_a_stopped_clock_ends_stopped(self) -> None:
        """After the stop nothing more is counted; the rest is marked stopped."""
        desk = portal.desk()
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 11))
        )

        explanation = explain(desk, ticket, "first_response", moscow(2026, 3, 2, 13))

        assert [
            Interval(moscow(2026, 3, 2, 10), moscow(2026, 3, 2, 11), True, "open"),
            Interval(moscow(2026, 3, 2, 11), moscow(2026, 3, 2, 13), False, "stopped"),
        ] == list(explanation.intervals)

    def test_a_clock_started_on_a_holiday_is_excluded_as_holiday(self) -> None:
        """Opened on Monday 9 March 2026 (a Russian holiday), the clock first waits out
        the holiday."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 9, 10))

        explanation = explain(desk, ticket, "first_response", moscow(2026, 3, 10, 10))

        first = explanation.intervals[0]
        assert (moscow(2026, 3, 9, 10), False, "holiday") == (first.start, first.counted, first.why)
        assert timedelta(hours=1) == explanation.counted

    def test_a_holiday_inside_a_closed_stretch_is_shown(self) -> None:
        """Running from Friday afternoon to Tuesday, the clock shows Monday 9 March (a
        holiday) as an excluded holiday, midnight to midnight."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 6, 17))

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 10, 12))

        assert [(moscow(2026, 3, 9), moscow(2026, 3, 10))] == [
            (i.start, i.end) for i in explanation.intervals if i.why == "holiday"
        ]

    def test_an_unknown_metric_is_an_unknown_name_error_listing_the_desks_metrics(self) -> None:
        """Explaining a metric the desk lacks raises UnknownNameError naming its metrics."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        with pytest.raises(UnknownNameError) as raised:
            explain(desk, ticket, "nope", moscow(2026, 3, 2, 10))

        assert ("SLA metric", "nope", ("first_response", "next_response", "resolution")) == (
            raised.value.kind,
            raised.value.name,
            raised.value.known,
        )

    def test_an_unknown_metric_is_still_a_lookup_error(self) -> None:
        """A host's ``except LookupError`` still catches an unknown metric."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        with pytest.raises(LookupError, match="first_response', 'next_response', 'resolution"):
            explain(desk, ticket, "nope", moscow(2026, 3, 2, 10))

    def test_a_metric_not_started_yet_has_no_intervals(self) -> None:
        """A metric of the desk that has not started on the ticket explains nothing counted."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        assert Explanation("next_response", ()) == explain(
            desk, ticket, "next_response", moscow(2026, 3, 2, 10)
        )

    def test_refusals_for_time(self) -> None:
        """An instant before the last change, or without a time zone, is refused."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        with pytest.raises(InstantBeforeLastChangeError):
            explain(desk, ticket, "resolution", moscow(2026, 3, 2, 9))
        with pytest.raises(NaiveDatetimeError):
            explain(desk, ticket, "resolution", datetime(2026, 3, 2, 12))  # noqa: DTZ001


class TestProperties:
    @settings(max_examples=60)
    @given(sequences, later, later)
    def test_sla_status_elapsed_is_monotone_in_the_instant(
        self, commands: list[object], a: int, b: int
    ) -> None:
        """Asking later never gives less elapsed time."""
        ticket, _ = lived(DESK, commands)
        if ticket is None:
            return
        first, second = sorted((a, b))
        earlier = sla_status(DESK, ticket, ticket.updated_at + timedelta(hours=first))
        later_ = sla_status(DESK, ticket, ticket.updated_at + timedelta(hours=second))

        for one, two in zip(earlier, later_, strict=True):
            assert one.elapsed <= two.elapsed


class TestClocksInARepeatedHour:
    def test_the_status_in_the_second_pass_of_the_fold_is_not_before_a_change_in_the_first(
        self,
    ) -> None:
        """The SLA status at 02:30+01:00 of a ticket changed at 02:50+02:00 (forty minutes
        earlier) is answered, breached."""
        desk = real_time(first_response=timedelta(minutes=30))
        ticket = opened(desk, fold(0, 50))

        assert (True, timedelta(minutes=40)) == (
            status(desk, ticket, fold(1, 30), "first_response").breached,
            status(desk, ticket, fold(1, 30), "first_response").elapsed,
        )

    def test_the_explanation_in_the_second_pass_of_the_fold_covers_the_real_time(self) -> None:
        """Explained at 02:30+01:00, a clock started at 02:50+02:00 counts forty minutes."""
        desk = real_time(first_response=timedelta(minutes=30))
        ticket = opened(desk, fold(0, 50))

        assert timedelta(minutes=40) == explain(desk, ticket, "first_response", fold(1, 30)).counted


class TestHugeValues:
    def test_explaining_a_megabyte_metric_is_refused_in_a_short_message(self) -> None:
        """Explaining a 1 MB metric name raises UnknownNameError under 2 KB."""
        desk = portal.desk()
        at = moscow(2026, 3, 2, 10)

        with pytest.raises(TicketflowError) as raised:
            explain(desk, opened(desk, at), MEGABYTE, at)

        assert len(str(raised.value)) < 2000


class TestStatusRendering:
    def test_a_running_clock_renders_its_use_and_due_instant(self) -> None:
        """A running clock reads as one line: time used of its target, in h:mm, and its
        due instant in the calendar's zone, to the minute."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        first = status(
            desk, ticket, moscow(2026, 3, 2, 12, 30) + timedelta(seconds=15), "first_response"
        )

        assert (
            "first_response: running, 2:30 of 4:00 business hours used, "
            "due 2026-03-02 14:00 +03:00 (Europe/Moscow)"
        ) == first.render()

    def test_a_breached_running_clock_renders_the_breach_instant(self) -> None:
        """Past its target, a running clock says when it breached instead of when it is due."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        first = status(desk, ticket, moscow(2026, 3, 2, 15), "first_response")

        assert (
            "first_response: running, 5:00 of 4:00 business hours used, "
            "breached at 2026-03-02 14:00 +03:00 (Europe/Moscow)"
        ) == first.render()

    def test_a_paused_clock_renders_paused_without_a_due_instant(self) -> None:
        """A paused clock says so, with the time used so far and no due instant."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 17), "resolution")

        assert "resolution: paused, 1:00 of 40:00 business hours used" == resolution.render()

    def test_a_clock_stopped_in_time_renders_met(self) -> None:
        """A clock stopped before its target reads as met."""
        desk = portal.desk()
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 11))
        )

        first = status(desk, ticket, moscow(2026, 3, 20), "first_response")

        assert "first_response: met, 1:00 of 4:00 business hours used" == first.render()

    def test_a_clock_stopped_late_renders_stopped_and_breached(self) -> None:
        """A clock stopped after its target reads as stopped, breached at its due instant."""
        desk = portal.desk()
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 16))
        )

        first = status(desk, ticket, moscow(2026, 3, 20), "first_response")

        assert (
            "first_response: stopped, 6:00 of 4:00 business hours used, "
            "breached at 2026-03-02 14:00 +03:00 (Europe/Moscow)"
        ) == first.render()

    def test_a_real_time_clock_renders_hours_not_business_hours(self) -> None:
        """A metric counted in real time renders its use in hours."""
        desk = real_time(first_response=timedelta(hours=4))
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        (first, *_) = sla_status(desk, ticket, moscow(2026, 3, 2, 11))

        assert "1:00 of " in first.render()
        assert "business" not in first.render()

    def test_the_repr_stays_the_attrs_repr(self) -> None:
        """Rendering adds a method; repr still shows every field."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        first = status(desk, ticket, moscow(2026, 3, 2, 11), "first_response")

        assert repr(first).startswith("MetricStatus(metric='first_response', state='running'")


class TestExplanationRendering:
    def test_each_interval_is_a_line_with_its_reason_and_the_total_ends_it(self) -> None:
        """An explanation renders one line per interval (start, end, h:mm, counted or
        excluded and why, a holiday by its name) and then the total counted."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 6, 17))

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 10, 12))

        assert [
            "resolution, times in Europe/Moscow:",
            "  Fri 2026-03-06 17:00  Fri 2026-03-06 18:00   1:00  counted   open",
            "  Fri 2026-03-06 18:00  Mon 2026-03-09 00:00  54:00  excluded  closed hours",
            "  Mon 2026-03-09 00:00  Tue 2026-03-10 00:00  24:00  excluded  "
            "holiday: International Women's Day (observed)",
            "  Tue 2026-03-10 00:00  Tue 2026-03-10 09:00   9:00  excluded  closed hours",
            "  Tue 2026-03-10 09:00  Tue 2026-03-10 12:00   3:00  counted   open",
            "counted: 4:00",
        ] == explanation.render().splitlines()

    def test_a_holiday_interval_carries_the_holidays_name(self) -> None:
        """The holiday stretch's detail is the name the calendar gives the date."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 6, 17))

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 10, 12))

        assert ["International Women's Day (observed)"] == [
            i.detail for i in explanation.intervals if i.why == "holiday"
        ]

    def test_a_pause_up_to_now_names_the_tickets_status(self) -> None:
        """A clock paused now ends with a pause that says which status the ticket is in."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        explanation = explain(desk, ticket, "resolution", moscow(2026, 3, 2, 13))

        assert (
            explanation.render()
            .splitlines()[-2]
            .endswith("excluded  paused: ticket now in 'waiting_for_customer'")
        )

    def test_a_closure_names_itself(self) -> None:
        """Time a closure removes is excluded as closed hours, naming the closure."""
        calendar = BusinessCalendar.from_document(
            {
                "tz": "Europe/Moscow",
                "week": {"mon-fri": "09:00-18:00"},
                "closures": [{"date": "2026-03-02", "window": "12:00-14:00"}],
            }
        )
        desk = desk_with(Metric.first_response(every(hours(8))), calendar=calendar)
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        explanation = explain(desk, ticket, "first_response", moscow(2026, 3, 2, 15))

        assert [("closed hours", "closure 2026-03-02 12:00-14:00")] == [
            (i.why, i.detail) for i in explanation.intervals if not i.counted
        ]

    def test_an_unstarted_metric_renders_nothing_counted(self) -> None:
        """A metric not started on the ticket renders that nothing was counted."""
        assert "next_response: not started, nothing counted" == (
            Explanation("next_response", ()).render()
        )
