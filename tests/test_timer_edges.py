"""The timers' policies (``_autoclose.py``, ``_due_rules.py``) at their edges, found by
mutation testing (``tools/mutation.sh``): what the usual tests leave unseen.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from ticketflow import (
    Actor,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessDays,
    CalendarDays,
    Category,
    Desk,
    DeskDefinitionError,
    Duration,
    InvalidTypeError,
    Metric,
    OpenTicket,
    PerformAction,
    ReminderSent,
    Reply,
    SlaBreached,
    SlaPolicy,
    Status,
    StatusChanged,
    Ticket,
    Timer,
    Transition,
    Workflow,
    follow_up,
    handle,
    next_due,
    tick,
)
from ticketflow.presets import support_portal as portal
from ticketflow.presets import volvo_it

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
CLOSED = Ticket(
    id="T-1",
    subject="No dial tone",
    status=portal.CLOSED,
    priority="high",
    requester="alice",
    created_at=AT,
    updated_at=AT,
    status_since=AT,
    version=9,
)
ALICE = Actor.customer("alice")
BOB = Actor.agent("bob")
ROBOT = Actor.system()


class TestFollowUp:
    def test_a_follow_up_carries_the_description_given(self) -> None:
        """Given a closed ticket, when its follow-up is built with a description, then
        the command opens the new ticket with that description."""
        command = follow_up(
            CLOSED, actor=ALICE, at=AT, ticket_id="T-2", description="It happened again."
        )

        assert "It happened again." == command.description

    def test_a_follow_up_without_a_description_has_none(self) -> None:
        """Given a closed ticket, when its follow-up is built without a description,
        then the new ticket's description is empty."""
        command = follow_up(CLOSED, actor=ALICE, at=AT, ticket_id="T-2")

        assert "" == command.description

    def test_a_follow_up_takes_the_subject_given(self) -> None:
        """Given a closed ticket, when its follow-up is built with a subject, then the
        new ticket has that subject instead of the one derived from the old ticket."""
        command = follow_up(CLOSED, actor=ALICE, at=AT, ticket_id="T-2", subject="Again")

        assert "Again" == command.subject


