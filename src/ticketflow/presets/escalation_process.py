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
from importlib.resources import files
from typing import Final

import attrs

from ticketflow import Actor, Desk, OpenTicket, SupportTiers, Ticket

# The preset module itself, not the package: the package names its presets (for type
# checkers), so importing through it would be a cycle.
from ticketflow.presets.support_portal import ROLES as SUPPORT_PORTAL_ROLES

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


def _read(name: str) -> Desk:
    return Desk.from_toml(files("ticketflow.presets").joinpath(name).read_text(encoding="utf-8"))


_DESK: Final = _read("escalation_process.toml")
"""The support desk of the preset's file, read once."""
_ENGINEERING_DESK: Final = _read("escalation_process_engineering.toml")
"""The engineering desk of the preset's second file, read once."""

ROLES: Final = tuple(role for role in _DESK.roles if role not in SUPPORT_PORTAL_ROLES)
"""The support desk's declared roles, beside the support portal's: the supervisor, who
may skip a level or move a case down."""

ENGINEERING_ROLES: Final = _ENGINEERING_DESK.roles
"""The engineering desk's declared roles: the R&D team moves its tasks, and opens the
task of a confirmed defect (:func:`link_task`) with the case's priority, the specialist
field and the client's mute."""

assert _DESK.escalation is not None, "escalation_process.toml declares [escalation]"
assert _DESK.escalation.tiers is not None, "escalation_process.toml declares its tiers"
TIERS: Final[SupportTiers] = _DESK.escalation.tiers
"""L1 -> L2 once the case's information is collected and reproduction attempted; L2 ->
L3 once the defect is confirmed."""

SPECIFYING: Final = "specifying"
READY: Final = "ready"
IN_PROGRESS: Final = "in_progress"
DONE: Final = "done"

ENGINEERING_WORKFLOW: Final = _ENGINEERING_DESK.workflow
"""Specifying -> Ready -> In Progress -> Done (released in a version or a patch)."""

ENGINEERING_NOTIFICATIONS: Final = _ENGINEERING_DESK.notifications
"""Each status tells the customer; Done tells the specialist to contact the customer."""


def desk() -> Desk:
    """The support desk of seed 003: the support portal's workflow with the three tiers.

    The seed describes tiers, not statuses, so the support portal's workflow and
    policies carry them.

    >>> [role.name for role in desk().roles]
    ['developer', 'supervisor']
    """
    # A calendar of its own per desk (a copy is built by its constructor): no cache is
    # shared state.
    return attrs.evolve(_DESK, calendar=attrs.evolve(_DESK.calendar))


def engineering_desk() -> Desk:
    """The R&D team's desk for engineering tasks linked to support cases.

    >>> engineering_desk().workflow is ENGINEERING_WORKFLOW
    True
    """
    return attrs.evolve(_ENGINEERING_DESK, calendar=attrs.evolve(_ENGINEERING_DESK.calendar))


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
