"""The issue escalation process of seed ``003``: support tiers and the engineering task.

"Your case is a product defect and you already reported it. So, what are the steps
until be resolved?"

Support tiers
-------------
=====  =========================  ==========================================================
level  name                       entry condition (custom fields set on the ticket)
=====  =========================  ==========================================================
1      L1 analysis                none: "collecting all the information and evidences ...
                                  attempt to reproduce the reported issue"
2      L2 issue confirmation      ``information_collected`` and ``reproduction_attempted``
3      L3 assessment              ``defect_confirmed``: "The R&D team has confirmed that your
                                  case is a product defect"
=====  =========================  ==========================================================

Moving up one level is the normal path; a ``supervisor`` may skip a level or move a
case down, which is flagged in the :class:`~ticketflow.SupportLevelChanged` event.

The engineering task
--------------------
At L3 "the R&D team ... will create a JIRA task that is related to the issue". The task
is a ticket of its own on :func:`engineering_desk`, linked to the support case by its
``parent_id`` (:func:`link_task` builds the command), with the statuses Specifying,
Ready, In Progress and Done. Each status change notifies the customer ("At this point,
the customer receives a message from our ticketing system"); Done notifies the support
specialist named in the task's ``specialist`` field ("the Support Specialist
responsible for your case will receive a message to contact you").

>>> from ticketflow.presets import escalation_process
>>> [t.name for t in escalation_process.TIERS.levels]
['L1 analysis', 'L2 issue confirmation', 'L3 assessment']
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from ticketflow import (
    AGENT,
    CUSTOMER,
    POWER_CHANGE_PRIORITY,
    POWER_CHANGE_SUPPORT_LEVEL,
    POWER_MUTE,
    POWER_SET_FIELDS,
    REQUESTER,
    Actor,
    Category,
    Desk,
    EscalationPolicy,
    NotificationPolicy,
    NotificationRule,
    OpenTicket,
    Role,
    Status,
    SupportTiers,
    Ticket,
    Tier,
    Transition,
    Workflow,
)

# The preset module itself, not the package: the package names its presets (for type
# checkers), so importing through it would be a cycle.
from ticketflow.presets.support_portal import desk as support_portal_desk

__all__ = [
    "DONE",
    "ENGINEER",
    "ENGINEERING_NOTIFICATIONS",
    "ENGINEERING_ROLES",
    "ENGINEERING_WORKFLOW",
    "IN_PROGRESS",
    "READY",
    "ROLES",
    "SPECIALIST_FIELD",
    "SPECIFYING",
    "SUPERVISOR",
    "TIERS",
    "desk",
    "engineering_desk",
    "link_task",
]

SUPERVISOR: Final = "supervisor"
"""The host role that may skip a support level or move a case down."""
ENGINEER: Final = "engineer"
"""The host role of the R&D team that moves engineering tasks."""
SPECIALIST_FIELD: Final = "specialist"
"""The engineering task's field naming the support specialist to tell when it is done."""

ROLES: Final = (
    # "a supervisor may skip a level or move a case down": the one staff power the
    # process gives the role; the analysts and specialists of each level are ``agent``.
    Role(SUPERVISOR, may={POWER_CHANGE_SUPPORT_LEVEL}),
)
"""The support desk's declared roles, beside the support portal's."""

ENGINEERING_ROLES: Final = (
    # The R&D team opens the task of a confirmed defect (link_task): it carries the
    # case's priority, names the specialist in a field and keeps a client's "Don't
    # notify me", so it needs those three powers.
    Role(ENGINEER, may={POWER_CHANGE_PRIORITY, POWER_SET_FIELDS, POWER_MUTE}),
)
"""The engineering desk's declared roles: the R&D team moves its tasks."""

TIERS: Final = SupportTiers(
    levels=[
        Tier(level=1, name="L1 analysis"),
        Tier(
            level=2,
            name="L2 issue confirmation",
            requires_fields=("information_collected", "reproduction_attempted"),
        ),
        Tier(level=3, name="L3 assessment", requires_fields=("defect_confirmed",)),
    ],
    override_roles={SUPERVISOR},
)
"""L1 -> L2 once the case's information is collected and reproduction attempted; L2 ->
L3 once the defect is confirmed."""

