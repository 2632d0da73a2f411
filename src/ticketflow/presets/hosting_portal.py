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

>>> from ticketflow.presets import hosting_portal
>>> [s.label for s in hosting_portal.WORKFLOW.statuses][:3]
['Open', 'In Progress', 'Answered']
"""

from __future__ import annotations

from typing import Final

from ticketflow import (
    AGENT,
    POWER_INTERNAL_NOTES,
    POWER_PUBLIC_REPLIES,
    SYSTEM,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    CalendarDays,
    Category,
    Desk,
    Reaction,
    Role,
    Status,
    Transition,
    Workflow,
)
from ticketflow import CUSTOMER_REPLY as ON_CUSTOMER_REPLY

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

REOPEN_WINDOW: Final = CalendarDays(30)
"""How long after closing a customer's reply still reopens the ticket."""

_NOT_CLOSED: Final = frozenset({OPEN, IN_PROGRESS, ANSWERED, SCHEDULED, ON_HOLD, CUSTOMER_REPLY})

WORKFLOW: Final = Workflow(
    name="hosting-portal",
    initial=OPEN,
    statuses=(
        Status(OPEN, Category.NEW, label="Open"),
        Status(IN_PROGRESS, Category.ACTIVE, label="In Progress"),
        Status(ANSWERED, Category.WAITING_ON_CUSTOMER, label="Answered"),
        Status(CLOSED, Category.CLOSED, label="Closed"),
        Status(SCHEDULED, Category.ON_HOLD, label="Scheduled", wake_action="start"),
        Status(ON_HOLD, Category.ON_HOLD, label="On-Hold"),
        Status(CUSTOMER_REPLY, Category.ACTIVE, label="Customer-Reply"),
    ),
    transitions=(
        # "reviewed by a technician and they are currently working on resolving the issue"
        Transition(
            action="start",
            label="Start work",
            sources=_NOT_CLOSED - {IN_PROGRESS},
            target=IN_PROGRESS,
            roles={AGENT},
        ),
        # "The ticket will move to the in progress status when started": the wake-up.
        Transition(
            action="start",
            label="Start work",
            sources={SCHEDULED},
            target=IN_PROGRESS,
            roles={SYSTEM},
        ),
        # "addressed in some way by a technician and are awaiting more information"
        Transition(
            action="answer",
            label="Answer",
            sources=_NOT_CLOSED - {ANSWERED},
            target=ANSWERED,
            roles={AGENT},
        ),
        # "a notice will be placed in the ticket": holding says why.
        Transition(
            action="hold",
            label="Put on hold",
            sources=_NOT_CLOSED - {ON_HOLD},
            target=ON_HOLD,
            roles={AGENT},
            requires_reason=True,
        ),
        # "addressed at a specific time, such as a server reboot which is done overnight":
        # entering a scheduled status needs PerformAction(until=...); scheduling a
        # Scheduled ticket again moves its date.
        Transition(
            action="schedule",
            label="Schedule",
            sources=_NOT_CLOSED,
            target=SCHEDULED,
            roles={AGENT},
        ),
        Transition(
            action="close",
            label="Close",
            sources=_NOT_CLOSED,
            target=CLOSED,
            roles={AGENT},
        ),
        # "the ticket will be automatically closed" (only from Answered).
        Transition(
            action="close",
            label="Close",
            sources={ANSWERED},
            target=CLOSED,
            roles={SYSTEM},
        ),
    ),
    reactions=(
        # "anytime the customer responds to a ticket, the ticket will be placed into the
        # customer-reply status"
        Reaction(
            on=ON_CUSTOMER_REPLY,
            sources={ANSWERED, IN_PROGRESS, ON_HOLD, SCHEDULED},
            target=CUSTOMER_REPLY,
        ),
        # "Posting additional responses while the ticket is in Open status will cause the
        # ticket to be reset in the queue": re-entering Open restarts its time in status.
        Reaction(on=ON_CUSTOMER_REPLY, sources={OPEN}, target=OPEN),
        # "even closed tickets can be replied to for a period of 30 days from the date it
        # was closed"
        Reaction(
            on=ON_CUSTOMER_REPLY,
            sources={CLOSED},
            target=CUSTOMER_REPLY,
            within=REOPEN_WINDOW,
        ),
    ),
    priorities=("low", "medium", "high"),
    default_priority="medium",
)
"""The hosting portal's workflow."""


AUTO_CLOSE: Final = AutoClosePolicy(
    [AutoClose(when=Category.WAITING_ON_CUSTOMER, after=CalendarDays(30))]
)
"""Answered for 30 days without a customer response closes the ticket ("If the customer
does not respond to the ticket within 30 days, the ticket will be automatically
closed")."""


BILLING: Final = "billing"
"""The host role of the billing department."""

ROLES: Final = (
    # "a ticket may be placed into on-hold status if the customer billing information
    # is incorrect ... a notice will be placed in the ticket regarding any open
    # invoices before the ticket can be answered": billing reads every ticket and
    # places that notice (a public reply) or a note for the technician; the
    # technicians (``agent``) move the ticket.
    Role(BILLING, may={POWER_PUBLIC_REPLIES, POWER_INTERNAL_NOTES}),
)
"""The portal's declared roles beside the built-in ``customer``, ``agent`` (the
technicians) and ``system`` (the 30-day auto-close, the scheduled start). Declaring
them makes every role the desk's definition names a checked name."""


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
        # A calendar of its own per desk (cheap to build): no cache is shared state.
        calendar=calendar if calendar is not None else BusinessCalendar.always_open(),
        auto_close=AUTO_CLOSE,
        roles=roles,
    )
