"""Ticket, Actor, Attachment, the frozen mapping of custom fields, and who may see a
ticket.

A :class:`Ticket` is a plain immutable value: the decider builds new tickets from
events and never changes one in place. The few invariants a ticket keeps on its own
(aware instants, ``created_at <= updated_at``, a non-negative version) are checked
when it is built, so a host that loads a corrupt row finds out at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Final, TypeAlias, final

import attrs

from ticketflow._checks import LARGEST_INT, names, require_int, storable_text
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    quoted,
)
from ticketflow._instants import require_instant, utc
from ticketflow._sla_clock import SlaClock
from ticketflow._vocabulary import AGENT, ANONYMOUS, CUSTOMER, STAFF, SYSTEM

__all__ = [
    "Actor",
    "Attachment",
    "FieldValue",
    "FrozenMap",
    "Ticket",
    "field_value",
    "replace",
    "require_role",
    "require_ticket",
    "visible_to",
]


_ROLE: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")


FieldValue: TypeAlias = str | int | float | bool | None
"""What a custom field may hold: JSON scalars, so every ticket stays serialisable."""


_SCALARS: Final = (str, int, bool, float)


_LARGEST: Final = LARGEST_INT


def require_role(what: str, role: object) -> str:
    """Return ``role`` if it is a well-formed role name, else raise a typed error.

    A role name is 1 to 64 characters of lowercase ASCII letters, digits and ``_``,
    starting with a letter. Case is not folded and whitespace is not stripped: a
    ``"Customer "`` that slipped through a host's login code is refused, never
    guessed to be ``"customer"`` (nor taken for staff).

    >>> require_role("role", "support_lead")
    'support_lead'
    >>> require_role("role", "Customer ")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidValueError: role 'Customer ' is not a role name; ...
    """
    if type(role) is not str:
        raise InvalidTypeError(what, "a role name (str)", role)
    if _ROLE.fullmatch(role) is None:
        raise InvalidValueError(
            f"{what} {quoted(role)} is not a role name",
            "a role is 1-64 lowercase ASCII letters, digits or '_', starting with a letter "
            "(e.g. 'customer', 'agent', 'support_lead'); it is neither stripped nor "
            "lowercased for you",
        )
    return role


def field_value(name: object, value: object, *, removable: bool = False) -> FieldValue:
    """Return ``value`` if custom field ``name`` may hold it, else raise a typed error.

    The one check for field values, wherever they enter (a ticket, ``OpenTicket``,
    ``SetField``, the codec): a name is a non-empty string; a value is a string, an
    integer, a boolean or a finite float (NaN and infinities break equality, replay and
    strict JSON), an integer within 64 bits (what a database stores). ``None`` only
    where it means "remove the field" (``removable``).

    >>> field_value("impact", "high"), field_value("count", 3)
    ('high', 3)
    >>> field_value("tags", ["a"])
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: field 'tags' must be a string, an integer, ...
    """
    if type(name) is not str:
        raise InvalidTypeError("a custom field's name", "a string", name)
    if not name:
        raise InvalidValueError("a custom field's name is empty", "name the field")
    if isinstance(value, str | int | float) and type(value) in _SCALARS:
        if type(value) is int and not -_LARGEST <= value <= _LARGEST:
            raise InvalidValueError(
                f"field {quoted(name)} cannot hold an integer of {value.bit_length()} bits",
                "store integers between -(2**63 - 1) and 2**63 - 1 (what a database's "
                "BIGINT holds), or a string",
            )
        if type(value) is float and not math.isfinite(value):
            raise InvalidValueError(
                f"field {quoted(name)} cannot hold {quoted(value)}",
                "store a finite number, or a string such as 'unknown'",
            )
        return value
    if value is None and removable:
        return None
    expected = "a string, an integer, a boolean or a finite float"
    if value is None:
        raise InvalidTypeError(
            f"field {quoted(name)}", f"{expected} (leave it out to unset it)", value
        )
    raise InvalidTypeError(f"field {quoted(name)}", expected, value)


@final
class FrozenMap(Mapping[str, FieldValue]):
    """An immutable, hashable mapping from field names to JSON scalars.

    >>> fields = FrozenMap({"impact": "high", "origin": "portal"})
    >>> fields["impact"], len(fields), fields == {"impact": "high", "origin": "portal"}
    ('high', 2, True)
    >>> fields.set("impact", "low")["impact"], fields["impact"]
    ('low', 'high')
    """

    __slots__ = ("_data", "_hash")

    _data: dict[str, FieldValue]
    _hash: int | None

    def __init__(
        self, items: Mapping[str, FieldValue] | Iterable[tuple[str, FieldValue]] = ()
    ) -> None:
        if isinstance(items, FrozenMap):
            self._data = items._data  # already checked, and never changed
        else:
            if not isinstance(items, Mapping | Iterable) or isinstance(items, str | bytes):
                raise InvalidTypeError("custom fields", "a mapping of names to values", items)
            try:
                data = dict(items)
            except (TypeError, ValueError):  # not pairs: [1], ["ab", "c"]
                raise InvalidTypeError(
                    "custom fields", "a mapping of names to values", items
                ) from None
            for name, value in data.items():
                field_value(name, value)
            self._data = data
        self._hash = None

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, FieldValue]]]:
        # The cached hash is not pickled: string hashes differ between processes
        # (PYTHONHASHSEED), so an unpickled map recomputes its own.
        return (FrozenMap, (self._data,))

    def __getitem__(self, key: str) -> FieldValue:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def set(self, key: str, value: FieldValue) -> FrozenMap:
        """Return a copy with ``key`` set to ``value`` (``None`` removes the key)."""
        field_value(key, value, removable=True)
        new = FrozenMap()
        new._data = dict(self._data)
        if value is None:
            new._data.pop(key, None)
        else:
            new._data[key] = value
        return new


def to_frozen_map(value: Mapping[str, FieldValue] | Iterable[tuple[str, FieldValue]]) -> FrozenMap:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


EMPTY_FIELDS: Final = FrozenMap()


_INSTANTS: Final = (
    "created_at",
    "updated_at",
    "status_since",
    "last_customer_activity_at",
    "last_agent_reply_at",
    "resolved_at",
    "closed_at",
    "wake_at",
    "reminded_at",
    "escalated_at",
    "reopened_at",
    "last_update_at",
)


@final
@attrs.frozen
class Actor:
    """Who does something: an id and a role.

    The roles ``customer``, ``agent``, ``system`` and ``anonymous`` have fixed meanings;
    any other role is host-defined (a ``supervisor``, an ``engineer``). A host-defined
    role is desk staff only on a desk whose workflow names it in a transition
    or escalation policy names (``Desk.staff_roles``); on any other desk it sees and
    does nothing.

    Args:
        id: the host's identifier of the person or rule (a non-empty string; empty
            only for the anonymous actor).
        role: the actor's role: 1-64 lowercase ASCII letters, digits or ``_``, starting
            with a letter, never stripped or lowercased for you (see
            :func:`require_role`).

    Raises:
        InvalidTypeError: ``id`` or ``role`` is not a string.
        InvalidValueError: the role is malformed, or the id is empty.

    >>> Actor.customer("alice")
    Actor(id='alice', role='customer')
    >>> Actor.anonymous().role
    'anonymous'
    """

    id: str
    role: str

    def __attrs_post_init__(self) -> None:
        if type(self.id) is not str:
            raise InvalidTypeError("Actor.id", "a string", self.id)
        storable_text("Actor.id", self.id)
        require_role("Actor.role", self.role)
        if not self.id and self.role != ANONYMOUS:
            raise InvalidValueError(
                f"an actor with role {quoted(self.role)} needs a non-empty id",
                "use Actor.anonymous() for an unauthenticated visitor",
            )

    @classmethod
    def customer(cls, id: str) -> Actor:
        """A requester of support."""
        return cls(id, CUSTOMER)

    @classmethod
    def agent(cls, id: str) -> Actor:
        """A member of the support staff."""
        return cls(id, AGENT)

    @classmethod
    def system(cls, id: str = "ticketflow") -> Actor:
        """The desk's own rules (timers, automations)."""
        return cls(id, SYSTEM)

    @classmethod
    def anonymous(cls) -> Actor:
        """An unauthenticated visitor: sees nothing, may do nothing."""
        return cls("", ANONYMOUS)

    @property
    def is_customer(self) -> bool:
        """Whether this actor acts as a requester of support."""
        return self.role == CUSTOMER


