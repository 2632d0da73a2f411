"""The desk (``_desk.py``): one workflow and the policies that go with it, checked
together when the desk is built."""

from __future__ import annotations

from typing import Any

import pytest

from ticketflow import (
    STAFF_POWERS,
    Actor,
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessDays,
    Category,
    Desk,
    DeskDefinitionError,
    EscalationPolicy,
    Intake,
    InvalidTypeError,
    NotificationPolicy,
    NotificationRule,
    Role,
    SlaPolicy,
    Status,
    SupportTiers,
    Tier,
    Transition,
    Workflow,
)
from ticketflow.presets import support_portal


class TestDefaults:
    def test_a_desk_of_a_workflow_alone_has_neutral_policies(self) -> None:
        """A desk built from a workflow alone counts on a 24/7 UTC calendar, measures no
        SLA, closes nothing on its own and checks no escalation."""
        desk = Desk(workflow=support_portal.WORKFLOW)

        expected = (BusinessCalendar.always_open(), SlaPolicy(), AutoClosePolicy(), None)

        assert expected == (desk.calendar, desk.sla, desk.auto_close, desk.escalation)


class TestStaff:
    def test_a_role_a_transition_names_is_staff(self) -> None:
        """A host-defined role that a transition names is one of the desk's staff; the
        customer is not."""
        workflow = Workflow(
            name="audited",
            statuses=(Status("open", Category.ACTIVE), Status("done", Category.CLOSED)),
            initial="open",
            transitions=(
                Transition(action="close", sources="open", target="done", roles="auditor"),
            ),
        )

        roles = Desk(workflow=workflow).staff_roles

        assert ("auditor" in roles, Actor.customer("alice").role in roles) == (True, False)


class TestTimers:
    def test_the_policies_timers_join_the_workflows(self) -> None:
        """``timers_in`` lists the workflow's timers of a status and the auto-close timers
        the policy adds to it."""
        desk = Desk(
            workflow=support_portal.WORKFLOW,
            auto_close=AutoClosePolicy([AutoClose(when="resolved", after=BusinessDays(3))]),
        )

        names = [t.name for t in desk.timers_in(support_portal.AWAITING_CONFIRMATION)]

        assert "auto-close resolved" in names
        assert () == desk.timers_in("no such status")


