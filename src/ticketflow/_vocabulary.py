"""The desk's shared vocabulary: the names every module agrees on, each defined once.

A workflow, its policies and the decider refer to these names; defining each here, once,
means a new name is added in one place and every check that lists the valid names (a
status's category, a reaction's trigger, a timer's start) derives its list from here.

Dependencies: this module imports nothing from ticketflow, so every other module may
import it.
"""

from __future__ import annotations

import enum
from typing import Final

__all__ = [
    "AGENT_REPLY",
    "CUSTOMER_REPLY",
    "Category",
    "REACTION_TRIGGERS",
    "SINCE_CUSTOMER_ACTIVITY",
    "SINCE_ENTERED",
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


CUSTOMER_REPLY: Final = "customer_reply"
"""A :class:`Reaction` trigger: a public reply by the requester."""
AGENT_REPLY: Final = "agent_reply"
"""A :class:`Reaction` trigger: a public reply by anyone of the desk's staff."""
REACTION_TRIGGERS: Final = (CUSTOMER_REPLY, AGENT_REPLY)
"""Every :class:`Reaction` trigger, in the order a problem report lists them."""

SINCE_ENTERED: Final = "entered"
"""A :class:`Timer` measured from the moment the ticket entered its status."""
SINCE_CUSTOMER_ACTIVITY: Final = "customer_activity"
"""A :class:`Timer` measured from the later of entering the status and the requester's
last public reply or action: customer activity restarts the period."""
TIMER_SINCES: Final = (SINCE_ENTERED, SINCE_CUSTOMER_ACTIVITY)
"""Every value of a :class:`Timer`'s ``since``, in the order a problem report lists them."""
