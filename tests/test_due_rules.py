"""Time-driven rules: ``next_due`` and ``tick``, timers, auto-close, reminders, wake-ups.

Seed 000 (the support portal): "If client will within 3 business days the response will
be answered, the work on the request will be extended or closed, depending on the
client's wishes. If the answer is not given, the hit will automatically be closed."
Seed 002 (a hosting portal): "If the customer does not respond to the ticket within 30
days, the ticket will be automatically closed", "even closed tickets can be replied to
for a period of 30 days", "Scheduled tickets will wait in this status until the date
they have been scheduled".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import command_sequences, dst_changes
from sweeps import tick_in_steps
from ticketflow import (
    Actor,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    Category,
    CommandRefusedError,
    Desk,
    DeskDefinitionError,
    Event,
    InstantBeforeLastChangeError,
    InvalidCommandError,
    Metric,
    MissingRequirementError,
    MuteNotifications,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reaction,
    ReminderSent,
    Reply,
    SendReminder,
    SlaBreached,
    SlaPolicy,
    Status,
    StatusChanged,
    Ticket,
    TicketClosedError,
    TicketReopened,
    Timer,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    follow_up,
    handle,
    next_due,
    replay,
    sla_status,
    tick,
)
from ticketflow._due_rules import next_rule
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")


def plain() -> Desk:
    """The portal without its SLA policy: these tests read the timers' events alone."""
    return portal.desk(sla=SlaPolicy())


ALICE = Actor.customer("alice")
BOB = Actor.agent("bob")
ROBOT = Actor.system()
US = timedelta(microseconds=1)


def moscow(*args: int) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)  # type: ignore[arg-type,misc]


def life(desk: Desk, ticket: Ticket | None, *commands: object) -> tuple[Ticket, list[Event]]:
    """Handle ``commands`` in order; the final ticket and every event."""
    events: list[Event] = []
    for command in commands:
        outcome = handle(desk, ticket, command)  # type: ignore[arg-type]
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None
    return ticket, events


def awaiting_confirmation(at: datetime, desk: Desk | None = None) -> tuple[Ticket, list[Event]]:
    """A portal ticket the agent marked done at ``at``."""
    desk = desk or plain()
    return life(
        desk,
        None,
        OpenTicket(actor=ALICE, at=at, ticket_id="T-1", subject="No dial tone"),
        PerformAction(actor=BOB, at=at, action="propose_resolution"),
    )


# -- the seed portal's auto-close -------------------------------------------------------


class TestSupportPortalAutoClose:
    def test_closes_after_three_business_days_without_response(self) -> None:
        """ "If the answer is not given, the hit will automatically be closed": 3 business
        days after the work was marked done, on the desk's calendar."""
        desk = plain()
        friday = moscow(2026, 3, 6, 15)
        ticket, _ = awaiting_confirmation(friday)

        swept = tick(desk, ticket, moscow(2026, 3, 31))

        closing = [e for e in swept.events if isinstance(e, StatusChanged)]
        assert [(e.action, e.source, e.target) for e in closing] == [
            ("close", portal.AWAITING_CONFIRMATION, portal.CLOSED)
        ]
        assert desk.calendar.add_business_days(friday, 3) == closing[0].at
        assert swept.ticket.status == portal.CLOSED

    def test_holiday_is_not_a_business_day(self) -> None:
        """Monday 9 March 2026 is a Russian public holiday: Friday 15:00 + 3 business days
        is Thursday 15:00, and the reminder comes on Wednesday."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 6, 15))

        events = tick(desk, ticket, moscow(2026, 3, 31)).events

        assert [moscow(2026, 3, 11, 15), moscow(2026, 3, 12, 15)] == [e.at for e in events]

    def test_the_close_says_it_was_automatic_and_why(self) -> None:
        """The closing event is the system's, names its rule and gives the reason."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))

        close = tick(desk, ticket, moscow(2026, 4, 1)).events[-1]

        assert isinstance(close, StatusChanged)
        assert (close.actor, close.rule) == (ROBOT, "auto-close resolved")
        assert close.reason == "closed automatically: no customer response for 3 business days"

    def test_reminder_one_business_day_before(self) -> None:
        """The requester is reminded one business day before the close, told when."""
        desk = plain()
        monday = moscow(2026, 3, 2, 10)
        ticket, _ = awaiting_confirmation(monday)

        reminder = tick(desk, ticket, moscow(2026, 3, 4, 10)).events

        assert [
            ReminderSent(
                ticket_id="T-1",
                at=moscow(2026, 3, 4, 10),
                actor=ROBOT,
                version=3,
                rule="auto-close resolved",
                action="close",
                due=moscow(2026, 3, 5, 10),
                to_requester=True,
            )
        ] == list(reminder)

    def test_a_muted_requester_is_not_reminded(self) -> None:
        """After "Don't notify me" the reminder is recorded but addressed to nobody."""
        desk = plain()
        monday = moscow(2026, 3, 2, 10)
        ticket, _ = awaiting_confirmation(monday)
        ticket = handle(desk, ticket, MuteNotifications(actor=ALICE, at=monday)).ticket

        (reminder,) = tick(desk, ticket, moscow(2026, 3, 4, 10)).events

        assert isinstance(reminder, ReminderSent)
        assert reminder.to_requester is False

    def test_customer_reply_extends_the_work(self) -> None:
        """ "If client within 3 business days responds, the work on the request will be
        extended": the reply moves the ticket back to work and the close is off."""
        desk = plain()
        monday = moscow(2026, 3, 2, 10)
        ticket, _ = awaiting_confirmation(monday)

        replied = handle(desk, ticket, Reply(actor=ALICE, at=moscow(2026, 3, 4), body="Not yet"))

        assert replied.ticket.status == portal.IN_PROGRESS
        assert next_due(desk, replied.ticket) is None
        assert tick(desk, replied.ticket, moscow(2026, 4, 1)).events == ()

    def test_closed_request_cannot_be_reopened(self) -> None:
        """ "When this status is set, the request can't be opened": a reply after the
        automatic close is refused and names the follow-up."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        closed = tick(desk, ticket, moscow(2026, 4, 1)).ticket

        with pytest.raises(TicketClosedError, match="follow-up"):
            handle(desk, closed, Reply(actor=ALICE, at=moscow(2026, 4, 2), body="Again broken"))

    def test_follow_up_opens_a_linked_ticket(self) -> None:
        """A new request after the close keeps the requester and points at the old one."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        closed = tick(desk, ticket, moscow(2026, 4, 1)).ticket

        command = follow_up(closed, actor=ALICE, at=moscow(2026, 4, 2), ticket_id="T-2")
        new = handle(desk, None, command, parent=closed).ticket

        assert (new.parent_id, new.requester, new.status) == ("T-1", "alice", portal.IN_PROGRESS)


