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

from importlib.resources import files
from typing import Final

import attrs

from ticketflow import BusinessCalendar, CalendarDays, Desk, Role

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
IN_PROGRESS: Final = "in_progress"
ANSWERED: Final = "answered"
CLOSED: Final = "closed"
SCHEDULED: Final = "scheduled"
ON_HOLD: Final = "on_hold"
CUSTOMER_REPLY: Final = "customer_reply"

_DESK: Final = Desk.from_toml(
    files("ticketflow.presets").joinpath("hosting_portal.toml").read_text(encoding="utf-8")
)
"""The desk of the preset's file, read once."""

WORKFLOW: Final = _DESK.workflow
"""The hosting portal's workflow."""

_REOPEN: Final = next(r for r in WORKFLOW.reactions if CLOSED in r.sources)
assert isinstance(_REOPEN.within, CalendarDays), "hosting_portal.toml reopens within days"
REOPEN_WINDOW: Final[CalendarDays] = _REOPEN.within
"""How long after closing a customer's reply still reopens the ticket (30 days).

>>> REOPEN_WINDOW
CalendarDays(days=30)
"""

AUTO_CLOSE: Final = _DESK.auto_close
"""Answered for 30 days without a customer response closes the ticket ("If the customer
does not respond to the ticket within 30 days, the ticket will be automatically
closed")."""

BILLING: Final = "billing"
"""The host role of the billing department."""

ROLES: Final = _DESK.roles
"""The portal's declared roles beside the built-in ``customer``, ``agent`` (the
technicians) and ``system`` (the 30-day auto-close, the scheduled start): billing, which
reads every ticket and places a notice of open invoices (a public reply) or a note for
the technician. Declaring them makes every role the desk's definition names a checked
name."""


def desk(calendar: BusinessCalendar | None = None, roles: tuple[Role, ...] = ROLES) -> Desk:
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
    return Desk(
        workflow=WORKFLOW,
        # A calendar of its own per desk (a copy is built by its constructor): no cache
        # is shared state.
        calendar=calendar if calendar is not None else attrs.evolve(_DESK.calendar),
        auto_close=AUTO_CLOSE,
        roles=roles,
    )
