"""Evolving: ``evolve(ticket, event)`` records one event into a new ticket, and
``replay(events)`` folds a stored stream.

``evolve`` holds no rules and never consults the desk: every value it needs travels in
the event (the category of a new status, for instance), so ``replay`` rebuilds a ticket
from its events alone. Every event whose actor is not the desk's ``system`` (and that
is not an SLA clock's) is an update and sets ``Ticket.last_update_at``; the event
types carry nothing new for it, so streams stored before it existed replay unchanged.
Depends on the values only (tickets, events, SLA clocks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final, get_args

from ticketflow._errors import (
    EventStreamError,
    InvalidTypeError,
    quoted,
)
from ticketflow._events import (
    ActionPerformed,
    Event,
    FieldChanged,
    FileAttached,
    NotificationsMuted,
    NotificationsUnmuted,
    PriorityChanged,
    ReminderSent,
    ReplyAdded,
    SlaEvent,
    StatusChanged,
    SupportLevelChanged,
    TicketAssigned,
    TicketEscalated,
    TicketOpened,
    TicketReopened,
    check_event,
)
from ticketflow._instants import EPOCH, before
from ticketflow._sla_machine import with_clocks
from ticketflow._ticket import Attachment, Ticket, replace
from ticketflow._vocabulary import CUSTOMER, SYSTEM, Category

__all__ = ["evolve", "recorded", "replay"]


_RESOLVED = Category.RESOLVED.value


_CLOSED = Category.CLOSED.value


_CANCELED = Category.CANCELED.value


def evolve(ticket: Ticket | None, event: Event) -> Ticket:
    """The ticket after ``event``; records only, holds no rules, needs no desk.

    Args:
        ticket: the ticket before the event (``None`` before :class:`TicketOpened`).
        event: an event :func:`decide` produced (or one loaded from storage).

    Returns:
        A new ticket; ``ticket`` is left as it was.

    Raises:
        EventStreamError: the event cannot apply: no ticket yet, a second opening, an
            event of another ticket, one that is not the ticket's next version, or one
            earlier than the ticket's last change (as :func:`replay` checks a stream).
    """
    if ticket is not None and type(ticket) is Ticket and type(event) in _RECORD:
        if event.ticket_id != ticket.id:
            raise EventStreamError(
                f"event of ticket {quoted(event.ticket_id)} in the stream of ticket "
                f"{quoted(ticket.id)}"
            )
        if event.version != ticket.version + 1:
            raise EventStreamError(f"version {event.version} follows version {ticket.version}")
        if before(event.at, ticket.updated_at):
            raise EventStreamError(
                f"{type(event).__name__} version {event.version} happened at "
                f"{event.at.isoformat()}, before the event before it "
                f"({ticket.updated_at.isoformat()})"
            )
    return _applied(ticket, event)


def _applied(ticket: Ticket | None, event: Event) -> Ticket:
    """The ticket after ``event``, which follows it (:func:`evolve` without the checks
    of the stream, for the events :func:`ticketflow.decide` produced)."""
    if ticket is None:
        if isinstance(event, TicketOpened):
            # Built by the constructor, which checks every field: the event may be one
            # a host built by hand (recorded, for what decide produced, skips the check).
            return Ticket(**_opening(event))
        raise EventStreamError(f"{type(event).__name__} came before the ticket was opened")
    record = _RECORD.get(type(event))
    if record is None:
        raise InvalidTypeError("event", "a ticketflow event", event)
    if type(ticket) is not Ticket:
        raise InvalidTypeError("ticket", "a Ticket, or None before the ticket is opened", ticket)
    changes = record(ticket, event)
    if record is not _clock and event.actor.role != SYSTEM:
        # An update, as a desk counts one (Ticket.last_update_at): every event somebody
        # causes; not the desk's own rules (the system actor), nor the SLA clocks'
        # bookkeeping, which moves with the event that caused it or with a system check.
        changes["last_update_at"] = event.at
    return replace(ticket, changes)


def recorded(ticket: Ticket | None, events: tuple[Event, ...]) -> Ticket | None:
    """``evolve`` folded over the events that :func:`ticketflow.decide` produced.

    The same ticket as the fold, without checking an opening's fields a second time:
    a decided :class:`TicketOpened` carries what the decider took from a checked
    command and the desk, so the ticket is the copy of a blank one with the opening's
    fields (as ``evolve`` copies for every other event), not a constructor call,
    which checks every field and was a tenth of a replay's time. ``None`` when there
    are no events and no ticket.
    """
    new = ticket
    for event in events:
        if new is None and type(event) is TicketOpened:
            new = replace(_BLANK, _opening(event))
        else:
            new = _applied(new, event)
    return new


def _opening(event: TicketOpened) -> dict[str, Any]:
    """Every field of the ticket that ``event`` opens, but the defaults it keeps."""
    at = event.at
    return {
        "id": event.ticket_id,
        "subject": event.subject,
        "description": event.description,
        "status": event.status,
        "priority": event.priority,
        "requester": event.requester,
        "created_at": at,
        "updated_at": at,
        "status_since": at,
        "version": event.version,
        "assignee": event.assignee,
        "group": event.group,
        "parent_id": event.parent_id,
        "fields": event.fields,
        "notifications_muted": event.notifications_muted,
        "last_customer_activity_at": at if event.actor.role == CUSTOMER else None,
        "support_level": event.support_level,
        "last_update_at": None if event.actor.role == SYSTEM else at,
    }


_BLANK: Final = Ticket(
    id="",
    subject="",
    status="",
    priority="",
    requester="",
    created_at=EPOCH,
    updated_at=EPOCH,
    status_since=EPOCH,
    version=0,
)
"""A ticket of the defaults, whose every other field an opening sets (:func:`recorded`)."""


# -- what each event records: the ticket's changed fields -------------------------------


def _enter(t: Ticket, event: StatusChanged) -> dict[str, object]:
    """A status change (the hot path)."""
    at = event.at
    category = event.category
    resolved_at = t.resolved_at
    closed_at = t.closed_at
    reopens = t.reopen_count
    reopened = False
    if category == _RESOLVED:
        resolved_at = at
        closed_at = None
    elif category == _CLOSED:
        closed_at = at
        if resolved_at is None:
            resolved_at = at
    elif category != _CANCELED:
        # Back to work: from a resolved or closed status, that is a reopen (Zendesk
        # counts Solved -> Open, ServiceNow a rejected resolution).
        if resolved_at is not None:
            reopens += 1
            reopened = True
        resolved_at = closed_at = None
    changes: dict[str, object] = {
        "status": event.target,
        "updated_at": at,
        "status_since": at,
        "version": event.version,
        "resolved_at": resolved_at,
        "closed_at": closed_at,
        "reopen_count": reopens,
        "wake_at": event.until,
    }
    if reopened:
        changes["reopened_at"] = at
    if event.actor.role == CUSTOMER:
        changes["last_customer_activity_at"] = at
    return changes


def _performed(t: Ticket, event: ActionPerformed) -> dict[str, object]:
    """A self-loop: the status and the time in it stay, unless the event says the time
    restarted (a time-driven rule's); a new wake-up instant, stated by the action,
    replaces the old one."""
    at = event.at
    changes: dict[str, object] = {"updated_at": at, "version": event.version}
    if event.restarted:
        changes["status_since"] = at
        changes["wake_at"] = event.until  # the rule that woke it is done
    elif event.until is not None:
        changes["wake_at"] = event.until
    if event.actor.role == CUSTOMER:
        changes["last_customer_activity_at"] = at
    return changes


def _reply(_: Ticket, event: ReplyAdded) -> dict[str, object]:
    at = event.at
    if event.public:
        role = event.actor.role
        if role == CUSTOMER:
            return {"updated_at": at, "version": event.version, "last_customer_activity_at": at}
        if role != SYSTEM:
            return {"updated_at": at, "version": event.version, "last_agent_reply_at": at}
    return {"updated_at": at, "version": event.version}


def _attached(ticket: Ticket, event: FileAttached) -> dict[str, object]:
    at = event.at
    file = Attachment(
        name=event.name,
        size=event.size,
        media_type=event.media_type,
        reference=event.reference,
        at=at,
        by=event.actor.id,
    )
    changes: dict[str, object] = {
        "attachments": (*ticket.attachments, file),
        "updated_at": at,
        "version": event.version,
    }
    if event.actor.role == CUSTOMER:
        changes["last_customer_activity_at"] = at
    return changes


def _clock(ticket: Ticket, event: SlaEvent) -> dict[str, object]:
    clocks = with_clocks(ticket.clocks, (event,))
    return {"clocks": clocks, "updated_at": event.at, "version": event.version}


def _escalated(ticket: Ticket, event: TicketEscalated) -> dict[str, object]:
    escalated_at = event.at if event.actor.role == CUSTOMER else ticket.escalated_at
    return {"escalated_at": escalated_at, "updated_at": event.at, "version": event.version}


def _level(_: Ticket, event: SupportLevelChanged) -> dict[str, object]:
    return {"support_level": event.target, "updated_at": event.at, "version": event.version}


def _reminded(_: Ticket, event: ReminderSent) -> dict[str, object]:
    return {"reminded_at": event.at, "updated_at": event.at, "version": event.version}


def _reopened(ticket: Ticket, event: TicketReopened) -> dict[str, object]:
    return {
        "status": event.target,
        "status_since": event.at,
        "updated_at": event.at,
        "version": event.version,
        "resolved_at": None,
        "closed_at": None,
        "reopen_count": ticket.reopen_count + 1,
        "reopened_at": event.at,
    }


def _assigned(_: Ticket, event: TicketAssigned) -> dict[str, object]:
    return {
        "assignee": event.assignee,
        "group": event.group,
        "updated_at": event.at,
        "version": event.version,
    }


def _priority(_: Ticket, event: PriorityChanged) -> dict[str, object]:
    return {"priority": event.target, "updated_at": event.at, "version": event.version}


def _muted(_: Ticket, event: NotificationsMuted | NotificationsUnmuted) -> dict[str, object]:
    muted = type(event) is NotificationsMuted
    return {"notifications_muted": muted, "updated_at": event.at, "version": event.version}


def _field(ticket: Ticket, event: FieldChanged) -> dict[str, object]:
    fields = ticket.fields.set(event.name, event.value)
    return {"fields": fields, "updated_at": event.at, "version": event.version}


def _opened_again(ticket: Ticket, _: TicketOpened) -> dict[str, object]:
    raise EventStreamError(f"ticket {quoted(ticket.id)} is already open")


_RECORD: Final[dict[type, Callable[[Ticket, Any], dict[str, object]]]] = {
    StatusChanged: _enter,
    ActionPerformed: _performed,
    ReplyAdded: _reply,
    FileAttached: _attached,
    **dict.fromkeys(get_args(SlaEvent), _clock),
    TicketEscalated: _escalated,
    SupportLevelChanged: _level,
    ReminderSent: _reminded,
    TicketReopened: _reopened,
    TicketAssigned: _assigned,
    PriorityChanged: _priority,
    NotificationsMuted: _muted,
    NotificationsUnmuted: _muted,
    FieldChanged: _field,
    TicketOpened: _opened_again,
}
"""What each event class records on an open ticket (``tests/test_evolve.py`` checks
that every event class has its entry)."""


def replay(events: Iterable[Event]) -> Ticket:
    """Rebuild a ticket from its events alone, checking that they form one stream.

    Raises:
        EventStreamError: no events, a first event that is not :class:`TicketOpened`,
            a version gap, events of another ticket, or an event earlier than the one
            before it (time never runs backwards inside a ticket).
    """
    ticket: Ticket | None = None
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidTypeError("the events to replay", "an iterable of events", events)
    for event in events:
        # Stored events are the truth: each is checked whole (an instant that is naive
        # or inside a DST gap would leave the ticket's history unordered, a list in a
        # field a ticket that cannot be hashed); codec documents are checked too.
        check_event(event)
        if ticket is None and event.version != 1:
            raise EventStreamError(f"the first event has version {event.version}, not 1")
        ticket = evolve(ticket, event)  # which checks that the event follows the ticket
    if ticket is None:
        raise EventStreamError("there are no events")
    return ticket