# -- the tick mechanism -----------------------------------------------------------------


class TestTick:
    def test_nothing_due_before_next_due(self) -> None:
        """A tick one microsecond before the due instant records nothing."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        due = next_due(desk, ticket)
        assert due is not None

        assert tick(desk, ticket, due - US).events == ()
        assert due == tick(desk, ticket, due).events[0].at

    def test_late_sweep_records_the_true_instants(self) -> None:
        """A sweep a month late stamps each rule with the instant it fell due."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))

        events = tick(desk, ticket, moscow(2026, 4, 2)).events

        assert [moscow(2026, 3, 4, 10), moscow(2026, 3, 5, 10)] == [e.at for e in events]

    def test_tick_is_idempotent(self) -> None:
        """Ticking twice with the same instant does nothing the second time."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        first = tick(desk, ticket, moscow(2026, 4, 1))

        assert first.ticket == tick(desk, first.ticket, moscow(2026, 4, 1)).ticket
        assert tick(desk, first.ticket, moscow(2026, 4, 1)).events == ()

    def test_naive_now_is_refused(self) -> None:
        """``now`` without a time zone is refused, not guessed."""
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))

        with pytest.raises(NaiveDatetimeError, match="now is a naive datetime"):
            tick(plain(), ticket, datetime(2026, 4, 1))  # noqa: DTZ001

    def test_a_rule_cancelled_by_an_earlier_rule_does_not_fire(self) -> None:
        """When the first timer moves the ticket on, the status's later timer is off."""
        desk = Desk(workflow=_two_timers())
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        ticket, _ = life(desk, None, OpenTicket(actor=ALICE, at=at, ticket_id="T", subject="s"))

        events = tick(desk, ticket, at + timedelta(days=1)).events

        assert [(e.action, e.source, e.target) for e in events if isinstance(e, StatusChanged)] == [
            ("nudge", "open", "stale")
        ]

    def test_due_before_the_last_change_fires_at_the_last_change(self) -> None:
        """A rule overdue when the host handled a later command is stamped with that
        command's instant: time never runs backwards inside a ticket."""
        desk = plain()
        monday = moscow(2026, 3, 2, 10)
        ticket, _ = awaiting_confirmation(monday)
        late_note = Reply(actor=BOB, at=moscow(2026, 3, 20), body="internal", public=False)
        ticket = handle(desk, ticket, late_note).ticket

        events = tick(desk, ticket, moscow(2026, 3, 21)).events

        assert [moscow(2026, 3, 20)] * 2 == [e.at for e in events]


