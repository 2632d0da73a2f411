"""The client portal's cases, seed ``004``: a requester monitors the status of their case.

Four statuses, as the seed lists them:

===========  ====================  ==================================================
status       category              what it means here
===========  ====================  ==================================================
``new``      new                   submitted, not yet taken up by the support staff
``pending``  waiting_on_customer   the staff waits on the submitter
``open``     active                the staff works on the case
``solved``   closed                resolved and closed ("days since closed")
===========  ====================  ==================================================

The support staff (``agent``) opens, pends (with a reason) and solves cases; the
submitter's comment on a pending case answers it and on a solved case reopens it, both
into Open. Comments are the core's replies: ``Reply(public=True)`` is a comment both
sides see, ``Reply(public=False)`` a staff-only comment. Files are the core's
:class:`~ticketflow.AttachFile` command and :class:`~ticketflow.FileAttached` event: the
ticket lists each file's name, size, media type and the host's reference, and the
bytes stay the host's.

The case page's fields (the seed's *Case Details* tab) are the ticket's own where it has
them (case number = ``Ticket.id``, subject, parent case = ``parent_id``, group,
description, created and resolved instants) and custom fields for the rest
(:data:`IMPACT`, :data:`ORIGIN`, :data:`ACCOUNT`, :data:`CASE_REASON`,
:data:`PRODUCT`); :func:`case_details` reads them all, :func:`case_summary` the list's
five, :func:`days_since_closed` counts from the close, and :func:`open_cases` is the
*My Cases* list: a requester's own open cases, every open case for the staff, nothing
for anyone else ("monitoring cases is only available to authenticated users").

The desk is the file ``case_portal.toml`` beside this module, a desk document (see
``docs/desks.md``) with the seed's sentence beside each rule. It is read once, when the
preset is first imported.

>>> from ticketflow.presets import case_portal
>>> [s.label for s in case_portal.WORKFLOW.statuses]
['New', 'Pending', 'Open', 'Solved']
"""

from __future__ import annotations

import reprlib
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Final, final

import attrs

from ticketflow import (
    Actor,
    BusinessCalendar,
    Category,
    Desk,
    Event,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    ReplyAdded,
    Ticket,
    Workflow,
    visible_to,
)

__all__ = [
    "ACCOUNT",
    "CASE_REASON",
    "CUSTOMER_PORTAL",
    "IMPACT",
    "NEW",
    "OPEN",
    "ORIGIN",
    "PENDING",
    "PRODUCT",
    "SOLVED",
    "WORKFLOW",
    "CaseDetails",
    "CaseSummary",
    "case_details",
    "case_summary",
    "comments",
    "days_since_closed",
    "desk",
    "open_cases",
]

NEW: Final = "new"
"""Status ``new`` (new): submitted, not yet taken up by the support staff."""
PENDING: Final = "pending"
"""Status ``pending`` (waiting_on_customer): the staff waits on the submitter."""
OPEN: Final = "open"
"""Status ``open`` (active): the staff works on the case."""
SOLVED: Final = "solved"
"""Status ``solved`` (closed): resolved and closed ("days since closed")."""

IMPACT: Final = "impact"
"""Custom field: the case's impact type (the submitter's choice on the portal's form)."""
ORIGIN: Final = "origin"
"""Custom field: where the case was submitted (:data:`CUSTOMER_PORTAL`, ``"Email"``...);
the host sets it when it opens the case."""
ACCOUNT: Final = "account"
"""Custom field: the account the case is associated with (the host's)."""
CASE_REASON: Final = "case_reason"
"""Custom field: the case reason (the submitter's choice on the portal's form)."""
PRODUCT: Final = "product"
"""Custom field: the product with which the case is associated."""
CUSTOMER_PORTAL: Final = "Customer Portal"
"""The :data:`ORIGIN` of a case submitted on the portal ("here, Customer Portal")."""

_READING: Final = threading.Lock()
_READ: Final[list[Desk]] = []


