"""The store protocol (``_host_store.py``), the same behaviour on SQLite and PostgreSQL:
appends with a version check, reads, the sweep's claim and the outbox's delivery."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from host_scenarios import DESK, opening, reply
from host_server import Place, raw_sql
from ticketflow import handle
from ticketflow.host import (
    Change,
    ConcurrencyConflict,
    Message,
    Row,
    Store,
    Stored,
    VersionGapError,
    change_of,
    load,
)
from ticketflow.host import microseconds as us


def snapshot_of(change: Change) -> Row:
    """The snapshot a change writes (``change_of`` without a stored snapshot writes one)."""
    assert change.snapshot is not None
    return change.snapshot


OPENED = handle(DESK, None, opening())
FIRST = change_of(DESK, None, OPENED)
REPLIED = handle(DESK, OPENED.ticket, reply("Hello"))
SECOND = change_of(DESK, OPENED.ticket, REPLIED)


def stored_state(place: Place) -> list[tuple[object, ...]]:
    """Every row of the three tables, to show that a refusal changed nothing."""
    return [
        *raw_sql(place, "SELECT ticket_id, version, document FROM events ORDER BY 1, 2"),
        *raw_sql(place, "SELECT ticket_id, version, due_at FROM tickets ORDER BY 1"),
        *raw_sql(place, "SELECT key, delivered FROM outbox ORDER BY seq"),
    ]


class TestAppend:
    def test_an_unknown_ticket_reads_as_none(self, store: Store) -> None:
        """Given an empty store, when a ticket is read, then there is none."""
        assert store.read("T-1") is None

    def test_an_append_stores_the_events_and_the_snapshot(self, store: Store) -> None:
        """Given a new ticket's change, when it is appended, then its events read back in
        version order and its snapshot is up to date."""
        store.append(FIRST)

        assert Stored("T-1", FIRST.snapshot, ()) == store.read("T-1")
        assert FIRST.events == store.events("T-1")
        assert ("T-1",) == store.ticket_ids()

    def test_a_stale_writer_gets_a_conflict_naming_both_versions(
        self, store: Store, place: Place
    ) -> None:
        """Given a stored ticket at version 3, when a writer appends after version 0,
        then it gets a conflict naming the ticket and both versions, and nothing changes."""
        store.append(FIRST)
        before = stored_state(place)

        with pytest.raises(ConcurrencyConflict) as caught:
            store.append(FIRST)

        assert ("T-1", 0, 3) == (caught.value.ticket_id, caught.value.expected, caught.value.actual)
        assert "'T-1'" in str(caught.value)
        assert before == stored_state(place)

    def test_events_with_a_gap_are_refused(self, store: Store, place: Place) -> None:
        """Given a stored ticket, when the next events skip a version, then the append
        is refused as a gap and nothing is stored."""
        store.append(FIRST)
        before = stored_state(place)
        gap = Change(
            ticket_id="T-1",
            after=3,
            events=(Row(5, SECOND.events[0].document),),
            snapshot=Row(5, snapshot_of(SECOND).document),
            due_at=None,
        )

        with pytest.raises(VersionGapError) as caught:
            store.append(gap)

        assert (3, 5) == (caught.value.after, caught.value.version)
        assert before == stored_state(place)

    def test_an_append_after_a_version_not_stored_is_a_gap(
        self, store: Store, place: Place
    ) -> None:
        """Given a stored ticket at version 3, when a writer appends after version 7, then
        the append is refused as a gap (the writer read no such version)."""
        store.append(FIRST)
        before = stored_state(place)
        ahead = Change(
            ticket_id="T-1",
            after=7,
            events=(Row(8, SECOND.events[0].document),),
            snapshot=Row(8, snapshot_of(SECOND).document),
            due_at=None,
        )

        with pytest.raises(VersionGapError):
            store.append(ahead)

        assert before == stored_state(place)

    def test_a_snapshot_version_off_its_events_is_refused(self, store: Store) -> None:
        """Given a change whose snapshot is not at its last event's version, when it is
        appended, then it is refused and nothing is stored."""
        wrong = Change(
            ticket_id="T-1", after=0, events=FIRST.events, snapshot=Row(2, "{}"), due_at=None
        )

        with pytest.raises(VersionGapError):
            store.append(wrong)

        assert store.read("T-1") is None

    def test_the_next_append_follows_on(self, store: Store) -> None:
        """Given a stored ticket, when the next command's change is appended, then the
        stream holds both commands' events, contiguous, and the snapshot is the last."""
        store.append(FIRST)
        store.append(SECOND)

        assert list(range(1, snapshot_of(SECOND).version + 1)) == [
            r.version for r in store.events("T-1")
        ]
        assert REPLIED.ticket == load(store, "T-1")