def _two_timers() -> Workflow:
    return Workflow(
        name="two-timers",
        initial="open",
        statuses=(
            Status("open", Category.ACTIVE),
            Status("stale", Category.ON_HOLD),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="nudge", sources={"open"}, target="stale", roles={"system"}),
            Transition(
                action="close",
                sources={"open", "stale"},
                target="closed",
                roles={"agent", "system"},
            ),
            Transition(action="reopen", sources={"stale"}, target="open", roles={"agent"}),
        ),
        timers=(
            Timer(name="nudge", statuses={"open"}, after=timedelta(hours=1), action="nudge"),
            Timer(name="close", statuses={"open"}, after=timedelta(hours=2), action="close"),
        ),
    )


# -- timers: durations and measuring points -------------------------------------------------


def _answered(after: object, *, since: str = "customer_activity", tz: str = "UTC") -> Desk:
    """Seed 002's Answered status with one auto-close timer."""
    workflow = Workflow(
        name="answered",
        initial="open",
        statuses=(
            Status("open", Category.NEW),
            Status("answered", Category.WAITING_ON_CUSTOMER),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="answer", sources={"open"}, target="answered", roles={"agent"}),
            Transition(
                action="close",
                sources={"open", "answered"},
                target="closed",
                roles={"agent", "system"},
            ),
        ),
        timers=(
            Timer(name="quiet", statuses={"answered"}, after=after, action="close", since=since),  # type: ignore[arg-type]
        ),
    )
    return Desk(workflow=workflow, calendar=BusinessCalendar.always_open(tz))


class TestTimers:
    @pytest.mark.parametrize(
        ("zone", "start", "expected"),
        [
            ("Europe/Berlin", (2026, 3, 20), (2026, 4, 4)),
            ("Europe/Berlin", (2026, 10, 20), (2026, 11, 4)),
            ("America/New_York", (2026, 3, 1), (2026, 3, 16)),
            ("America/New_York", (2026, 10, 25), (2026, 11, 9)),
        ],
    )
    def test_calendar_days_keep_the_local_wall_time_across_dst(
        self, zone: str, start: tuple[int, int, int], expected: tuple[int, int, int]
    ) -> None:
        """A 15-day timer started at 10:00 before a DST change fires at 10:00 local."""
        desk = _answered(CalendarDays(15), since="entered", tz=zone)
        tz = ZoneInfo(zone)
        at = datetime(*start, 10, tzinfo=tz)
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=at, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=at, action="answer"),
        )

        assert datetime(*expected, 10, tzinfo=tz) == next_due(desk, ticket)

    def test_real_time_is_elapsed_time_across_dst(self) -> None:
        """A timedelta timer counts real hours: 15 x 24 h across spring-forward is 11:00."""
        desk = _answered(timedelta(days=15), since="entered", tz="Europe/Berlin")
        berlin = ZoneInfo("Europe/Berlin")
        at = datetime(2026, 3, 20, 10, tzinfo=berlin)
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=at, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=at, action="answer"),
        )

        assert datetime(2026, 4, 4, 11, tzinfo=berlin) == next_due(desk, ticket)

    def test_business_time_uses_the_desk_calendar(self) -> None:
        """An 8-hour business-time timer from Friday 15:00 on 9-17 fires Monday 15:00."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")
        desk = attrs.evolve(_answered(BusinessTime(timedelta(hours=8))), calendar=calendar)
        berlin = ZoneInfo("Europe/Berlin")
        friday = datetime(2026, 3, 6, 15, tzinfo=berlin)
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=friday, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=friday, action="answer"),
        )

        assert datetime(2026, 3, 9, 15, tzinfo=berlin) == next_due(desk, ticket)

    def test_customer_activity_restarts_the_quiet_period(self) -> None:
        """ "If the customer does not respond within 30 days": a reply restarts the count."""
        desk = _answered(CalendarDays(30))
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=at, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=at, action="answer"),
            Reply(actor=ALICE, at=at + timedelta(days=20), body="still looking"),
        )

        assert at + timedelta(days=50) == next_due(desk, ticket)

    def test_measured_from_entering_ignores_customer_activity(self) -> None:
        """A timer measured from entering the status is not restarted by replies."""
        desk = _answered(CalendarDays(30), since="entered")
        at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=at, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=at, action="answer"),
            Reply(actor=ALICE, at=at + timedelta(days=20), body="still looking"),
        )

        assert at + timedelta(days=30) == next_due(desk, ticket)

    def test_terminal_status_has_nothing_due(self) -> None:
        """A closed ticket has no pending rule."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        closed = tick(desk, ticket, moscow(2026, 4, 1)).ticket

        assert next_due(desk, closed) is None


# -- scheduled wake-ups ---------------------------------------------------------------------


def _scheduled() -> Desk:
    workflow = Workflow(
        name="scheduled",
        initial="in_progress",
        statuses=(
            Status("in_progress", Category.ACTIVE),
            Status("scheduled", Category.ON_HOLD, wake_action="start"),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(
                action="schedule", sources={"in_progress"}, target="scheduled", roles={"agent"}
            ),
            Transition(
                action="start",
                sources={"scheduled"},
                target="in_progress",
                roles={"agent", "system"},
            ),
            Transition(action="close", sources={"in_progress"}, target="closed", roles={"agent"}),
        ),
    )
    return Desk(workflow=workflow)


