"""The technical support portal of seeds ``000`` (English) and ``001`` (Russian original).

The export lost the status names; they are named here after their descriptions:

=========================  ======================  =======================================
status                     category                the seed's description
=========================  ======================  =======================================
``in_progress``            active                  specialists are working on the request
``waiting_for_customer``   waiting_on_customer     work suspended until the user answers;
                                                   the time to resolution pauses
``on_hold``                on_hold                 waiting on developers, a third party
                                                   (e.g. the SIP provider) or the client
``escalated``              active                  set by the *Escalate* button
``under_investigation``    active                  detailed analysis, more specialists
``canceled``               canceled                set by *Cancel request*; a client's
                                                   cancel goes on to *closed*
``awaiting_confirmation``  resolved                the job is over, waiting for the
                                                   client's confirmation (3 business days)
``closed``                 closed                  final: a new request is needed
=========================  ======================  =======================================

Awaiting confirmation closes on its own after 3 business days without a customer
response (:data:`AUTO_CLOSE`, on the desk's :func:`calendar`).

The portal's buttons are customer transitions: *Escalate* (``escalate``; send the
:class:`~ticketflow.Escalate` command, checked by :data:`ESCALATION`), *Resolve this
issue* (``resolve``: the client's approval closes the request; a reply with
``approves_resolution=True`` does the same) and *Cancel request* (``cancel``).
*Don't notify me* is the :class:`~ticketflow.MuteNotifications` command.
Agents move tickets between the working statuses.

The desk is the file ``support_portal.toml`` beside this module, a desk document (see
``docs/desks.md``) with the seed's sentence beside each rule: copy it to start a desk of
your own. It is read once, when a constant or a desk is first asked for: importing the
preset reads nothing, and the holidays package waits for the desk's calendar.

>>> from ticketflow.presets import support_portal
>>> [s.name for s in support_portal.WORKFLOW.statuses][:3]
['in_progress', 'waiting_for_customer', 'on_hold']
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Final, Literal, final

import attrs

from ticketflow import (
    AutoClosePolicy,
    BusinessCalendar,
    Desk,
    EscalationPolicy,
    Intake,
    NotificationPolicy,
    Role,
    SlaPolicy,
    Workflow,
)

__all__ = [
    "AUTO_CLOSE",
    "AWAITING_CONFIRMATION",
    "CANCELED",
    "CLOSED",
    "DEVELOPER",
    "ESCALATED",
    "ESCALATION",
    "IN_PROGRESS",
    "NOTIFICATIONS",
    "ON_HOLD",
    "ROLES",
    "SLA",
    "UNDER_INVESTIGATION",
    "WAITING_FOR_CUSTOMER",
    "WORKFLOW",
    "calendar",
    "desk",
]

IN_PROGRESS: Final = "in_progress"
"""Status ``in_progress`` (active), the initial one: specialists are working on the request."""
WAITING_FOR_CUSTOMER: Final = "waiting_for_customer"
"""Status ``waiting_for_customer`` (waiting_on_customer): work suspended until the user answers;
the time to resolution pauses."""
ON_HOLD: Final = "on_hold"
"""Status ``on_hold`` (on_hold): waiting on developers, a third party (the SIP provider) or the
client."""
ESCALATED: Final = "escalated"
"""Status ``escalated`` (active): set by the *Escalate* button."""
UNDER_INVESTIGATION: Final = "under_investigation"
"""Status ``under_investigation`` (active): detailed analysis, more specialists involved."""
CANCELED: Final = "canceled"
"""Status ``canceled`` (canceled): set by *Cancel request*; a client's cancel goes on to closed."""
AWAITING_CONFIRMATION: Final = "awaiting_confirmation"
"""Status ``awaiting_confirmation`` (resolved): the job is over, waiting for the client's
confirmation (3 business days)."""
CLOSED: Final = "closed"
"""Status ``closed`` (closed): final; a new request is needed."""

_READING: Final = threading.Lock()
_READ: Final[list[Desk]] = []


def _desk() -> Desk:
    """The desk of the preset's file, read on first use and kept (one for every thread)."""
    with _READING:
        if not _READ:
            text = files("ticketflow.presets").joinpath("support_portal.toml").read_text("utf-8")
            _READ.append(Desk.from_toml(text))
        return _READ[0]