def due(ticket_id: str, at: int) -> Change:
    """A ticket ``ticket_id`` opened and due at ``at`` microseconds."""
    opened = handle(DESK, None, opening(ticket_id))
    plain = change_of(DESK, None, opened)
    return Change(
        ticket_id=ticket_id, after=0, events=plain.events, snapshot=plain.snapshot, due_at=at
    )


class TestClaimDue:
    def test_the_due_tickets_are_claimed_earliest_first_up_to_the_limit(self, store: Store) -> None:
        """Given tickets due at 30, 10, 20 and 99, when tickets due by 50 are claimed two
        at a time, then the first two due (10, 20) are handed to the work."""
        for ticket_id, at in [("A", 30), ("B", 10), ("C", 20), ("D", 99)]:
            store.append(due(ticket_id, at))
        seen: list[str] = []

        def work(claimed: tuple[Stored, ...]) -> list[Change]:
            seen.extend(s.ticket_id for s in claimed)
            return []

        assert 2 == store.claim_due(50, 2, work)
        assert ["B", "C"] == seen

    def test_what_the_work_returns_is_stored(self, store: Store) -> None:
        """Given a due ticket, when the work returns its next change, then that change is
        stored with the claim."""
        store.append(due("T-1", 10))

        def work(claimed: tuple[Stored, ...]) -> Sequence[Change]:
            return [SECOND]

        store.claim_due(50, 10, work)

        assert REPLIED.ticket == load(store, "T-1")

    def test_a_failing_work_stores_nothing(self, store: Store, place: Place) -> None:
        """Given a due ticket, when the work fails, then nothing is stored and the ticket
        is still due."""
        store.append(due("T-1", 10))
        before = stored_state(place)

        def work(claimed: tuple[Stored, ...]) -> Sequence[Change]:
            raise ZeroDivisionError

        with pytest.raises(ZeroDivisionError):
            store.claim_due(50, 10, work)

        assert before == stored_state(place)


def messages_of(store: Store, limit: int = 100) -> list[Message]:
    """Deliver up to ``limit`` messages into a list."""
    sent: list[Message] = []
    store.deliver(limit, sent.append)
    return sent


class TestDeliver:
    def test_messages_are_delivered_in_order_once(self, store: Store) -> None:
        """Given the messages of two commands, when they are delivered, then each is
        handed over once, in the order stored, and a second delivery hands over none."""
        store.append(FIRST)
        store.append(SECOND)
        stored = [*FIRST.messages, *SECOND.messages]
        assert stored  # the reply tells alice

        assert stored == messages_of(store)
        assert [] == messages_of(store)

    def test_a_failing_sink_leaves_the_rest_for_later(self, store: Store) -> None:
        """Given two waiting messages, when the sink fails on the second, then the first
        stays delivered and the second is handed over again next time."""
        for n in range(2):
            change = due(f"T-{n}", 10)
            store.append(
                Change(
                    ticket_id=change.ticket_id,
                    after=0,
                    events=change.events,
                    snapshot=change.snapshot,
                    due_at=None,
                    messages=(
                        Message(
                            key=f"T-{n}/1/1",
                            ticket_id=f"T-{n}",
                            version=1,
                            recipient="bob",
                            kind="assignee",
                            message="opened",
                            event=change.events[0].document,
                        ),
                    ),
                )
            )
        sent: list[str] = []

        def sink(message: Message) -> None:
            if message.key == "T-1/1/1":
                raise ConnectionError("the mail server is down")
            sent.append(message.key)

        with pytest.raises(ConnectionError):
            store.deliver(10, sink)

        assert ["T-0/1/1"] == sent
        assert ["T-1/1/1"] == [m.key for m in messages_of(store)]


def test_the_store_fixture_is_each_database(place: Place, open_store: Callable[[], Store]) -> None:
    """Two connections to one place see each other's commits (a fixture check)."""
    first, second = open_store(), open_store()
    first.append(FIRST)

    assert FIRST.events == second.events("T-1")


def test_microseconds_are_since_the_epoch_in_utc() -> None:
    """An instant in any zone becomes the same number of UTC microseconds."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    assert us(berlin) == us(berlin.astimezone(ZoneInfo("UTC"))) == 1_772_442_000_000_000
