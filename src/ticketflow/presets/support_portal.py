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
your own. It is read once, when the preset is first imported.

>>> from ticketflow.presets import support_portal
>>> [s.name for s in support_portal.WORKFLOW.statuses][:3]
['in_progress', 'waiting_for_customer', 'on_hold']
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final

import attrs

from ticketflow import BusinessCalendar, Desk, EscalationPolicy, Intake, Role, SlaPolicy

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
WAITING_FOR_CUSTOMER: Final = "waiting_for_customer"
ON_HOLD: Final = "on_hold"
ESCALATED: Final = "escalated"
UNDER_INVESTIGATION: Final = "under_investigation"
CANCELED: Final = "canceled"
AWAITING_CONFIRMATION: Final = "awaiting_confirmation"
CLOSED: Final = "closed"

_DESK: Final = Desk.from_toml(
    files("ticketflow.presets").joinpath("support_portal.toml").read_text(encoding="utf-8")
)
"""The desk of the preset's file, read once."""

WORKFLOW: Final = _DESK.workflow
"""The portal's workflow."""

AUTO_CLOSE: Final = _DESK.auto_close
"""Awaiting confirmation for 3 business days without a customer response closes the
request ("If the answer is not given, the hit will automatically be closed"); the
requester is reminded one business day before."""

SLA: Final = _DESK.sla
"""Example SLA targets in business time (the seed names none; pass your own to
:func:`desk`). The time to resolution pauses while the desk waits on the customer."""

assert _DESK.escalation is not None, "support_portal.toml declares [escalation]"
ESCALATION: Final[EscalationPolicy] = _DESK.escalation
"""The *Escalate* button's rules: valid reasons are an SLA violation or no response for
a long time (checked: 75 % of an SLA target used, or no answer for 8 business hours),
changed scope (described), or other significant circumstances (justified in 30
characters); no reason and raising the priority are refused; 4 business hours between
two escalations by the client."""

NOTIFICATIONS: Final = _DESK.notifications
"""Who hears about what: the client about every change, the desk about escalations and
SLA breaches."""

DEVELOPER: Final = "developer"
"""The host role of the product's developers, whom the desk calls in on a request."""

ROLES: Final = _DESK.roles
"""The portal's declared roles beside the built-in ``customer`` (the client), ``agent``
(the support agents) and ``system`` (the 3-business-day auto-close): the developers,
who read every request and leave the agents internal notes. Declaring them makes every
role the desk's definition names a checked name."""


def calendar() -> BusinessCalendar:
    """The portal's business days: Monday to Friday, 09:00-18:00 Moscow time, Russian
    public holidays and the Saturdays Russia works instead (the seed's original is
    Russian).

    >>> calendar() == desk().calendar
    True
    """
    # A calendar of its own each time (a copy is built by its constructor): its caches,
    # bounded anyway, are never state shared between desks.
    return attrs.evolve(_DESK.calendar)


def desk(
    calendar: BusinessCalendar | None = None,
    sla: SlaPolicy | None = None,
    escalation: EscalationPolicy | None = ESCALATION,
    intake: Intake | None = None,
    roles: tuple[Role, ...] = ROLES,
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
    return Desk(
        workflow=WORKFLOW,
        calendar=calendar if calendar is not None else _new_calendar(),
        auto_close=AUTO_CLOSE,
        sla=SLA if sla is None else sla,
        escalation=escalation,
        notifications=NOTIFICATIONS,
        intake=_DESK.intake if intake is None else intake,
        roles=roles,
    )


# (The ``calendar`` argument of desk() hides the function of that name there.)
_new_calendar: Final = calendar