class TestAutoCloseRules:
    def test_reminders_that_are_not_a_collection_are_refused_by_name(self) -> None:
        """Given one duration where the reminders belong, when the rule is built, then
        the refusal says the reminders must be an iterable of durations."""
        lone: Any = BusinessDays(1)

        with pytest.raises(InvalidTypeError) as raised:
            AutoClose(when="resolved", after=BusinessDays(3), reminders=lone)

        assert str(raised.value).startswith("AutoClose reminders must be an iterable of durations")

    def test_a_when_that_matches_nothing_offers_up_to_thirty_statuses(self) -> None:
        """Given a twelve-status workflow, when an auto-close rule names no status or
        category of it, then the problem offers all twelve statuses, not the first 8."""
        rule = AutoClose(when="solved", after=BusinessDays(3))

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=volvo_it.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        offered = [s.name for s in volvo_it.WORKFLOW.statuses if repr(s.name) in str(raised.value)]
        assert [s.name for s in volvo_it.WORKFLOW.statuses] == offered

    def test_rules_that_are_not_a_collection_are_refused_by_name(self) -> None:
        """Given one number where the rules belong, when the policy is built, then the
        refusal says its rules must be an iterable of AutoClose, and what came."""
        lone: Any = 42

        with pytest.raises(InvalidTypeError) as raised:
            AutoClosePolicy(lone)

        expected = (
            "AutoClosePolicy rules must be an iterable of AutoClose, got int 42; "
            "give an iterable of AutoClose"
        )
        assert expected == str(raised.value)

    def test_a_zero_period_is_refused_at_its_rule(self) -> None:
        """Given an auto-close rule for resolved tickets after 0 business days, when the
        desk is built, then the one problem names the rule, its zero period and the fix."""
        rule = AutoClose(when="resolved", after=BusinessDays(0))

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        expected = (
            "invalid desk: 1 problem\n  - auto-close rule 'resolved': its period is zero "
            "(0 business days) (fix: give a positive duration of at most 36,525 days (100 years))"
        )
        assert expected == str(raised.value)

    def test_a_negative_reminder_lead_is_refused_at_its_rule(self) -> None:
        """Given an auto-close rule reminding an hour after its close, when the desk is
        built, then the one problem names the rule, its negative lead and the fix."""
        rule = AutoClose(when="resolved", after=BusinessDays(3), reminders=[-HOUR])

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        expected = (
            "invalid desk: 1 problem\n  - auto-close rule 'resolved': its reminder lead is "
            "negative (-1:00:00) (fix: give a positive duration of at most 36,525 days "
            "(100 years))"
        )
        assert expected == str(raised.value)

    def test_a_when_that_matches_nothing_is_refused_at_its_place_with_the_names(self) -> None:
        """Given an auto-close rule for "solved" on the portal, which has no such status or
        category, when the desk is built, then the one problem is placed at the rule's
        when and offers the portal's categories and statuses."""
        rule = AutoClose(when="solved", after=BusinessDays(3))

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        expected = (
            "invalid desk: 1 problem\n  - auto_close.rules[0].when: matches no status or "
            "category of workflow 'support-portal' (fix: use one of its categories 'active', "
            "'waiting_on_customer', 'on_hold', 'canceled', 'resolved', 'closed' or one of its "
            "statuses 'in_progress', 'waiting_for_customer', 'on_hold', 'escalated', "
            "'under_investigation', 'canceled', 'awaiting_confirmation', 'closed')"
        )
        assert expected == str(raised.value)

    def test_an_unknown_since_is_refused_at_its_place_with_the_known_ones(self) -> None:
        """Given an auto-close rule counted since "reply", when the desk is built, then
        the one problem is placed at the rule's since and lists the three starts."""
        rule = AutoClose(when="resolved", after=BusinessDays(3), since="reply")

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        expected = (
            "invalid desk: 1 problem\n  - auto_close.rules[0].since: is 'reply', not a start "
            "of a quiet period (fix: use one of 'entered', 'customer_activity', 'last_update')"
        )
        assert expected == str(raised.value)


def quiet(*timers: Timer, zone: str = "UTC") -> Desk:
    """A desk whose one open status runs ``timers`` (each closes the ticket), always open
    in ``zone``."""
    workflow = Workflow(
        name="quiet",
        initial="open",
        statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
        transitions=(
            Transition(action="close", sources="open", target="closed", roles={"agent", "system"}),
        ),
        timers=timers,
    )
    return Desk(workflow=workflow, calendar=BusinessCalendar.always_open(zone))


def opened_at(desk: Desk, at: datetime) -> Ticket:
    """Alice's ticket on ``desk``, opened at ``at`` (its quiet period starts there)."""
    command = OpenTicket(actor=ALICE, at=at, ticket_id="T-1", subject="No dial tone")
    return handle(desk, None, command).ticket


def closing(after: Duration, *reminders: Duration) -> Timer:
    """The timer that closes an open ticket ``after`` its opening, reminding before."""
    return Timer(name="close", statuses="open", after=after, action="close", reminders=reminders)


HOUR = timedelta(hours=1)