class TestRefusals:
    def test_every_problem_of_the_policies_is_reported_together(self) -> None:
        """An auto-close rule that matches nothing and an escalation action the workflow
        lacks are both reported by one DeskDefinitionError, each with its fix."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(
                workflow=support_portal.WORKFLOW,
                auto_close=AutoClosePolicy([AutoClose(when="limbo", after=BusinessDays(3))]),
                escalation=EscalationPolicy(action="bump"),
            )

        where = [p.where for p in raised.value.problems]
        assert ["auto_close.rules[0].when", "escalation.action"] == where
        assert "2 problems" in str(raised.value)

    def test_every_unknown_name_of_every_policy_is_reported_together(self) -> None:
        """Unknown names in the auto-close, intake, notification and escalation policies
        are all reported by one DeskDefinitionError, each at its place."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(
                workflow=support_portal.WORKFLOW,
                auto_close=AutoClosePolicy([AutoClose(when="limbo", after=BusinessDays(3))]),
                intake=Intake(priorities={"whenever"}),
                notifications=NotificationPolicy(
                    [NotificationRule(on="reply_added", recipients="requester", message="m")]
                ),
                escalation=EscalationPolicy(action="bump"),
            )

        expected = [
            "auto_close.rules[0].when",
            "intake.priorities",
            "notifications.rules[0].on",
            "escalation.action",
        ]
        assert expected == [p.where for p in raised.value.problems]

    def test_an_escalation_action_the_workflow_lacks_names_the_actions_to_use(self) -> None:
        """An escalation policy performing an unknown action is refused at
        ``escalation.action``, quoting it and listing the workflow's actions."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=support_portal.WORKFLOW, escalation=EscalationPolicy(action="bump"))

        actions = ", ".join(map(repr, support_portal.WORKFLOW.actions))
        expected = [
            "escalation.action: performs 'bump', which the workflow does not define "
            f"(fix: name one of its actions: {actions})"
        ]
        assert expected == [str(p) for p in raised.value.problems]


class TestDeskParts:
    @pytest.mark.parametrize(
        "part",
        ["workflow", "calendar", "auto_close", "sla", "escalation", "notifications", "intake"],
    )
    def test_a_desk_part_of_the_wrong_type_is_a_typed_error(self, part: str) -> None:
        """Desk(workflow=None) and the like raise InvalidTypeError naming the part."""
        parts: dict[str, Any] = {"workflow": support_portal.WORKFLOW, part: "oops"}

        with pytest.raises(InvalidTypeError, match=rf"Desk\.{part} must be"):
            Desk(**parts)


TYPO_WORKFLOW = Workflow(
    name="typo",
    statuses=(Status("open", Category.ACTIVE), Status("done", Category.CLOSED)),
    initial="open",
    transitions=(Transition(action="close", sources="open", target="done", roles="agnet"),),
)


class TestDeclaredRoles:
    def test_a_role_typo_in_a_transition_is_a_problem_once_roles_are_declared(self) -> None:
        """A transition naming 'agnet' on a desk that declares roles is refused at its
        place, offering the roles the desk knows."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=TYPO_WORKFLOW, roles=[Role("readonly_auditor")])

        (problem,) = raised.value.problems
        assert "workflow.transitions[0].roles" == problem.where
        assert "'agnet'" in problem.what
        assert "'readonly_auditor'" in problem.fix

    def test_an_undeclared_escalation_role_is_a_problem(self) -> None:
        """Who may escalate and who may skip a level must be built in or declared."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(
                workflow=support_portal.WORKFLOW,
                roles=[Role("auditor")],
                escalation=EscalationPolicy(
                    roles={"customer", "lead"},
                    tiers=SupportTiers(
                        levels=[Tier(level=1, name="L1"), Tier(level=2, name="L2")],
                        override_roles={"boss"},
                    ),
                ),
            )

        where = [p.where for p in raised.value.problems]
        assert ["escalation.roles", "escalation.tiers.override_roles"] == where

    @pytest.mark.parametrize("name", ["agent", "system", "customer", "anonymous"])
    def test_a_built_in_role_may_not_be_declared(self, name: str) -> None:
        """Declaring a built-in role is refused: its meaning is fixed."""
        with pytest.raises(DeskDefinitionError, match="is built in"):
            Desk(workflow=support_portal.WORKFLOW, roles=[Role(name)])

    def test_a_role_declared_twice_is_a_problem(self) -> None:
        """Each role is declared once."""
        with pytest.raises(DeskDefinitionError, match="twice"):
            Desk(workflow=support_portal.WORKFLOW, roles=[Role("a"), Role("a", may="assign")])

    def test_a_role_that_is_not_a_role_value_is_a_typed_error(self) -> None:
        """Desk(roles=["auditor"]) names a string where a Role belongs."""
        roles: Any = ["auditor"]

        with pytest.raises(InvalidTypeError, match=r"Desk\.roles"):
            Desk(workflow=support_portal.WORKFLOW, roles=roles)

    def test_a_desk_without_declared_roles_keeps_a_transitions_role_as_full_staff(self) -> None:
        """With no roles declared, a role a transition names holds every staff power."""
        desk = Desk(workflow=TYPO_WORKFLOW)

        assert frozenset(STAFF_POWERS) == desk.powers_of("agnet")

    def test_the_declared_roles_are_the_staff(self) -> None:
        """agent, system and every declared role are staff; each declared role holds its
        own powers, agent all of them."""
        desk = Desk(
            workflow=support_portal.WORKFLOW,
            roles=[Role("readonly_auditor"), Role("triage", may="assign")],
        )

        assert {"agent", "system", "readonly_auditor", "triage"} == desk.staff_roles
        assert (frozenset(), frozenset({"assign"}), frozenset(STAFF_POWERS)) == (
            desk.powers_of("readonly_auditor"),
            desk.powers_of("triage"),
            desk.powers_of("agent"),
        )
