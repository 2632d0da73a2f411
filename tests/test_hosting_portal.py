"""Scenarios of ``ticketflow.presets.hosting_portal``, one per behaviour of seed 002.

Each docstring quotes the sentence of ``shared/seeds/002_*.txt`` (a hosting provider's
help page on its support ticket statuses) that the scenario checks. Instants are fixed
and aware; the clock is never read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import command_sequences
from ticketflow import (
    REQUESTER,
    ActionPerformed,
    Actor,
    BusinessCalendar,
    Category,
    Command,
    CommandRefusedError,
    Desk,
    Event,
    MissingRequirementError,
    NaiveDatetimeError,
    NotificationPolicy,
    NotificationRule,
    OpenTicket,
    Outcome,
    PerformAction,
    PermissionDeniedError,
    Reply,
    ReplyAdded,
    StatusChanged,
    Ticket,
    TicketClosedError,
    TicketReopened,
    follow_up,
    handle,
    next_due,
    notifications,
    replay,
    tick,
)
from ticketflow.presets import hosting_portal as hosting

DESK = hosting.desk()
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")
ROBOT = Actor.system()
US = timedelta(microseconds=1)
DAY = timedelta(days=1)


def life(*commands: Command, desk: Desk = DESK) -> tuple[Ticket, list[Event]]:
    """Handle ``commands`` in order from no ticket; the final ticket and every event."""
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        outcome = handle(desk, ticket, command)
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None
    return ticket, events


def opened(at: datetime = START, ticket_id: str = "T-1") -> OpenTicket:
    return OpenTicket(actor=ALICE, at=at, ticket_id=ticket_id, subject="Site returns 502")


def agent(action: str, at: datetime, reason: str = "", until: datetime | None = None) -> Command:
    return PerformAction(actor=CAROL, at=at, action=action, reason=reason, until=until)


def reply(at: datetime, body: str = "Here is the log") -> Reply:
    return Reply(actor=ALICE, at=at, body=body)


def answered(at: datetime = START, desk: Desk = DESK) -> Ticket:
    """A ticket a technician answered at ``at``."""
    ticket, _ = life(opened(at), agent("answer", at), desk=desk)
    return ticket


def closed(at: datetime = START, desk: Desk = DESK) -> Ticket:
    """A ticket a technician closed at ``at``."""
    ticket, _ = life(opened(at), agent("close", at), desk=desk)
    return ticket


def in_status(status: str, at: datetime = START) -> Ticket:
    """A ticket an agent moved into ``status`` at ``at`` (scheduled for the next day)."""
    moves = {
        hosting.OPEN: [],
        hosting.IN_PROGRESS: [agent("start", at)],
        hosting.ANSWERED: [agent("answer", at)],
        hosting.ON_HOLD: [agent("hold", at, reason="waiting on the datacenter")],
        hosting.SCHEDULED: [agent("schedule", at, until=at + DAY)],
        hosting.CLOSED: [agent("close", at)],
        hosting.CUSTOMER_REPLY: [agent("answer", at), reply(at)],
    }
    ticket, _ = life(opened(at), *moves[status])
    assert status == ticket.status
    return ticket


def moves(events: tuple[Event, ...] | list[Event]) -> list[tuple[str, str, str]]:
    """The status changes among ``events``: (action, source, target)."""
    return [(e.action, e.source, e.target) for e in events if isinstance(e, StatusChanged)]


# -- statuses and categories --------------------------------------------------------------


class TestStatuses:
    @pytest.mark.parametrize(
        ("status", "label", "category"),
        [
            (hosting.OPEN, "Open", Category.NEW),
            (hosting.IN_PROGRESS, "In Progress", Category.ACTIVE),
            (hosting.ANSWERED, "Answered", Category.WAITING_ON_CUSTOMER),
            (hosting.CLOSED, "Closed", Category.CLOSED),
            (hosting.SCHEDULED, "Scheduled", Category.ON_HOLD),
            (hosting.ON_HOLD, "On-Hold", Category.ON_HOLD),
            (hosting.CUSTOMER_REPLY, "Customer-Reply", Category.ACTIVE),
        ],
    )
    def test_each_status_has_the_seed_label_and_its_category(
        self, status: str, label: str, category: Category
    ) -> None:
        """ "Tickets entered through the customer portal are assigned varying statuses":
        each of the seven has the seed's label and the category policies read."""
        actual = hosting.WORKFLOW.status(status)

        assert (label, category) == (actual.label, actual.category)

    def test_new_tickets_are_open(self) -> None:
        """ "Open status is assigned to all new tickets that are placed, indicating that the
        ticket has been entered into the queue sucessfully"."""
        ticket, _ = life(opened())

        assert (hosting.OPEN, START) == (ticket.status, ticket.status_since)
        assert next_due(DESK, ticket) is None

    def test_a_technician_starts_work(self) -> None:
        """ "In Progress status indicates that the ticket has been reviewed by a technician
        and they are currently working on resolving the issue"."""
        _, events = life(opened(), agent("start", START + DAY))

        assert [("start", hosting.OPEN, hosting.IN_PROGRESS)] == moves(events)

    def test_customers_do_not_move_tickets_themselves(self) -> None:
        """Only technicians review a ticket: a customer cannot start the work."""
        ticket, _ = life(opened())

        with pytest.raises(PermissionDeniedError):
            handle(DESK, ticket, PerformAction(actor=ALICE, at=START, action="start"))

    def test_answered_awaits_the_customer(self) -> None:
        """ "Answered tickets have been addressed in some way by a technician and are
        awaiting more information before continuing or before marking the issue closed"."""
        ticket = answered()

        assert Category.WAITING_ON_CUSTOMER == DESK.workflow.category(ticket.status)

    def test_closed_is_final_for_technicians(self) -> None:
        """ "Closed status indicates the ticket has been completed and the issue has been
        resolved": no action leaves it."""
        with pytest.raises(TicketClosedError):
            handle(DESK, closed(), agent("start", START + DAY))

    def test_on_hold_waits_an_undetermined_time(self) -> None:
        """ "A ticket marked as on-hold is similar to scheduled with the difference that it
        will be answered in an undetermined amount of time": nothing is due."""
        ticket = in_status(hosting.ON_HOLD)

        assert (hosting.ON_HOLD, None) == (ticket.status, next_due(DESK, ticket))

    def test_holding_places_a_notice(self) -> None:
        """ "In such case a notice will be placed in the ticket": holding needs a reason."""
        ticket, _ = life(opened())

        with pytest.raises(MissingRequirementError, match="reason"):
            handle(DESK, ticket, agent("hold", START))

    def test_the_system_closes_only_answered_tickets(self) -> None:
        """Automatic closing is for Answered tickets; an On-Hold one is not the system's."""
        ticket = in_status(hosting.ON_HOLD)

        with pytest.raises(PermissionDeniedError):
            handle(DESK, ticket, PerformAction(actor=ROBOT, at=START, action="close"))