class TestReminders:
    def test_after_the_first_of_two_reminders_the_second_is_due(self) -> None:
        """Given a ticket closing 10 hours after its opening with reminders 4 and 2 hours
        before, when the first reminder is sent, then the second is the next rule due."""
        desk = quiet(closing(10 * HOUR, 4 * HOUR, 2 * HOUR))
        reminded = tick(desk, opened_at(desk, AT), AT + 6 * HOUR)

        assert ([ReminderSent], AT + 8 * HOUR) == (
            [type(e) for e in reminded.events],
            next_due(desk, reminded.ticket),
        )

    def test_a_reminder_due_at_the_periods_start_is_sent_once(self) -> None:
        """Given a ticket closing 10 hours after its opening with a 20-hour reminder (due
        at once) and a 2-hour one, when the first is sent at the opening, then the
        second is the next rule due."""
        desk = quiet(closing(10 * HOUR, 20 * HOUR, 2 * HOUR))
        reminded = tick(desk, opened_at(desk, AT), AT)

        assert ([ReminderSent], AT + 8 * HOUR) == (
            [type(e) for e in reminded.events],
            next_due(desk, reminded.ticket),
        )

    def test_a_sooner_timer_comes_before_a_later_timers_reminder(self) -> None:
        """Given a ticket that closes after 1 hour, and after 10 hours with a reminder
        4 hours before, when the next rule is asked for, then it is the 1-hour close."""
        one_hour = Timer(name="quick", statuses="open", after=HOUR, action="close")
        desk = quiet(one_hour, closing(10 * HOUR, 4 * HOUR))

        assert AT + HOUR == next_due(desk, opened_at(desk, AT))

    def test_a_reply_at_the_instant_of_the_reminder_gets_the_new_periods_reminder(
        self,
    ) -> None:
        """Given a ticket closing 10 quiet hours after alice's last word, reminded 4 hours
        before, when she replies at the instant the reminder is sent, then the new quiet
        period's reminder is the next rule due, 6 hours on."""
        timer = attrs.evolve(closing(10 * HOUR, 4 * HOUR), since="customer_activity")
        desk = quiet(timer)
        reminded = tick(desk, opened_at(desk, AT), AT + 6 * HOUR).ticket
        reply = Reply(actor=ALICE, at=AT + 6 * HOUR, body="Still no dial tone.")

        replied = handle(desk, reminded, reply).ticket

        assert AT + 12 * HOUR == next_due(desk, replied)


# Samoa moved across the date line: 30 December 2011 never happened in Pacific/Apia, so
# one calendar day before 31 December 00:00 is 31 December 00:00 itself.
APIA = ZoneInfo("Pacific/Apia")
SAMOA_DEADLINE = datetime(2011, 12, 31, tzinfo=APIA)
SAMOA_START = datetime(2011, 12, 28, tzinfo=APIA)


class TestReminderOnTheDeadline:
    def test_a_reminder_that_lands_on_the_deadline_is_not_sent(self) -> None:
        """Given a Samoan desk closing tickets 3 calendar days on, reminding 1 day
        before, when the close falls due on 31 December 2011 (the day after the skipped
        day), then the ticket is closed with no reminder."""
        desk = quiet(closing(CalendarDays(3), CalendarDays(1)), zone="Pacific/Apia")

        closed = tick(desk, opened_at(desk, SAMOA_START), SAMOA_DEADLINE)

        assert [StatusChanged] == [type(e) for e in closed.events]

    def test_a_later_reminder_is_still_due_after_one_that_lands_on_the_deadline(self) -> None:
        """Given a Samoan desk closing tickets 3 calendar days on, reminding 1 day and
        2 hours before, when the next rule is asked for, then it is the 2-hour reminder."""
        desk = quiet(closing(CalendarDays(3), CalendarDays(1), 2 * HOUR), zone="Pacific/Apia")

        two_hours_before = datetime(2011, 12, 29, 22, tzinfo=APIA)  # 08:00Z, in UTC-10
        assert two_hours_before == next_due(desk, opened_at(desk, SAMOA_START))


class TestTheLastYear:
    def test_a_timer_due_in_the_year_9999_falls_due(self) -> None:
        """Given a ticket opened on 1 June 9999 that closes a day later, when the next
        rule is asked for, then it falls due on 2 June 9999."""
        desk = quiet(closing(CalendarDays(1)))
        start = datetime(9999, 6, 1, 9, tzinfo=UTC)

        assert start + timedelta(days=1) == next_due(desk, opened_at(desk, start))

    def test_a_timer_that_can_never_fall_due_leaves_the_next_timer_due(self) -> None:
        """Given a ticket opened in 9990 with a 50-year close declared before a one-day
        one, when the next rule is asked for, then it is the one-day close."""
        never = Timer(name="never", statuses="open", after=CalendarDays(365 * 50), action="close")
        desk = quiet(never, closing(CalendarDays(1)))
        start = datetime(9990, 6, 1, 9, tzinfo=UTC)

        assert start + timedelta(days=1) == next_due(desk, opened_at(desk, start))