class TestScheduledWakeUp:
    AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
    NIGHT = datetime(2026, 3, 3, 1, tzinfo=UTC)

    def opened(self) -> Ticket:
        return handle(
            _scheduled(), None, OpenTicket(actor=ALICE, at=self.AT, ticket_id="T", subject="reboot")
        ).ticket

    def test_wakes_into_work_at_the_scheduled_instant(self) -> None:
        """ "Scheduled tickets will wait in this status until the date they have been
        scheduled ... The ticket will move to the in progress status when started"."""
        desk = _scheduled()
        command = PerformAction(actor=BOB, at=self.AT, action="schedule", until=self.NIGHT)
        ticket = handle(desk, self.opened(), command).ticket

        woken = tick(desk, ticket, self.NIGHT + timedelta(hours=5))

        assert next_due(desk, ticket) == self.NIGHT
        assert [
            (e.action, e.source, e.target, e.at, e.rule)
            for e in woken.events
            if isinstance(e, StatusChanged)
        ] == [("start", "scheduled", "in_progress", self.NIGHT, "wake-up")]
        assert woken.ticket.wake_at is None

    def test_scheduling_needs_an_instant(self) -> None:
        """Entering a scheduled status without ``until`` is refused, saying what to give."""
        command = PerformAction(actor=BOB, at=self.AT, action="schedule")

        with pytest.raises(MissingRequirementError, match="until="):
            handle(_scheduled(), self.opened(), command)

    def test_scheduling_in_the_past_is_refused(self) -> None:
        """A wake-up instant not after the command is refused."""
        command = PerformAction(actor=BOB, at=self.AT, action="schedule", until=self.AT)

        with pytest.raises(InvalidCommandError, match="later instant"):
            handle(_scheduled(), self.opened(), command)

    def test_until_without_a_scheduled_status_is_refused(self) -> None:
        """``until`` on an action that schedules nothing is refused, not ignored."""
        command = PerformAction(actor=BOB, at=self.AT, action="close", until=self.NIGHT)

        with pytest.raises(InvalidCommandError, match="leave until empty"):
            handle(_scheduled(), self.opened(), command)

    def test_an_agent_can_start_early(self) -> None:
        """Starting the work by hand cancels the wake-up."""
        desk = _scheduled()
        ticket = handle(
            desk,
            self.opened(),
            PerformAction(actor=BOB, at=self.AT, action="schedule", until=self.NIGHT),
        ).ticket
        ticket = handle(desk, ticket, PerformAction(actor=BOB, at=self.AT, action="start")).ticket

        assert next_due(desk, ticket) is None


# -- reopen windows -----------------------------------------------------------------------


def _reopenable() -> Desk:
    workflow = Workflow(
        name="reopenable",
        initial="open",
        statuses=(
            Status("open", Category.NEW),
            Status("customer_reply", Category.ACTIVE),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(
                action="close", sources={"open", "customer_reply"}, target="closed", roles={"agent"}
            ),
        ),
        reactions=(
            Reaction(
                on="customer_reply",
                sources={"closed"},
                target="customer_reply",
                within=CalendarDays(30),
            ),
        ),
    )
    return Desk(workflow=workflow)


class TestReopenWindow:
    AT = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def closed(self) -> Ticket:
        ticket, _ = life(
            _reopenable(),
            None,
            OpenTicket(actor=ALICE, at=self.AT, ticket_id="T", subject="s"),
            PerformAction(actor=BOB, at=self.AT, action="close"),
        )
        return ticket

    def test_reply_within_the_window_reopens(self) -> None:
        """ "Closed tickets can be replied to for a period of 30 days": the reply reopens
        the ticket into Customer-Reply."""
        outcome = handle(
            _reopenable(),
            self.closed(),
            Reply(actor=ALICE, at=self.AT + timedelta(days=30), body="It is back"),
        )

        reopened = outcome.events[-1]
        assert isinstance(reopened, TicketReopened)
        assert (outcome.ticket.status, outcome.ticket.reopen_count) == ("customer_reply", 1)

    def test_reply_after_the_window_needs_a_follow_up(self) -> None:
        """After 30 days the reply is refused; the message dates the window and names the
        follow-up."""
        ticket = self.closed()
        late = Reply(actor=ALICE, at=self.AT + timedelta(days=30, seconds=1), body="Again")

        with pytest.raises(TicketClosedError) as refusal:
            handle(_reopenable(), ticket, late)

        assert "for 30 days after closing, until 2026-04-01T09:00:00+00:00" in str(refusal.value)
        assert "follow_up" in str(refusal.value)

    def test_window_on_a_working_status_is_a_definition_error(self) -> None:
        """``within`` only makes sense on a reopen reaction."""
        with pytest.raises(WorkflowDefinitionError, match="use 'within' only on reactions"):
            Workflow(
                name="w",
                initial="open",
                statuses=(Status("open", Category.NEW), Status("closed", Category.CLOSED)),
                transitions=(
                    Transition(action="close", sources={"open"}, target="closed", roles={"agent"}),
                ),
                reactions=(
                    Reaction(
                        on="customer_reply", sources={"open"}, target="open", within=CalendarDays(3)
                    ),
                ),
            )