def _clocks(value: Iterable[SlaClock]) -> tuple[SlaClock, ...]:
    return value if type(value) is tuple else tuple(value)


@final
@attrs.frozen(kw_only=True, slots=False)
class Attachment:
    """A file attached to a ticket: what the desk records of it, never its bytes.

    The bytes are the host's (an object store, a file share); the ticket keeps the
    file's name, size and media type as the uploader gave them, and the host's
    ``reference`` to the bytes (a storage key, a URL), so a case page can list the
    files and the host can serve them.

    Attributes:
        name: the file's name as shown (``"error-500.png"``).
        size: its size in bytes.
        media_type: its media type, ``type/subtype`` (``"image/png"``).
        reference: the host's reference to the bytes.
        at: when it was attached.
        by: the id of the actor who attached it.
    """

    name: str
    size: int
    media_type: str
    reference: str
    at: datetime
    by: str

    def __attrs_post_init__(self) -> None:
        # Built by evolve from a checked event, or by a host loading a snapshot: the
        # types are checked here, the values where the file is attached (decide).
        for what in ("name", "media_type", "reference", "by"):
            if type(getattr(self, what)) is not str:
                raise InvalidTypeError(f"Attachment.{what}", "a string", getattr(self, what))
        require_int("Attachment.size", self.size)
        require_instant("Attachment.at", self.at)


