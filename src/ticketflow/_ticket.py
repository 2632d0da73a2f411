"""Ticket, Actor, the frozen mapping of custom fields, and who may see a ticket.

A :class:`Ticket` is a plain immutable value: the decider builds new tickets from
events and never changes one in place. The few invariants a ticket keeps on its own
(aware instants, ``created_at <= updated_at``, a non-negative version) are checked
when it is built, so a host that loads a corrupt row finds out at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Final, TypeAlias, final

import attrs

from ticketflow._errors import NaiveDatetimeError

__all__ = [
    "AGENT",
    "ANONYMOUS",
    "CUSTOMER",
    "SYSTEM",
    "Actor",
    "FieldValue",
    "FrozenMap",
    "SlaClock",
    "Ticket",
    "replace",
    "replace_clock",
    "visible_to",
]

CUSTOMER: Final = "customer"
"""The role of the people who request support; they act only on their own tickets."""
AGENT: Final = "agent"
"""The role of the desk's support staff."""
SYSTEM: Final = "system"
"""The role of the desk's own rules (timers, automations)."""
ANONYMOUS: Final = "anonymous"
"""The role of an actor nobody has authenticated; it sees and does nothing."""

FieldValue: TypeAlias = str | int | float | bool | None
"""What a custom field may hold: JSON scalars, so every ticket stays serialisable."""


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
        self._data = dict(items)
        self._hash = None

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
        data = dict(self._data)
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        return FrozenMap(data)


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
)