def _desk() -> Desk:
    """The desk of the preset's file, read on first use and kept (one for every thread)."""
    with _READING:
        if not _READ:
            path = files("ticketflow.presets").joinpath("case_portal.toml")
            _READ.append(Desk.from_toml(path.read_text(encoding="utf-8")))
        return _READ[0]


# The constants below are the desk file's, read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

WORKFLOW: Workflow
"""The case portal's workflow."""

_CLOSED: Final = Category.CLOSED.value
_DAY: Final = timedelta(days=1)


_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {"WORKFLOW": lambda: _desk().workflow}


def __getattr__(name: str) -> object:
    """A constant of the desk file, made on first use and kept in the module."""
    if name not in _CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, _CONSTANTS[name]())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def desk(calendar: BusinessCalendar | None = None) -> Desk:
    """The case-portal desk: its workflow, the portal's form and its notifications.

    Args:
        calendar: the desk's calendar (default: 24/7 in UTC; the seed names no hours).

    >>> desk().workflow is WORKFLOW
    True
    """
    read = _desk()
    return Desk(
        workflow=read.workflow,
        # A calendar of its own per desk: no cache is shared state.
        calendar=calendar if calendar is not None else attrs.evolve(read.calendar),
        intake=read.intake,
        notifications=read.notifications,
    )


@final
@attrs.frozen(kw_only=True)
class CaseSummary:
    """One line of the *My Cases* list: "the case number; the subject; the status; when
    the ticket was last opened; and the product with which it is affiliated"."""

    case_number: str
    subject: str
    status: str
    last_opened: datetime
    product: str | None


@final
@attrs.frozen(kw_only=True)
class CaseDetails:
    """The *Case Details* tab: case information, status information, the description
    and the case dates, as of an instant (``days_since_closed``)."""

    case_number: str
    parent_case: str | None
    subject: str
    impact: str | None
    origin: str | None
    days_since_closed: int | None
    account: str | None
    case_reason: str | None
    status: str
    product: str | None
    group: str | None
    description: str
    created: datetime
    resolved: datetime | None


def _ticket(value: object) -> Ticket:
    if not isinstance(value, Ticket):
        raise InvalidTypeError("ticket", "a Ticket", value)
    return value


def _instant(what: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidTypeError(what, "an aware datetime", value)
    if value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)
    return value


def _text(ticket: Ticket, name: str) -> str | None:
    value = ticket.fields.get(name)
    return None if value is None else str(value)


def _label(ticket: Ticket) -> str:
    try:
        return _desk().workflow.status(ticket.status).label
    except KeyError:
        raise InvalidValueError(
            f"ticket {reprlib.repr(ticket.id)} is in status {reprlib.repr(ticket.status)}, "
            "which the case portal does not define",
            "show only the cases of the case portal's desk",
        ) from None


def days_since_closed(ticket: Ticket, at: datetime) -> int | None:
    """Whole days (24 hours each) from the case's close to ``at``; ``None`` while open.

    Raises:
        InvalidTypeError, NaiveDatetimeError: not a ticket, or not an aware instant.
        InvalidValueError: ``at`` is before the close (time runs forwards).

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> case = Ticket(id="00001042", subject="500", status="solved", priority="medium",
    ...     requester="alice", created_at=at, updated_at=at, status_since=at, version=3,
    ...     closed_at=at, resolved_at=at)
    >>> days_since_closed(case, datetime(2026, 3, 5, 8, tzinfo=timezone.utc))
    2
    """
    ticket = _ticket(ticket)
    at = _instant("at", at)
    closed = ticket.closed_at
    if closed is None or _desk().workflow.category(ticket.status) != _CLOSED:
        return None
    elapsed = at.astimezone(UTC) - closed.astimezone(UTC)
    if elapsed < timedelta(0):
        raise InvalidValueError(
            f"the instant {at.isoformat()} is before case {reprlib.repr(ticket.id)} was closed "
            f"({closed.isoformat()})",
            "ask at the instant the page is shown, which is after the close",
        )
    return elapsed // _DAY