# -- Answered: the 30-day auto-close --------------------------------------------------------


class TestAnsweredAutoClose:
    def test_closes_exactly_thirty_days_after_the_answer(self) -> None:
        """ "If the customer does not respond to the ticket within 30 days, the ticket will
        be automatically closed"."""
        ticket = answered()
        due = START + timedelta(days=30)

        swept = tick(DESK, ticket, due)

        assert due == next_due(DESK, ticket)
        assert () == tick(DESK, ticket, due - US).events
        assert [("close", hosting.ANSWERED, hosting.CLOSED)] == moves(swept.events)
        assert (hosting.CLOSED, due) == (swept.ticket.status, swept.ticket.closed_at)

    def test_the_close_says_it_was_automatic_and_why(self) -> None:
        """The closing event is the system's, names its rule and says why."""
        close = tick(DESK, answered(), START + timedelta(days=30)).events[-1]

        assert isinstance(close, StatusChanged)
        assert (ROBOT, "auto-close waiting_on_customer") == (close.actor, close.rule)
        assert "closed automatically: no customer response for 30 days" == close.reason

    def test_a_late_sweep_records_the_true_instant(self) -> None:
        """A sweep two months late stamps the close with the day it fell due."""
        swept = tick(DESK, answered(), START + timedelta(days=60))

        assert [START + timedelta(days=30)] == [e.at for e in swept.events]

    @pytest.mark.parametrize(
        ("zone", "start", "expected"),
        [
            ("Europe/Berlin", (2026, 3, 20), (2026, 4, 19)),
            ("Europe/Berlin", (2026, 10, 10), (2026, 11, 9)),
            ("America/New_York", (2026, 3, 1), (2026, 3, 31)),
            ("America/New_York", (2026, 10, 20), (2026, 11, 19)),
        ],
    )
    def test_thirty_local_days_across_dst(
        self, zone: str, start: tuple[int, int, int], expected: tuple[int, int, int]
    ) -> None:
        """On a desk in a zone with DST, "30 days" are 30 local days at the same wall time,
        not 720 real hours."""
        desk = hosting.desk(BusinessCalendar.always_open(zone))
        tz = ZoneInfo(zone)
        at = datetime(*start, 10, tzinfo=tz)
        ticket = answered(at, desk)

        due = next_due(desk, ticket)

        assert datetime(*expected, 10, tzinfo=tz) == due
        # 720 real hours would be an hour off (aware arithmetic in one zone is wall time).
        assert timedelta(days=30) != due.astimezone(UTC) - at.astimezone(UTC)
        assert [due] == [e.at for e in tick(desk, ticket, at + timedelta(days=31)).events]

    def test_a_customer_reply_in_answered_resets_the_count(self) -> None:
        """ "If the customer does not respond ... within 30 days": a response on day 20
        stops the count, and the technician's next answer starts a new 30 days."""
        ticket = answered()
        ticket = handle(DESK, ticket, reply(START + 20 * DAY)).ticket

        assert (hosting.CUSTOMER_REPLY, None) == (ticket.status, next_due(DESK, ticket))
        assert () == tick(DESK, ticket, START + 90 * DAY).events

        again = handle(DESK, ticket, agent("answer", START + 21 * DAY)).ticket

        assert START + 51 * DAY == next_due(DESK, again)

    def test_an_agent_reply_does_not_reset_the_count(self) -> None:
        """Only the customer's response counts: a technician's follow-up note leaves the
        deadline where it was."""
        ticket = answered()
        note = Reply(actor=CAROL, at=START + 10 * DAY, body="Any news?")
        ticket = handle(DESK, ticket, note).ticket

        assert (hosting.ANSWERED, START + 30 * DAY) == (ticket.status, next_due(DESK, ticket))


