"""What a requester may set when opening a ticket: the desk's customer-facing form.

A portal's "new ticket" form offers a customer a subject, a description and a few
choices (a priority from a short list, an impact, a product). Everything else on a
ticket is the desk's to set: the assignee, the group, the support level, the custom
fields that record the staff's evidence (``information_collected``), a priority the
form does not offer. Without this check a customer could open a ticket at
``critical`` and move its SLA deadline, or forge the evidence a tier's entry condition
reads. The desk declares the form as an :class:`Intake`; :func:`check_opening` refuses
anything beyond it, with a typed error saying what the form offers.

Staff opening a ticket on a customer's behalf are not limited by the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, final

import attrs

from ticketflow._checks import names
from ticketflow._errors import PermissionDeniedError, Problem, quoted, quoted_names

if TYPE_CHECKING:
    from ticketflow._commands import OpenTicket
    from ticketflow._ticket import Ticket
    from ticketflow._workflow import Workflow

__all__ = ["Intake", "check_opening"]


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


def check_opening(
    intake: Intake, workflow: Workflow, command: OpenTicket, parent: Ticket | None = None
) -> None:
    """Refuse an ``OpenTicket`` by a requester that sets what the desk's form does not offer.

    A follow-up inherits its parent's priority and group (``ticketflow.follow_up``
    copies them): with the parent given, and resolved, closed or canceled, those are
    the desk's earlier choices, not the requester's, and are accepted.

    Raises:
        PermissionDeniedError: a value only the desk's staff may set, with what the form
            offers.
    """
    actor = command.actor
    refused: list[str] = []
    if command.assignee is not None:
        refused.append("the assignee (the desk assigns tickets, not customers)")
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
        refused.append(f"priority {quoted(priority)} (the form offers {quoted_names(offered)})")
    if (
        command.group is not None
        and command.group not in intake.groups
        and (inherited is None or command.group != inherited.group)
    ):
        offered_groups = quoted_names(sorted(intake.groups)) or "no group"
        refused.append(f"group {quoted(command.group)} (the form offers {offered_groups})")
    extra = sorted(set(command.fields) - intake.fields)
    if extra:
        offered_fields = quoted_names(sorted(intake.fields)) or "no custom field"
        refused.append(f"the fields {quoted_names(extra)} (the form offers {offered_fields})")
    if refused:
        raise PermissionDeniedError(
            actor.id,
            actor.role,
            "open a ticket with " + "; ".join(refused),
            "only the desk's staff set these; leave them out, or declare them in the "
            "desk's Intake form if requesters may choose them",
        )