def case_summary(ticket: Ticket, at: datetime) -> CaseSummary:
    """The case's line in the *My Cases* list, as of ``at``.

    "When the ticket was last opened" is when it was submitted, or when it was last
    reopened after being solved (``Ticket.reopened_at``). The host shows the line only
    to whom may see the case (:func:`open_cases` picks them).

    Raises:
        InvalidTypeError, NaiveDatetimeError: not a ticket, or not an aware instant.
        InvalidValueError: ``at`` is before the case's last change.
    """
    ticket = _ticket(ticket)
    _as_of(ticket, _instant("at", at))
    return CaseSummary(
        case_number=ticket.id,
        subject=ticket.subject,
        status=_label(ticket),
        last_opened=ticket.reopened_at or ticket.created_at,
        product=_text(ticket, PRODUCT),
    )


def case_details(ticket: Ticket, at: datetime) -> CaseDetails:
    """The case page's *Case Details* tab, as of ``at`` (for its days since closed).

    Raises:
        InvalidTypeError, NaiveDatetimeError: not a ticket, or not an aware instant.
        InvalidValueError: ``at`` is before the case's last change.
    """
    ticket = _ticket(ticket)
    _as_of(ticket, _instant("at", at))
    return CaseDetails(
        case_number=ticket.id,
        parent_case=ticket.parent_id,
        subject=ticket.subject,
        impact=_text(ticket, IMPACT),
        origin=_text(ticket, ORIGIN),
        days_since_closed=days_since_closed(ticket, at),
        account=_text(ticket, ACCOUNT),
        case_reason=_text(ticket, CASE_REASON),
        status=_label(ticket),
        product=_text(ticket, PRODUCT),
        group=ticket.group,
        description=ticket.description,
        created=ticket.created_at,
        resolved=ticket.resolved_at,
    )


def _as_of(ticket: Ticket, at: datetime) -> None:
    if at.astimezone(UTC) < ticket.updated_at.astimezone(UTC):
        raise InvalidValueError(
            f"the instant {at.isoformat()} is before case {reprlib.repr(ticket.id)} last changed "
            f"({ticket.updated_at.isoformat()})",
            "show the case as of now, an instant after its last change",
        )


def open_cases(tickets: Iterable[Ticket], actor: Actor) -> tuple[Ticket, ...]:
    """The *My Cases* list: the open (not solved) cases ``actor`` may see, in order.

    A requester sees their own cases, the support staff every case, and anybody else
    (the anonymous visitor, a role the desk does not know) none: "monitoring cases is
    only available to authenticated users".

    Raises:
        InvalidTypeError: ``actor`` is not an Actor, or an item is not a Ticket.

    >>> from ticketflow import Actor
    >>> open_cases([], Actor.anonymous())
    ()
    """
    if not isinstance(actor, Actor):
        raise InvalidTypeError("actor", "an Actor", actor)
    if isinstance(tickets, str | bytes) or not isinstance(tickets, Iterable):
        raise InvalidTypeError("tickets", "an iterable of tickets", tickets)
    staff = _desk().staff_roles
    return tuple(
        ticket
        for ticket in map(_ticket, tickets)
        if visible_to(actor, ticket, staff) and _desk().workflow.category(ticket.status) != _CLOSED
    )


def comments(events: Iterable[Event], actor: Actor, ticket: Ticket) -> tuple[ReplyAdded, ...]:
    """The *Comments* tab: the comments of ``ticket``'s ``events`` that ``actor`` may read.

    The submitter reads the comments "made to the support staff and by the support
    staff" (public replies); the staff read their staff-only comments too; anybody who
    may not see the case reads none.

    Raises:
        InvalidTypeError: ``actor`` is not an Actor or ``ticket`` not a Ticket.
    """
    ticket = _ticket(ticket)
    if not visible_to(actor, ticket, _desk().staff_roles):
        return ()
    staff = actor.role in _desk().staff_roles
    return tuple(
        event
        for event in events
        if isinstance(event, ReplyAdded)
        and event.ticket_id == ticket.id
        and (event.public or staff)
    )