def _attachments(value: Iterable[Attachment]) -> tuple[Attachment, ...]:
    if type(value) is tuple:
        return value
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise InvalidTypeError("Ticket.attachments", "attached files (Attachment)", value)
    return tuple(value)


@final
@attrs.frozen(kw_only=True, slots=False)
class Ticket:
    """One support ticket, as of its last event.

    Build tickets by handling commands (``handle(desk, None, OpenTicket(...))``) or by
    replaying stored events; construct one directly only to load a stored snapshot.

    A ticket is frozen but keeps its fields in an instance dictionary instead of slots:
    the decider builds a new ticket for every event, and copying a dictionary costs a
    fraction of setting two dozen slots one by one (see :func:`replace`). A ticket
    takes about 400 bytes.

    Attributes:
        id: the host's ticket identifier.
        subject: a one-line summary.
        description: what the requester wrote when opening it.
        status: the name of the current status of the desk's workflow.
        priority: one of the workflow's priorities.
        requester: the id of the customer who asked for help.
        created_at: when the ticket was opened.
        updated_at: the instant of the last event.
        status_since: when the ticket entered its current status.
        version: how many events built this ticket (optimistic concurrency).
        assignee: the id of the agent working on it, if any.
        group: the team it is queued to, if any.
        support_level: the support tier (1 for L1, 2 for L2, ...).
        notifications_muted: the requester pressed "Don't notify me".
        last_customer_activity_at: the last public reply or action of the requester.
        last_agent_reply_at: the last public reply of the desk's staff.
        resolved_at: when it last entered a ``resolved`` or ``closed`` status (``None``
            once it is back at work).
        closed_at: when it entered its ``closed`` status (``None`` once it left it).
        reopen_count: how many times it went back to work from a ``resolved`` or
            ``closed`` status: a reply reopening a closed ticket, or a move out of a
            resolved or closed status into an open one (as Zendesk counts Solved to
            Open, and ServiceNow a rejected resolution).
        reopened_at: when it last went back to work that way (``None`` if never).
        parent_id: the ticket this one follows up on, if any.
        fields: custom fields.
        wake_at: in a scheduled status, when the ticket wakes up.
        reminded_at: when the requester was last reminded by a timer.
        clocks: the SLA clocks, one per metric of the desk's SLA policy.
        escalated_at: when the requester last escalated it.
        attachments: the files attached to it, oldest first (:class:`Attachment`).
        last_update_at: when somebody last updated it: the instant of its last event
            caused by a customer or by staff (opening it, a status change or action,
            a reply or internal note, a file, an assignment, a priority, field, support
            level or mute change, an escalation), not by the desk's own rules (timers,
            reminders, SLA checks and wake-ups, whose actor is ``system``). A timer
            counted ``since="last_update"`` restarts at it. ``None`` when no such event
            is recorded (a ticket the system opened, or a snapshot stored before
            ticketflow kept it).
    """

    id: str
    subject: str
    status: str
    priority: str
    requester: str
    created_at: datetime
    updated_at: datetime
    status_since: datetime
    version: int
    assignee: str | None = None
    group: str | None = None
    support_level: int = 1
    notifications_muted: bool = False
    last_customer_activity_at: datetime | None = None
    last_agent_reply_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    reopen_count: int = 0
    parent_id: str | None = None
    fields: FrozenMap = EMPTY_FIELDS
    wake_at: datetime | None = None
    reminded_at: datetime | None = None
    clocks: tuple[SlaClock, ...] = attrs.field(default=(), converter=_clocks)
    escalated_at: datetime | None = None
    description: str = ""
    reopened_at: datetime | None = None
    attachments: tuple[Attachment, ...] = attrs.field(default=(), converter=_attachments)
    last_update_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        # A ticket is built when it is opened and when a host loads a snapshot (evolve
        # copies tickets it built, see replace), so every field is checked here.
        if type(self.fields) is not FrozenMap:
            # Accept any mapping (a host loading a row), store the frozen form.
            object.__setattr__(self, "fields", to_frozen_map(self.fields))
        _check(self)

    def clock(self, metric: str) -> SlaClock | None:
        """The SLA clock of ``metric``, if the ticket has one."""
        for clock in self.clocks:
            if clock.metric == metric:
                return clock
        return None