SPECIFYING: Final = "specifying"
READY: Final = "ready"
IN_PROGRESS: Final = "in_progress"
DONE: Final = "done"

ENGINEERING_WORKFLOW: Final = Workflow(
    name="engineering-task",
    initial=SPECIFYING,
    statuses=(
        Status(SPECIFYING, Category.ACTIVE, label="Specifying"),
        Status(READY, Category.ACTIVE, label="Ready"),
        Status(IN_PROGRESS, Category.ACTIVE, label="In Progress"),
        Status(DONE, Category.CLOSED, label="Done"),
    ),
    transitions=(
        Transition(action="ready", sources={SPECIFYING}, target=READY, roles={ENGINEER}),
        Transition(action="start", sources={READY}, target=IN_PROGRESS, roles={ENGINEER}),
        Transition(
            action="respecify", sources={READY, IN_PROGRESS}, target=SPECIFYING, roles={ENGINEER}
        ),
        Transition(action="release", sources={IN_PROGRESS}, target=DONE, roles={ENGINEER}),
    ),
)
"""Specifying -> Ready -> In Progress -> Done (released in a version or a patch)."""

ENGINEERING_NOTIFICATIONS: Final = NotificationPolicy(
    [
        NotificationRule(
            on="TicketOpened", recipients=[REQUESTER], message="engineering.specifying"
        ),
        NotificationRule(
            on="StatusChanged",
            recipients=[REQUESTER],
            message="engineering.specifying",
            statuses={SPECIFYING},
        ),
        NotificationRule(
            on="StatusChanged",
            recipients=[REQUESTER],
            message="engineering.ready",
            statuses={READY},
        ),
        NotificationRule(
            on="StatusChanged",
            recipients=[REQUESTER],
            message="engineering.in_progress",
            statuses={IN_PROGRESS},
        ),
        NotificationRule(
            on="StatusChanged",
            recipients=[f"field:{SPECIALIST_FIELD}"],
            message="engineering.done.contact_customer",
            statuses={DONE},
        ),
    ]
)
"""Each status tells the customer; Done tells the specialist to contact the customer."""


def desk() -> Desk:
    """The support desk of seed 003: the support portal's workflow with the three tiers.

    The seed describes tiers, not statuses, so the support portal's workflow and
    policies carry them.
    """
    base = support_portal_desk()
    return Desk(
        workflow=base.workflow,
        calendar=base.calendar,
        auto_close=base.auto_close,
        sla=base.sla,
        escalation=EscalationPolicy(
            action="escalate",
            roles={CUSTOMER, AGENT},
            tiers=TIERS,
        ),
        notifications=base.notifications,
        intake=base.intake,
        roles=(*base.roles, *ROLES),
    )


def engineering_desk() -> Desk:
    """The R&D team's desk for engineering tasks linked to support cases."""
    return Desk(
        workflow=ENGINEERING_WORKFLOW,
        notifications=ENGINEERING_NOTIFICATIONS,
        roles=ENGINEERING_ROLES,
    )


def link_task(case: Ticket, *, actor: Actor, at: datetime, task_id: str) -> OpenTicket:
    """The command that opens the engineering task of a confirmed defect.

    The task's requester is the case's customer (so they hear of every status), its
    parent is the case, and its ``specialist`` field names the case's assignee.

    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> case = Ticket(id="C-7", subject="Export fails", status="in_progress",
    ...               priority="high", requester="alice", assignee="sam", created_at=at,
    ...               updated_at=at, status_since=at, version=4)
    >>> command = link_task(case, actor=Actor("rd-bot", ENGINEER), at=at, task_id="JIRA-1")
    >>> command.parent_id, command.requester, command.fields["specialist"]
    ('C-7', 'alice', 'sam')
    """
    fields = {SPECIALIST_FIELD: case.assignee} if case.assignee else {}
    return OpenTicket(
        actor=actor,
        at=at,
        ticket_id=task_id,
        subject=f"Defect: {case.subject}",
        requester=case.requester,
        priority=case.priority if case.priority in ENGINEERING_WORKFLOW.priorities else None,
        parent_id=case.id,
        fields=fields,
        # A client who pressed "Don't notify me" on the case hears nothing of its task.
        notifications_muted=case.notifications_muted,
    )