SCHEDULING = Desk(
    workflow=Workflow(
        name="scheduling",
        initial="in_progress",
        statuses=(
            Status("in_progress", Category.ACTIVE),
            Status("scheduled", Category.ON_HOLD, wake_action="start"),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="schedule", sources="in_progress", target="scheduled", roles="agent"),
            Transition(
                action="start", sources="scheduled", target="in_progress", roles={"agent", "system"}
            ),
            Transition(action="close", sources="in_progress", target="closed", roles="agent"),
        ),
    )
)


class TestWakeUp:
    def test_a_wake_up_says_the_scheduled_time_has_come(self) -> None:
        """Given a ticket scheduled until 01:00 the next night, when the sweep comes
        after, then the ticket is started with the reason the scheduled time has come."""
        night = AT + 16 * HOUR
        ticket = opened_at(SCHEDULING, AT)
        schedule = PerformAction(actor=BOB, at=AT, action="schedule", until=night)
        ticket = handle(SCHEDULING, ticket, schedule).ticket

        woken = tick(SCHEDULING, ticket, night + HOUR)

        assert [("start", "the scheduled time has come")] == [
            (e.action, e.reason) for e in woken.events if isinstance(e, StatusChanged)
        ]


def scheduling(*timers: Timer, sla: SlaPolicy | None = None, zone: str = "UTC") -> Desk:
    """A desk whose agents schedule tickets, which wake up into work (``start``), with
    ``timers`` in the scheduled status, the ``sla`` policy, always open in ``zone``."""
    workflow = attrs.evolve(SCHEDULING.workflow, timers=timers)
    return Desk(
        workflow=workflow,
        calendar=BusinessCalendar.always_open(zone),
        sla=SlaPolicy() if sla is None else sla,
    )


def scheduled(desk: Desk, until: datetime) -> Ticket:
    """Alice's ticket on ``desk``, opened at AT and scheduled by bob at once until ``until``."""
    schedule = PerformAction(actor=BOB, at=AT, action="schedule", until=until)
    return handle(desk, opened_at(desk, AT), schedule).ticket


def first_response(hours: int) -> SlaPolicy:
    """A first-response target of ``hours`` real hours for every priority, no warnings."""
    target = timedelta(hours=hours)
    metric = Metric.first_response(
        dict.fromkeys(SCHEDULING.workflow.priorities, target), warnings=()
    )
    return SlaPolicy(metrics=[metric])


class TestWakeUpAmongRules:
    def test_an_overdue_wake_up_is_stamped_with_the_last_change(self) -> None:
        """Given a ticket scheduled until AT+16h and a note bob added an hour after it
        without a sweep, when the next rule is asked for, then the wake-up is due at the
        note."""
        desk = scheduling()
        note = Reply(actor=BOB, at=AT + 17 * HOUR, body="Parts arrived.", public=False)
        ticket = handle(desk, scheduled(desk, AT + 16 * HOUR), note).ticket

        assert AT + 17 * HOUR == next_due(desk, ticket)

    def test_a_wake_up_before_an_sla_breach_comes_first(self) -> None:
        """Given a ticket scheduled until AT+6h whose first response is due at AT+10h,
        when the next rule is asked for, then it is the wake-up."""
        desk = scheduling(sla=first_response(10))

        assert AT + 6 * HOUR == next_due(desk, scheduled(desk, AT + 6 * HOUR))

    def test_a_wake_up_and_an_sla_breach_at_one_instant_wake_the_ticket_first(self) -> None:
        """Given a ticket scheduled until AT+10h, when its first response is due, when the
        sweep comes, then the ticket is started first, then the breach recorded."""
        desk = scheduling(sla=first_response(10))

        swept = tick(desk, scheduled(desk, AT + 10 * HOUR), AT + 10 * HOUR)

        assert [StatusChanged, SlaBreached] == [type(e) for e in swept.events]


