"""What a requester may set when opening a ticket (``Desk.intake``, ``_intake.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ticketflow import (
    POWER_OPEN_TICKETS,
    STAFF_POWERS,
    Actor,
    ChangeSupportLevel,
    Desk,
    DeskDefinitionError,
    EscalationRefusedError,
    Intake,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Role,
    Ticket,
    decide,
    follow_up,
    handle,
    sla_status,
)
from ticketflow.presets import escalation_process, support_portal

ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")
MOSCOW = ZoneInfo("Europe/Moscow")
AT = datetime(2026, 3, 2, 10, tzinfo=MOSCOW)  # a Monday morning in the portal's zone


def opening(actor: Actor = ALICE, **changes: object) -> OpenTicket:
    return OpenTicket(actor=actor, at=AT, ticket_id="T-1", subject="Phones down", **changes)  # type: ignore[arg-type]


class TestRequesterChoices:
    def test_a_customer_cannot_choose_a_priority_the_form_does_not_offer(self) -> None:
        """A customer-chosen 'critical' is refused: it would move the SLA deadline."""
        desk = support_portal.desk()

        with pytest.raises(PermissionDeniedError, match="priority 'critical'"):
            handle(desk, None, opening(priority="critical"))

    def test_the_first_response_deadline_is_the_desks_not_the_customers(self) -> None:
        """Only staff can make a ticket critical and so pull its first-response deadline in."""
        desk = support_portal.desk()
        honest = handle(desk, None, opening()).ticket
        critical = handle(desk, None, opening(CAROL, requester="alice", priority="critical"))

        def due(ticket: Ticket) -> datetime | None:
            return {m.metric: m.due_at for m in sla_status(desk, ticket, AT)}["first_response"]

        expected = (
            datetime(2026, 3, 2, 14, tzinfo=MOSCOW),
            datetime(2026, 3, 2, 11, tzinfo=MOSCOW),
        )
        assert expected == (due(honest), due(critical.ticket))

    def test_the_default_priority_is_always_the_requesters_to_pick(self) -> None:
        """Naming the workflow's default priority is no choice at all, so it is accepted."""
        desk = support_portal.desk()

        ticket = handle(desk, None, opening(priority=desk.workflow.default_priority)).ticket

        assert desk.workflow.default_priority == ticket.priority

    def test_a_priority_the_form_offers_is_accepted(self) -> None:
        """A desk whose form offers 'high' lets its customers choose it."""
        desk = support_portal.desk(intake=Intake(priorities={"high"}))

        assert "high" == handle(desk, None, opening(priority="high")).ticket.priority

    def test_a_customer_cannot_choose_the_group(self) -> None:
        """Queueing the ticket is the desk's, unless the form offers the group."""
        with pytest.raises(PermissionDeniedError, match="group 'vip'"):
            handle(support_portal.desk(), None, opening(group="vip"))

    def test_a_customer_cannot_set_a_field_the_form_does_not_offer(self) -> None:
        """Custom fields beyond the form are refused, naming them and what the form offers."""
        desk = support_portal.desk(intake=Intake(fields={"impact"}))

        with pytest.raises(PermissionDeniedError, match=r"fields 'vip'.*offers 'impact'"):
            handle(desk, None, opening(fields={"impact": "high", "vip": True}))

    def test_staff_may_set_everything_when_opening_on_a_customers_behalf(self) -> None:
        """An agent opening a ticket for alice may choose priority, group and fields."""
        command = opening(
            CAROL, requester="alice", priority="critical", group="vip", fields={"vip": True}
        )

        ticket = handle(support_portal.desk(), None, command).ticket

        assert ("critical", "vip", True) == (ticket.priority, ticket.group, ticket.fields["vip"])