# -- who may issue time-driven commands -------------------------------------------------


class TestRulesBelongToTheSystem:
    def test_an_agent_cannot_act_as_a_rule(self) -> None:
        """A host command naming a rule is refused: rules are the desk's system's."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        forged = PerformAction(actor=BOB, at=moscow(2026, 3, 2, 11), action="close", rule="auto")

        with pytest.raises(PermissionDeniedError, match="leave rule empty"):
            handle(desk, ticket, forged)

    def test_an_agent_cannot_send_a_reminder(self) -> None:
        """Reminders come from timers only."""
        desk = plain()
        ticket, _ = awaiting_confirmation(moscow(2026, 3, 2, 10))
        forged = SendReminder(
            actor=BOB, at=moscow(2026, 3, 2, 11), rule="r", action="close", due=moscow(2026, 3, 5)
        )

        with pytest.raises(PermissionDeniedError, match="reminders are sent by the desk's timers"):
            handle(desk, ticket, forged)


# -- definitions ----------------------------------------------------------------------------


class TestDefinitions:
    def test_auto_close_matching_nothing(self) -> None:
        """An auto-close rule for a category the workflow lacks is a desk error."""
        policy = AutoClosePolicy([AutoClose(when="waiting_on_customer", after=BusinessDays(3))])
        workflow = _scheduled().workflow

        with pytest.raises(DeskDefinitionError, match="matches no status or category"):
            Desk(workflow=workflow, auto_close=policy)

    def test_timer_action_the_system_may_not_perform(self) -> None:
        """A timer whose action the system role cannot perform is refused with the fix."""
        with pytest.raises(WorkflowDefinitionError, match="with 'system' in its roles"):
            attrs.evolve(
                _two_timers(),
                timers=(
                    Timer(name="t", statuses={"stale"}, after=timedelta(hours=1), action="reopen"),
                ),
            )

    def test_timer_problems_are_reported_together(self) -> None:
        """A timer with no status, a zero duration and an unknown 'since' gets three problems."""
        bad = Timer(name="t", statuses=(), after=timedelta(0), action="close", since="whenever")

        with pytest.raises(WorkflowDefinitionError) as error:
            attrs.evolve(_two_timers(), timers=(bad,))

        assert len(error.value.problems) == 3

    def test_auto_close_with_a_system_less_action(self) -> None:
        """The auto-close action must be one the system may perform from the status."""
        policy = AutoClosePolicy([AutoClose(when="stale", after=BusinessDays(3), action="reopen")])

        with pytest.raises(DeskDefinitionError, match="auto-close policy timer"):
            Desk(workflow=_two_timers(), auto_close=policy)

    def test_round_trip(self) -> None:
        """Wake-ups, reopen windows, timers and reminders survive a document round trip."""
        reminded = attrs.evolve(
            _two_timers(),
            timers=(
                Timer(
                    name="quiet",
                    statuses={"open"},
                    after=BusinessDays(3),
                    action="close",
                    since="customer_activity",
                    reminders=[BusinessTime(timedelta(hours=4)), CalendarDays(1)],
                ),
            ),
        )
        for workflow in (_scheduled().workflow, _reopenable().workflow, _two_timers(), reminded):
            assert workflow == Workflow.from_document(workflow.to_document())


# -- properties -------------------------------------------------------------------------------


def _lived(commands: list[object]) -> tuple[Ticket | None, list[Event]]:
    desk = portal.desk()
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        try:
            outcome = handle(desk, ticket, command)  # type: ignore[arg-type]
        except (CommandRefusedError, NaiveDatetimeError):
            continue
        ticket = outcome.ticket
        events.extend(outcome.events)
    return ticket, events


hours = st.integers(0, 24 * 40)


class TestProperties:
    @settings(max_examples=60)
    @given(command_sequences(portal.WORKFLOW, max_size=12), hours, st.lists(hours, max_size=4))
    def test_one_late_sweep_equals_many_punctual_ones(
        self, commands: list[object], late: int, steps: list[int]
    ) -> None:
        """Ticking once at ``now`` gives the same events as ticking at any increasing
        instants up to ``now``."""
        desk = portal.desk()
        ticket, _ = _lived(commands)
        if ticket is None:
            return
        now = ticket.updated_at + timedelta(hours=late)
        once = tick(desk, ticket, now)
        earlier = [ticket.updated_at + timedelta(hours=h) for h in sorted(steps) if h <= late]
        swept, stepped = tick_in_steps(desk, ticket, [*earlier, now])

        assert list(once.events) == stepped
        assert once.ticket == swept

    @settings(max_examples=60)
    @given(command_sequences(portal.WORKFLOW, max_size=12))
    def test_next_due_is_exactly_when_tick_acts(self, commands: list[object]) -> None:
        """Nothing happens a microsecond before ``next_due``; something happens at it."""
        desk = portal.desk()
        ticket, _ = _lived(commands)
        if ticket is None:
            return
        due = next_due(desk, ticket)
        if due is None:
            assert tick(desk, ticket, ticket.updated_at + timedelta(days=3650)).events == ()
            return
        assert tick(desk, ticket, due - US).events == ()
        assert due == tick(desk, ticket, due).events[0].at

    @settings(max_examples=40)
    @given(command_sequences(portal.WORKFLOW, max_size=12), hours)
    def test_next_due_answers_the_instant_of_the_rule_that_tick_would_fire(
        self, commands: list[object], late: int
    ) -> None:
        """Given every version of a ticket's life (commands and sweeps, SLA checks and
        reminders included), when next_due answers without building the rule's command,
        then its instant is the one of the command next_rule builds."""
        desk = portal.desk()
        ticket: Ticket | None = None
        for command in commands:
            try:
                ticket = handle(desk, ticket, command).ticket  # type: ignore[arg-type]
            except (CommandRefusedError, NaiveDatetimeError):
                continue
            for _ in range(3):  # the ticket as it is, and after each of two rules fired
                rule = next_rule(desk, ticket)
                assert (None if rule is None else rule.at) == next_due(desk, ticket)
                if rule is None or ticket.updated_at + timedelta(hours=late) < rule.at:
                    break
                ticket = handle(desk, ticket, rule).ticket

    @settings(max_examples=60)
    @given(command_sequences(portal.WORKFLOW, max_size=12), hours)
    def test_replay_includes_the_rules(self, commands: list[object], late: int) -> None:
        """Replaying every event, the rules' included, gives back the ticket."""
        desk = portal.desk()
        ticket, events = _lived(commands)
        if ticket is None:
            return
        swept = tick(desk, ticket, ticket.updated_at + timedelta(hours=late))

        assert swept.ticket == replay([*events, *swept.events])
        assert swept.ticket.version == len(events) + len(swept.events)

    @settings(max_examples=60)
    @given(st.integers(0, 3 * 24 * 60 - 1), st.integers(1, 60 * 24 * 10))
    def test_customer_reply_before_the_deadline_resets_it(self, before: int, later: int) -> None:
        """A customer reply before the auto-close leaves nothing due, however late the
        sweep."""
        desk = portal.desk()
        monday = moscow(2026, 3, 2, 10)
        ticket, _ = awaiting_confirmation(monday)
        due = next_due(desk, ticket)
        assert due is not None
        reply_at = min(monday + timedelta(minutes=before), due - US)
        ticket = tick(desk, ticket, reply_at).ticket
        replied = handle(desk, ticket, Reply(actor=ALICE, at=reply_at, body="wait")).ticket

        swept = tick(desk, replied, reply_at + timedelta(minutes=later))

        assert [e for e in swept.events if isinstance(e, StatusChanged)] == []


