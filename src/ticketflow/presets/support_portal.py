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

>>> from ticketflow.presets import support_portal
>>> [s.name for s in support_portal.WORKFLOW.statuses][:3]
['in_progress', 'waiting_for_customer', 'on_hold']
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from ticketflow import (
    AGENT,
    ASSIGNEE,
    CUSTOMER,
    CUSTOMER_REPLY,
    GROUP,
    POWER_INTERNAL_NOTES,
    REQUESTER,
    SYSTEM,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessDays,
    BusinessTime,
    Category,
    Desk,
    EscalationPolicy,
    Intake,
    Metric,
    NotificationPolicy,
    NotificationRule,
    Reaction,
    Role,
    SlaPolicy,
    Status,
    Transition,
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
WAITING_FOR_CUSTOMER: Final = "waiting_for_customer"
ON_HOLD: Final = "on_hold"
ESCALATED: Final = "escalated"
UNDER_INVESTIGATION: Final = "under_investigation"
CANCELED: Final = "canceled"
AWAITING_CONFIRMATION: Final = "awaiting_confirmation"
CLOSED: Final = "closed"

_WORKING: Final = frozenset(
    {IN_PROGRESS, WAITING_FOR_CUSTOMER, ON_HOLD, ESCALATED, UNDER_INVESTIGATION}
)
_OPEN: Final = _WORKING | {AWAITING_CONFIRMATION}

WORKFLOW: Final = Workflow(
    name="support-portal",
    initial=IN_PROGRESS,
    statuses=(
        Status(IN_PROGRESS, Category.ACTIVE, label="In progress"),
        Status(WAITING_FOR_CUSTOMER, Category.WAITING_ON_CUSTOMER, label="Waiting for customer"),
        Status(ON_HOLD, Category.ON_HOLD, label="On hold"),
        Status(ESCALATED, Category.ACTIVE, label="Escalated"),
        Status(UNDER_INVESTIGATION, Category.ACTIVE, label="Under investigation"),
        Status(CANCELED, Category.CANCELED, label="Canceled"),
        Status(AWAITING_CONFIRMATION, Category.RESOLVED, label="Awaiting confirmation"),
        Status(CLOSED, Category.CLOSED, label="Closed"),
    ),
    transitions=(
        # The customer's buttons.
        Transition(
            action="escalate",
            label="Escalate",
            sources=_OPEN - {ESCALATED},
            target=ESCALATED,
            roles={CUSTOMER, AGENT},
            requires_reason=True,
        ),
        Transition(
            action="resolve",
            label="Resolve this issue",
            sources=_OPEN,
            target=CLOSED,
            roles={CUSTOMER},
        ),
        Transition(
            action="cancel",
            label="Cancel request",
            sources=_OPEN,
            target=CANCELED,
            roles={CUSTOMER},
            then=(CLOSED,),
        ),
        # The same button pressed by an agent stays canceled.
        Transition(
            action="cancel",
            label="Cancel request",
            sources=_OPEN,
            target=CANCELED,
            roles={AGENT},
            requires_reason=True,
        ),
        # The agents' moves between the working statuses.
        Transition(
            action="start_work",
            label="Work on it",
            sources=_OPEN - {IN_PROGRESS},
            target=IN_PROGRESS,
            roles={AGENT},
        ),
        Transition(
            action="request_information",
            label="Ask the customer",
            sources=_WORKING - {WAITING_FOR_CUSTOMER},
            target=WAITING_FOR_CUSTOMER,
            roles={AGENT},
            requires_reason=True,
        ),
        Transition(
            action="put_on_hold",
            label="Put on hold",
            sources=_WORKING - {ON_HOLD},
            target=ON_HOLD,
            roles={AGENT},
            requires_reason=True,
        ),
        Transition(
            action="investigate",
            label="Investigate",
            sources=_WORKING - {UNDER_INVESTIGATION},
            target=UNDER_INVESTIGATION,
            roles={AGENT},
        ),
        Transition(
            action="propose_resolution",
            label="Ask to confirm",
            sources=_WORKING,
            target=AWAITING_CONFIRMATION,
            roles={AGENT},
        ),
        Transition(
            action="close",
            label="Close",
            sources={AWAITING_CONFIRMATION, CANCELED},
            target=CLOSED,
            roles={AGENT, SYSTEM},
        ),
    ),
    reactions=(
        # "suspended ... until the required information is received"
        Reaction(on=CUSTOMER_REPLY, sources={WAITING_FOR_CUSTOMER}, target=IN_PROGRESS),
        # "If the client responds, the work on the request will be extended"
        Reaction(on=CUSTOMER_REPLY, sources={AWAITING_CONFIRMATION}, target=IN_PROGRESS),
    ),
    priorities=("low", "normal", "high", "critical"),
    default_priority="normal",
    approval_action="resolve",
)
"""The portal's workflow."""


AUTO_CLOSE: Final = AutoClosePolicy(
    [AutoClose(when=Category.RESOLVED, after=BusinessDays(3), reminders=[BusinessDays(1)])]
)
"""Awaiting confirmation for 3 business days without a customer response closes the
request ("If the answer is not given, the hit will automatically be closed"); the
requester is reminded one business day before."""


def _hours(*hours: int) -> dict[str, BusinessTime]:
    return {
        priority: BusinessTime(timedelta(hours=h))
        for priority, h in zip(("critical", "high", "normal", "low"), hours, strict=True)
    }


SLA: Final = SlaPolicy(
    metrics=[
        Metric.first_response(_hours(1, 2, 4, 8)),
        Metric.next_response(_hours(2, 4, 8, 16)),
        # "The time to resolution of the requests is also set to pause until the
        # required information is received."
        Metric.resolution(_hours(8, 16, 40, 80)),
    ]
)
"""Example SLA targets in business time (the seed names none; pass your own to
:func:`desk`). The time to resolution pauses while the desk waits on the customer."""


ESCALATION: Final = EscalationPolicy(
    action="escalate",
    roles={CUSTOMER, AGENT},
    sla_fraction=0.75,
    quiet_period=BusinessTime(timedelta(hours=8)),
    min_justification=30,
    cooldown=BusinessTime(timedelta(hours=4)),
)
"""The *Escalate* button's rules: valid reasons are an SLA violation or no response for
a long time (checked: 75 % of an SLA target used, or no answer for 8 business hours),
changed scope (described), or other significant circumstances (justified in 30
characters); no reason and raising the priority are refused; 4 business hours between
two escalations by the client."""

NOTIFICATIONS: Final = NotificationPolicy(
    [
        # "the client receives a notification of any changes made in his open requests
        # (responses, changes in the status, etc.)" unless they pressed Don't notify me.
        NotificationRule(on="ReplyAdded", recipients=[REQUESTER, ASSIGNEE], message="reply_added"),
        NotificationRule(on="StatusChanged", recipients=[REQUESTER], message="status_changed"),
        NotificationRule(on="PriorityChanged", recipients=[REQUESTER], message="priority_changed"),
        NotificationRule(on="ReminderSent", recipients=[REQUESTER], message="closing_soon"),
        NotificationRule(on="TicketEscalated", recipients=[ASSIGNEE, GROUP], message="escalated"),
        NotificationRule(on="SlaBreached", recipients=[ASSIGNEE, GROUP], message="sla_breached"),
    ]
)
"""Who hears about what: the client about every change, the desk about escalations and
SLA breaches."""


DEVELOPER: Final = "developer"
"""The host role of the product's developers, whom the desk calls in on a request."""

ROLES: Final = (
    # "the assistance of the developers of the product is necessary for resolving this
    # request": they read every request and leave the support agents internal notes;
    # the agents answer the client, assign and move the request.
    Role(DEVELOPER, may={POWER_INTERNAL_NOTES}),
)
"""The portal's declared roles beside the built-in ``customer`` (the client), ``agent``
(the support agents) and ``system`` (the 3-business-day auto-close). Declaring them
makes every role the desk's definition names a checked name."""


def calendar() -> BusinessCalendar:
    """The portal's business days: Monday to Friday, 09:00-18:00 Moscow time, Russian
    public holidays and the Saturdays Russia works instead (the seed's original is
    Russian)."""
    return BusinessCalendar.weekdays("Europe/Moscow", "09:00", "18:00", country="RU")


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
        intake=Intake() if intake is None else intake,
        roles=roles,
    )


# Each desk() builds a calendar of its own (about 50 us): its caches, bounded anyway,
# are never state shared between desks. (The ``calendar`` argument of desk() hides the
# function of that name there.)
_new_calendar: Final = calendar
