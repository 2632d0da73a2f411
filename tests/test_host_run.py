"""The host's work over a store (``_host_run.py``), on SQLite and on PostgreSQL: execute
with bounded retries, load by replay, the sweep and the outbox dispatcher."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Sequence
from datetime import timedelta

import attrs
import hypothesis
import pytest
from hypothesis import strategies as st

from host_scenarios import (
    ALICE,
    AT,
    BOB,
    DESK,
    LATER,
    due_of,
    open_ticket,
    opening,
    propose,
    reply,
)
from host_server import Place, raw_sql
from ticketflow import (
    Command,
    CommandRefusedError,
    InvalidCommandError,
    InvalidValueError,
    MuteNotifications,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    ReminderSent,
    ReplyAdded,
    StatusChanged,
    TicketflowError,
    follow_up,
    handle,
    next_due,
    replay,
)
from ticketflow.codec import event_from_document, ticket_from_document
from ticketflow.host import (
    SNAPSHOT_EVERY,
    Change,
    ConcurrencyConflict,
    CorruptEventError,
    Message,
    RecentTickets,
    Row,
    Store,
    Stored,
    dispatch,
    execute,
    load,
    microseconds,
    sweep,
)
from ticketflow.testing import command_sequences


def state_of(place: Place) -> list[tuple[object, ...]]:
    """Every row the host wrote, to show that a refusal changed nothing."""
    return [
        *raw_sql(place, "SELECT ticket_id, version, document FROM events ORDER BY 1, 2"),
        *raw_sql(place, "SELECT ticket_id, version, document, due_at FROM tickets ORDER BY 1"),
        *raw_sql(place, "SELECT key FROM outbox ORDER BY seq"),
    ]


def tamper(store: Store, place: Place, query: str, params: tuple[object, ...] = ()) -> None:
    """Change the rows behind the host's back (a crash, a bad repair, a disk fault), as
    the next process to open the store would meet them: nothing remembered."""
    raw_sql(place, query, params)
    store.recent.forget()


@attrs.define
class Interleaved:
    """A store whose next ``times`` appends each lose to a rival's reply sent just before."""

    inner: Store
    rival: Store
    times: int
    sent: int = 0

    @property
    def recent(self) -> RecentTickets:
        return self.inner.recent

    def read(self, ticket_id: str) -> Stored | None:
        return self.inner.read(ticket_id)

    def events(self, ticket_id: str) -> tuple[Row, ...]:
        return self.inner.events(ticket_id)

    def append(self, change: Change) -> None:
        if self.sent < self.times:
            self.sent += 1
            execute(self.rival, DESK, change.ticket_id, reply(f"rival {self.sent}"))
        self.inner.append(change)

    def claim_due(
        self, now: int, limit: int, work: Callable[[tuple[Stored, ...]], Sequence[Change]]
    ) -> int:
        return self.inner.claim_due(now, limit, work)

    def deliver(self, limit: int, send: Callable[[Message], None]) -> int:
        return self.inner.deliver(limit, send)

    def ticket_ids(self) -> tuple[str, ...]:
        return self.inner.ticket_ids()

    def close(self) -> None:
        self.inner.close()


def bodies(store: Store, ticket_id: str = "T-1") -> list[str]:
    """The bodies of the ticket's stored replies, in order."""
    ticket = load(store, ticket_id)
    assert ticket is not None
    events = [event_from_document(json.loads(r.document)) for r in store.events(ticket_id)]
    return [e.body for e in events if isinstance(e, ReplyAdded)]