class TestForgedEvidence:
    def test_a_customer_cannot_forge_the_evidence_a_tier_reads(self) -> None:
        """A customer opening with the L2 entry fields set is refused, not trusted."""
        forged = opening(fields={"information_collected": True, "reproduction_attempted": True})

        with pytest.raises(PermissionDeniedError, match="information_collected"):
            handle(escalation_process.desk(), None, forged)

    def test_the_honest_ticket_still_needs_the_evidence_to_reach_l2(self) -> None:
        """Without the staff's evidence, the agent's move to L2 is refused entry_condition."""
        desk = escalation_process.desk()
        ticket = handle(desk, None, opening()).ticket
        move = ChangeSupportLevel(actor=CAROL, at=AT + timedelta(minutes=5), level=2)

        with pytest.raises(EscalationRefusedError) as raised:
            handle(desk, ticket, move)

        assert "entry_condition" in {v.code for v in raised.value.violations}


class TestFollowUps:
    def closed(self) -> tuple[Desk, Ticket]:
        """The portal and alice's request, canceled by her (and so closed)."""
        desk = support_portal.desk()
        ticket = handle(desk, None, opening()).ticket
        cancel = PerformAction(actor=ALICE, at=AT + timedelta(minutes=1), action="cancel")
        return desk, handle(desk, ticket, cancel).ticket

    def test_a_customer_cannot_link_another_customers_ticket(self) -> None:
        """Bob naming alice's ticket as the parent of his follow-up is refused."""
        desk, parent = self.closed()
        bob = Actor.customer("bob")
        command = OpenTicket(
            actor=bob,
            at=AT + timedelta(hours=1),
            ticket_id="T-2",
            subject="Me too",
            parent_id="T-1",
        )

        with pytest.raises(PermissionDeniedError, match="a ticket of their own"):
            handle(desk, None, command, parent=parent)

    def test_a_customer_naming_a_parent_without_the_host_loading_it_is_refused(self) -> None:
        """The desk cannot check a parent it was not given, so it refuses the link."""
        command = opening(parent_id="T-0")

        with pytest.raises(PermissionDeniedError, match=r"parent=parent_ticket"):
            handle(support_portal.desk(), None, command)

    def test_a_customer_follows_up_on_their_own_closed_ticket(self) -> None:
        """Alice's follow-up to her own closed ticket is linked to it."""
        desk, parent = self.closed()
        command = OpenTicket(
            actor=ALICE,
            at=AT + timedelta(hours=1),
            ticket_id="T-2",
            subject="Again",
            parent_id="T-1",
        )

        ticket = handle(desk, None, command, parent=parent).ticket

        assert "T-1" == ticket.parent_id

    def test_a_follow_up_inherits_its_parents_priority_and_group(self) -> None:
        """follow_up copies the staff's priority and group: accepted with the parent given."""
        desk = support_portal.desk()
        staffed = OpenTicket(
            actor=CAROL,
            at=AT,
            ticket_id="T-1",
            subject="Down",
            requester="alice",
            priority="critical",
            group="voice",
        )
        ticket = handle(desk, None, staffed).ticket
        cancel = PerformAction(actor=ALICE, at=AT + timedelta(minutes=1), action="cancel")
        parent = handle(desk, ticket, cancel).ticket
        command = follow_up(parent, actor=ALICE, at=AT + timedelta(hours=1), ticket_id="T-2")

        new = handle(desk, None, command, parent=parent).ticket

        assert ("critical", "voice", "T-1") == (new.priority, new.group, new.parent_id)


