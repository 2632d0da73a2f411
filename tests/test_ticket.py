"""Tests for ``ticketflow._ticket``: Ticket invariants, Actor, FrozenMap and visible_to."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import BASE, actors, field_values
from ticketflow import (
    ANONYMOUS,
    Actor,
    Attachment,
    FieldValue,
    FrozenMap,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    NonexistentInstantError,
    PermissionDeniedError,
    Ticket,
    TicketflowError,
    visible_to,
)

AT_UTC = datetime(2026, 3, 2, 9, tzinfo=UTC)


def make_ticket(**changes: object) -> Ticket:
    values: dict[str, object] = {
        "id": "T-1",
        "subject": "No dial tone",
        "status": "in_progress",
        "priority": "normal",
        "requester": "alice",
        "created_at": BASE,
        "updated_at": BASE,
        "status_since": BASE,
        "version": 1,
    }
    values.update(changes)
    return Ticket(**values)  # type: ignore[arg-type]


NAIVE = BASE.replace(tzinfo=None)


class TestTicketInvariants:
    def test_a_ticket_keeps_what_it_was_built_with(self) -> None:
        """A ticket built from valid values holds them, with neutral defaults for the rest."""
        ticket = make_ticket()

        assert ("T-1", "alice", 1, False, 0, FrozenMap()) == (
            ticket.id,
            ticket.requester,
            ticket.version,
            ticket.notifications_muted,
            ticket.reopen_count,
            ticket.fields,
        )

    def test_naive_created_at_is_refused(self) -> None:
        """A ticket whose created_at has no time zone is refused with NaiveDatetimeError."""
        with pytest.raises(NaiveDatetimeError, match=r"Ticket\.created_at is a naive datetime"):
            make_ticket(created_at=NAIVE, updated_at=NAIVE, status_since=NAIVE)

    @pytest.mark.parametrize(
        "field",
        [
            "updated_at",
            "status_since",
            "last_customer_activity_at",
            "last_agent_reply_at",
            "resolved_at",
            "closed_at",
        ],
    )
    def test_every_naive_instant_is_refused(self, field: str) -> None:
        """Any naive instant of a ticket is refused with NaiveDatetimeError naming the field."""
        with pytest.raises(NaiveDatetimeError) as raised:
            make_ticket(**{field: NAIVE})

        assert f"Ticket.{field}" == raised.value.what

    def test_naive_datetime_error_is_a_value_error_that_says_how_to_fix_it(self) -> None:
        """The naive-datetime error is a ValueError whose message shows how to add a zone."""
        with pytest.raises(ValueError, match=r"give it a time zone") as raised:
            make_ticket(created_at=NAIVE)

        expected = NAIVE
        assert isinstance(raised.value, TicketflowError)
        assert expected == raised.value.value  # type: ignore[attr-defined]

    def test_updated_at_before_created_at_is_refused(self) -> None:
        """A ticket updated before it was created is refused, naming the snapshot to fix."""
        with pytest.raises(ValueError, match=r"must not be before created_at.*fix the stored"):
            make_ticket(updated_at=BASE - timedelta(seconds=1))

    def test_a_last_update_after_the_last_event_is_refused(self) -> None:
        """A snapshot whose last update comes after its last event (updated_at) is refused,
        naming both instants and the snapshot to fix."""
        with pytest.raises(ValueError, match=r"last_update_at .* must not be after updated_at"):
            make_ticket(last_update_at=BASE + timedelta(seconds=1))

    def test_a_last_update_before_the_opening_is_refused(self) -> None:
        """A snapshot updated by somebody before it was created is refused."""
        with pytest.raises(ValueError, match="last_update_at must not be before created_at"):
            make_ticket(last_update_at=BASE - timedelta(seconds=1))

    def test_status_since_before_created_at_is_refused(self) -> None:
        """A ticket that entered its status before it was created is refused."""
        with pytest.raises(ValueError, match="must not be before created_at"):
            make_ticket(status_since=BASE - timedelta(hours=1))

    def test_negative_version_is_refused(self) -> None:
        """A ticket with a negative version is refused, quoting the version."""
        with pytest.raises(ValueError, match="version must be >= 0, got -1"):
            make_ticket(version=-1)

    def test_version_zero_is_accepted(self) -> None:
        """A version of zero (a snapshot before any event) is accepted."""
        expected = 0
        assert expected == make_ticket(version=0).version

    def test_fields_given_as_a_dict_are_stored_frozen(self) -> None:
        """Custom fields given as a plain dict are stored as a FrozenMap."""
        ticket = make_ticket(fields={"impact": "high"})

        assert (FrozenMap, FrozenMap({"impact": "high"})) == (type(ticket.fields), ticket.fields)

    def test_a_ticket_is_immutable(self) -> None:
        """Assigning to a ticket's attribute raises FrozenInstanceError."""
        ticket = make_ticket()

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            ticket.status = "closed"  # type: ignore[misc]

    def test_equal_tickets_hash_alike(self) -> None:
        """Two tickets built from the same values are equal and hash alike."""
        assert make_ticket(fields={"a": 1}) == copy.deepcopy(make_ticket(fields={"a": 1}))
        assert hash(make_ticket(fields={"a": 1})) == hash(make_ticket(fields={"a": 1}))