# -- exact instants: folds, gaps and the edge of time ----------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(hour: int, minute: int) -> datetime:
    """The instant ``hour:minute`` UTC on 2026-10-25, read in Berlin.

    Berlin repeats 02:00-03:00 that night: 00:00Z-01:00Z is 02:xx+02:00 (fold=0) and
    01:00Z-02:00Z is 02:xx+01:00 (fold=1).
    """
    return datetime(2026, 10, 25, hour, minute, tzinfo=UTC).astimezone(BERLIN)


def _quiet(*timers: Timer, zone: str = "Europe/Berlin") -> Desk:
    """A desk whose one open status runs ``timers`` (each closes the ticket)."""
    workflow = Workflow(
        name="quiet",
        initial="open",
        statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
        transitions=(
            Transition(
                action="close", sources={"open"}, target="closed", roles={"agent", "system"}
            ),
        ),
        timers=timers,
    )
    return Desk(workflow=workflow, calendar=BusinessCalendar.always_open(zone))


def _opened_at(desk: Desk, at: datetime) -> Ticket:
    return handle(desk, None, OpenTicket(actor=ALICE, at=at, ticket_id="T-1", subject="x")).ticket


def _rule_at(desk: Desk, ticket: Ticket) -> tuple[str, datetime]:
    """The next rule's kind and the instant it falls due, in UTC."""
    rule = next_rule(desk, ticket)
    assert rule is not None
    return type(rule).__name__, rule.at.astimezone(UTC)