# -- Customer-Reply ---------------------------------------------------------------------------


class TestCustomerReply:
    @pytest.mark.parametrize(
        "status", [hosting.ANSWERED, hosting.IN_PROGRESS, hosting.ON_HOLD, hosting.SCHEDULED]
    )
    def test_a_customer_reply_moves_the_ticket_to_customer_reply(self, status: str) -> None:
        """ "Anytime the customer responds to a ticket, the ticket will be placed into the
        customer-reply status alerting the technician that further information has been
        added to the ticket"."""
        ticket = in_status(status)
        at = START + timedelta(hours=2)

        outcome = handle(DESK, ticket, reply(at))

        assert [("customer_reply", status, hosting.CUSTOMER_REPLY)] == moves(outcome.events)
        assert (hosting.CUSTOMER_REPLY, at) == (outcome.ticket.status, outcome.ticket.status_since)

    def test_a_reply_to_a_scheduled_ticket_calls_the_technician_now(self) -> None:
        """ "A ticket can be placed into this status at any time": a reply to a Scheduled
        ticket brings it to the technician at once, so its wake-up is off."""
        ticket = in_status(hosting.SCHEDULED)

        replied = handle(DESK, ticket, reply(START + timedelta(hours=2))).ticket

        assert (None, None) == (replied.wake_at, next_due(DESK, replied))

    def test_a_second_reply_keeps_the_ticket_where_it_is(self) -> None:
        """A ticket already in Customer-Reply stays there, its time in status unchanged."""
        ticket = in_status(hosting.CUSTOMER_REPLY)

        outcome = handle(DESK, ticket, reply(START + DAY, "One more detail"))

        assert [] == moves(outcome.events)
        assert (hosting.CUSTOMER_REPLY, START) == (
            outcome.ticket.status,
            outcome.ticket.status_since,
        )

    def test_a_technician_reply_changes_no_status(self) -> None:
        """Only the customer's response places the ticket into Customer-Reply."""
        ticket = in_status(hosting.IN_PROGRESS)

        outcome = handle(DESK, ticket, Reply(actor=CAROL, at=START + DAY, body="Looking"))

        assert ([ReplyAdded], hosting.IN_PROGRESS) == (
            [type(e) for e in outcome.events],
            outcome.ticket.status,
        )