def _escalation() -> EscalationPolicy:
    escalation = _desk().escalation
    assert escalation is not None, "support_portal.toml declares [escalation]"
    return escalation


# The constants below are the desk file's, read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

WORKFLOW: Workflow
"""The portal's workflow."""

AUTO_CLOSE: AutoClosePolicy
"""Awaiting confirmation for 3 business days without a customer response closes the
request ("If the answer is not given, the hit will automatically be closed"); the
requester is reminded one business day before."""

SLA: SlaPolicy
"""Example SLA targets in business time (the seed names none; pass your own to
:func:`desk`). The time to resolution pauses while the desk waits on the customer."""

ESCALATION: EscalationPolicy
"""The *Escalate* button's rules: valid reasons are an SLA violation or no response for
a long time (checked: 75 % of an SLA target used, or no answer for 8 business hours),
changed scope (described), or other significant circumstances (justified in 30
characters); no reason and raising the priority are refused; 4 business hours between
two escalations by the client."""

NOTIFICATIONS: NotificationPolicy
"""Who hears about what: the client about every change, the desk about escalations and
SLA breaches."""

DEVELOPER: Final = "developer"
"""The host role of the product's developers, whom the desk calls in on a request."""

ROLES: tuple[Role, ...]
"""The portal's declared roles beside the built-in ``customer`` (the client), ``agent``
(the support agents) and ``system`` (the 3-business-day auto-close): the developers,
who read every request and leave the agents internal notes. Declaring them makes every
role the desk's definition names a checked name."""

_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {
    "WORKFLOW": lambda: _desk().workflow,
    "AUTO_CLOSE": lambda: _desk().auto_close,
    "SLA": lambda: _desk().sla,
    "ESCALATION": _escalation,
    "NOTIFICATIONS": lambda: _desk().notifications,
    "ROLES": lambda: _desk().roles,
}


def __getattr__(name: str) -> object:
    """A constant of the desk file, made on first use and kept in the module."""
    if name not in _CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, _CONSTANTS[name]())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


@final
class _Default(enum.Enum):
    """The preset's own value, as a default argument (read from the file when used)."""

    ESCALATION = "ESCALATION"

    def __repr__(self) -> str:
        return self.value


def calendar() -> BusinessCalendar:
    """The portal's business days: Monday to Friday, 09:00-18:00 Moscow time, Russian
    public holidays and the Saturdays Russia works instead (the seed's original is
    Russian).

    >>> calendar() == desk().calendar
    True
    """
    # A calendar of its own each time (a copy is built by its constructor): its caches,
    # bounded anyway, are never state shared between desks.
    return attrs.evolve(_desk().calendar)


def desk(
    calendar: BusinessCalendar | None = None,
    sla: SlaPolicy | None = None,
    escalation: EscalationPolicy | Literal[_Default.ESCALATION] | None = _Default.ESCALATION,
    intake: Intake | None = None,
    roles: tuple[Role, ...] | None = None,
) -> Desk:
    """The support-portal desk: workflow, calendar, auto-close, SLA, escalation, notices.

    Args:
        calendar: the desk's business hours (default: :func:`calendar`).
        sla: the SLA policy (default: :data:`SLA`; ``SlaPolicy()`` for none).
        escalation: the escalation policy (default: :data:`ESCALATION`; ``None`` makes
            *Escalate* a plain transition).
        intake: what a client may set when opening a request (default: the seed's
            portal form, a subject and a description; the desk sets the rest).
        roles: the declared roles (default: :data:`ROLES`).

    >>> desk().workflow is WORKFLOW
    True
    """
    read = _desk()
    return Desk(
        workflow=read.workflow,
        calendar=calendar if calendar is not None else _new_calendar(),
        auto_close=read.auto_close,
        sla=read.sla if sla is None else sla,
        escalation=_escalation() if escalation is _Default.ESCALATION else escalation,
        notifications=read.notifications,
        intake=read.intake if intake is None else intake,
        roles=read.roles if roles is None else roles,
    )


# (The ``calendar`` argument of desk() hides the function of that name there.)
_new_calendar: Final = calendar