class TestActor:
    def test_named_constructors_give_the_fixed_roles(self) -> None:
        """The named constructors build actors with the customer, agent and system roles."""
        expected = [("alice", "customer"), ("carol", "agent"), ("ticketflow", "system")]

        actual = [
            (a.id, a.role) for a in (Actor.customer("alice"), Actor.agent("carol"), Actor.system())
        ]

        assert expected == actual

    def test_an_empty_role_is_refused(self) -> None:
        """An actor without a role is refused, saying what a role name is."""
        with pytest.raises(InvalidValueError, match=r"'' is not a role name.*'customer', 'agent'"):
            Actor("alice", "")

    def test_an_empty_id_is_refused(self) -> None:
        """An authenticated actor without an id is refused, pointing to Actor.anonymous()."""
        with pytest.raises(ValueError, match=r"role 'agent' needs a non-empty id.*anonymous"):
            Actor("", "agent")

    def test_the_anonymous_actor_has_no_id(self) -> None:
        """The anonymous actor is the one actor allowed an empty id."""
        assert Actor("", ANONYMOUS) == Actor.anonymous()

    def test_a_host_defined_role_is_accepted(self) -> None:
        """A host-defined role such as 'supervisor' is an ordinary actor role."""
        expected = "supervisor"
        assert expected == Actor("sam", "supervisor").role

    def test_only_customers_are_customers(self) -> None:
        """is_customer is true for the customer role only."""
        expected = [True, False, False, False]

        actual = [
            a.is_customer
            for a in (
                Actor.customer("a"),
                Actor.agent("b"),
                Actor.system(),
                Actor.anonymous(),
            )
        ]

        assert expected == actual

    def test_an_actor_is_immutable(self) -> None:
        """Assigning to an actor's role raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            Actor.customer("alice").role = "agent"  # type: ignore[misc]


class TestFrozenMap:
    def test_reads_like_a_mapping(self) -> None:
        """A FrozenMap answers lookups, length, iteration and get like a dict."""
        fields = FrozenMap({"impact": "high", "origin": "portal"})

        expected = ("high", 2, ["impact", "origin"], None)
        assert expected == (
            fields["impact"],
            len(fields),
            list(fields),
            fields.get("missing"),
        )

    def test_item_assignment_is_refused(self) -> None:
        """Setting an item in place raises TypeError."""
        fields = FrozenMap({"impact": "high"})

        with pytest.raises(TypeError):
            fields["impact"] = "low"  # type: ignore[index]

    def test_item_deletion_is_refused(self) -> None:
        """Deleting an item in place raises TypeError."""
        fields = FrozenMap({"impact": "high"})

        with pytest.raises(TypeError):
            del fields["impact"]  # type: ignore[attr-defined]

    def test_new_attributes_are_refused(self) -> None:
        """A FrozenMap has no room for new attributes."""
        with pytest.raises(AttributeError):
            FrozenMap().extra = 1  # type: ignore[attr-defined]

    def test_the_source_dict_does_not_leak_in(self) -> None:
        """Changing the dict a FrozenMap was built from does not change the map."""
        source: dict[str, FieldValue] = {"impact": "high"}
        fields = FrozenMap(source)

        source["impact"] = "low"

        expected = "high"
        assert expected == fields["impact"]

    def test_set_returns_a_copy_and_leaves_the_original(self) -> None:
        """set returns a new map with the value and leaves the original as it was."""
        fields = FrozenMap({"impact": "high"})

        changed = fields.set("origin", "mail")

        expected = (FrozenMap({"impact": "high"}), FrozenMap({"impact": "high", "origin": "mail"}))
        assert expected == (fields, changed)

    def test_set_none_removes_the_key(self) -> None:
        """Setting a key to None removes it."""
        assert FrozenMap() == FrozenMap({"impact": "high"}).set("impact", None)

    def test_removing_a_missing_key_is_harmless(self) -> None:
        """Setting a missing key to None gives an equal map."""
        assert FrozenMap({"a": 1}) == FrozenMap({"a": 1}).set("b", None)

    def test_equals_a_dict_with_the_same_items(self) -> None:
        """A FrozenMap equals a FrozenMap or a plain mapping with the same items."""
        assert FrozenMap({"a": 1}) == {"a": 1}
        assert FrozenMap({"a": 1}) == FrozenMap([("a", 1)])
        assert FrozenMap({"a": 1}) != {"a": 2}

    def test_does_not_equal_what_is_not_a_mapping(self) -> None:
        """A FrozenMap never equals a value that is not a mapping."""
        assert FrozenMap() != []

    def test_is_hashable_and_usable_as_a_set_member(self) -> None:
        """Equal maps hash alike, so a set holds one of them."""
        items: dict[str, FieldValue] = {"a": 1, "b": "x"}

        expected = 1
        assert expected == len({FrozenMap(items), FrozenMap(reversed(list(items.items())))})

    def test_repr_shows_the_items(self) -> None:
        """The repr shows the items, so test failures are readable."""
        expected = "FrozenMap({'a': 1})"
        assert expected == repr(FrozenMap({"a": 1}))

    @given(
        st.dictionaries(st.text(min_size=1, max_size=4), field_values(removal=False), max_size=5)
    )
    def test_equal_maps_have_equal_hashes(self, items: dict[str, FieldValue]) -> None:
        """Any two maps with the same items are equal and have the same hash."""
        a, b = FrozenMap(items), FrozenMap(reversed(list(items.items())))

        assert (a, hash(a)) == (b, hash(b))

    @given(
        st.dictionaries(st.text(min_size=1, max_size=4), field_values(removal=False), max_size=5),
        st.text(min_size=1, max_size=4),
        field_values(),
    )
    def test_set_matches_the_dict_update(
        self,
        items: dict[str, FieldValue],
        key: str,
        value: FieldValue,
    ) -> None:
        """set behaves like updating a dict copy, with None deleting the key."""
        expected = dict(items)
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = value

        assert expected == FrozenMap(items).set(key, value)


class TestVisibleTo:
    def test_a_customer_sees_their_own_ticket(self) -> None:
        """The requester sees the ticket they requested."""
        assert visible_to(Actor.customer("alice"), make_ticket()) is True

    def test_a_customer_does_not_see_someone_elses_ticket(self) -> None:
        """A customer does not see a ticket someone else requested."""
        assert visible_to(Actor.customer("bob"), make_ticket()) is False

    def test_an_agent_sees_every_ticket(self) -> None:
        """An agent sees a ticket whoever requested it."""
        assert visible_to(Actor.agent("carol"), make_ticket()) is True

    def test_the_system_sees_every_ticket(self) -> None:
        """The desk's system actor sees every ticket."""
        assert visible_to(Actor.system(), make_ticket()) is True

    def test_a_host_defined_role_the_desk_declares_sees_every_ticket(self) -> None:
        """A host-defined role counted among the desk's staff sees every ticket."""
        staff = {"agent", "system", "supervisor"}

        assert visible_to(Actor("sam", "supervisor"), make_ticket(), staff) is True

    def test_staff_given_as_one_role_is_that_role_not_its_letters(self) -> None:
        """Given staff written as one role, 'agent', then an agent sees the ticket and
        roles spelled by its letters ('gen', 'a') see nothing."""
        seen = [
            visible_to(Actor("m", role), make_ticket(), "agent") for role in ("agent", "gen", "a")
        ]

        assert [True, False, False] == seen

    def test_staff_that_is_no_role_is_refused_by_type(self) -> None:
        """Given staff as a number, then visible_to refuses it with an InvalidTypeError."""
        with pytest.raises(InvalidTypeError, match="names must be a name or an iterable"):
            visible_to(Actor.agent("carol"), make_ticket(), 7)  # type: ignore[arg-type]

    def test_an_undeclared_role_sees_nothing(self) -> None:
        """A role nobody declared as staff (an auditor the desk never heard of) sees nothing."""
        assert visible_to(Actor("ursula", "readonly_auditor"), make_ticket()) is False

    def test_an_anonymous_actor_sees_nothing(self) -> None:
        """The anonymous actor sees no ticket."""
        assert visible_to(Actor.anonymous(), make_ticket()) is False

    def test_an_anonymous_actor_with_the_requesters_id_sees_nothing(self) -> None:
        """An anonymous actor sees nothing even when it carries the requester's id."""
        assert visible_to(Actor("alice", ANONYMOUS), make_ticket()) is False

    @given(actors())
    def test_only_staff_and_the_requester_see_a_ticket(self, actor: Actor) -> None:
        """Visibility is given exactly to the requester and to the staff roles."""
        expected = actor.role in {"agent", "system"} or (actor.is_customer and actor.id == "alice")

        assert expected == visible_to(actor, make_ticket())


