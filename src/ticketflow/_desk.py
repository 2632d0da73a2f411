"""The desk: one workflow and the policies that go with it, passed to every decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, final

import attrs

from ticketflow._autoclose import AutoClosePolicy
from ticketflow._calendar import BusinessCalendar
from ticketflow._checks import items_of
from ticketflow._desk_documents import (
    desk_schema,
    placed,
    read_document,
    read_toml,
    sound,
    write_document,
)
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
from ticketflow._roles import Role
from ticketflow._sla_plan import SlaPlan
from ticketflow._sla_policy import SlaPolicy
from ticketflow._vocabulary import AGENT, ANONYMOUS, CUSTOMER, STAFF_POWERS, SYSTEM
from ticketflow._workflow import Workflow, timer_cycle_problems
from ticketflow._workflow_parts import Timer

__all__ = ["Desk", "require_desk"]


def _declared(value: Iterable[Role]) -> tuple[Role, ...]:
    """A desk's declared roles, each a :class:`Role`."""
    return items_of("Desk.roles", Role, value)


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
        roles: the host's roles and the staff powers each holds (:class:`Role`).
            Built in, always: ``customer``, ``anonymous``, and ``agent`` and
            ``system`` with every staff power. A desk that declares no role (the
            default) keeps the older meaning: every role its transitions or its
            escalation policy name is staff with every power. Once a desk declares a
            role, every role its definition names must be built in or declared.

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
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_declared)

    sla_plan: SlaPlan = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the SLA policy compiled for this workflow and calendar."""
    staff_roles: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the roles that are this desk's staff. ``agent``, ``system``,
    and the declared roles; on a desk that declares none, every host-defined role a
    transition names and the roles the escalation policy names (who may escalate, who
    may skip a support level). Any other role but ``customer`` sees and does nothing
    on this desk."""
    escalation_plan: EscalationPlan = attrs.field(init=False, eq=False, repr=False)
    """Derived, not given: the escalation policy compiled for this desk (what the
    escalation rules read of it)."""
    _timers_in: dict[str, tuple[Timer, ...]] = attrs.field(init=False, eq=False, repr=False)
    _powers: dict[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for name, kind in _KINDS.items():
            value = getattr(self, name)
            if not isinstance(value, kind) and not (name == "escalation" and value is None):
                raise InvalidTypeError(f"Desk.{name}", f"a {kind.__name__}", value)
        problems = self.auto_close.problems(self.workflow) + self.sla.problems(self.workflow)
        problems += self.intake.problems(self.workflow)
        problems += self.notifications.problems(self.workflow)
        problems += _role_problems(self.roles, _transition_roles(self.workflow), self.escalation)
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
        powers = _powers_by_role(self.roles, self.workflow, self.escalation)
        object.__setattr__(self, "_powers", powers)
        object.__setattr__(self, "staff_roles", frozenset(powers))
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

    @classmethod
    def from_document(cls, document: object) -> Desk:
        """Build a desk from a plain document (parsed TOML or JSON; see ``docs/desks.md``).

        The document's keys are the desk's field names (``workflow``, ``calendar``,
        ``calendars``, ``roles``, ``sla``, ``auto_close``, ``escalation``,
        ``notifications``, ``intake``). A document is only data: nothing in it runs.

        Raises:
            DeskDefinitionError: every problem together, each with its path in the
                document (``sla.metrics[1].targets.high``) and its fix in the
                document's words: an absurd size (alone, found first), the shape, each
                part's own problems, and the desk's checks of its parts against each
                other, run on every part with no problem of its own.

        >>> from ticketflow.presets import support_portal
        >>> desk = support_portal.desk()
        >>> Desk.from_document(desk.to_document()) == desk
        True
        >>> Desk.from_document({"workflow": desk.workflow.to_document(), "sla": {"metrics": [
        ...     {"name": "fr", "targets": {"high": {"business_days": 1}},
        ...      "starts_on": "opened", "stops_on": "agent_reply"}]}})
        Traceback (most recent call last):
        ...
        ticketflow._errors.DeskDefinitionError: invalid desk: 1 problem
          - sla.metrics[0].targets.high: is 1 business day: an SLA clock counts time, not days ...
        """
        parts, problems, transitions = read_document(document)
        # The desk's cross-checks run on the parts that read whole, even beside other
        # problems, so one pass reports every problem that does not depend on a broken
        # part; without a workflow, the role names of the transitions that read and
        # the notification rules' names of event kinds and recipients.
        checked = sound(parts, problems)
        if "workflow" in checked:
            try:
                desk = cls(**checked)
            except DeskDefinitionError as error:
                problems += placed(error.problems, parts)
            else:
                if not problems:
                    return desk
        else:
            roles = checked.get("roles", ())
            escalation = checked.get("escalation")
            named = [(i, t.roles) for i, t in transitions]
            problems += placed(tuple(_role_problems(roles, named, escalation)), parts)
            if "notifications" in checked:
                problems += placed(tuple(checked["notifications"].problems(None)), parts)
        raise DeskDefinitionError(problems)

    @classmethod
    def from_toml(cls, text: str) -> Desk:
        """Build a desk from TOML text; see :meth:`from_document`.

        Raises:
            DeskDefinitionError: the text is not TOML, or too long or deep to read, or
                every problem of the document it holds.
            InvalidTypeError: ``text`` is not a ``str``.

        >>> desk = Desk.from_toml('''
        ... [workflow]
        ... initial = "open"
        ... statuses = [{name = "open", category = "active"},
        ...             {name = "done", category = "closed"}]
        ... transitions = [{action = "close", from = "open", to = "done", roles = "agent"}]
        ... [[roles]]
        ... name = "triage"
        ... may = ["assign"]
        ... ''')
        >>> desk.powers_of("triage")
        frozenset({'assign'})
        """
        return cls.from_document(read_toml(text))

    def to_document(self) -> dict[str, object]:
        """This desk as a plain, JSON- and TOML-ready document (empty parts left out)
        that :meth:`from_document` reads back into an equal desk."""
        return write_document(
            {
                "workflow": self.workflow,
                "calendar": self.calendar,
                "auto_close": self.auto_close,
                "sla": self.sla,
                "escalation": self.escalation,
                "notifications": self.notifications,
                "intake": self.intake,
                "roles": self.roles,
            }
        )

    @classmethod
    def json_schema(cls) -> dict[str, object]:
        """The JSON Schema (draft 2020-12) of a desk document, as published in the
        package (``ticketflow/desk.schema.json``) and printed by ``ticketflow schema``.

        >>> Desk.json_schema()["required"]
        ['workflow']
        """
        return desk_schema()

    def timers_in(self, status: str) -> tuple[Timer, ...]:
        """Every timer running in ``status``: the workflow's and the policies'."""
        return self._timers_in.get(status, ())

    def powers_of(self, role: str) -> frozenset[str]:
        """The staff powers ``role`` holds on this desk (none for a role that is not
        staff: ``customer``, ``anonymous`` or an undeclared role).

        >>> from ticketflow.presets import support_portal
        >>> desk = Desk(workflow=support_portal.WORKFLOW, roles=[Role("auditor")])
        >>> desk.powers_of("auditor"), "assign" in desk.powers_of("agent")
        (frozenset(), True)
        """
        return self._powers.get(role, frozenset())


_BUILT_IN: Final = frozenset({CUSTOMER, ANONYMOUS, AGENT, SYSTEM})
"""The roles every desk has without declaring them."""
_ALL_POWERS: Final = frozenset(STAFF_POWERS)


def _transition_roles(workflow: Workflow) -> list[tuple[int, frozenset[str]]]:
    """The roles of each of the workflow's transitions, with its index."""
    return [(i, t.roles) for i, t in enumerate(workflow.transitions)]


def _named_roles(
    transitions: Iterable[tuple[int, frozenset[str]]], escalation: EscalationPolicy | None
) -> list[tuple[str, frozenset[str]]]:
    """Every place of the desk's definition that names roles, with the roles it names:
    ``transitions`` gives each transition's index and roles."""
    # By index: several workflows have two transitions of one action (from other
    # statuses, for other roles), so an action does not say which one.
    places = [(f"workflow.transitions[{i}].roles", roles) for i, roles in transitions]
    if escalation is not None:
        places.append(("escalation.roles", escalation.roles))
        if escalation.tiers is not None:
            places.append(("escalation.tiers.override_roles", escalation.tiers.override_roles))
    return places


def _role_problems(
    roles: tuple[Role, ...],
    transitions: Iterable[tuple[int, frozenset[str]]],
    escalation: EscalationPolicy | None,
) -> list[Problem]:
    """A declared role that is built in or declared twice; once roles are declared, a
    role the definition names that is neither built in nor declared."""
    if not roles:
        return []  # the older meaning: every role a transition names is staff
    problems: list[Problem] = []
    declared: set[str] = set()
    for index, role in enumerate(roles):
        where = f"roles[{index}]"
        if role.name in _BUILT_IN:
            problems.append(
                Problem(
                    where,
                    f"declares {quoted(role.name)}, which is built in",
                    "leave it out: 'agent' and 'system' hold every staff power, "
                    "'customer' and 'anonymous' none",
                )
            )
        elif role.name in declared:
            problems.append(
                Problem(where, f"declares {quoted(role.name)} twice", "declare each role once")
            )
        declared.add(role.name)
    known = declared | _BUILT_IN
    offered = quoted_names(sorted(known), limit=30)
    for where, named in _named_roles(transitions, escalation):
        for name in sorted(named - known):
            problems.append(
                Problem(
                    where,
                    f"names the role {quoted(name)}, which the desk does not declare",
                    f"name one of {offered}, or declare it: Desk(roles=[Role({name!r}), ...])",
                )
            )
    return problems


def _powers_by_role(
    roles: tuple[Role, ...], workflow: Workflow, escalation: EscalationPolicy | None
) -> dict[str, frozenset[str]]:
    """Each staff role's powers: ``agent`` and ``system`` every one, a declared role its
    own; on a desk that declares none, every role the definition names every one."""
    powers = {AGENT: _ALL_POWERS, SYSTEM: _ALL_POWERS}
    if roles:
        powers.update((role.name, role.may) for role in roles)
    else:
        for _, named in _named_roles(_transition_roles(workflow), escalation):
            powers.update((name, _ALL_POWERS) for name in named - {CUSTOMER, ANONYMOUS})
    return powers


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