_STRINGS: Final = ("id", "subject", "status", "priority", "requester", "description")


_OPTIONAL_STRINGS: Final = ("assignee", "group", "parent_id")


_COUNTS: Final = {"version": 0, "support_level": 1, "reopen_count": 0}  # and their least


def _check(ticket: Ticket) -> None:
    """Raise the error that says which invariant ``ticket`` breaks, if any."""
    for what in _STRINGS:
        if type(getattr(ticket, what)) is not str:
            raise InvalidTypeError(f"Ticket.{what}", "a string", getattr(ticket, what))
    for what in _OPTIONAL_STRINGS:
        value = getattr(ticket, what)
        if value is not None and type(value) is not str:
            raise InvalidTypeError(f"Ticket.{what}", "a string or None", value)
    for what in _COUNTS:
        require_int(f"Ticket.{what}", getattr(ticket, what))
    if type(ticket.notifications_muted) is not bool:
        raise InvalidTypeError(
            "Ticket.notifications_muted", "a boolean", ticket.notifications_muted
        )
    for what, least in _COUNTS.items():
        if getattr(ticket, what) < least:
            raise InvalidValueError(
                f"ticket {quoted(ticket.id)}: {what} must be >= {least}, got "
                f"{quoted(getattr(ticket, what))}",
                "fix the stored snapshot",
            )
    for what in _INSTANTS:
        value = getattr(ticket, what)
        if value is not None:
            # Aware, of a zone that answers folds exactly, and no wall time inside a
            # DST gap: ticketflow holds none, which keeps comparing instants exact.
            require_instant(f"Ticket.{what}", value)
    created = utc(ticket.created_at)
    for what in (
        "updated_at",
        "status_since",
        "resolved_at",
        "closed_at",
        "reopened_at",
        "last_update_at",
    ):
        value = getattr(ticket, what)
        if value is not None and utc(value) < created:
            raise InvalidValueError(
                f"ticket {quoted(ticket.id)}: {what} must not be before created_at "
                f"({ticket.created_at.isoformat()})",
                "fix the stored snapshot",
            )
    last = ticket.last_update_at
    if last is not None and utc(last) > utc(ticket.updated_at):
        raise InvalidValueError(
            f"ticket {quoted(ticket.id)}: last_update_at ({last.isoformat()}) must not be "
            f"after updated_at ({ticket.updated_at.isoformat()}), the instant of its last event",
            "fix the stored snapshot",
        )
    if any(type(clock) is not SlaClock for clock in ticket.clocks):
        raise InvalidTypeError("Ticket.clocks", "SLA clocks (SlaClock)", ticket.clocks)
    if any(type(file) is not Attachment for file in ticket.attachments):
        raise InvalidTypeError(
            "Ticket.attachments", "attached files (Attachment)", ticket.attachments
        )