class TestFieldValuesAreChecked:
    """Issue 10, item 5: one validation for field values, wherever they enter."""

    @pytest.mark.parametrize(
        "fields",
        [{"a": [1]}, {"b": {}}, {"c": float("nan")}, {"d": float("inf")}, {"": 1}, {"e": None}],
        ids=["list", "dict", "nan", "inf", "empty-name", "none"],
    )
    def test_a_ticket_refuses_a_field_value_that_cannot_be_stored(
        self, fields: dict[str, object]
    ) -> None:
        """A list, a dict, NaN, an infinity, an empty name or None cannot be a field."""
        with pytest.raises(TicketflowError):
            make_ticket(fields=fields)

    def test_an_accepted_ticket_always_hashes(self) -> None:
        """Every ticket that could be built can be hashed (no unhashable field values)."""
        ticket = make_ticket(fields={"impact": "high", "count": 3, "ratio": 0.5, "vip": True})

        assert hash(ticket) == hash(copy.deepcopy(ticket))

    def test_the_source_dict_of_a_ticket_does_not_leak_in(self) -> None:
        """Changing the dict a ticket was built from leaves the ticket as it was."""
        source: dict[str, FieldValue] = {"impact": "high"}
        ticket = make_ticket(fields=source)
        source["impact"] = "low"

        assert "high" == ticket.fields["impact"]


