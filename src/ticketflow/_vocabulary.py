"""The desk's shared vocabulary: the names every module agrees on, each defined once.

A workflow, its policies and the decider refer to these names; defining each here, once,
means a new name is added in one place and every check that lists the valid names (a
status's category, a reaction's trigger, a timer's start) derives its list from here.

Dependencies: this module imports only the errors, so every other module may import it.
"""

from __future__ import annotations

import enum
from typing import Final

from ticketflow._errors import InvalidTypeError

__all__ = [
    "AGENT",
    "ANONYMOUS",
    "CATEGORIES",
    "CUSTOMER",
    "CUSTOMER_FOLLOWED_UP",
    "EVENT_SIGNALS",
    "IDLE",
    "NEW_CYCLE",
    "OPENED",
    "PAUSED",
    "REOPENED",
    "RESUME",
    "RUNNING",
    "STAFF",
    "STAFF_POWERS",
    "POWER_ASSIGN",
    "POWER_CHANGE_PRIORITY",
    "POWER_CHANGE_SUPPORT_LEVEL",
    "POWER_INTERNAL_NOTES",
    "POWER_MUTE",
    "POWER_OPEN_TICKETS",
    "POWER_PUBLIC_REPLIES",
    "POWER_SET_FIELDS",
    "STOPPED",
    "SYSTEM",
    "ClockState",
    "entered",
    "AGENT_REPLY",
    "CUSTOMER_REPLY",
    "Category",
    "REACTION_TRIGGERS",
    "SINCE_CUSTOMER_ACTIVITY",
    "SINCE_ENTERED",
    "SINCE_LAST_UPDATE",
    "TIMER_SINCES",
]


class Category(enum.StrEnum):
    """What a status means to every policy, whatever the workflow calls it."""

    NEW = "new"
    ACTIVE = "active"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELED = "canceled"


CATEGORIES: Final = frozenset(c.value for c in Category)
"""Every category's name."""


# -- roles ---------------------------------------------------------------------------

CUSTOMER: Final = "customer"
"""The role of the people who request support; they act only on their own tickets."""
AGENT: Final = "agent"
"""The role of the desk's support staff."""
SYSTEM: Final = "system"
"""The role of the desk's own rules (timers, automations)."""
ANONYMOUS: Final = "anonymous"
"""The role of an actor nobody has authenticated; it sees and does nothing."""
STAFF: Final = frozenset({AGENT, SYSTEM})
"""The roles that are desk staff on every desk; a workflow adds the host-defined roles
its transitions and its escalation policy name (``Desk.staff_roles``)."""


# -- staff powers: what a declared role may do beyond its transitions ----------------

POWER_OPEN_TICKETS: Final = "open_tickets"
"""A staff power: open a ticket on a requester's behalf (:class:`OpenTicket` by staff;
a customer opens their own through the desk's intake form)."""
POWER_ASSIGN: Final = "assign"
"""A staff power: assign a ticket to somebody or a group (:class:`Assign`)."""
POWER_CHANGE_PRIORITY: Final = "change_priority"
"""A staff power: change a ticket's priority (:class:`ChangePriority`)."""
POWER_SET_FIELDS: Final = "set_fields"
"""A staff power: set or remove a custom field (:class:`SetField`)."""
POWER_INTERNAL_NOTES: Final = "internal_notes"
"""A staff power: write a note the requester does not see (``Reply(public=False)``)."""
POWER_PUBLIC_REPLIES: Final = "public_replies"
"""A staff power: answer the requester (``Reply(public=True)``), which moves the SLA
clocks that wait for the desk's answer."""
POWER_MUTE: Final = "mute"
"""A staff power: mute or unmute a ticket's notifications to the requester (the
requester may always mute their own ticket)."""
POWER_CHANGE_SUPPORT_LEVEL: Final = "change_support_level"
"""A staff power: move a ticket between support levels (:class:`ChangeSupportLevel`)."""
STAFF_POWERS: Final = (
    POWER_OPEN_TICKETS,
    POWER_ASSIGN,
    POWER_CHANGE_PRIORITY,
    POWER_SET_FIELDS,
    POWER_INTERNAL_NOTES,
    POWER_PUBLIC_REPLIES,
    POWER_MUTE,
    POWER_CHANGE_SUPPORT_LEVEL,
)
"""Every staff power, in the order a problem report lists them. ``agent`` and
``system`` hold them all; a declared :class:`Role` holds those it names (none: a
read-only role that only sees tickets)."""