class TestTheFormIsChecked:
    def test_a_form_offering_an_unknown_priority_is_refused_when_the_desk_is_built(self) -> None:
        """An Intake naming a priority the workflow lacks fails the desk, with the fix."""
        with pytest.raises(DeskDefinitionError, match="offers priority 'whenever'"):
            support_portal.desk(intake=Intake(priorities={"whenever"}))

    def test_an_unknown_priority_is_reported_at_its_place_offering_the_priorities(self) -> None:
        """An Intake naming a priority the workflow lacks is reported at
        ``intake.priorities``, offering the workflow's priorities."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=support_portal.WORKFLOW, intake=Intake(priorities={"whenever"}))

        priorities = ", ".join(map(repr, support_portal.WORKFLOW.priorities))
        expected = [
            "intake.priorities: offers priority 'whenever', which the workflow does not define "
            f"(fix: offer some of its priorities: {priorities})"
        ]
        assert expected == [str(p) for p in raised.value.problems]


# -- staff opening on a requester's behalf: the staff powers (issue 12, deliverable 3) ------

AUDITOR = Actor("ursula", "readonly_auditor")
CLERK = Actor("cleo", "clerk")
TRIAGE = Actor("tom", "triage")


def roles_desk(intake: Intake | None = None, *, triage: set[str] | None = None) -> Desk:
    """The portal's workflow with a read-only auditor, a clerk who may open tickets and
    nothing more, and a triage role holding ``open_tickets`` and ``triage``."""
    return Desk(
        workflow=support_portal.WORKFLOW,
        intake=intake or Intake(),
        roles=[
            Role("readonly_auditor"),
            Role("clerk", may={POWER_OPEN_TICKETS}),
            Role("triage", may={POWER_OPEN_TICKETS, *(triage or set())}),
        ],
    )


def on_behalf(actor: Actor = CLERK, **changes: object) -> OpenTicket:
    return opening(actor, requester="alice", **changes)


class TestStaffOpeningNeedsItsPowers:
    def test_a_read_only_role_may_not_open_even_a_plain_ticket(self) -> None:
        """Given a read-only auditor, when it opens a ticket with nothing beyond the form,
        then it is refused for the open-tickets power, saying how to grant it, and no
        ticket is opened."""
        with pytest.raises(PermissionDeniedError) as raised:
            handle(roles_desk(), None, on_behalf(AUDITOR))

        assert (
            "actor 'ursula' with role 'readonly_auditor' may not open a ticket on a "
            "requester's behalf: the role lacks the staff power 'open_tickets'; grant it "
            "in the desk's roles, Desk(roles=[Role('readonly_auditor', "
            "may={'open_tickets', ...})])"
        ) == str(raised.value)

    def test_a_role_that_may_open_tickets_opens_a_plain_one_for_a_requester(self) -> None:
        """Given a clerk holding only open_tickets, when it opens a ticket with nothing
        beyond the form, then the ticket is opened for the requester."""
        ticket = handle(roles_desk(), None, on_behalf()).ticket

        assert ("alice", None, "normal") == (ticket.requester, ticket.assignee, ticket.priority)

    def test_a_read_only_role_may_not_open_a_ticket_with_an_assignee(self) -> None:
        """Given a clerk who may only open tickets, when it opens a ticket assigned to
        carol, then it is refused for the assign power, saying how to grant it."""
        with pytest.raises(PermissionDeniedError, match="'assign'") as raised:
            decide(roles_desk(), None, on_behalf(assignee="carol"))

        assert "Role('clerk', may={'assign', ...})" in str(raised.value)

    def test_a_read_only_role_may_not_open_a_ticket_in_a_group(self) -> None:
        """Given a clerk who may only open tickets, when it opens a ticket in group
        'vip', then it is refused for the assign power."""
        with pytest.raises(PermissionDeniedError, match=r"group 'vip'.*'assign'"):
            decide(roles_desk(), None, on_behalf(group="vip"))

    def test_a_read_only_role_may_not_choose_a_priority(self) -> None:
        """Given a clerk who may only open tickets, when it opens a critical ticket, then
        it is refused for the change-priority power (the SLA deadline is the desk's)."""
        with pytest.raises(PermissionDeniedError, match=r"priority 'critical'.*change_priority"):
            decide(roles_desk(), None, on_behalf(priority="critical"))

    def test_a_read_only_role_may_not_set_staff_fields(self) -> None:
        """Given a clerk who may only open tickets, when it opens a ticket with the L2
        evidence set, then it is refused for the set-fields power."""
        command = on_behalf(fields={"information_collected": True})

        with pytest.raises(PermissionDeniedError, match=r"information_collected.*set_fields"):
            decide(roles_desk(), None, command)

    def test_a_read_only_role_may_not_open_the_ticket_muted(self) -> None:
        """Given a clerk who may only open tickets, when it opens a ticket with the
        requester's notifications muted, then it is refused for the mute power."""
        with pytest.raises(PermissionDeniedError, match="'mute'"):
            decide(roles_desk(), None, on_behalf(notifications_muted=True))

    def test_every_power_lacking_is_named_at_once(self) -> None:
        """Given a clerk who may only open tickets, when it opens with an assignee, a
        priority and a field, then one refusal names the three powers in the
        vocabulary's order."""
        command = on_behalf(assignee="carol", priority="critical", fields={"vip": True})

        with pytest.raises(PermissionDeniedError) as raised:
            decide(roles_desk(), None, command)

        assert "powers 'assign', 'change_priority', 'set_fields'" in str(raised.value)

    def test_what_the_form_offers_needs_no_power(self) -> None:
        """Given a form offering 'high', group 'web' and field 'impact', when the clerk
        (who may only open tickets) opens with exactly those, then the ticket is opened
        with them."""
        desk = roles_desk(Intake(priorities={"high"}, groups={"web"}, fields={"impact"}))
        command = on_behalf(priority="high", group="web", fields={"impact": "one site"})

        ticket = handle(desk, None, command).ticket

        assert ("high", "web", "one site") == (
            ticket.priority,
            ticket.group,
            ticket.fields["impact"],
        )

    def test_a_role_with_the_assign_power_may_open_assigned(self) -> None:
        """Given a triage role holding 'assign', when it opens a ticket for carol in group
        'voice', then the ticket is opened assigned so."""
        desk = roles_desk(triage={"assign"})

        ticket = handle(desk, None, on_behalf(TRIAGE, assignee="carol", group="voice")).ticket

        assert ("carol", "voice") == (ticket.assignee, ticket.group)

    def test_the_assign_power_does_not_grant_a_priority(self) -> None:
        """Given a triage role holding only 'assign', when it opens a critical ticket, then
        it is refused for change-priority alone."""
        desk = roles_desk(triage={"assign"})

        with pytest.raises(PermissionDeniedError) as raised:
            decide(desk, None, on_behalf(TRIAGE, assignee="carol", priority="critical"))

        assert "Role('triage', may={'change_priority', ...})" in raised.value.why

    def test_opening_above_level_one_needs_the_change_support_level_power(self) -> None:
        """Given the escalation desk with a clerk who may only open tickets, when it
        opens a ticket at L2, then it is refused for the change-support-level power."""
        base = escalation_process.desk()
        desk = Desk(
            workflow=base.workflow,
            escalation=base.escalation,
            roles=[*base.roles, Role("clerk", may={POWER_OPEN_TICKETS})],
        )

        with pytest.raises(PermissionDeniedError, match="change_support_level"):
            decide(desk, None, on_behalf(CLERK, support_level=2))

    @settings(max_examples=60, deadline=None)
    @given(
        powers=st.frozensets(st.sampled_from(STAFF_POWERS)),
        extras=st.fixed_dictionaries(
            {},
            optional={
                "assignee": st.just("carol"),
                "group": st.just("vip"),
                "priority": st.sampled_from(["low", "high", "critical"]),
                "fields": st.just({"vip": True}),
                "notifications_muted": st.just(True),
            },
        ),
    )
    def test_a_staff_opening_is_accepted_exactly_when_its_powers_cover_it(
        self, powers: frozenset[str], extras: dict[str, object]
    ) -> None:
        """For any powers and any choices beyond the form, a staff opening is accepted
        if and only if the role may open tickets and holds each power the same change
        needs on an open ticket."""
        desk = Desk(workflow=support_portal.WORKFLOW, roles=[Role("clerk", may=powers)])
        needs = {
            "assignee": "assign",
            "group": "assign",
            "priority": "change_priority",
            "fields": "set_fields",
            "notifications_muted": "mute",
        }
        required = {POWER_OPEN_TICKETS} | {needs[k] for k in extras}

        try:
            decide(desk, None, on_behalf(Actor("c", "clerk"), **extras))
            accepted = True
        except PermissionDeniedError:
            accepted = False

        assert (required <= powers) == accepted
