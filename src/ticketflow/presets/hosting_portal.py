"""The customer portal of a hosting provider, seed ``002``.

Seven statuses, each encoding one paragraph of the seed's help page:

==================  ====================  ============================================
status              category              the seed's sentence
==================  ====================  ============================================
``open``            new                   "assigned to all new tickets ... a
                                          technician has not yet reviewed the ticket"
``in_progress``     active                "reviewed by a technician and they are
                                          currently working on resolving the issue"
``answered``        waiting_on_customer   "awaiting more information ... If the
                                          customer does not respond to the ticket
                                          within 30 days, the ticket will be
                                          automatically closed"
``closed``          closed                "You can still reply to a closed ticket for
                                          a certain period of time"
``scheduled``       on_hold               "will wait in this status until the date they
                                          have been scheduled ... will move to the in
                                          progress status when started"
``on_hold``         on_hold               "waiting for more information from a
                                          third-party or is held up for any other
                                          reason ... an undetermined amount of time"
``customer_reply``  active                "anytime the customer responds to a ticket,
                                          the ticket will be placed into the
                                          customer-reply status"
==================  ====================  ============================================

Customer replies are reactions, not buttons: in Answered, In Progress, On-Hold and
Scheduled a public reply of the requester moves the ticket to Customer-Reply; in Open it
re-enters Open, which restarts its time in the status and so its place in a queue
ordered by it ("Posting additional responses while the ticket is in Open status will
cause the ticket to be reset in the queue"). A reply to a closed ticket within 30 days
of closing reopens it into Customer-Reply ("even closed tickets can be replied to for a
period of 30 days from the date it was closed"); after that the reply is refused and
:func:`ticketflow.follow_up` builds the command of a new, linked ticket.

Agents move tickets between the statuses (``start``, ``answer``, ``hold`` with a
reason, ``schedule`` with ``until=`` (again to move the date), ``close``); the desk's
``system`` closes Answered tickets after 30 quiet days (:data:`AUTO_CLOSE`) and starts
Scheduled tickets at their instant (the status's ``wake_action``). The seed counts plain
days, so the desk's default calendar is 24/7 UTC and the 30 days are local days at the
same wall time.

The desk is the file ``hosting_portal.toml`` beside this module, a desk document (see
``docs/desks.md``) with the seed's sentence beside each rule: copy it to start a desk of
your own. It is read once, when the preset is first imported.

>>> from ticketflow.presets import hosting_portal
>>> [s.label for s in hosting_portal.WORKFLOW.statuses][:3]
['Open', 'In Progress', 'Answered']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Final

import attrs

from ticketflow import AutoClosePolicy, BusinessCalendar, CalendarDays, Desk, Role, Workflow

__all__ = [
    "ANSWERED",
    "AUTO_CLOSE",
    "BILLING",
    "CLOSED",
    "CUSTOMER_REPLY",
    "IN_PROGRESS",
    "ON_HOLD",
    "OPEN",
    "REOPEN_WINDOW",
    "ROLES",
    "SCHEDULED",
    "WORKFLOW",
    "desk",
]

OPEN: Final = "open"
"""Status ``open`` (new): a new ticket no technician has reviewed yet."""
IN_PROGRESS: Final = "in_progress"
"""Status ``in_progress`` (active): a technician works on resolving the issue."""
ANSWERED: Final = "answered"
"""Status ``answered`` (waiting_on_customer): awaiting more information from the customer; closed
after 30 days without a response."""
CLOSED: Final = "closed"
"""Status ``closed`` (closed): the customer can still reply for 30 days, which reopens it."""
SCHEDULED: Final = "scheduled"
"""Status ``scheduled`` (on_hold): waits until its scheduled date, then moves to in progress."""
ON_HOLD: Final = "on_hold"
"""Status ``on_hold`` (on_hold): waiting on a third party, for an undetermined time."""
CUSTOMER_REPLY: Final = "customer_reply"
"""Status ``customer_reply`` (active): the customer responded to the ticket."""

_READING: Final = threading.Lock()
_READ: Final[list[Desk]] = []


def _desk() -> Desk:
    """The desk of the preset's file, read on first use and kept (one for every thread)."""
    with _READING:
        if not _READ:
            path = files("ticketflow.presets").joinpath("hosting_portal.toml")
            _READ.append(Desk.from_toml(path.read_text(encoding="utf-8")))
        return _READ[0]


def _reopen_window() -> CalendarDays:
    reopen = next(r for r in _desk().workflow.reactions if CLOSED in r.sources)
    assert isinstance(reopen.within, CalendarDays), "hosting_portal.toml reopens within days"
    return reopen.within


# The constants below are the desk file's, read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

WORKFLOW: Workflow
"""The hosting portal's workflow."""

REOPEN_WINDOW: CalendarDays
"""How long after closing a customer's reply still reopens the ticket (30 days).

>>> REOPEN_WINDOW
CalendarDays(days=30)
"""

AUTO_CLOSE: AutoClosePolicy
"""Answered for 30 days without a customer response closes the ticket ("If the customer
does not respond to the ticket within 30 days, the ticket will be automatically
closed")."""

BILLING: Final = "billing"
"""The host role of the billing department."""

ROLES: tuple[Role, ...]
"""The portal's declared roles beside the built-in ``customer``, ``agent`` (the
technicians) and ``system`` (the 30-day auto-close, the scheduled start): billing, which
reads every ticket and places a notice of open invoices (a public reply) or a note for
the technician. Declaring them makes every role the desk's definition names a checked
name."""


_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {
    "WORKFLOW": lambda: _desk().workflow,
    "REOPEN_WINDOW": _reopen_window,
    "AUTO_CLOSE": lambda: _desk().auto_close,
    "ROLES": lambda: _desk().roles,
}


def __getattr__(name: str) -> object:
    """A constant of the desk file, made on first use and kept in the module."""
    if name not in _CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, _CONSTANTS[name]())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def desk(calendar: BusinessCalendar | None = None, roles: tuple[Role, ...] | None = None) -> Desk:
    """The hosting-portal desk: its workflow, a calendar and the auto-close policy.

    Args:
        calendar: the zone whose local days the 30 days count (default: 24/7 in UTC,
            since the seed counts plain days).
        roles: the declared roles (default: :data:`ROLES`).

    >>> desk().workflow is WORKFLOW
    True
    >>> str(desk().calendar.zone)
    'UTC'
    """
    read = _desk()
    return Desk(
        workflow=read.workflow,
        # A calendar of its own per desk (a copy is built by its constructor): no cache
        # is shared state.
        calendar=calendar if calendar is not None else attrs.evolve(read.calendar),
        auto_close=read.auto_close,
        roles=read.roles if roles is None else roles,
    )