# -- what a reply or an opening signals: reaction triggers and SLA signals -----------

CUSTOMER_REPLY: Final = "customer_reply"
"""A public reply by the requester: a :class:`Reaction` trigger and an SLA signal."""
AGENT_REPLY: Final = "agent_reply"
"""A public reply by anyone of the desk's staff: a :class:`Reaction` trigger and an SLA
signal."""
REACTION_TRIGGERS: Final = (CUSTOMER_REPLY, AGENT_REPLY)
"""Every :class:`Reaction` trigger, in the order a problem report lists them."""

SINCE_ENTERED: Final = "entered"
"""A :class:`Timer` measured from the moment the ticket entered its status."""
SINCE_CUSTOMER_ACTIVITY: Final = "customer_activity"
"""A :class:`Timer` measured from the later of entering the status and the requester's
last public reply or action: customer activity restarts the period."""
SINCE_LAST_UPDATE: Final = "last_update"
"""A :class:`Timer` measured from the later of entering the status and the ticket's last
update (``Ticket.last_update_at``): any event somebody causes, customer or staff (a
reply, an internal note, a field or priority change...), restarts the period; the
desk's own rules (timers, reminders, SLA checks) do not. ServiceNow's auto-close counts
this way, "from the resolved date or the last update"."""
TIMER_SINCES: Final = (SINCE_ENTERED, SINCE_CUSTOMER_ACTIVITY, SINCE_LAST_UPDATE)
"""Every value of a :class:`Timer`'s ``since``, in the order a problem report lists them."""


# -- SLA signals and restarts -----------------------------------------------------------

OPENED: Final = "opened"
"""SLA signal: the ticket was opened."""
CUSTOMER_FOLLOWED_UP: Final = "customer_follow_up"
"""SLA signal: the requester added a public reply after the staff's first public reply,
or on a ticket that was resolved (a reply that rejects a resolution awaits an answer)."""
REOPENED: Final = "reopened"
"""SLA signal: a closed ticket was reopened."""
RESUME: Final = "resume"
"""On restart, an SLA clock counts on from where it stopped."""
NEW_CYCLE: Final = "new_cycle"
"""On restart, an SLA clock starts a new cycle from zero."""


EVENT_SIGNALS: Final = frozenset(
    {OPENED, CUSTOMER_REPLY, CUSTOMER_FOLLOWED_UP, AGENT_REPLY, REOPENED}
)
"""Every SLA signal an event raises besides entering a category (:func:`entered`)."""


def entered(category: str) -> str:
    """The SLA signal raised when the ticket enters a status of ``category``.

    >>> entered("resolved")
    'entered:resolved'
    >>> entered(None)
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: category must be a category's name (a string), ...
    """
    if not isinstance(category, str):
        raise InvalidTypeError("category", "a category's name (a string)", category)
    return f"entered:{category}"


# -- SLA clock states ------------------------------------------------------------------


class ClockState(enum.StrEnum):
    """Where an SLA clock is; a clock stores the value (``SlaClock.state``)."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


IDLE: Final = ClockState.IDLE.value
"""An SLA clock that has not started."""
RUNNING: Final = ClockState.RUNNING.value
"""An SLA clock that counts."""
PAUSED: Final = ClockState.PAUSED.value
"""An SLA clock that does not count for now."""
STOPPED: Final = ClockState.STOPPED.value
"""An SLA clock that stopped (met, or breached)."""