# -- Open: replies reset the queue position ---------------------------------------------------


class TestOpenQueue:
    def test_a_reply_in_open_resets_the_queue_position(self) -> None:
        """ "Posting additional responses while the ticket is in Open status will cause the
        ticket to be reset in the queue": the ticket stays Open and its time in the status
        restarts."""
        ticket, _ = life(opened())
        at = START + timedelta(minutes=30)

        outcome = handle(DESK, ticket, reply(at, "Still down!"))

        assert [("customer_reply", hosting.OPEN, hosting.OPEN)] == moves(outcome.events)
        assert (hosting.OPEN, at) == (outcome.ticket.status, outcome.ticket.status_since)

    def test_the_impatient_ticket_goes_behind_a_later_one(self) -> None:
        """ "... leading to the ticket not being answered as quickly as it would have been
        originally": in a queue ordered by time in Open, a later ticket now comes first."""
        first, _ = life(opened(START, "T-1"))
        second, _ = life(opened(START + timedelta(minutes=5), "T-2"))
        first = handle(DESK, first, reply(START + timedelta(minutes=10))).ticket

        queue = sorted([first, second], key=lambda t: t.status_since)

        assert ["T-2", "T-1"] == [t.id for t in queue]


# -- Closed: the 30-day reopen window ---------------------------------------------------------


