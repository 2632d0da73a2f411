"""The desk: one workflow and the policies that go with it, passed to every decision."""

from __future__ import annotations

from typing import final

import attrs

from ticketflow._autoclose import AutoClosePolicy
from ticketflow._calendar import BusinessCalendar
from ticketflow._errors import (
    DeskDefinitionError,
    InvalidTypeError,
    Problem,
    quoted,
    quoted_names,
)
from ticketflow._escalation import EscalationPlan, EscalationPolicy
from ticketflow._intake import Intake
from ticketflow._notifications import NotificationPolicy
from ticketflow._sla_plan import SlaPlan
from ticketflow._sla_policy import SlaPolicy
from ticketflow._vocabulary import ANONYMOUS, CUSTOMER
from ticketflow._workflow import Workflow, timer_cycle_problems
from ticketflow._workflow_parts import Timer

__all__ = ["Desk", "require_desk"]


@final
@attrs.frozen(kw_only=True)
class Desk:
    """Everything the decider needs to know about one support desk.

    A desk is a value: build it once at start-up and pass it to every call. Policies
    join the workflow here as keyword fields with neutral defaults, so a desk built for
    an older version keeps working. Building a desk checks that its policies fit its
    workflow and reports every problem together.

    Args:
        workflow: the statuses, transitions, reactions and timers.
        calendar: business hours for every duration in business time (24/7 UTC by
            default).
        auto_close: when quiet tickets close on their own (never, by default).
        sla: the SLA metrics and their targets (none, by default).
        escalation: how escalations are checked (``None``: the workflow's escalate
            action is a plain transition).
        notifications: whom the desk's events concern (nobody, by default).
        intake: what a requester may set when opening a ticket (by default only a
            subject, a description and the default priority).

    Raises:
        DeskDefinitionError: a policy does not fit the workflow.

    >>> from ticketflow.presets import support_portal
    >>> Desk(workflow=support_portal.WORKFLOW).workflow.name
    'support-portal'
    """

    workflow: Workflow
    calendar: BusinessCalendar = attrs.field(factory=BusinessCalendar.always_open)
    auto_close: AutoClosePolicy = attrs.field(factory=AutoClosePolicy)
    sla: SlaPolicy = attrs.field(factory=SlaPolicy)
    escalation: EscalationPolicy | None = None
    notifications: NotificationPolicy = attrs.field(factory=NotificationPolicy)
    intake: Intake = attrs.field(factory=Intake)

    sla_plan: SlaPlan = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the SLA policy compiled for this workflow and calendar."""
    staff_roles: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the roles that are this desk's staff. ``agent``, ``system``,
    every host-defined role a transition names, and the roles the escalation policy
    names (who may escalate, who may skip a support level). Any other role but
    ``customer`` sees and does nothing on this desk."""
    escalation_plan: EscalationPlan = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the escalation policy compiled for this desk (what the
    escalation rules read of it)."""
    _timers_in: dict[str, tuple[Timer, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for name, kind in _KINDS.items():
            value = getattr(self, name)
            if not isinstance(value, kind) and not (name == "escalation" and value is None):
                raise InvalidTypeError(f"Desk.{name}", f"a {kind.__name__}", value)
        problems = self.auto_close.problems(self.workflow) + self.sla.problems(self.workflow)
        problems += self.intake.problems(self.workflow)
        problems += self.notifications.problems(self.workflow)
        escalate = self.escalation.action if self.escalation is not None else None
        if escalate is not None and escalate not in self.workflow.actions:
            problems.append(
                Problem(
                    "escalation.action",
                    f"performs {quoted(escalate)}, which the workflow does not define",
                    f"name one of its actions: {quoted_names(self.workflow.actions, limit=30)}",
                )
            )
        if problems:
            raise DeskDefinitionError(problems)
        extra = self.auto_close.timers(self.workflow)
        # The policies' timers join the workflow's: together they must not cycle at one
        # instant (the workflow alone was checked when it was built).
        cycles = timer_cycle_problems(self.workflow, self.workflow.timers + extra) if extra else []
        if cycles:
            raise DeskDefinitionError(cycles)
        object.__setattr__(self, "sla_plan", SlaPlan(self.sla, self.calendar, self.workflow))
        object.__setattr__(self, "staff_roles", _staff_roles(self.workflow, self.escalation))
        object.__setattr__(
            self,
            "escalation_plan",
            EscalationPlan.of(
                self.escalation, self.staff_roles, self.workflow, self.calendar, self.sla_plan
            ),
        )
        object.__setattr__(
            self,
            "_timers_in",
            {
                s.name: self.workflow.timers_in(s.name)
                + tuple(t for t in extra if s.name in t.statuses)
                for s in self.workflow.statuses
            },
        )

    def timers_in(self, status: str) -> tuple[Timer, ...]:
        """Every timer running in ``status``: the workflow's and the policies'."""
        return self._timers_in.get(status, ())


def _staff_roles(workflow: Workflow, escalation: EscalationPolicy | None) -> frozenset[str]:
    roles = set(workflow.staff_roles)
    if escalation is not None:
        roles |= escalation.roles
        if escalation.tiers is not None:
            roles |= escalation.tiers.override_roles
    return frozenset(roles - {CUSTOMER, ANONYMOUS})


_KINDS: dict[str, type] = {
    "workflow": Workflow,
    "calendar": BusinessCalendar,
    "auto_close": AutoClosePolicy,
    "sla": SlaPolicy,
    "escalation": EscalationPolicy,
    "notifications": NotificationPolicy,
    "intake": Intake,
}
"""What each of a desk's parts must be (``escalation`` may also be ``None``)."""


def require_desk(what: str, value: object) -> Desk:
    """Return ``value`` if it is a :class:`Desk`, else raise :class:`InvalidTypeError`.

    >>> require_desk("desk", "support_portal")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: desk must be a Desk (build one with Desk(workflow=...) ...
    """
    if type(value) is not Desk:
        raise InvalidTypeError(
            what, "a Desk (build one with Desk(workflow=...) or a preset's desk())", value
        )
    return value