@final
@attrs.frozen
class Actor:
    """Who does something: an id and a role.

    The roles ``customer``, ``agent``, ``system`` and ``anonymous`` have fixed meanings;
    any other role is host-defined (a ``supervisor``, an ``engineer``) and counts as
    desk staff: it may do what a workflow transition lists it for.

    Args:
        id: the host's identifier of the person or rule.
        role: the actor's role.

    >>> Actor.customer("alice")
    Actor(id='alice', role='customer')
    >>> Actor.anonymous().role
    'anonymous'
    """

    id: str
    role: str

    def __attrs_post_init__(self) -> None:
        if not self.role:
            raise ValueError(
                "an actor needs a role: give 'customer', 'agent', 'system' or your own"
            )
        if not self.id and self.role != ANONYMOUS:
            raise ValueError(
                f"an actor with role {self.role!r} needs a non-empty id; "
                "use Actor.anonymous() for an unauthenticated visitor"
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


IDLE: Final = "idle"
RUNNING: Final = "running"
PAUSED: Final = "paused"
STOPPED: Final = "stopped"


def _segments(
    value: Iterable[tuple[datetime, datetime]],
) -> tuple[tuple[datetime, datetime], ...]:
    # Clocks are rebuilt on every change: a tuple passes through without a copy.
    if type(value) is tuple:
        return value
    return tuple((start, end) for start, end in value)


@final
@attrs.frozen(kw_only=True, slots=False)
class SlaClock:
    """The state of one SLA metric on one ticket, as of the ticket's last change.

    The SLA policy (``ticketflow.SlaPolicy``) decides how a clock moves; the clock only
    records where it is, so that due instants cost nothing to read.

    Attributes:
        metric: the metric's name (``first_response``, ``resolution``, ...).
        state: ``idle`` (not started), ``running``, ``paused`` or ``stopped``.
        cycle: how many times it started (a new cycle restarts the count).
        elapsed: the time counted in this cycle's finished running segments.
        running_since: when the current running segment began.
        segments: this cycle's finished running segments, oldest first.
        target: the target for the ticket's priority.
        business: the target counts business time (else real time).
        due_at: while running and not yet breached, when the target is used up.
        warn_at: while running, when the next warning falls due.
        warned: how many warnings this cycle has given.
        breached_at: when the target was used up in this cycle.
        stopped_at: when the clock stopped.
    """

    metric: str
    state: str = IDLE
    cycle: int = 0
    elapsed: timedelta = timedelta(0)
    running_since: datetime | None = None
    segments: tuple[tuple[datetime, datetime], ...] = attrs.field(default=(), converter=_segments)
    target: timedelta | None = None
    business: bool = True
    due_at: datetime | None = None
    warn_at: datetime | None = None
    warned: int = 0
    breached_at: datetime | None = None
    stopped_at: datetime | None = None


def _clocks(value: Iterable[SlaClock]) -> tuple[SlaClock, ...]:
    return value if type(value) is tuple else tuple(value)


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
        parent_id: the ticket this one follows up on, if any.
        fields: custom fields.
        wake_at: in a scheduled status, when the ticket wakes up.
        reminded_at: when the requester was last reminded by a timer.
        clocks: the SLA clocks, one per metric of the desk's SLA policy.
        escalated_at: when the requester last escalated it.
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

    def __attrs_post_init__(self) -> None:
        # This runs for every event the decider records, so the common case is one
        # short-circuiting test; the slow path finds out which invariant broke.
        if type(self.fields) is not FrozenMap:
            # Accept any mapping (a host loading a row), store the frozen form.
            object.__setattr__(self, "fields", to_frozen_map(self.fields))
        if (
            self.created_at.tzinfo is None
            or self.updated_at.tzinfo is None
            or self.status_since.tzinfo is None
            or (self.resolved_at is not None and self.resolved_at.tzinfo is None)
            or (self.closed_at is not None and self.closed_at.tzinfo is None)
            or (
                self.last_customer_activity_at is not None
                and self.last_customer_activity_at.tzinfo is None
            )
            or (self.last_agent_reply_at is not None and self.last_agent_reply_at.tzinfo is None)
            or (self.wake_at is not None and self.wake_at.tzinfo is None)
            or (self.reminded_at is not None and self.reminded_at.tzinfo is None)
            or (self.escalated_at is not None and self.escalated_at.tzinfo is None)
            or self.updated_at < self.created_at
            or self.status_since < self.created_at
            or self.version < 0
        ):
            _refuse(self)

    def clock(self, metric: str) -> SlaClock | None:
        """The SLA clock of ``metric``, if the ticket has one."""
        for clock in self.clocks:
            if clock.metric == metric:
                return clock
        return None


def _refuse(ticket: Ticket) -> None:
    """Raise the error that says which invariant ``ticket`` breaks."""
    for what in _INSTANTS:
        value = getattr(ticket, what)
        # Naive instants first: the comparisons below would fail with a bare TypeError.
        if value is not None and value.tzinfo is None:
            raise NaiveDatetimeError(f"Ticket.{what}", value)
    if ticket.updated_at < ticket.created_at or ticket.status_since < ticket.created_at:
        raise ValueError(
            f"ticket {ticket.id!r}: updated_at and status_since must not be before "
            f"created_at ({ticket.created_at.isoformat()}); fix the stored snapshot"
        )
    raise ValueError(f"ticket {ticket.id!r}: version must be >= 0, got {ticket.version}")


def replace(ticket: Ticket, changes: dict[str, object]) -> Ticket:
    """A copy of ``ticket`` with ``changes``, for the decider's ``evolve``.

    It copies the field dictionary instead of running ``__init__``: the invariants the
    constructor checks already hold for ``ticket``, and the decider only records
    values it produced (aware instants, the next version). Hosts build tickets with the
    constructor, which checks them.
    """
    new = _new(Ticket)
    fields = new.__dict__
    fields.update(ticket.__dict__)
    fields.update(changes)
    return new


def replace_clock(clock: SlaClock, changes: dict[str, object]) -> SlaClock:
    """A copy of ``clock`` with ``changes`` (the SLA policy's values), like :func:`replace`."""
    new = _new(SlaClock)
    fields = new.__dict__
    fields.update(clock.__dict__)
    fields.update(changes)
    return new


_new = object.__new__


def visible_to(actor: Actor, ticket: Ticket) -> bool:
    """Whether ``actor`` may see ``ticket``.

    Customers see only the tickets they requested, an anonymous actor sees nothing,
    and every other role (agents, the system, host-defined staff roles) sees all.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> t = Ticket(id="T-1", subject="Phone down", status="new", priority="normal",
    ...            requester="alice", created_at=at, updated_at=at, status_since=at, version=1)
    >>> visible_to(Actor.customer("alice"), t), visible_to(Actor.customer("bob"), t)
    (True, False)
    >>> visible_to(Actor.agent("carol"), t), visible_to(Actor.anonymous(), t)
    (True, False)
    """
    role = actor.role
    if role == CUSTOMER:
        return actor.id == ticket.requester
    return role != ANONYMOUS