class TestRulesInARepeatedHour:
    def test_a_rule_overdue_before_a_later_change_in_the_fold_is_stamped_with_that_change(
        self,
    ) -> None:
        """A timer due at 02:40+02:00 on a ticket changed at 02:10+01:00 (later, in UTC)
        falls due at the change, not before it."""
        desk = _quiet(
            Timer(name="quiet", statuses={"open"}, after=timedelta(minutes=30), action="close")
        )
        ticket = _opened_at(desk, berlin(0, 10))  # timer due 00:40Z
        ticket = handle(desk, ticket, Reply(actor=BOB, at=berlin(1, 10), body="note")).ticket

        assert ("PerformAction", datetime(2026, 10, 25, 1, 10, tzinfo=UTC)) == _rule_at(
            desk, ticket
        )

    def test_a_reminder_due_in_the_second_pass_of_the_fold_is_sent(self) -> None:
        """A reminder due at 02:10+01:00 for a close at 02:30+01:00, in a quiet period that
        began at 02:50+02:00, is due (its wall clock reads before the period's start)."""
        desk = _quiet(
            Timer(
                name="quiet",
                statuses={"open"},
                after=timedelta(minutes=40),
                action="close",
                since="customer_activity",
                reminders=[timedelta(minutes=20)],
            )
        )
        ticket = _opened_at(desk, berlin(0, 50))

        assert ("SendReminder", datetime(2026, 10, 25, 1, 10, tzinfo=UTC)) == _rule_at(desk, ticket)

    def test_of_two_timers_on_either_side_of_the_fold_the_earlier_instant_comes_first(
        self,
    ) -> None:
        """A timer due at 02:50+02:00 (00:50Z) comes before one due at 02:10+01:00
        (01:10Z), whatever their wall clocks say."""
        desk = _quiet(
            Timer(name="late", statuses={"open"}, after=timedelta(minutes=50), action="close"),
            Timer(name="early", statuses={"open"}, after=timedelta(minutes=30), action="close"),
        )
        ticket = _opened_at(desk, berlin(0, 20))
        rule = next_rule(desk, ticket)

        assert ("early", datetime(2026, 10, 25, 0, 50, tzinfo=UTC)) == (
            getattr(rule, "rule", None),
            None if rule is None else rule.at.astimezone(UTC),
        )

    def test_customer_activity_in_the_second_pass_of_the_fold_restarts_the_quiet_period(
        self,
    ) -> None:
        """The customer's reply at 02:10+01:00, after the status was entered at 02:50+02:00,
        is where a quiet period measured from customer activity starts."""
        desk = _quiet(
            Timer(
                name="quiet",
                statuses={"open"},
                after=timedelta(minutes=30),
                action="close",
                since="customer_activity",
            )
        )
        ticket = _opened_at(desk, berlin(0, 50))
        ticket = handle(
            desk, ticket, Reply(actor=ALICE, at=berlin(1, 10), body="still there")
        ).ticket

        assert ("PerformAction", datetime(2026, 10, 25, 1, 40, tzinfo=UTC)) == _rule_at(
            desk, ticket
        )


def _far(year: int) -> datetime:
    return datetime(year, 6, 1, 9, tzinfo=UTC)


class TestRulesPastTheEndOfTime:
    @pytest.mark.parametrize(
        "after",
        [timedelta(days=365 * 50), CalendarDays(365 * 50), BusinessDays(250 * 50)],
        ids=["real time", "local days", "business days"],
    )
    def test_a_timer_that_would_fall_due_after_the_year_9999_is_never_due(
        self, after: object
    ) -> None:
        """A 50-year timer on a ticket opened in 9990 is not pending: it cannot fall due."""
        desk = _quiet(
            Timer(name="long", statuses={"open"}, after=after, action="close"),  # type: ignore[arg-type]
            zone="UTC",
        )
        ticket = _opened_at(desk, _far(9990))

        assert (None, ()) == (next_due(desk, ticket), tick(desk, ticket, _far(9999)).events)

    def test_a_reminder_of_a_timer_past_the_year_9999_is_never_due(self) -> None:
        """The reminder of a close that cannot happen is not sent either."""
        timer = Timer(
            name="long",
            statuses={"open"},
            after=timedelta(days=365 * 50),
            action="close",
            reminders=[timedelta(days=365 * 45)],
        )
        desk = _quiet(timer, zone="UTC")

        assert next_due(desk, _opened_at(desk, _far(9990))) is None

    def test_a_reminder_lead_reaching_before_the_year_1_is_due_when_the_period_starts(
        self,
    ) -> None:
        """A reminder whose lead would reach before year 1 is due at the period's start."""
        timer = Timer(
            name="quiet",
            statuses={"open"},
            after=timedelta(days=2),
            action="close",
            reminders=[BusinessDays(250 * 50)],
        )
        desk = _quiet(timer, zone="UTC")
        at = datetime(2, 1, 10, 9, tzinfo=UTC)

        assert ("SendReminder", at) == _rule_at(desk, _opened_at(desk, at))