class TestExecute:
    def test_a_command_is_stored_and_loads_back(self, store: Store) -> None:
        """Given an empty store, when a ticket is opened and answered, then it loads back
        as the last outcome left it."""
        open_ticket(store)
        outcome = execute(store, DESK, "T-1", reply("Hello"))

        assert outcome.ticket == load(store, "T-1")

    def test_a_refused_command_stores_nothing(self, store: Store, place: Place) -> None:
        """Given a stored ticket, when a command is refused, then the refusal is raised
        and nothing is stored."""
        open_ticket(store)
        before = state_of(place)

        with pytest.raises(CommandRefusedError):
            execute(store, DESK, "T-1", reply("Hi", at=AT - timedelta(hours=1)))

        assert before == state_of(place)

    def test_an_opening_executed_as_another_ticket_is_refused_storing_nothing(
        self, store: Store, place: Place
    ) -> None:
        """Given a store holding T-2, when an OpenTicket for T-2 is executed as ticket
        T-1, then it is refused naming both ids (no conflict to retry), and nothing is
        stored."""
        execute(store, DESK, "T-2", opening("T-2"))
        before = state_of(place)

        with pytest.raises(InvalidCommandError) as raised:
            execute(store, DESK, "T-1", opening("T-2"))

        assert str(raised.value) == (
            "the OpenTicket opens 'T-2', but it is executed as ticket 'T-1'; "
            "execute it as the ticket it opens"
        )
        assert before == state_of(place)

    def test_a_command_that_changes_nothing_stores_nothing(
        self, store: Store, place: Place
    ) -> None:
        """Given a muted ticket, when it is muted again, then the outcome has no events and
        nothing is stored."""
        open_ticket(store)
        execute(store, DESK, "T-1", MuteNotifications(actor=BOB, at=AT))
        before = state_of(place)

        assert () == execute(store, DESK, "T-1", MuteNotifications(actor=BOB, at=AT)).events
        assert before == state_of(place)

    def test_a_follow_up_is_handled_with_its_stored_parent(self, store: Store) -> None:
        """Given alice's canceled ticket in the store, when she opens a follow-up naming
        it, then execute loads the parent for the desk and stores the linked ticket."""
        open_ticket(store)
        parent = execute(store, DESK, "T-1", PerformAction(actor=ALICE, at=AT, action="cancel"))
        command = follow_up(parent.ticket, actor=ALICE, at=LATER, ticket_id="T-2")

        outcome = execute(store, DESK, "T-2", command)

        assert ("T-1", outcome.ticket) == (outcome.ticket.parent_id, load(store, "T-2"))

    def test_a_follow_up_of_a_ticket_the_store_lacks_stores_nothing(
        self, store: Store, place: Place
    ) -> None:
        """Given an empty store, when alice opens a follow-up of a ticket it does not
        hold, then the desk refuses it (no parent to link) and nothing is stored."""
        before = state_of(place)
        command = attrs.evolve(opening("T-2"), parent_id="T-404")

        with pytest.raises(PermissionDeniedError, match="open a follow-up to ticket 'T-404'"):
            execute(store, DESK, "T-2", command)

        assert before == state_of(place)

    def test_a_lost_race_is_retried_on_the_reloaded_ticket(
        self, open_store: Callable[[], Store]
    ) -> None:
        """Given a rival that appends first twice, when a reply is executed, then it is
        handled again on the reloaded ticket and stored after the rival's replies."""
        store = open_store()
        open_ticket(store)
        racing = Interleaved(store, open_store(), times=2)

        execute(racing, DESK, "T-1", reply("mine"))

        assert ["rival 1", "rival 2", "mine"] == bodies(store)

    def test_retries_are_bounded(self, open_store: Callable[[], Store]) -> None:
        """Given a rival that always appends first, when a reply is executed with three
        attempts, then it gives up with the conflict and only the rival's replies stored."""
        store = open_store()
        open_ticket(store)
        racing = Interleaved(store, open_store(), times=99)

        with pytest.raises(ConcurrencyConflict) as caught:
            execute(racing, DESK, "T-1", reply("mine"), attempts=3)

        assert "T-1" == caught.value.ticket_id
        assert caught.value.actual > caught.value.expected
        assert ["rival 1", "rival 2", "rival 3"] == bodies(store)

    def test_a_command_refused_after_a_reload_is_refused(
        self, open_store: Callable[[], Store], place: Place
    ) -> None:
        """Given a rival that opens the same ticket first, when the opening is retried on
        the reloaded ticket, then the refusal of the reloaded ticket is raised and the
        rival's ticket alone is stored."""
        store, rival = open_store(), open_store()

        class OpensFirst(Interleaved):
            def append(self, change: Change) -> None:
                if self.sent == 0:
                    self.sent = 1
                    execute(self.rival, DESK, "T-1", opening())
                self.inner.append(change)

        racing = OpensFirst(store, rival, times=1)
        with pytest.raises(CommandRefusedError):
            execute(racing, DESK, "T-1", opening(at=AT + timedelta(minutes=1)))
        stored = load(store, "T-1")
        assert stored is not None
        assert AT == stored.created_at

    @pytest.mark.parametrize("command", ["reply: hello", None, opening().actor])
    def test_a_value_that_is_no_command_is_refused_typed(
        self, store: Store, place: Place, command: object
    ) -> None:
        """Given a stored ticket, when something that is not a command is executed, then
        a typed ticketflow error says so and nothing is stored."""
        open_ticket(store)
        before = state_of(place)

        with pytest.raises(TicketflowError):
            execute(store, DESK, "T-1", command)  # type: ignore[arg-type]

        assert before == state_of(place)

    @pytest.mark.parametrize("attempts", [0, -1, 1.5, True])
    def test_attempts_must_be_a_whole_number_from_one(self, store: Store, attempts: object) -> None:
        """An attempts count that is not a whole number of at least one is refused."""
        with pytest.raises(InvalidValueError, match="attempts"):
            execute(store, DESK, "T-1", opening(), attempts=attempts)  # type: ignore[arg-type]
        assert store.read("T-1") is None