class TestHashesSurvivePickling:
    """Issue 10, item 6: a pickled map or ticket hashes as one built here."""

    @pytest.mark.parametrize("seed", ["1", "2"])
    def test_a_frozen_map_pickled_under_another_hash_seed_hashes_like_one_built_here(
        self, seed: str
    ) -> None:
        """FrozenMap does not pickle its cached hash: string hashes differ between processes."""
        code = (
            "import pickle, sys; from ticketflow import FrozenMap; "
            "m = FrozenMap({'impact': 'high', 'origin': 'portal'}); hash(m); "
            "sys.stdout.buffer.write(pickle.dumps(m))"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        pickled = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, check=True, env=env
        ).stdout
        here = FrozenMap({"impact": "high", "origin": "portal"})

        there = pickle.loads(pickled)

        assert (here, hash(here), True) == (there, hash(there), there in {here})

    def test_a_ticket_pickled_under_another_hash_seed_hashes_like_one_built_here(self) -> None:
        """A ticket pickled after hashing in another process hashes like a fresh one here."""
        code = (
            "import pickle, sys; from datetime import datetime, timezone; "
            "from ticketflow import Ticket; "
            "at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc); "
            "t = Ticket(id='T-1', subject='s', status='new', priority='normal', "
            "requester='alice', created_at=at, updated_at=at, status_since=at, version=1, "
            "fields={'impact': 'high'}); hash(t); sys.stdout.buffer.write(pickle.dumps(t))"
        )
        env = {**os.environ, "PYTHONHASHSEED": "3"}
        pickled = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, check=True, env=env
        ).stdout
        here = make_ticket(
            subject="s",
            status="new",
            created_at=AT_UTC,
            updated_at=AT_UTC,
            status_since=AT_UTC,
            fields={"impact": "high"},
        )

        there = pickle.loads(pickled)

        assert (here, hash(here), True) == (there, hash(there), there in {here})


