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

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from importlib.resources import files
from typing import Final

import attrs

from ticketflow import (
    Actor,
    Desk,
    NotificationPolicy,
    OpenTicket,
    Role,
    SupportTiers,
    Ticket,
    Workflow,
)

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


_READING: Final = threading.Lock()
_READ: Final[dict[str, Desk]] = {}
_SUPPORT: Final = "escalation_process.toml"
_ENGINEERING: Final = "escalation_process_engineering.toml"


def _desk(name: str) -> Desk:
    """The desk of the preset's file ``name``, read on first use and kept (one for every
    thread)."""
    with _READING:
        if name not in _READ:
            text = files("ticketflow.presets").joinpath(name).read_text(encoding="utf-8")
            _READ[name] = Desk.from_toml(text)
        return _READ[name]


def _roles() -> tuple[Role, ...]:
    # The preset module itself, not the package: the package names its presets (for type
    # checkers), so importing through it would be a cycle. Imported when first needed,
    # as its desk is read.
    from ticketflow.presets.support_portal import ROLES as SUPPORT_PORTAL_ROLES  # noqa: PLC0415

    return tuple(role for role in _desk(_SUPPORT).roles if role not in SUPPORT_PORTAL_ROLES)


def _tiers() -> SupportTiers:
    escalation = _desk(_SUPPORT).escalation
    assert escalation is not None, "escalation_process.toml declares [escalation]"
    assert escalation.tiers is not None, "escalation_process.toml declares its tiers"
    return escalation.tiers


# The constants below are the desk files', read when first asked for (PEP 562): each is
# declared here for type checkers and documentation, and made by __getattr__.

ROLES: tuple[Role, ...]
"""The support desk's declared roles, beside the support portal's: the supervisor, who
may skip a level or move a case down."""

ENGINEERING_ROLES: tuple[Role, ...]
"""The engineering desk's declared roles: the R&D team moves its tasks, and opens the
task of a confirmed defect (:func:`link_task`) with the case's priority, the specialist
field and the client's mute."""

TIERS: SupportTiers
"""L1 -> L2 once the case's information is collected and reproduction attempted; L2 ->
L3 once the defect is confirmed."""

SPECIFYING: Final = "specifying"
"""The engineering task's status ``specifying`` (new): the R&D team specifies the fix."""
READY: Final = "ready"
"""The engineering task's status ``ready`` (active): specified, waiting for a developer."""
IN_PROGRESS: Final = "in_progress"
"""The engineering task's status ``in_progress`` (active): the fix is being made."""
DONE: Final = "done"
"""The engineering task's status ``done`` (closed): released in a version or a patch."""

ENGINEERING_WORKFLOW: Workflow
"""Specifying -> Ready -> In Progress -> Done (released in a version or a patch)."""

ENGINEERING_NOTIFICATIONS: NotificationPolicy
"""Each status tells the customer; Done tells the specialist to contact the customer."""

_CONSTANTS: Final[Mapping[str, Callable[[], object]]] = {
    "ROLES": _roles,
    "ENGINEERING_ROLES": lambda: _desk(_ENGINEERING).roles,
    "TIERS": _tiers,
    "ENGINEERING_WORKFLOW": lambda: _desk(_ENGINEERING).workflow,
    "ENGINEERING_NOTIFICATIONS": lambda: _desk(_ENGINEERING).notifications,
}


def __getattr__(name: str) -> object:
    """A constant of the desk files, made on first use and kept in the module."""
    if name not in _CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, _CONSTANTS[name]())


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def desk() -> Desk:
    """The support desk of seed 003: the support portal's workflow with the three tiers.

    The seed describes tiers, not statuses, so the support portal's workflow and
    policies carry them.

    >>> [role.name for role in desk().roles]
    ['developer', 'supervisor']
    """
    # A calendar of its own per desk (a copy is built by its constructor): no cache is
    # shared state.
    read = _desk(_SUPPORT)
    return attrs.evolve(read, calendar=attrs.evolve(read.calendar))


def engineering_desk() -> Desk:
    """The R&D team's desk for engineering tasks linked to support cases.

    >>> engineering_desk().workflow is ENGINEERING_WORKFLOW
    True
    """
    read = _desk(_ENGINEERING)
    return attrs.evolve(read, calendar=attrs.evolve(read.calendar))


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
        priority=case.priority
        if case.priority in _desk(_ENGINEERING).workflow.priorities
        else None,
        parent_id=case.id,
        fields=fields,
        # A client who pressed "Don't notify me" on the case hears nothing of its task.
        notifications_muted=case.notifications_muted,
    )