class TestRecovery:
    def test_a_missing_snapshot_is_rebuilt_from_the_events(
        self, store: Store, place: Place
    ) -> None:
        """Given a ticket whose snapshot row was lost, when it is loaded, then it is the
        replay of its events; the next command stores a snapshot again."""
        open_ticket(store)
        execute(store, DESK, "T-1", reply("Hello"))
        expected = load(store, "T-1")
        tamper(store, place, "DELETE FROM tickets")

        assert expected == load(store, "T-1")
        again = execute(store, DESK, "T-1", reply("Again"))
        assert [(again.ticket.version,)] == raw_sql(place, "SELECT version FROM tickets")

    def test_an_unreadable_snapshot_is_rebuilt(self, store: Store, place: Place) -> None:
        """Given a snapshot row overwritten with garbage, when the ticket is loaded, then
        it is the replay of its events, and the next command writes a readable one."""
        open_ticket(store)
        expected = load(store, "T-1")
        tamper(store, place, "UPDATE tickets SET document = ?", ("{not json",))

        assert expected == load(store, "T-1")
        again = execute(store, DESK, "T-1", reply("Again"))
        ((document,),) = raw_sql(place, "SELECT document FROM tickets")
        assert again.ticket == ticket_from_document(json.loads(str(document)))

    def test_an_unreadable_event_is_a_typed_error_naming_it(
        self, store: Store, place: Place
    ) -> None:
        """Given a stored event overwritten with garbage and the snapshot gone, when the
        ticket is loaded, then the error names the ticket and the event's version."""
        open_ticket(store)
        tamper(
            store, place, "UPDATE events SET document = ? WHERE version = 2", ('{"type": "Nope"}',)
        )
        tamper(store, place, "DELETE FROM tickets")

        with pytest.raises(CorruptEventError) as caught:
            load(store, "T-1")

        assert ("T-1", 2) == (caught.value.ticket_id, caught.value.version)

    def test_an_event_of_another_ticket_is_corrupt(self, store: Store, place: Place) -> None:
        """Given a stored event that is another ticket's, when the stream is replayed, then
        it is refused as corrupt at its version."""
        open_ticket(store)
        open_ticket(store, "T-2")
        (other,) = raw_sql(
            place, "SELECT document FROM events WHERE ticket_id = 'T-2' AND version = 1"
        )
        raw_sql(
            place, "UPDATE events SET document = ? WHERE ticket_id = 'T-1' AND version = 1", other
        )
        tamper(store, place, "DELETE FROM tickets")

        with pytest.raises(CorruptEventError, match="'T-2'") as caught:
            load(store, "T-1")
        assert 1 == caught.value.version

    def test_nothing_is_appended_to_a_stream_that_cannot_be_read(
        self, store: Store, place: Place
    ) -> None:
        """Given a corrupt stream, when a command is executed, then it is refused with the
        corruption and nothing is appended."""
        open_ticket(store)
        tamper(store, place, "UPDATE events SET document = 'garbage' WHERE version = 1")
        tamper(store, place, "DELETE FROM tickets")
        before = state_of(place)

        with pytest.raises(CorruptEventError):
            execute(store, DESK, "T-1", reply("Hello"))

        assert before == state_of(place)