class TestStoredWakeUps:
    def test_a_wake_up_stored_in_a_status_that_schedules_nothing_is_not_due(self) -> None:
        """Given a stored ticket in progress holding a wake-up instant (its workflow no
        longer schedules there), when the next rule is asked for, then nothing is due."""
        ticket = Ticket(
            id="T-1",
            subject="No dial tone",
            status="in_progress",
            priority="normal",
            requester="alice",
            created_at=AT,
            updated_at=AT,
            status_since=AT,
            version=2,
            wake_at=AT + 3 * HOUR,
        )

        assert next_due(scheduling(), ticket) is None


class TestLastUpdateTimers:
    def test_a_ticket_nobody_updated_counts_from_entering_its_status(self) -> None:
        """Given a ticket the system opened for alice (no update by anybody), when a
        10-hour no-update timer is asked for, then it falls due 10 hours after opening."""
        timer = attrs.evolve(closing(10 * HOUR), since="last_update")
        desk = quiet(timer)
        opening = OpenTicket(
            actor=ROBOT, at=AT, ticket_id="T-1", subject="Disk full", requester="alice"
        )

        assert AT + 10 * HOUR == next_due(desk, handle(desk, None, opening).ticket)


class TestRemindersAtOneInstant:
    def test_two_timers_reminders_at_one_instant_send_the_first_timers(self) -> None:
        """Given two timers whose reminders fall due at AT+6h, when the sweep comes, then
        one reminder is sent, the first declared timer's."""
        first = attrs.evolve(closing(10 * HOUR, 4 * HOUR), name="first")
        second = attrs.evolve(closing(12 * HOUR, 6 * HOUR), name="second")
        desk = quiet(first, second)

        swept = tick(desk, opened_at(desk, AT), AT + 6 * HOUR)

        assert ["first"] == [e.rule for e in swept.events if isinstance(e, ReminderSent)]

    def test_an_overdue_reminder_comes_before_one_due_at_that_instant(self) -> None:
        """Given a Moscow desk, a ticket opened at AT and noted at AT+2h, a first timer's
        reminder overdue since AT and a second's due at AT+2h, when the sweep comes, then
        one reminder is sent, the first declared timer's."""
        first = attrs.evolve(closing(10 * HOUR, 20 * HOUR), name="first")
        second = attrs.evolve(closing(10 * HOUR, 8 * HOUR), name="second")
        desk = quiet(first, second, zone="Europe/Moscow")
        note = Reply(actor=BOB, at=AT + 2 * HOUR, body="Looking into it.", public=False)
        ticket = handle(desk, opened_at(desk, AT), note).ticket

        swept = tick(desk, ticket, AT + 2 * HOUR)

        assert ["first"] == [e.rule for e in swept.events if isinstance(e, ReminderSent)]


class TestRepeatedHour:
    def test_a_reminder_due_at_the_last_change_comes_before_an_overdue_close(self) -> None:
        """Given a Berlin desk and a ticket noted at 00:30Z on 25 October 2026 (02:30+02:00,
        the first reading of the repeated hour), one timer's close overdue and another's
        reminder due at that instant, when the sweep comes, then the reminder is sent
        before the close."""
        noted_at = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        quick = Timer(name="quick", statuses="open", after=HOUR, action="close")
        slow = attrs.evolve(closing(3 * HOUR, HOUR), name="slow")
        desk = quiet(quick, slow, zone="Europe/Berlin")
        note = Reply(actor=BOB, at=noted_at, body="Looking into it.", public=False)
        ticket = handle(desk, opened_at(desk, noted_at - 2 * HOUR), note).ticket

        swept = tick(desk, ticket, noted_at)

        assert [ReminderSent, StatusChanged] == [type(e) for e in swept.events]


class TestReminderAtTheStart:
    def test_a_reminder_as_long_as_the_wait_is_written_as_the_periods_start(self) -> None:
        """Given a Moscow desk closing tickets 10 hours on, reminding 10 hours before, and
        a ticket opened at 09:00Z, when the sweep comes at the opening, then the reminder
        is recorded at the opening as the ticket wrote it, as a longer lead's would be."""
        desk = quiet(closing(10 * HOUR, 10 * HOUR), zone="Europe/Moscow")

        swept = tick(desk, opened_at(desk, AT), AT)

        assert [AT.isoformat()] == [
            e.at.isoformat() for e in swept.events if isinstance(e, ReminderSent)
        ]