class TestReopenWindow:
    def test_a_window_that_would_end_after_the_year_9999_stays_open(self) -> None:
        """A ticket closed on 9999-12-20 is reopened by a reply: its window never ends."""
        at = datetime(9999, 12, 20, 9, tzinfo=UTC)

        outcome = handle(DESK, closed(at), reply(at + DAY, "It is back"))

        assert hosting.CUSTOMER_REPLY == outcome.ticket.status

    def test_a_reply_within_thirty_days_reopens_into_customer_reply(self) -> None:
        """ "Even closed tickets can be replied to for a period of 30 days from the date it
        was closed"."""
        at = START + 30 * DAY

        outcome = handle(DESK, closed(), reply(at, "It is back"))

        reopened = outcome.events[-1]
        assert isinstance(reopened, TicketReopened)
        assert (hosting.CLOSED, hosting.CUSTOMER_REPLY) == (reopened.source, reopened.target)
        assert (hosting.CUSTOMER_REPLY, 1, at, None) == (
            outcome.ticket.status,
            outcome.ticket.reopen_count,
            outcome.ticket.status_since,
            outcome.ticket.closed_at,
        )

    def test_after_thirty_days_a_follow_up_is_needed(self) -> None:
        """ "You can still reply to a closed ticket for a certain period of time": after
        it the reply is refused, dating the window and naming the follow-up."""
        ticket = closed()

        with pytest.raises(TicketClosedError) as refusal:
            handle(DESK, ticket, reply(START + 30 * DAY + US, "Again"))

        assert "for 30 days after closing, until 2026-04-01T09:00:00+00:00" in str(refusal.value)
        assert "follow_up" in str(refusal.value)

    def test_follow_up_opens_a_linked_ticket(self) -> None:
        """ "In case the issue re-occurs or a related issue arises" after the window, the
        follow-up is a new Open ticket whose parent is the closed one."""
        parent = closed()
        command = follow_up(parent, actor=ALICE, at=START + 40 * DAY, ticket_id="T-2")

        new = handle(DESK, None, command, parent=parent).ticket

        assert ("T-1", "alice", hosting.OPEN, "medium") == (
            new.parent_id,
            new.requester,
            new.status,
            new.priority,
        )

    def test_the_window_counts_local_days_across_dst(self) -> None:
        """On a Berlin desk the window closed on 20 March ends on 19 April at the same wall
        time, an hour before 30 x 24 real hours."""
        berlin = ZoneInfo("Europe/Berlin")
        desk = hosting.desk(BusinessCalendar.always_open("Europe/Berlin"))
        ticket = closed(datetime(2026, 3, 20, 10, tzinfo=berlin), desk)
        last = datetime(2026, 4, 19, 10, tzinfo=berlin)

        assert hosting.CUSTOMER_REPLY == handle(desk, ticket, reply(last)).ticket.status
        with pytest.raises(TicketClosedError):
            handle(desk, ticket, reply(last + timedelta(minutes=30)))

    def test_the_window_restarts_at_each_close(self) -> None:
        """A reopened ticket closed again may be reopened for 30 days from the new close."""
        ticket = closed()
        ticket = handle(DESK, ticket, reply(START + 10 * DAY, "It is back")).ticket
        ticket = handle(DESK, ticket, agent("close", START + 20 * DAY)).ticket

        reopened = handle(DESK, ticket, reply(START + 45 * DAY, "Back again")).ticket

        assert (hosting.CUSTOMER_REPLY, 2) == (reopened.status, reopened.reopen_count)

    def test_an_auto_closed_ticket_can_be_reopened(self) -> None:
        """A ticket the system closed after 30 quiet days in Answered may be reopened by a
        reply for 30 more days."""
        swept = tick(DESK, answered(), START + 40 * DAY).ticket

        reopened = handle(DESK, swept, reply(START + 59 * DAY)).ticket

        assert (hosting.CUSTOMER_REPLY, 1) == (reopened.status, reopened.reopen_count)

    def test_only_the_customer_reply_reopens(self) -> None:
        """A technician's reply to a closed ticket is refused: the ticket stays closed."""
        with pytest.raises(TicketClosedError):
            handle(DESK, closed(), Reply(actor=CAROL, at=START + DAY, body="Any news?"))


# -- Scheduled: the wake-up -------------------------------------------------------------------


