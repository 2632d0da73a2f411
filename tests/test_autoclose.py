"""Auto-close (``_autoclose.py``): a quiet ticket closes after a period without customer
activity, through a workflow timer the policy contributes; ``follow_up`` opens the next.

How the closing timers fire on the support portal (seed 000: "If the answer is not
given, the hit will automatically be closed") is tested with the timer mechanism in
``test_due_rules.py`` (``TestSupportPortalAutoClose``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ticketflow import (
    Actor,
    AutoClose,
    AutoClosePolicy,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    ChangePriority,
    Command,
    Desk,
    DeskDefinitionError,
    OpenTicket,
    PerformAction,
    ReminderSent,
    Reply,
    StatusChanged,
    Ticket,
    Timer,
    follow_up,
    handle,
    next_due,
    tick,
)
from ticketflow._errors import InvalidTypeError
from ticketflow.presets import support_portal as portal

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


class TestRulesBecomeTimers:
    def test_a_rule_becomes_a_system_timer_measured_from_the_customers_last_activity(
        self,
    ) -> None:
        """A rule for the resolved category is a timer of the workflow's resolved statuses,
        measured from the customer's last activity, closing with the reason it gives."""
        policy = AutoClosePolicy([AutoClose(when="resolved", after=BusinessDays(3))])

        expected = (
            Timer(
                name="auto-close resolved",
                statuses={portal.AWAITING_CONFIRMATION},
                after=BusinessDays(3),
                action="close",
                since="customer_activity",
                reason="closed automatically: no customer response for 3 business days",
            ),
        )

        assert expected == policy.timers(portal.WORKFLOW)

    def test_a_rule_names_a_status_or_a_category(self) -> None:
        """``when`` matches a status by its name as well as by its category."""
        by_name = AutoClose(when=portal.AWAITING_CONFIRMATION, after=BusinessDays(3))
        by_category = AutoClose(when="resolved", after=BusinessDays(3))

        assert by_name.statuses(portal.WORKFLOW) == by_category.statuses(portal.WORKFLOW)

    def test_a_desk_without_a_policy_adds_no_timer(self) -> None:
        """By default nothing closes on its own: the policy contributes no timer."""
        assert () == AutoClosePolicy().timers(portal.WORKFLOW)


class TestFollowUp:
    def test_a_follow_up_keeps_the_requester_priority_and_group_and_names_its_parent(
        self,
    ) -> None:
        """The follow-up of a closed ticket opens a new one for the same requester, at
        the same priority and in the same group, with the old one as its parent."""
        closed = Ticket(
            id="T-1",
            subject="No dial tone",
            status=portal.CLOSED,
            priority="high",
            requester="alice",
            group="voice",
            created_at=AT,
            updated_at=AT,
            status_since=AT,
            version=9,
        )

        command = follow_up(closed, actor=Actor.customer("alice"), at=AT, ticket_id="T-2")

        expected = ("T-2", "T-1", "alice", "high", "voice", "Follow-up to T-1: No dial tone")
        assert expected == (
            command.ticket_id,
            command.parent_id,
            command.requester,
            command.priority,
            command.group,
            command.subject,
        )

    def test_a_follow_up_of_something_that_is_not_a_ticket_is_a_typed_error(self) -> None:
        """``follow_up`` of a stored row instead of a ticket raises InvalidTypeError."""
        row: Any = {"id": "T-1"}

        with pytest.raises(InvalidTypeError, match="ticket must be a Ticket"):
            follow_up(row, actor=Actor.customer("alice"), at=AT, ticket_id="T-2")


