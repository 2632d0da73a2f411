"""What a requester may set when opening a ticket: the desk's customer-facing form.

A portal's "new ticket" form offers a customer a subject, a description and a few
choices (a priority from a short list, an impact, a product). Everything else on a
ticket is the desk's to set: the assignee, the group, the support level, the custom
fields that record the staff's evidence (``information_collected``), a priority the
form does not offer. Without this check a customer could open a ticket at
``critical`` and move its SLA deadline, or forge the evidence a tier's entry condition
reads. The desk declares the form as an :class:`Intake`; :func:`check_opening` refuses
anything beyond it, with a typed error saying what the form offers.

Staff opening a ticket on a customer's behalf may set what the form offers, and beyond
it what their role's staff powers allow (:func:`check_staff_opening`): the assignee or a
group needs the assign power, another priority the change-priority power, custom fields
the set-fields power, exactly as the same change would once the ticket is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, final

import attrs

from ticketflow._checks import names
from ticketflow._errors import PermissionDeniedError, Problem, quoted, quoted_names
from ticketflow._vocabulary import (
    POWER_ASSIGN,
    POWER_CHANGE_PRIORITY,
    POWER_MUTE,
    POWER_OPEN_TICKETS,
    POWER_SET_FIELDS,
    STAFF_POWERS,
)

if TYPE_CHECKING:
    from ticketflow._commands import OpenTicket
    from ticketflow._ticket import Ticket
    from ticketflow._workflow import Workflow

__all__ = ["Intake", "beyond_the_form", "check_opening", "check_staff_opening"]


@final
@attrs.frozen(kw_only=True)
class Intake:
    """The fields and choices a requester may fill in when opening a ticket.

    Args:
        fields: the custom fields the requester may set (e.g. ``{"impact", "product"}``).
        priorities: the priorities the requester may choose, beside the workflow's
            default priority, which is always theirs to pick.
        groups: the groups (queues) the requester may choose.

    >>> Intake(fields={"impact"}, priorities={"low", "high"}).fields
    frozenset({'impact'})
    """

    fields: frozenset[str] = attrs.field(default=frozenset(), converter=names)
    priorities: frozenset[str] = attrs.field(default=frozenset(), converter=names)
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=names)

    def problems(self, workflow: Workflow) -> list[Problem]:
        """What does not fit ``workflow``: priorities it does not define, empty names."""
        out = [
            Problem(
                "intake.priorities",
                f"offers priority {quoted(p)}, which the workflow does not define",
                f"offer some of its priorities: {quoted_names(workflow.priorities, limit=30)}",
            )
            for p in sorted(self.priorities - set(workflow.priorities))
        ]
        for kind, values in (("field", self.fields), ("group", self.groups)):
            if any(not isinstance(v, str) or not v for v in values):
                out.append(
                    Problem(f"intake.{kind}s", f"offers an empty {kind} name", f"name every {kind}")
                )
        return out


NO_INTAKE: Final = Intake()

_DONE: Final = frozenset({"resolved", "closed", "canceled"})
"""The default form: a subject, a description and the default priority, nothing else."""


def beyond_the_form(
    intake: Intake, workflow: Workflow, command: OpenTicket, parent: Ticket | None = None
) -> list[tuple[str, str]]:
    """What ``command`` sets that the desk's form does not offer a requester, each with
    the staff power that may set it: ``(power, what)``, empty when the form covers it.

    A follow-up inherits its parent's priority and group (``ticketflow.follow_up``
    copies them): with the parent given, and resolved, closed or canceled, those are
    the desk's earlier choices, not the requester's, and are not beyond the form.
    Muting the new ticket is beyond the form only for staff (the requester may always
    mute their own ticket), so it is not listed here.
    """
    out: list[tuple[str, str]] = []
    if command.assignee is not None:
        out.append((POWER_ASSIGN, "the assignee (the desk assigns tickets, not customers)"))
    priority = command.priority
    # Only a follow-up to a ticket that is done inherits (a new question after the
    # answer); linking an open ticket would let one staff-raised ticket raise them all.
    inherited = (
        parent
        if parent is not None
        and parent.id == command.parent_id
        and workflow.has_status(parent.status)
        and workflow.category(parent.status) in _DONE
        else None
    )
    if (
        priority is not None
        and priority != workflow.default_priority
        and priority not in intake.priorities
        and (inherited is None or priority != inherited.priority)
    ):
        offered = sorted(intake.priorities | {workflow.default_priority})
        out.append(
            (
                POWER_CHANGE_PRIORITY,
                f"priority {quoted(priority)} (the form offers {quoted_names(offered)})",
            )
        )
    if (
        command.group is not None
        and command.group not in intake.groups
        and (inherited is None or command.group != inherited.group)
    ):
        offered_groups = quoted_names(sorted(intake.groups)) or "no group"
        out.append(
            (POWER_ASSIGN, f"group {quoted(command.group)} (the form offers {offered_groups})")
        )
    extra = sorted(set(command.fields) - intake.fields)
    if extra:
        offered_fields = quoted_names(sorted(intake.fields)) or "no custom field"
        out.append(
            (
                POWER_SET_FIELDS,
                f"the fields {quoted_names(extra)} (the form offers {offered_fields})",
            )
        )
    return out


def check_opening(
    intake: Intake, workflow: Workflow, command: OpenTicket, parent: Ticket | None = None
) -> None:
    """Refuse an ``OpenTicket`` by a requester that sets what the desk's form does not offer.

    What the form covers is :func:`beyond_the_form`'s.

    Raises:
        PermissionDeniedError: a value only the desk's staff may set, with what the form
            offers.
    """
    refused = [what for _, what in beyond_the_form(intake, workflow, command, parent)]
    if refused:
        actor = command.actor
        raise PermissionDeniedError(
            actor.id,
            actor.role,
            "open a ticket with " + "; ".join(refused),
            "only the desk's staff set these; leave them out, or declare them in the "
            "desk's Intake form if requesters may choose them",
        )


def check_staff_opening(
    intake: Intake,
    workflow: Workflow,
    command: OpenTicket,
    powers: frozenset[str],
    parent: Ticket | None = None,
) -> None:
    """Refuse an ``OpenTicket`` by the desk's staff that sets what the role's ``powers``
    do not allow.

    Opening at all needs :data:`~ticketflow.POWER_OPEN_TICKETS` (a role without it is
    read-only). A staff role may set whatever the form offers a requester; beyond it, the assignee
    and a group need :data:`~ticketflow.POWER_ASSIGN`, a priority
    :data:`~ticketflow.POWER_CHANGE_PRIORITY`, custom fields
    :data:`~ticketflow.POWER_SET_FIELDS`, and opening the ticket muted on the
    requester's behalf :data:`~ticketflow.POWER_MUTE`: the powers the same change
    needs once the ticket is open.

    Raises:
        PermissionDeniedError: the role may not open tickets, or what it may not set,
            with the powers it lacks and how to grant them.
    """
    actor = command.actor
    if POWER_OPEN_TICKETS not in powers:
        # A read-only role sees tickets and does nothing else, not even a plain opening.
        raise PermissionDeniedError(
            actor.id,
            actor.role,
            "open a ticket on a requester's behalf",
            f"the role lacks the staff power {quoted(POWER_OPEN_TICKETS)}; grant it in the "
            f"desk's roles, "
            f"Desk(roles=[Role({actor.role!r}, may={{{POWER_OPEN_TICKETS!r}, ...}})])",
        )
    beyond = beyond_the_form(intake, workflow, command, parent)
    if command.notifications_muted:
        beyond.append((POWER_MUTE, "the requester's notifications muted"))
    lacking = [(power, what) for power, what in beyond if power not in powers]
    if not lacking:
        return
    needed = sorted({power for power, _ in lacking}, key=STAFF_POWERS.index)
    grant = ", ".join(repr(p) for p in needed)
    raise PermissionDeniedError(
        actor.id,
        actor.role,
        "open a ticket with " + "; ".join(what for _, what in lacking),
        f"the role lacks the staff power{'s' if len(needed) > 1 else ''} {quoted_names(needed)}; "
        f"leave these out, or grant the power in the desk's roles, "
        f"Desk(roles=[Role({actor.role!r}, may={{{grant}, ...}})])",
    )