class TestScheduled:
    NIGHT = datetime(2026, 3, 3, 2, tzinfo=ZoneInfo("Europe/Berlin"))

    def scheduled(self) -> Ticket:
        ticket, _ = life(
            opened(), agent("schedule", START, reason="reboot overnight", until=self.NIGHT)
        )
        return ticket

    def test_scheduled_tickets_wait_until_their_date(self) -> None:
        """ "Scheduled tickets will wait in this status until they date they have been
        scheduled": the next rule is due exactly at that instant."""
        ticket = self.scheduled()

        assert (hosting.SCHEDULED, self.NIGHT) == (ticket.status, next_due(DESK, ticket))
        assert () == tick(DESK, ticket, self.NIGHT - US).events

    def test_wakes_into_in_progress_at_the_instant(self) -> None:
        """ "The ticket will move to the in progress status when started"."""
        woken = tick(DESK, self.scheduled(), self.NIGHT)

        assert [
            ("start", hosting.SCHEDULED, hosting.IN_PROGRESS, self.NIGHT, ROBOT, "wake-up")
        ] == [
            (e.action, e.source, e.target, e.at, e.actor, e.rule)
            for e in woken.events
            if isinstance(e, StatusChanged)
        ]
        assert (hosting.IN_PROGRESS, None) == (woken.ticket.status, woken.ticket.wake_at)

    def test_a_late_sweep_wakes_at_the_scheduled_instant(self) -> None:
        """A sweep the next morning records the wake-up at the scheduled night."""
        woken = tick(DESK, self.scheduled(), self.NIGHT + timedelta(hours=7))

        assert [self.NIGHT] == [e.at for e in woken.events]
        assert self.NIGHT == woken.ticket.status_since

    def test_scheduling_needs_a_date(self) -> None:
        """ "Certain technical issues may require a ticket to be addressed at a specific
        time": scheduling without ``until`` is refused, saying what to give."""
        ticket, _ = life(opened())

        with pytest.raises(MissingRequirementError, match="until="):
            handle(DESK, ticket, agent("schedule", START))

    def test_a_technician_may_move_the_date(self) -> None:
        """Scheduling a Scheduled ticket again replaces its wake-up instant."""
        later = self.NIGHT + DAY
        command = agent("schedule", START + timedelta(hours=1), until=later)

        ticket = handle(DESK, self.scheduled(), command).ticket

        assert (hosting.SCHEDULED, later, later) == (
            ticket.status,
            ticket.wake_at,
            next_due(DESK, ticket),
        )
        assert () == tick(DESK, ticket, later - US).events

    def test_a_technician_may_start_early(self) -> None:
        """Starting the work by hand before the date cancels the wake-up."""
        ticket = handle(DESK, self.scheduled(), agent("start", START + timedelta(hours=1))).ticket

        assert (hosting.IN_PROGRESS, None) == (ticket.status, next_due(DESK, ticket))


# -- properties -------------------------------------------------------------------------------


@st.composite
def lives(draw: st.DrawFn) -> list[Command]:
    """Random lives of a hosting-portal ticket; ``schedule`` commands get a wake-up
    instant up to three days later, so Scheduled is reached too."""
    commands = draw(command_sequences(hosting.WORKFLOW, max_size=15))
    return [
        attrs.evolve(c, until=c.at + timedelta(minutes=draw(st.integers(1, 3 * 24 * 60))))
        if isinstance(c, PerformAction) and c.action == "schedule" and c.at.tzinfo is not None
        else c
        for c in commands
    ]


def lived(commands: list[Command]) -> tuple[Ticket | None, list[Event]]:
    """Handle ``commands``, skipping the refused ones; the ticket and every event."""
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        try:
            outcome = handle(DESK, ticket, command)
        except (CommandRefusedError, NaiveDatetimeError):
            continue
        ticket = outcome.ticket
        events.extend(outcome.events)
    return ticket, events


hours = st.integers(0, 24 * 70)


class TestProperties:
    @settings(max_examples=80)
    @given(lives(), hours)
    def test_replay_of_every_event_gives_the_ticket(
        self, commands: list[Command], late: int
    ) -> None:
        """Replaying the commands' and the rules' events gives back the swept ticket."""
        ticket, events = lived(commands)
        if ticket is None:
            return
        swept = tick(DESK, ticket, ticket.updated_at + timedelta(hours=late))

        assert swept.ticket == replay([*events, *swept.events])
        assert len(events) + len(swept.events) == swept.ticket.version

    @settings(max_examples=80)
    @given(lives(), hours, st.lists(hours, max_size=5))
    def test_one_late_sweep_equals_many_punctual_ones(
        self, commands: list[Command], late: int, steps: list[int]
    ) -> None:
        """Ticking once at ``now`` gives the same events and ticket as ticking at any
        increasing instants up to ``now``."""
        ticket, _ = lived(commands)
        if ticket is None:
            return
        now = ticket.updated_at + timedelta(hours=late)
        once = tick(DESK, ticket, now)
        stepped: list[Event] = []
        current = ticket
        for step in sorted(h for h in steps if h <= late):
            outcome = tick(DESK, current, ticket.updated_at + timedelta(hours=step))
            current = outcome.ticket
            stepped.extend(outcome.events)
        last = tick(DESK, current, now)
        stepped.extend(last.events)

        assert list(once.events) == stepped
        assert once.ticket == last.ticket

    @settings(max_examples=80)
    @given(lives())
    def test_next_due_is_exactly_when_tick_acts(self, commands: list[Command]) -> None:
        """Nothing happens a microsecond before ``next_due``; something happens at it."""
        ticket, _ = lived(commands)
        if ticket is None:
            return
        due = next_due(DESK, ticket)
        if due is None:
            assert () == tick(DESK, ticket, ticket.updated_at + timedelta(days=3650)).events
            return
        assert () == tick(DESK, ticket, due - US).events
        assert due == tick(DESK, ticket, due).events[0].at