class TestAutoCloseDurations:
    @pytest.mark.parametrize(
        "after",
        [
            timedelta(days=10**8),
            CalendarDays(10**9),
            BusinessDays(10**12),
            BusinessTime(timedelta(days=10**8)),
        ],
        ids=["real time", "local days", "business days", "business time"],
    )
    def test_an_auto_close_period_of_more_than_a_century_is_refused_when_the_desk_is_built(
        self, after: object
    ) -> None:
        """An auto-close period too long to ever end is a desk problem, not a later crash."""
        policy = AutoClosePolicy([AutoClose(when="resolved", after=after)])  # type: ignore[arg-type]

        with pytest.raises(DeskDefinitionError, match="at most"):
            Desk(workflow=portal.WORKFLOW, auto_close=policy)

    def test_a_reminder_lead_of_more_than_a_century_is_refused_when_the_desk_is_built(
        self,
    ) -> None:
        """A reminder lead is checked as the period is."""
        policy = AutoClosePolicy(
            [AutoClose(when="resolved", after=BusinessDays(3), reminders=[CalendarDays(10**9)])]
        )

        with pytest.raises(DeskDefinitionError, match="at most"):
            Desk(workflow=portal.WORKFLOW, auto_close=policy)

    @pytest.mark.parametrize("after", ["3 days", None, 3, 1.5], ids=repr)
    def test_an_auto_close_period_that_is_not_a_duration_is_refused_with_its_value(
        self, after: object
    ) -> None:
        """A period that is no duration is reported quoting what was given."""
        policy = AutoClosePolicy([AutoClose(when="resolved", after=after)])  # type: ignore[arg-type]

        with pytest.raises(
            DeskDefinitionError, match=f"is not a duration.*{re.escape(repr(after))}"
        ):
            Desk(workflow=portal.WORKFLOW, auto_close=policy)

    @pytest.mark.parametrize("rules", [None, [1], "resolved"], ids=repr)
    def test_auto_close_rules_that_are_not_rules_are_refused_with_a_typed_error(
        self, rules: object
    ) -> None:
        """A policy built from something other than AutoClose rules is refused at once."""
        with pytest.raises(InvalidTypeError):
            AutoClosePolicy(rules)  # type: ignore[arg-type]


def _loosely(cls: type) -> Any:
    """``cls`` as a host that copies untyped configuration into it calls it."""
    return cls


AUTO_CLOSE, AUTO_CLOSE_POLICY = _loosely(AutoClose), _loosely(AutoClosePolicy)


class TestAutoCloseWrongTypes:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: AUTO_CLOSE(when="resolved", after=BusinessDays(3), reminders=None),
            lambda: AUTO_CLOSE(when="resolved", after=BusinessDays(3), reminders=1),
            lambda: AUTO_CLOSE(when="resolved", after=BusinessDays(3), reminders="1d"),
            lambda: AUTO_CLOSE(when=None, after=BusinessDays(3)),
            lambda: AUTO_CLOSE(when=["resolved"], after=BusinessDays(3)),
            lambda: AUTO_CLOSE(when="resolved", after=BusinessDays(3), action=None),
            lambda: AUTO_CLOSE_POLICY(None),
            lambda: AUTO_CLOSE_POLICY([[AutoClose(when="resolved", after=BusinessDays(3))]]),
        ],
    )
    def test_a_wrong_type_in_an_auto_close_rule_is_an_invalid_type_error(
        self, build: Callable[[], object]
    ) -> None:
        """A value of the wrong type for an auto-close rule or policy is typed."""
        with pytest.raises(InvalidTypeError):
            build()

    @pytest.mark.parametrize("lead", [None, 3, "1d", [timedelta(days=1)]])
    def test_a_reminder_lead_of_the_wrong_type_is_a_desk_problem(self, lead: object) -> None:
        """A reminder lead that is no duration is reported when the desk is built."""
        rule = AUTO_CLOSE(when="resolved", after=BusinessDays(3), reminders=[lead])

        with pytest.raises(DeskDefinitionError):
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))


class TestAutoCloseNames:
    def test_a_when_that_matches_nothing_is_a_desk_problem_offering_the_known_names(
        self,
    ) -> None:
        """A rule whose ``when`` is neither a category nor a status of the workflow is
        refused when the desk is built, at its place, offering the workflow's categories
        and statuses."""
        rule = AutoClose(when="solved", after=BusinessDays(3))

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        statuses = [s.name for s in portal.WORKFLOW.statuses]
        categories = dict.fromkeys(str(s.category) for s in portal.WORKFLOW.statuses)
        expected = [
            "auto_close.rules[0].when: matches no status or category of workflow "
            "'support-portal' (fix: use one of its categories "
            f"{', '.join(map(repr, categories))} or one of its statuses "
            f"{', '.join(map(repr, statuses))})"
        ]
        assert expected == [str(p) for p in raised.value.problems]


class TestMalformedDurationKinds:
    @pytest.mark.parametrize(
        "after",
        [BusinessTime(3), CalendarDays("3"), BusinessDays(True)],  # type: ignore[arg-type]
        ids=repr,
    )
    def test_a_duration_kind_holding_the_wrong_type_is_a_desk_problem(self, after: object) -> None:
        """An auto-close period of a duration kind holding the wrong type (BusinessTime(3))
        is reported when the desk is built, not raised later as a TypeError."""
        policy = AutoClosePolicy([AutoClose(when="resolved", after=after)])  # type: ignore[arg-type]

        with pytest.raises(
            DeskDefinitionError, match=r"its period is not a duration: " + re.escape(repr(after))
        ):
            Desk(workflow=portal.WORKFLOW, auto_close=policy)