class TestSnapshots:
    def test_the_snapshot_is_rewritten_every_few_events(self, store: Store) -> None:
        """Given an opened ticket, when replies follow, then its snapshot stays at the
        opening until SNAPSHOT_EVERY events followed it, and the ticket loads whole."""
        open_ticket(store)
        versions = []
        for n in range(12):
            execute(store, DESK, "T-1", reply(f"reply {n}"))
            stored = store.read("T-1")
            assert stored is not None
            assert stored.snapshot is not None
            versions.append((stored.snapshot.version, len(stored.later)))
        store.recent.forget()
        ticket = load(store, "T-1")

        assert ticket is not None
        assert all(len_later < SNAPSHOT_EVERY for _, len_later in versions)
        assert {3, 3 + SNAPSHOT_EVERY} >= {v for v, _ in versions[: SNAPSHOT_EVERY // 2]}
        assert ticket.version == versions[-1][0] + versions[-1][1]
        assert ticket == replay(
            [event_from_document(json.loads(r.document)) for r in store.events("T-1")]
        )

    def test_a_gap_after_the_snapshot_is_corrupt(self, store: Store, place: Place) -> None:
        """Given events after the snapshot with one missing in the middle, when the ticket
        is loaded, then the event after the gap is named as corrupt."""
        open_ticket(store)
        for n in range(3):
            execute(store, DESK, "T-1", reply(f"reply {n}"))
        stored = store.read("T-1")
        assert stored is not None
        assert len(stored.later) >= 2
        missing = stored.later[0].version
        tamper(store, place, "DELETE FROM events WHERE version = ?", (missing,))

        with pytest.raises(CorruptEventError) as caught:
            load(store, "T-1")
        assert missing + 1 == caught.value.version

    def test_a_ticket_written_last_is_not_decoded_again(self, store: Store) -> None:
        """Given a ticket this connection just wrote, when it is loaded, then it is the
        very ticket the outcome held (nothing decoded); another connection decodes an
        equal one."""
        open_ticket(store)
        outcome = execute(store, DESK, "T-1", reply("Hello"))

        assert load(store, "T-1") is outcome.ticket


class TestRecentTickets:
    def test_a_ticket_is_recalled_at_its_version_only(self) -> None:
        """A remembered ticket is recalled at its own version, not at another."""
        recent = RecentTickets()
        ticket = handle(DESK, None, opening()).ticket
        recent.remember(ticket)

        assert (ticket, None) == (recent.recall("T-1", ticket.version), recent.recall("T-1", 9))

    def test_the_oldest_is_forgotten_past_the_limit(self) -> None:
        """Past its limit, the ticket remembered or recalled longest ago is forgotten."""
        recent = RecentTickets(limit=2)
        tickets = [handle(DESK, None, opening(f"T-{n}")).ticket for n in range(3)]
        recent.remember(tickets[0])
        recent.remember(tickets[1])
        recent.recall("T-0", tickets[0].version)
        recent.remember(tickets[2])

        assert recent.recall("T-1", tickets[1].version) is None
        assert tickets[0] is recent.recall("T-0", tickets[0].version)


class TestSweep:
    def test_the_due_rules_fire_and_the_ticket_is_re_armed(self, store: Store) -> None:
        """Given a ticket proposed for resolution, when the sweep runs two months later,
        then the reminder and the closing fire once and the ticket is no longer due."""
        open_ticket(store)
        execute(store, DESK, "T-1", propose())

        report = sweep(store, DESK, LATER)

        ticket = load(store, "T-1")
        assert ticket is not None
        assert (1, 0) == (report.claimed, len(report.failures))
        assert "closed" == ticket.status
        assert next_due(DESK, ticket) is None
        assert 0 == sweep(store, DESK, LATER).claimed

    def test_a_ticket_not_yet_due_is_left_alone(self, store: Store, place: Place) -> None:
        """Given a ticket due later, when the sweep runs before then, then nothing is
        claimed or stored."""
        open_ticket(store)
        before = state_of(place)

        assert 0 == sweep(store, DESK, due_of(store, "T-1") - timedelta(seconds=1)).claimed
        assert before == state_of(place)

    def test_the_sweep_fires_what_was_due_at_the_due_instant(self, store: Store) -> None:
        """Given a ticket whose next rule falls due, when the sweep runs at exactly that
        instant, then the rule fires, stamped with it."""
        open_ticket(store)
        at = due_of(store, "T-1")

        report = sweep(store, DESK, at)

        assert 1 == report.claimed
        last = event_from_document(json.loads(store.events("T-1")[-1].document))
        assert at == last.at

    def test_a_ticket_that_cannot_be_read_is_reported_and_the_rest_swept(
        self, store: Store, place: Place
    ) -> None:
        """Given two due tickets, one with a corrupt stream behind its snapshot, when the
        sweep runs, then the corrupt one is reported and left due, and the other fires."""
        open_ticket(store, "T-1")
        open_ticket(store, "T-2")
        tamper(store, place, "UPDATE tickets SET version = 1 WHERE ticket_id = 'T-1'")
        tamper(store, place, "UPDATE events SET document = 'garbage' WHERE ticket_id = 'T-1'")

        report = sweep(store, DESK, LATER)

        assert ["T-1"] == [f.ticket_id for f in report.failures]
        assert isinstance(report.failures[0].error, CorruptEventError)
        assert 2 == report.claimed
        again = sweep(store, DESK, LATER, limit=1)  # still due, still failing
        assert (1, False) == (again.claimed, again.more_due)
        swept = load(store, "T-2")
        assert swept is not None
        assert swept.version > 3

    def test_sweeping_in_batches_sweeps_every_ticket(self, store: Store) -> None:
        """Given five due tickets, when the sweep runs two at a time while more are due,
        then every ticket was swept once."""
        for n in range(5):
            open_ticket(store, f"T-{n}")
        reports = [sweep(store, DESK, LATER, limit=2)]
        while reports[-1].more_due:
            reports.append(sweep(store, DESK, LATER, limit=2))

        assert [2, 2, 1] == [r.claimed for r in reports]

    def test_a_naive_now_is_refused(self, store: Store) -> None:
        """A sweep without a time zone is refused before anything is claimed."""
        open_ticket(store)
        with pytest.raises(NaiveDatetimeError):
            sweep(store, DESK, LATER.replace(tzinfo=None))

    @pytest.mark.parametrize("limit", [0, "9", 2.0])
    def test_the_limit_is_a_whole_number_from_one(self, store: Store, limit: object) -> None:
        """A sweep limit that is not a whole number of at least one is refused."""
        with pytest.raises(InvalidValueError, match="limit"):
            sweep(store, DESK, LATER, limit=limit)  # type: ignore[arg-type]


class TestDispatch:
    def test_notifications_reach_the_sink_with_stable_keys(self, store: Store) -> None:
        """Given a reply that notifies alice, when the outbox is dispatched, then the sink
        gets the message keyed by ticket, event version and position, once."""
        open_ticket(store)
        outcome = execute(store, DESK, "T-1", reply("Hello"))
        sent: list[Message] = []

        dispatch(store, sent.append)
        dispatch(store, sent.append)

        version = next(e.version for e in outcome.events if type(e).__name__ == "ReplyAdded")
        assert [(f"T-1/{version}/1", "alice", "reply_added")] == [
            (m.key, m.recipient, m.message) for m in sent
        ]
        assert outcome.events[0] == event_from_document(json.loads(sent[0].event))

    def test_the_sweeps_notifications_are_in_the_outbox(self, store: Store) -> None:
        """Given a proposed resolution, when the sweep sends the reminder and closes, then
        the notifications of those events wait in the outbox."""
        open_ticket(store)
        execute(store, DESK, "T-1", propose())
        sent: list[Message] = []
        dispatch(store, sent.append)

        sweep(store, DESK, LATER)
        dispatch(store, sent.append)

        kinds = {json.loads(m.event)["type"] for m in sent}
        assert kinds & {ReminderSent.__name__, StatusChanged.__name__}

    def test_a_sink_that_dedupes_by_key_sees_each_once(self, store: Store) -> None:
        """Given a sink that fails once after taking a message (a lost acknowledgement),
        when dispatching again, then the message comes back with the same key, and a sink
        keeping keys records it once."""
        open_ticket(store)
        execute(store, DESK, "T-1", reply("Hello"))
        execute(store, DESK, "T-1", reply("Again"))
        seen: dict[str, Message] = {}
        calls: list[str] = []

        def flaky(message: Message) -> None:
            calls.append(message.key)
            seen.setdefault(message.key, message)
            if len(calls) == 2:
                raise TimeoutError("no acknowledgement")

        with pytest.raises(TimeoutError):
            dispatch(store, flaky)
        dispatch(store, flaky)

        assert 3 == len(calls)
        assert calls[1] == calls[2]
        assert 2 == len(seen)

    def test_the_limit_is_a_whole_number_from_one(self, store: Store) -> None:
        """A dispatch limit below one is refused."""
        with pytest.raises(InvalidValueError, match="limit"):
            dispatch(store, print, limit=0)


def test_microseconds_refuse_a_naive_instant() -> None:
    """A naive instant has no place on the UTC line."""
    with pytest.raises(NaiveDatetimeError):
        microseconds(AT.replace(tzinfo=None))


WORKLOADS = itertools.count()
WORKLOAD_EXAMPLES = max(8, hypothesis.settings().max_examples // 10)


@hypothesis.settings(
    max_examples=WORKLOAD_EXAMPLES,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    lives=st.lists(command_sequences(DESK.workflow, max_size=8), min_size=1, max_size=3),
    sweeps=st.lists(st.integers(0, 24 * 20), max_size=3),
)
def test_every_snapshot_is_the_replay_of_its_events(
    store: Store, place: Place, lives: list[list[Command]], sweeps: list[int]
) -> None:
    """After any workload of random commands on a few tickets with sweeps between them,
    each ticket loads as the replay of its stored events, its snapshot is the replay of
    the events up to it (fewer than SNAPSHOT_EVERY behind), and its due index is the
    desk's next due instant."""
    prefix = f"W{next(WORKLOADS)}-"
    for n, life in enumerate(lives):
        ticket_id = f"{prefix}{n}"
        for drawn in life:
            command = (
                attrs.evolve(drawn, ticket_id=ticket_id) if isinstance(drawn, OpenTicket) else drawn
            )
            with contextlib.suppress(CommandRefusedError):
                execute(store, DESK, ticket_id, command)
    for hours in sorted(sweeps):
        sweep(store, DESK, AT + timedelta(hours=hours))

    store.recent.forget()  # decode what is stored, as the next process would
    for ticket_id in (t for t in store.ticket_ids() if t.startswith(prefix)):
        stored = store.read(ticket_id)
        assert stored is not None
        assert stored.snapshot is not None
        events = [event_from_document(json.loads(r.document)) for r in store.events(ticket_id)]
        replayed = replay(events)
        assert replayed == load(store, ticket_id)
        at_snapshot = replay(events[: stored.snapshot.version])
        assert at_snapshot == ticket_from_document(json.loads(stored.snapshot.document))
        assert len(stored.later) < SNAPSHOT_EVERY
        due = next_due(DESK, replayed)
        assert [(None if due is None else microseconds(due),)] == raw_sql(
            place, "SELECT due_at FROM tickets WHERE ticket_id = ?", (ticket_id,)
        )