# -- rescheduling: a self-loop is an action, not a status change (issue 12, deliverable 4) --


class TestRescheduling:
    NIGHT = datetime(2026, 3, 3, 2, tzinfo=UTC)
    LATER = NIGHT + DAY
    AT = START + timedelta(hours=1)

    def scheduled(self) -> Ticket:
        ticket, _ = life(opened(), agent("schedule", START, until=self.NIGHT))
        return ticket

    def reschedule(self, desk: Desk = DESK) -> Outcome:
        return handle(desk, self.scheduled(), agent("schedule", self.AT, until=self.LATER))

    def test_a_reschedule_is_recorded_as_the_action_performed(self) -> None:
        """Given a scheduled ticket, when the technician schedules it again, then one
        ActionPerformed('schedule', status 'scheduled', the new date) is recorded and no
        StatusChanged."""
        events = self.reschedule().events

        assert [ActionPerformed] == [type(e) for e in events]
        performed = events[0]
        assert isinstance(performed, ActionPerformed)
        expected = ("schedule", hosting.SCHEDULED, self.LATER)
        assert expected == (performed.action, performed.status, performed.until)

    def test_a_reschedule_does_not_restart_the_time_in_the_status(self) -> None:
        """Given a ticket scheduled at START, when it is rescheduled an hour later, then
        it has been scheduled since START: it did not enter the status again."""
        ticket = self.reschedule().ticket

        assert (hosting.SCHEDULED, START) == (ticket.status, ticket.status_since)

    def test_a_reschedule_moves_the_wake_up_it_states(self) -> None:
        """Given a rescheduled ticket, then the old date passes quietly and the ticket
        wakes into In Progress at the new date."""
        ticket = self.reschedule().ticket

        assert () == tick(DESK, ticket, self.NIGHT).events
        assert hosting.IN_PROGRESS == tick(DESK, ticket, self.LATER).ticket.status

    def test_a_reschedule_replays_to_the_same_ticket(self) -> None:
        """The events of a life with a reschedule replay, without the desk, to its ticket."""
        ticket, events = life(
            opened(),
            agent("schedule", START, until=self.NIGHT),
            agent("schedule", self.AT, until=self.LATER),
        )

        assert ticket == replay(events)

    def test_a_reschedule_does_not_tell_the_customer_of_a_status_change(self) -> None:
        """Given a desk that tells the customer of every StatusChanged, when the ticket is
        rescheduled, then nobody is told of a status change."""
        rules = NotificationPolicy(
            [NotificationRule(on="StatusChanged", recipients=[REQUESTER], message="status")]
        )
        desk = attrs.evolve(DESK, notifications=rules)
        assert () == notifications(desk, self.reschedule(desk))

    def test_a_rule_on_the_action_tells_the_customer_the_new_date(self) -> None:
        """Given a rule on ActionPerformed in 'scheduled', when the ticket is
        rescheduled, then the customer is told once, with the event carrying the date."""
        rules = NotificationPolicy(
            [
                NotificationRule(
                    on="ActionPerformed",
                    recipients=[REQUESTER],
                    message="rescheduled",
                    statuses={hosting.SCHEDULED},
                )
            ]
        )
        desk = attrs.evolve(DESK, notifications=rules)
        told = notifications(desk, self.reschedule(desk))

        assert [("alice", "rescheduled", self.LATER)] == [
            (n.recipient, n.message, getattr(n.event, "until", None)) for n in told
        ]