# -- where the quiet period starts: since="last_update" (issue 14, ServiceNow) ----------

CAROL = Actor.agent("carol")
FIVE_DAYS = timedelta(days=5)


def closing(since: str, **options: Any) -> Desk:
    """The portal's workflow closing a resolved ticket 5 days after ``since``."""
    rule = AutoClose(when="resolved", after=FIVE_DAYS, since=since, **options)
    return Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))


def resolved_then(desk: Desk, *later: Command) -> Ticket:
    """A ticket alice opened at AT, resolved by carol an hour later, then ``later``."""
    commands: list[Command] = [
        OpenTicket(actor=Actor.customer("alice"), at=AT, ticket_id="T-1", subject="No tone"),
        PerformAction(actor=CAROL, at=AT + timedelta(hours=1), action="propose_resolution"),
        *later,
    ]
    ticket = None
    for command in commands:
        ticket = handle(desk, ticket, command).ticket
    assert ticket is not None
    return ticket


class TestSinceLastUpdate:
    def test_an_update_while_resolved_restarts_the_auto_close_clock(self) -> None:
        """Given a resolved ticket on a desk counting from the last update, when an agent
        adds an internal note two days later, then the close falls due 5 days after the
        note, not after the resolution."""
        note = AT + timedelta(days=2)
        desk = closing("last_update")

        ticket = resolved_then(desk, Reply(actor=CAROL, at=note, body="line ok", public=False))

        assert note + FIVE_DAYS == next_due(desk, ticket)

    def test_the_auto_close_fires_five_days_after_the_last_update(self) -> None:
        """Given a resolved ticket whose priority an agent changed a day later, when the
        host ticks a week on, then the system closed it 5 days after that change."""
        change = AT + timedelta(days=1)
        desk = closing("last_update")
        ticket = resolved_then(desk, ChangePriority(actor=CAROL, at=change, priority="high"))

        events = tick(desk, ticket, AT + timedelta(days=8)).events

        closes = [e for e in events if isinstance(e, StatusChanged) and e.target == portal.CLOSED]
        assert [change + FIVE_DAYS] == [e.at for e in closes]

    def test_a_staff_note_does_not_restart_a_clock_counted_from_customer_activity(
        self,
    ) -> None:
        """Given the default start (the requester's activity), when an agent adds an
        internal note while resolved, then the close still falls due 5 days after the
        resolution: a staff note is an update, not customer activity."""
        desk = closing("customer_activity")

        ticket = resolved_then(
            desk, Reply(actor=CAROL, at=AT + timedelta(days=2), body="line ok", public=False)
        )

        assert AT + timedelta(hours=1) + FIVE_DAYS == next_due(desk, ticket)

    def test_the_desks_own_reminder_does_not_restart_the_clock(self) -> None:
        """Given a desk counting from the last update that reminds a day before closing,
        when the reminder is sent, then the close stays due 5 days after the resolution:
        the desk's own rules are no update."""
        desk = closing("last_update", reminders=[timedelta(days=1)])
        ticket = resolved_then(desk)
        resolved = AT + timedelta(hours=1)

        reminded = tick(desk, ticket, resolved + timedelta(days=4, minutes=1))

        assert [ReminderSent] == [type(e) for e in reminded.events]
        assert resolved + FIVE_DAYS == next_due(desk, reminded.ticket)

    def test_a_rule_counted_from_the_last_update_says_so_in_its_reason(self) -> None:
        """The rule's timer counts from the last update and its reason names it."""
        (timer,) = AutoClosePolicy(
            [AutoClose(when="resolved", after=BusinessDays(3), since="last_update")]
        ).timers(portal.WORKFLOW)

        assert ("last_update", "closed automatically: no update for 3 business days") == (
            timer.since,
            timer.reason,
        )

    def test_an_unknown_start_is_a_desk_problem_at_its_place_naming_the_starts(
        self,
    ) -> None:
        """A rule whose ``since`` is no start of a quiet period is refused when the desk is
        built, at the rule's since, naming the three starts, and reported once."""
        rule = AutoClose(when="resolved", after=BusinessDays(3), since="resolved_at")

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=portal.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        assert [
            "auto_close.rules[0].since: is 'resolved_at', not a start of a quiet period "
            "(fix: use one of 'entered', 'customer_activity', 'last_update')"
        ] == [str(p) for p in raised.value.problems]

    def test_a_start_that_is_not_a_string_is_a_typed_error(self) -> None:
        """A ``since`` of the wrong type is refused when the rule is built."""
        with pytest.raises(InvalidTypeError):
            AUTO_CLOSE(when="resolved", after=BusinessDays(3), since=None)