def require_ticket(what: str, value: object) -> Ticket:
    """Return ``value`` if it is a :class:`Ticket`, else raise :class:`InvalidTypeError`.

    >>> require_ticket("ticket", {"id": "T-1"})
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: ticket must be a Ticket, got dict {'id': 'T-1'}; ...
    """
    if not isinstance(value, Ticket):
        raise InvalidTypeError(what, "a Ticket", value)
    return value


def replace(ticket: Ticket, changes: dict[str, object]) -> Ticket:
    """A copy of ``ticket`` with ``changes``: the one way ``evolve`` copies a ticket.

    The one copy helper of :class:`Ticket` (``tests/test_architecture.py`` allows no
    other): it gives the copy a new field dictionary, ``ticket``'s merged with
    ``changes``, instead of running ``__init__``. The invariants the constructor checks
    already hold for ``ticket``, and ``evolve`` only records values its events carry
    (checked when the command was built, or by ``replay``). It is the measured hot
    path of ``handle``: one dictionary merge costs about what ``attrs.evolve``'s
    keyword handling alone does. Hosts build tickets with the constructor, which
    checks every field.
    """
    new = object.__new__(Ticket)
    object.__setattr__(new, "__dict__", ticket.__dict__ | changes)
    return new


def visible_to(actor: Actor, ticket: Ticket, staff: str | Iterable[str] = STAFF) -> bool:
    """Whether ``actor`` may see ``ticket``.

    Customers see only the tickets they requested, the desk's staff see all, and every
    other role (anonymous, or a role the desk does not declare) sees nothing.

    Args:
        actor: who asks.
        ticket: the ticket.
        staff: the roles that are staff, one or several (``"agent"`` is the one role
            ``agent``, never the roles its letters spell): by default ``agent`` and
            ``system``; pass ``desk.staff_roles`` to count the host-defined roles the
            desk's workflow names.

    Raises:
        InvalidTypeError: ``actor`` is not an Actor, ``ticket`` not a Ticket, or
            ``staff`` neither a role nor an iterable of roles.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> t = Ticket(id="T-1", subject="Phone down", status="new", priority="normal",
    ...            requester="alice", created_at=at, updated_at=at, status_since=at, version=1)
    >>> visible_to(Actor.customer("alice"), t), visible_to(Actor.customer("bob"), t)
    (True, False)
    >>> visible_to(Actor.agent("carol"), t), visible_to(Actor.anonymous(), t)
    (True, False)
    >>> visible_to(Actor("ursula", "auditor"), t), visible_to(Actor("ursula", "auditor"), t,
    ...                                                      staff={"agent", "auditor"})
    (False, True)
    """
    if type(ticket) is not Ticket:
        require_ticket("ticket", ticket)
    if not isinstance(actor, Actor):
        raise InvalidTypeError("actor", "an Actor", actor)
    role = actor.role
    if role == CUSTOMER:
        return actor.id == ticket.requester
    if type(staff) is not frozenset:
        staff = names(staff)  # one role given as a string is that role, not its letters
    return role in staff