# -- property: every ordering decision agrees with UTC, in folds and around gaps -------------

FOLD_ZONES = {
    "Europe/Berlin": 2026,
    "America/Sao_Paulo": 2018,  # its last year of DST: the gap and the fold at midnight
    "Australia/Lord_Howe": 2026,  # a 30-minute shift
    "America/St_Johns": 2026,  # a half-hour zone
}


EDGES = [(zone, edge) for zone, year in FOLD_ZONES.items() for edge in dst_changes(zone, year)]


@st.composite
def edge_instants(draw: st.DrawFn, count: int) -> tuple[str, list[datetime]]:
    """A zone and ``count`` real instants within 90 minutes of one of its DST changes,
    read in that zone (so they fall in the repeated hour with either fold, or just
    around the skipped one), in no particular order."""
    zone, edge = draw(st.sampled_from(EDGES))
    minutes = draw(st.lists(st.integers(-90, 90), min_size=count, max_size=count))
    return zone, [(edge + timedelta(minutes=m)).astimezone(ZoneInfo(zone)) for m in minutes]


def _in_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


class TestOrderingAgainstUtc:
    @settings(max_examples=150)
    @given(
        edge_instants(2),
        st.integers(1, 120),
        st.integers(1, 120),
        st.integers(1, 119),
    )
    def test_the_next_rule_is_the_earliest_in_utc(
        self, drawn: tuple[str, list[datetime]], first: int, second: int, lead: int
    ) -> None:
        """Two timers and a reminder around a DST change: the rule next_rule picks, and
        its instant, are those UTC orders first (floored at the ticket's last change)."""
        zone, (opened_at, noted_at) = drawn
        if _in_utc(noted_at) < _in_utc(opened_at):
            opened_at, noted_at = noted_at, opened_at
        desk = _quiet(
            Timer(
                name="first",
                statuses={"open"},
                after=timedelta(minutes=first),
                action="close",
                reminders=[timedelta(minutes=lead)],
            ),
            Timer(
                name="second", statuses={"open"}, after=timedelta(minutes=second), action="close"
            ),
            zone=zone,
        )
        ticket = _opened_at(desk, opened_at)
        ticket = handle(desk, ticket, Reply(actor=BOB, at=noted_at, body="n", public=False)).ticket
        start, floor = _in_utc(opened_at), _in_utc(noted_at)
        candidates = [
            (max(start + timedelta(minutes=first), floor), 2, "first", "PerformAction"),
            (max(start + timedelta(minutes=second), floor), 3, "second", "PerformAction"),
        ]
        # The reminder is due a lead before the first timer, not before the period starts.
        remind = max(start + timedelta(minutes=first - lead), start)
        candidates.append((max(remind, floor), 1, "first", "SendReminder"))
        at, _, name, kind = min(candidates)

        rule = next_rule(desk, ticket)

        assert isinstance(rule, PerformAction | SendReminder)
        assert (at, name, kind) == (_in_utc(rule.at), rule.rule, type(rule).__name__)

    @settings(max_examples=150)
    @given(edge_instants(3), st.integers(1, 150))
    def test_sla_breaches_and_status_agree_with_utc(
        self, drawn: tuple[str, list[datetime]], target: int
    ) -> None:
        """A real-time first-response target around a DST change: next_due is the due
        instant in UTC, sla_status refuses exactly the instants before the last change and
        says breached exactly from the due instant, and the answer records the breach
        exactly when it comes at or after it."""
        zone, (opened_at, noted_at, asked_at) = drawn
        if _in_utc(noted_at) < _in_utc(opened_at):
            opened_at, noted_at = noted_at, opened_at
        metric = Metric.first_response(
            dict.fromkeys(portal.WORKFLOW.priorities, timedelta(minutes=target)), warnings=()
        )
        desk = portal.desk(
            calendar=BusinessCalendar.always_open(zone), sla=SlaPolicy(metrics=[metric])
        )
        due = _in_utc(opened_at) + timedelta(minutes=target)
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=opened_at, ticket_id="T-1", subject="x")
        ).ticket
        assert due == _in_utc(next_due(desk, ticket))  # type: ignore[arg-type]

        for asked, last in ((asked_at, opened_at), (noted_at, opened_at)):
            if _in_utc(asked) < _in_utc(last):
                with pytest.raises(InstantBeforeLastChangeError):
                    sla_status(desk, ticket, asked)
            else:
                (running,) = sla_status(desk, ticket, asked)
                assert (_in_utc(asked) >= due) == running.breached

        answered = handle(desk, ticket, Reply(actor=BOB, at=noted_at, body="Hello"))
        breached = [e for e in answered.events if isinstance(e, SlaBreached)]
        assert (_in_utc(noted_at) >= due) == bool(breached)


# -- wrong types (issue 10) ---------------------------------------------------------------