class TestBareBuiltinsDoNotEscape:
    """Issue 10, item 11: malformed values raise TicketflowError subclasses."""

    def test_a_negative_version_is_a_typed_error(self) -> None:
        """Ticket(version=-1) raises InvalidValueError, a ValueError too."""
        with pytest.raises(InvalidValueError, match="version must be >= 0"):
            make_ticket(version=-1)

    def test_a_ticket_id_that_is_not_a_string_is_a_typed_error(self) -> None:
        """Ticket(id=5) raises InvalidTypeError, a TypeError too."""
        with pytest.raises(InvalidTypeError, match=r"Ticket\.id must be a string"):
            make_ticket(id=5)

    def test_an_authenticated_actor_without_an_id_is_a_typed_error(self) -> None:
        """Actor("", "agent") raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            Actor("", "agent")

    def test_an_actor_id_that_is_not_a_string_is_a_typed_error(self) -> None:
        """Actor(None, "agent") raises InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            Actor(None, "agent")  # type: ignore[arg-type]

    def test_a_permission_refusal_is_not_an_os_error(self) -> None:
        """A host's `except OSError:` around its database code does not swallow a refusal."""
        assert not issubclass(PermissionDeniedError, OSError)

    def test_a_huge_id_gives_a_short_message(self) -> None:
        """A 10 MB ticket id is quoted shortened in an error message."""
        with pytest.raises(InvalidValueError) as raised:
            make_ticket(id="x" * 10_000_000, version=-1)

        assert len(str(raised.value)) < 500

    def test_a_snapshot_with_a_wall_time_inside_a_dst_gap_is_refused(self) -> None:
        """A stored ticket whose instant is 02:30 in Berlin on 2026-03-29 names no instant."""
        gap = datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))

        with pytest.raises(NonexistentInstantError, match=r"Ticket\.created_at"):
            make_ticket(created_at=gap, updated_at=gap, status_since=gap)

    @pytest.mark.parametrize(
        "changes",
        [
            {"priority": None},
            {"subject": ["No", "tone"]},
            {"assignee": ["carol"]},
            {"group": 3},
            {"support_level": "2"},
            {"notifications_muted": "yes"},
            {"clocks": [1, 2]},
        ],
        ids=["priority", "subject", "assignee", "group", "level", "muted", "clocks"],
    )
    def test_a_snapshot_field_of_the_wrong_type_is_refused(
        self, changes: dict[str, object]
    ) -> None:
        """Every field of a stored ticket is checked, so a loaded ticket always hashes."""
        with pytest.raises(InvalidTypeError):
            make_ticket(**changes)

    @pytest.mark.parametrize(
        "changes",
        [
            {"reopen_count": -1},
            {"support_level": 0},
            {"resolved_at": BASE - timedelta(days=365)},
        ],
        ids=["reopen-count", "support-level", "resolved-before-opened"],
    )
    def test_a_snapshot_out_of_its_bounds_is_refused(self, changes: dict[str, object]) -> None:
        """Counts below their least and an instant before the opening are refused."""
        with pytest.raises(InvalidValueError):
            make_ticket(**changes)

    def test_a_field_integer_beyond_64_bits_is_refused(self) -> None:
        """10**5000 cannot be stored in a database column nor printed: refused."""
        with pytest.raises(InvalidValueError, match="integer of 16610 bits"):
            make_ticket(fields={"n": 10**5000})

    def test_an_instant_in_a_zone_of_another_library_is_refused(self) -> None:
        """Other tzinfo classes (pytz, dateutil) answer gaps their own way: refused."""

        class Elsewhere(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta:
                return timedelta(hours=1)

            def dst(self, dt: datetime | None) -> timedelta:
                return timedelta(0)

            def tzname(self, dt: datetime | None) -> str:
                return "Elsewhere"

        at = datetime(2026, 3, 2, 9, tzinfo=Elsewhere())

        with pytest.raises(InvalidTypeError, match=r"a zoneinfo\.ZoneInfo or a datetime\.timezone"):
            make_ticket(created_at=at, updated_at=at, status_since=at)


class TestCountsAreBounded:
    """A stored ticket's counts fit a database column (second review of issue 10)."""

    def test_a_count_beyond_64_bits_in_a_ticket_is_refused(self) -> None:
        """Ticket(support_level=2**70) is refused: no database column holds it."""
        with pytest.raises(InvalidValueError, match="integer of 71 bits"):
            make_ticket(support_level=2**70)


# -- attached files (issue 14, deliverable 1) -------------------------------------------------


def make_attachment(**changes: object) -> Attachment:
    values: dict[str, object] = {
        "name": "error-500.png",
        "size": 48_213,
        "media_type": "image/png",
        "reference": "uploads/7f3a",
        "at": BASE,
        "by": "alice",
    }
    values.update(changes)
    return Attachment(**values)  # type: ignore[arg-type]


class TestAttachments:
    def test_a_ticket_lists_no_files_by_default(self) -> None:
        """A ticket built without attachments lists none (an empty tuple)."""
        assert () == make_ticket().attachments

    def test_a_list_of_files_is_stored_as_a_tuple(self) -> None:
        """A host loading a snapshot may pass a list: the ticket keeps a tuple, hashable."""
        ticket = make_ticket(attachments=[make_attachment()])

        assert ((make_attachment(),), int) == (ticket.attachments, type(hash(ticket)))

    @pytest.mark.parametrize("value", [5, "a.png", [{"name": "a.png"}]], ids=["int", "str", "dict"])
    def test_attachments_that_are_not_files_are_refused(self, value: object) -> None:
        """A snapshot whose attachments are not Attachment values is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError, match=r"Ticket\.attachments"):
            make_ticket(attachments=value)

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("name", None, InvalidTypeError),
            ("size", "12", InvalidTypeError),
            ("size", 2**70, InvalidValueError),
            ("reference", b"r", InvalidTypeError),
            ("at", NAIVE, NaiveDatetimeError),
            ("by", 3, InvalidTypeError),
        ],
        ids=["name", "size-str", "size-huge", "reference", "naive-at", "by"],
    )
    def test_an_attachment_checks_its_types(
        self, field: str, value: object, error: type[Exception]
    ) -> None:
        """An Attachment built from a stored row refuses a field of the wrong type."""
        with pytest.raises(error, match=rf"Attachment\.{field}"):
            make_attachment(**{field: value})

    def test_a_description_of_the_wrong_type_is_refused(self) -> None:
        """A snapshot whose description is not a string is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError, match=r"Ticket\.description"):
            make_ticket(description=None)

    def test_a_reopening_before_the_opening_is_refused(self) -> None:
        """A snapshot reopened before it was created is an InvalidValueError."""
        with pytest.raises(InvalidValueError, match="reopened_at must not be before"):
            make_ticket(reopened_at=BASE - timedelta(days=1))
