"""Scenarios of the escalation policy, support tiers and the engineering task
(the portal's notification scenarios are in ``test_notifications.py``).

Each docstring quotes the seed sentence it checks: seed 000 (the support portal's
*Escalate* and *Don't notify me* buttons, ``presets.support_portal``) and seed 003 (the
issue escalation process, ``presets.escalation_process``). Instants are fixed, in the
portal's Moscow business hours (Monday to Friday, 09:00-18:00); time moves with ``tick``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_scenarios import (
    ALICE,
    BOB,
    CAROL,
    DESK,
    JUSTIFICATION,
    MONDAY,
    MOSCOW,
    SCOPE,
    answered,
    escalate,
    life,
    moscow,
    opened,
    told,
)
from strategies import command_sequences
from ticketflow import (
    CHANGED_SCOPE,
    OTHER,
    RAISE_PRIORITY,
    SLA_VIOLATION,
    Actor,
    Assign,
    BusinessCalendar,
    BusinessDays,
    BusinessTime,
    CalendarDays,
    ChangeSupportLevel,
    Command,
    CommandRefusedError,
    Desk,
    Duration,
    Escalate,
    EscalationPolicy,
    EscalationRefusedError,
    Event,
    InvalidCommandError,
    MuteNotifications,
    NaiveDatetimeError,
    NotificationPolicy,
    NotificationRule,
    OpenTicket,
    Outcome,
    PerformAction,
    PermissionDeniedError,
    Reply,
    SetField,
    SlaBreached,
    SlaPolicy,
    SlaWarningReached,
    StatusChanged,
    SupportLevelChanged,
    SupportTiers,
    Ticket,
    TicketEscalated,
    TicketflowError,
    Tier,
    handle,
    notifications,
    replay,
    tick,
    validate_escalation,
)
from ticketflow._driver import escalation_blockers, validate_level_change
from ticketflow._errors import InvalidTypeError, InvalidValueError
from ticketflow._escalation import NOT_FOUND
from ticketflow.presets import escalation_process as process
from ticketflow.presets import support_portal as portal

TIERED = process.desk()
ENGINEERING = process.engineering_desk()

SUSAN = Actor("susan", process.SUPERVISOR)
RD = Actor("rd-bot", process.ENGINEER)


def refused(ticket: Ticket, command: Command, desk: Desk = DESK) -> EscalationRefusedError:
    """The refusal of ``command``, checking that the ticket stays as it was."""
    before = copy.deepcopy(ticket)
    with pytest.raises(EscalationRefusedError) as raised:
        handle(desk, ticket, command)
    assert before == ticket
    return raised.value


def codes(error: EscalationRefusedError) -> list[str]:
    return [v.code for v in error.violations]


# -- the valid reasons, each with its evidence -----------------------------------------


class TestSlaViolation:
    def test_accepted_once_a_clock_is_past_three_quarters_of_its_target(self) -> None:
        """An SLA reason is accepted once 75 % of the first-response target is used.

        "**Escalate** - This button is responsible for the process of drawing attention
        to the request, if the work on the request is performed in violation of the
        terms of the SLA"
        """
        swept = tick(DESK, opened(), moscow(2, 13))  # 3 of the 4 business hours
        assert [SlaWarningReached] == [type(e) for e in swept.events]

        outcome = handle(DESK, swept.ticket, escalate(SLA_VIOLATION, at=moscow(2, 13)))

        expected = (SLA_VIOLATION, "first_response: 75% of the target used", "escalated")
        escalated = outcome.events[0]
        assert isinstance(escalated, TicketEscalated)
        assert expected == (escalated.reason, escalated.evidence, outcome.ticket.status)

    def test_accepted_once_a_clock_is_breached(self) -> None:
        """An SLA reason is accepted once a clock is breached, naming the breach.

        "if the work on the request is performed in violation of the terms of the SLA"
        """
        swept = tick(DESK, opened(), moscow(2, 14, 30))
        assert SlaBreached in [type(e) for e in swept.events]

        outcome = handle(DESK, swept.ticket, escalate(SLA_VIOLATION, at=moscow(2, 14, 30)))

        expected = "first_response: breached at 2026-03-02T14:00:00+03:00"
        escalated = outcome.events[0]
        assert isinstance(escalated, TicketEscalated)
        assert expected == escalated.evidence

    def test_accepted_after_eight_business_hours_without_an_answer(self) -> None:
        """No answer for 8 business hours backs the reason "no response for a long time".

        "dissatisfaction with the progress of work, no response for a long time"
        """
        # Answered Monday 10:10: 7 h 50 min on Monday, 10 min on Tuesday morning.
        swept = tick(DESK, answered(), moscow(3, 9, 10))

        outcome = handle(DESK, swept.ticket, escalate(SLA_VIOLATION, at=moscow(3, 9, 10)))

        expected = "no answer since 2026-03-02T10:10:00+03:00"
        escalated = outcome.events[0]
        assert isinstance(escalated, TicketEscalated)
        assert expected == escalated.evidence

    def test_refused_before_with_the_instant_it_becomes_possible(self) -> None:
        """An SLA reason the clocks do not back yet is refused, saying from when it will do.

        "dissatisfaction with the progress of work, no response for a long time"
        """
        ticket = tick(DESK, answered(), moscow(3, 9, 9)).ticket

        error = refused(ticket, escalate(SLA_VIOLATION, at=moscow(3, 9, 9)))

        assert ["sla_not_violated"] == codes(error)
        assert "you can escalate for this reason from 2026-03-03T09:10:00+03:00" in str(error)

    def test_the_refusal_names_the_earliest_instant_a_clock_will_back_it(self) -> None:
        """Refused at 11:00 on an unanswered request, the message gives 13:00, when the
        first-response clock reaches 75 %, not only the end of the quiet period.

        "no response for a long time"
        """
        ticket = tick(DESK, opened(), moscow(2, 11)).ticket

        error = refused(ticket, escalate(SLA_VIOLATION, at=moscow(2, 11)))

        assert "from 2026-03-02T13:00:00+03:00" in str(error)

    def test_time_the_desk_waited_on_the_client_is_no_silence_of_the_desk(self) -> None:
        """The client who took two days to answer the desk's question cannot escalate for
        "no response" five minutes after answering.

        "dissatisfaction with the progress of work, no response for a long time"
        """
        ticket, _ = life(
            DESK,
            answered(),
            PerformAction(
                actor=CAROL, at=moscow(2, 10, 20), action="request_information", reason="logs"
            ),
        )
        ticket = tick(DESK, ticket, moscow(4, 10)).ticket
        ticket, _ = life(DESK, ticket, Reply(actor=ALICE, at=moscow(4, 10), body="Logs attached"))
        ticket = tick(DESK, ticket, moscow(4, 10, 5)).ticket

        error = refused(ticket, escalate(SLA_VIOLATION, at=moscow(4, 10, 5)))

        assert ["sla_not_violated"] == codes(error)


class TestChangedScope:
    def test_accepted_with_a_description_of_what_changed(self) -> None:
        """A changed scope with its description is accepted.

        "new condition of the problem were identified, its volume or other
        characteristics changed that take the problem to a new level (for example, ...
        one internal number does not work, but later it turned out that all, or most of
        the internal numbers are not working)"
        """
        outcome = handle(DESK, answered(), escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11)))

        expected = (CHANGED_SCOPE, SCOPE, "")
        escalated = outcome.events[0]
        assert isinstance(escalated, TicketEscalated)
        assert expected == (escalated.reason, escalated.details, escalated.evidence)

    @pytest.mark.parametrize("details", ["", "   "])
    def test_requires_a_description(self, details: str) -> None:
        """A changed scope without saying what changed is refused.

        "its volume or other characteristics changed that take the problem to a new level"
        """
        error = refused(answered(), escalate(CHANGED_SCOPE, details, at=moscow(2, 11)))

        expected = [("description_missing", "describe what changed in the problem")]
        assert expected == [(v.code, v.message) for v in error.violations]


class TestOtherCircumstances:
    def test_accepted_with_a_justification(self) -> None:
        """Other significant circumstances, justified, are accepted.

        "other significant circumstances"
        """
        outcome = handle(DESK, answered(), escalate(OTHER, JUSTIFICATION, at=moscow(2, 11)))

        expected = (OTHER, JUSTIFICATION, portal.ESCALATED)
        escalated = outcome.events[0]
        assert isinstance(escalated, TicketEscalated)
        assert expected == (escalated.reason, escalated.details, outcome.ticket.status)

    def test_a_justification_of_the_minimum_length_is_enough(self) -> None:
        """A justification of exactly 30 characters is accepted.

        "other significant circumstances"
        """
        details = "x" * portal.ESCALATION.min_justification

        expected = ()

        assert expected == validate_escalation(
            DESK, answered(), escalate(OTHER, details, at=moscow(2, 11)), moscow(2, 11)
        )

    @pytest.mark.parametrize("details", ["", "it is important", "x" * 29, " " * 40])
    def test_requires_a_justification_of_the_minimum_length(self, details: str) -> None:
        """A justification shorter than 30 characters (blanks aside) is refused.

        "other significant circumstances"
        """
        error = refused(answered(), escalate(OTHER, details, at=moscow(2, 11)))

        expected = [
            ("justification_too_short", "explain the circumstances in at least 30 characters")
        ]
        assert expected == [(v.code, v.message) for v in error.violations]


# -- the refused reasons ---------------------------------------------------------------


class TestRefusedReasons:
    @pytest.mark.parametrize("reason", ["", "  "])
    def test_no_reason_is_refused(self, reason: str) -> None:
        """An escalation without a reason is refused, listing the valid ones.

        "The reason for the escalation is NOT: - escalation without a clear reason"
        """
        error = refused(answered(), escalate(reason, SCOPE, at=moscow(2, 11)))

        assert ["no_reason"] == codes(error)
        assert "the problem changed, or other significant circumstances" in str(error)

    def test_raising_the_priority_is_refused_quoting_the_portals_rule(self) -> None:
        """Escalating to raise the priority is refused with the portal's rule quoted.

        "The reason for the escalation is NOT: ... - escalation to increase request
        priority"
        """
        error = refused(answered(), escalate(RAISE_PRIORITY, "make it urgent", at=moscow(2, 11)))

        expected = [
            (
                "priority_only",
                "escalating only to raise the priority is not accepted: "
                '"The reason for the escalation is NOT: escalation without a clear reason; '
                'escalation to increase request priority."',
            )
        ]
        assert expected == [(v.code, v.message) for v in error.violations]

    def test_an_unknown_reason_is_refused_listing_the_valid_ones(self) -> None:
        """A reason code the policy does not know is refused, naming the valid codes.

        "Example of reasons: ..."
        """
        error = refused(answered(), escalate("impatience", SCOPE, at=moscow(2, 11)))

        assert ["unknown_reason"] == codes(error)
        assert "use one of sla_violation, changed_scope, other" in str(error)

    def test_the_plain_escalate_action_goes_through_the_policy(self) -> None:
        """PerformAction("escalate") is refused in favour of the checked Escalate command.

        "Example of reasons: ..." (every escalation states one)
        """
        with pytest.raises(InvalidCommandError, match=r"send Escalate\(reason=..., details=...\)"):
            handle(
                DESK, answered(), PerformAction(actor=ALICE, at=moscow(2, 11), action="escalate")
            )


# -- when, and by whom ------------------------------------------------------------------


class TestWhen:
    def test_a_second_escalation_waits_for_the_cooldown(self) -> None:
        """The client escalates again only 4 business hours after their last escalation.

        "**Escalate** - This button is responsible for the process of drawing attention
        to the request"
        """
        ticket, _ = life(
            DESK,
            answered(),
            escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 16)),
            PerformAction(actor=CAROL, at=moscow(2, 16, 30), action="start_work"),
        )

        error = refused(ticket, escalate(OTHER, JUSTIFICATION, at=moscow(3, 10, 59)))

        expected = [
            (
                "cooldown",
                "you escalated this request at 2026-03-02T16:00:00+03:00; you can escalate "
                "again from 2026-03-03T11:00:00+03:00",
            )
        ]
        assert expected == [(v.code, v.message) for v in error.violations]
        again = handle(DESK, ticket, escalate(OTHER, JUSTIFICATION, at=moscow(3, 11)))
        assert portal.ESCALATED == again.ticket.status

    def test_an_agents_escalation_starts_no_cooldown_for_the_client(self) -> None:
        """An agent's escalation leaves the client's cooldown alone.

        "**Escalate** - This button is responsible for the process of drawing attention
        to the request"
        """
        ticket, _ = life(
            DESK,
            answered(),
            escalate(OTHER, JUSTIFICATION, at=moscow(2, 11), actor=CAROL),
            PerformAction(actor=CAROL, at=moscow(2, 11, 30), action="start_work"),
        )

        outcome = handle(DESK, ticket, escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 12)))

        expected = (None, moscow(2, 12))
        assert expected == (ticket.escalated_at, outcome.ticket.escalated_at)

    def test_an_escalated_request_is_not_escalated_again(self) -> None:
        """A request already escalated is refused as such.

        "status will be set when you use an *Escalate* button."
        """
        ticket, _ = life(
            DESK, answered(), escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11), actor=CAROL)
        )

        error = refused(ticket, escalate(OTHER, JUSTIFICATION, at=moscow(2, 16)))

        expected = [("already_escalated", "the request is already escalated")]
        assert expected == [(v.code, v.message) for v in error.violations]

    def test_a_closed_request_is_not_escalated(self) -> None:
        """A closed request cannot be escalated; the client is told to create a new one.

        "When this status is set, the request can't be opened. If you have additional
        questions after setting this status, you have to create new request"
        """
        ticket, _ = life(
            DESK, answered(), PerformAction(actor=ALICE, at=moscow(2, 11), action="resolve")
        )

        error = refused(ticket, escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 12)))

        expected = [("closed", "the request is closed; create a new request instead")]
        assert expected == [(v.code, v.message) for v in error.violations]


class TestWho:
    @pytest.mark.parametrize("actor", [ALICE, CAROL], ids=["requester", "agent"])
    def test_the_requester_and_agents_may_escalate(self, actor: Actor) -> None:
        """The client who made the request and the desk's agents may escalate.

        "On the request page, the following functional buttons are available: ...
        **Escalate**"
        """
        command = escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11), actor=actor)

        outcome = handle(DESK, answered(), command)

        assert portal.ESCALATED == outcome.ticket.status

    def test_another_customer_may_not_escalate(self) -> None:
        """Another client's escalation is refused: the request is not theirs.

        "by default, the client receives a notification of any changes made in his open
        requests"
        """
        ticket = answered()
        command = escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11), actor=BOB)

        with pytest.raises(PermissionDeniedError):
            handle(DESK, ticket, command)

        assert (NOT_FOUND,) == validate_escalation(DESK, ticket, command, command.at)

    def test_an_anonymous_visitor_may_not_escalate(self) -> None:
        """An anonymous visitor's escalation is refused.

        "On the request page, the following functional buttons are available"
        """
        ticket = answered()
        command = escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11), actor=Actor.anonymous())

        with pytest.raises(PermissionDeniedError):
            handle(DESK, ticket, command)

        assert (NOT_FOUND,) == validate_escalation(DESK, ticket, command, command.at)

    def test_a_role_that_may_not_escalate_is_one_violation(self) -> None:
        """The desk's own system rules may not escalate: one rule, one violation.

        "On the request page, the following functional buttons are available"
        """
        command = escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11), actor=Actor.system())

        error = refused(answered(), command)

        expected = [("not_allowed", "the role 'system' may not escalate requests")]
        assert expected == [(v.code, v.message) for v in error.violations]


class TestOutcome:
    def test_the_accepted_escalation_records_who_when_why(self) -> None:
        """An accepted escalation records who, when and why, then moves to escalated.

        "status will be set when you use an *Escalate* button."
        """
        ticket = answered()
        at = moscow(2, 11)

        outcome = handle(DESK, ticket, escalate(CHANGED_SCOPE, f"  {SCOPE} ", at=at))

        expected = (
            TicketEscalated(
                ticket_id="R-1",
                at=at,
                actor=ALICE,
                version=ticket.version + 1,
                reason=CHANGED_SCOPE,
                details=SCOPE,
            ),
            StatusChanged(
                ticket_id="R-1",
                at=at,
                actor=ALICE,
                version=ticket.version + 2,
                action="escalate",
                source=portal.IN_PROGRESS,
                target=portal.ESCALATED,
                category="active",
                reason=f"{CHANGED_SCOPE}: {SCOPE}",
            ),
        )
        assert expected == outcome.events[:2]
        assert (portal.ESCALATED, at) == (outcome.ticket.status, outcome.ticket.escalated_at)

    def test_the_refusal_leaves_the_ticket_unchanged(self) -> None:
        """A refused escalation changes nothing and carries what validation says.

        "The reason for the escalation is NOT: ..."
        """
        ticket = answered()
        before = copy.deepcopy(ticket)
        command = escalate("", at=moscow(2, 11))

        with pytest.raises(EscalationRefusedError) as raised:
            handle(DESK, ticket, command)

        assert before == ticket
        assert validate_escalation(DESK, ticket, command, command.at) == raised.value.violations

    def test_a_request_that_breaks_three_rules_gets_three_violations(self) -> None:
        """Every rule broken is reported at once: escalated, priority only, too soon.

        "The reason for the escalation is NOT: ... - escalation to increase request
        priority"
        """
        ticket, _ = life(DESK, answered(), escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11)))

        error = refused(ticket, escalate(RAISE_PRIORITY, at=moscow(2, 12)))

        expected = ["already_escalated", "priority_only", "cooldown"]
        assert expected == codes(error)

    def test_the_escalation_replays(self) -> None:
        """A life with escalations replays from its events to the same ticket.

        "status will be set when you use an *Escalate* button."
        """
        swept = tick(DESK, opened(), moscow(2, 15))
        ticket, events = life(
            DESK,
            swept.ticket,
            escalate(SLA_VIOLATION, at=moscow(2, 15)),
            PerformAction(actor=CAROL, at=moscow(2, 15, 10), action="investigate"),
        )
        _, history = life(
            DESK,
            None,
            OpenTicket(actor=ALICE, at=MONDAY, ticket_id="R-1", subject="Extension 204 is silent"),
            Assign(actor=CAROL, at=moscow(2, 10, 5), assignee="carol", group="voice"),
        )

        assert ticket == replay([*history, *swept.events, *events])


# -- support tiers (seed 003) -----------------------------------------------------------


def level(ticket: Ticket, actor: Actor, target: int, reason: str = "") -> ChangeSupportLevel:
    return ChangeSupportLevel(actor=actor, at=ticket.updated_at, level=target, reason=reason)


def with_fields(ticket: Ticket, *names: str) -> Ticket:
    commands = [
        SetField(actor=CAROL, at=ticket.updated_at, name=name, value=True) for name in names
    ]
    return life(TIERED, ticket, *commands)[0]


L2_FIELDS = ("information_collected", "reproduction_attempted")


class TestSupportTiers:
    def test_staff_may_open_a_ticket_at_a_higher_level_without_tiers(self) -> None:
        """On a desk without tiers, staff may route a new ticket straight to level 2."""
        command = OpenTicket(
            actor=CAROL,
            at=MONDAY,
            ticket_id="R-9",
            subject="PBX down",
            requester="alice",
            support_level=2,
        )

        outcome = handle(DESK, None, command)

        assert 2 == outcome.ticket.support_level
        assert outcome.ticket == replay(outcome.events)  # the level is on the event

    def test_opening_at_a_higher_level_is_skipping_levels(self) -> None:
        """On a tiered desk only the roles that may skip levels open above level 1: an
        agent is refused and the supervisor is not."""

        def at_l3(actor: Actor) -> OpenTicket:
            return OpenTicket(
                actor=actor,
                at=MONDAY,
                ticket_id="R-9",
                subject="PBX down",
                requester="alice",
                support_level=3,
            )

        with pytest.raises(EscalationRefusedError) as raised:
            handle(TIERED, None, at_l3(CAROL))
        assert [("override_needed", "only 'supervisor' may skip a level")] == [
            (v.code, v.message) for v in raised.value.violations
        ]
        assert 3 == handle(TIERED, None, at_l3(SUSAN)).ticket.support_level

    def test_tiers_alone_need_no_escalation_action(self) -> None:
        """A desk whose workflow has no escalate action keeps support tiers with
        EscalationPolicy(action=None): levels change, and an Escalate is refused."""
        tiers_only = Desk(
            workflow=process.ENGINEERING_WORKFLOW,
            escalation=EscalationPolicy(
                action=None,
                tiers=SupportTiers(levels=[Tier(level=1, name="L1"), Tier(level=2, name="L2")]),
            ),
        )
        ticket, _ = life(
            tiers_only,
            None,
            OpenTicket(
                actor=CAROL, at=MONDAY, ticket_id="E-1", subject="Defect", requester="alice"
            ),
        )

        moved = handle(tiers_only, ticket, level(ticket, CAROL, 2))
        error = refused(
            ticket, escalate("other", JUSTIFICATION, at=MONDAY, actor=CAROL), tiers_only
        )

        assert 2 == moved.ticket.support_level
        assert ["no_escalation"] == codes(error)

    def test_a_customer_cannot_choose_the_level(self) -> None:
        """A customer opens at level 1: the desk routes tickets between levels."""
        command = OpenTicket(
            actor=ALICE, at=MONDAY, ticket_id="R-9", subject="PBX down", support_level=2
        )

        with pytest.raises(EscalationRefusedError) as raised:
            handle(DESK, None, command)
        assert ["not_allowed"] == codes(raised.value)

    def test_an_unknown_opening_level_is_refused(self) -> None:
        """A level the desk does not have is refused, naming the levels it has."""
        command = OpenTicket(
            actor=SUSAN,
            at=MONDAY,
            ticket_id="R-9",
            subject="PBX down",
            requester="alice",
            support_level=7,
        )

        with pytest.raises(EscalationRefusedError, match="unknown level 7: use one of 1, 2, 3"):
            handle(TIERED, None, command)

    def test_level_zero_is_refused_without_tiers_too(self) -> None:
        """Without tiers any level from 1 up opens; level 0 is no level at all."""
        command = OpenTicket(
            actor=CAROL,
            at=MONDAY,
            ticket_id="R-9",
            subject="PBX down",
            requester="alice",
            support_level=0,
        )

        with pytest.raises(EscalationRefusedError, match="unknown level 0: use 1 or more"):
            handle(DESK, None, command)

    def test_l1_to_l2_needs_the_information_collected_and_reproduction_attempted(self) -> None:
        """Level 2 is entered only once the information is collected and reproduction tried.

        "The Level 1 Support Analysts are responsible for collecting all the information
        and evidences related to your case. They will also attempt to reproduce the
        reported issue"
        """
        ticket = opened(TIERED)

        error = refused(ticket, level(ticket, CAROL, 2), TIERED)

        expected = [
            (
                "entry_condition",
                "'L2 issue confirmation' needs the field 'information_collected' set first",
            ),
            (
                "entry_condition",
                "'L2 issue confirmation' needs the field 'reproduction_attempted' set first",
            ),
        ]
        assert expected == [(v.code, v.message) for v in error.violations]

    def test_l1_escalates_to_l2_once_its_conditions_hold(self) -> None:
        """An agent moves the case from L1 to L2 once its entry conditions hold.

        "If they are unable to provide a solution or the issue is confirmed, they will
        escalate your case to a Level 2 specialist."
        """
        ticket = with_fields(opened(TIERED), *L2_FIELDS)

        outcome = handle(TIERED, ticket, level(ticket, CAROL, 2))

        expected = (
            SupportLevelChanged(
                ticket_id="R-1",
                at=ticket.updated_at,
                actor=CAROL,
                version=ticket.version + 1,
                source=1,
                target=2,
            ),
            2,
        )
        assert expected == (outcome.events[0], outcome.ticket.support_level)

    def test_l2_to_l3_needs_the_defect_confirmed(self) -> None:
        """Level 3 is entered only once the defect is confirmed.

        "The R&D team has confirmed that your case is a product defect"
        """
        ticket = with_fields(opened(TIERED), *L2_FIELDS)
        ticket = handle(TIERED, ticket, level(ticket, CAROL, 2)).ticket

        error = refused(ticket, level(ticket, CAROL, 3), TIERED)
        confirmed = with_fields(ticket, "defect_confirmed")
        outcome = handle(TIERED, confirmed, level(confirmed, CAROL, 3))

        expected = (
            ["entry_condition"],
            "'L3 assessment' needs the field 'defect_confirmed' set first",
            3,
        )
        assert expected == (
            codes(error),
            error.violations[0].message,
            outcome.ticket.support_level,
        )

    def test_an_agent_may_not_skip_a_level(self) -> None:
        """An agent's jump from L1 to L3 is refused: only a supervisor may skip a level.

        "Step 1 | Level 1 Analysis ... Step 2 | Level 2 Issue Confirmation ... Step 3 |
        Level 3 Assessment"
        """
        ticket = with_fields(opened(TIERED), "defect_confirmed")

        error = refused(ticket, level(ticket, CAROL, 3, "known defect"), TIERED)

        expected = [("override_needed", "only 'supervisor' may skip a level")]
        assert expected == [(v.code, v.message) for v in error.violations]

    def test_a_supervisor_skips_a_level_flagged(self) -> None:
        """A supervisor's jump from L1 to L3 is accepted and flagged as skipped.

        "Step 1 | Level 1 Analysis ... Step 3 | Level 3 Assessment"
        """
        ticket = with_fields(opened(TIERED), "defect_confirmed")

        outcome = handle(TIERED, ticket, level(ticket, SUSAN, 3, "known defect"))

        event = outcome.events[0]
        assert isinstance(event, SupportLevelChanged)
        expected = (1, 3, True, False, "known defect")
        assert expected == (event.source, event.target, event.skipped, event.downward, event.reason)

    def test_skipping_or_moving_down_needs_a_reason(self) -> None:
        """A supervisor who skips a level without saying why is refused.

        "Step 1 | Level 1 Analysis ... Step 3 | Level 3 Assessment"
        """
        ticket = with_fields(opened(TIERED), "defect_confirmed")

        error = refused(ticket, level(ticket, SUSAN, 3), TIERED)

        assert ["no_reason"] == codes(error)

    def test_moving_down_is_refused_to_an_agent_and_flagged_for_a_supervisor(self) -> None:
        """Moving a case from L2 back to L1 is the supervisor's, and flagged as downward.

        "In some cases, the Level 2 Specialist may require additional information from
        the customer."
        """
        ticket = with_fields(opened(TIERED), *L2_FIELDS)
        ticket = handle(TIERED, ticket, level(ticket, CAROL, 2)).ticket

        error = refused(ticket, level(ticket, CAROL, 1, "not reproduced after all"), TIERED)
        outcome = handle(TIERED, ticket, level(ticket, SUSAN, 1, "not reproduced after all"))

        event = outcome.events[0]
        assert isinstance(event, SupportLevelChanged)
        expected = (["override_needed"], (2, 1, False, True), 1)
        assert expected == (
            codes(error),
            (event.source, event.target, event.skipped, event.downward),
            outcome.ticket.support_level,
        )

    def test_customers_cannot_change_levels(self) -> None:
        """The requester's change of support level is refused: levels are the desk's.

        "they will escalate your case to a Level 2 specialist."
        """
        ticket = with_fields(opened(TIERED), *L2_FIELDS)

        error = refused(ticket, level(ticket, ALICE, 2), TIERED)

        expected = [("not_allowed", "support levels are changed by the desk's staff")]
        assert expected == [(v.code, v.message) for v in error.violations]

    def test_the_tier_path_replays(self) -> None:
        """L1 -> L2 -> L3 replays from its events to the same ticket.

        "Step 1 | Level 1 Analysis ... Step 3 | Level 3 Assessment"
        """
        at = moscow(2, 11)
        ticket, events = life(
            TIERED,
            None,
            OpenTicket(actor=ALICE, at=MONDAY, ticket_id="R-1", subject="Export fails"),
            *[SetField(actor=CAROL, at=at, name=name, value=True) for name in L2_FIELDS],
            ChangeSupportLevel(actor=CAROL, at=at, level=2),
            SetField(actor=CAROL, at=at, name="defect_confirmed", value=True),
            ChangeSupportLevel(actor=CAROL, at=at, level=3),
        )

        assert (3, ticket) == (ticket.support_level, replay(events))


# -- the engineering task (seed 003) ---------------------------------------------------


def task_of(case: Ticket) -> Outcome:
    """The engineering task the R&D team opens for a confirmed defect."""
    command = process.link_task(case, actor=RD, at=case.updated_at, task_id="JIRA-1")
    return handle(ENGINEERING, None, command)


def moved(task: Ticket, action: str, actor: Actor = RD) -> Outcome:
    return handle(ENGINEERING, task, PerformAction(actor=actor, at=task.updated_at, action=action))


class TestEngineeringTask:
    def test_the_task_links_to_the_case(self) -> None:
        """The task is related to the case: its parent, its customer, its specialist.

        "will create a JIRA (Internal Project Management Tool) task that is related to
        the issue."
        """
        case = opened(TIERED)

        task = task_of(case).ticket

        expected = ("R-1", "alice", "carol", process.SPECIFYING)
        assert expected == (task.parent_id, task.requester, task.fields["specialist"], task.status)

    def test_specifying_at_creation_notifies_the_customer(self) -> None:
        """The new task, in Specifying, tells the customer.

        "Specifying | ... At this point, the customer receives a message from our
        ticketing system."
        """
        expected = [("alice", "requester", "engineering.specifying")]

        assert expected == told(task_of(opened(TIERED)), ENGINEERING)

    @pytest.mark.parametrize(
        ("actions", "message"),
        [
            (["ready"], "engineering.ready"),
            (["ready", "start"], "engineering.in_progress"),
            (["ready", "respecify"], "engineering.specifying"),
        ],
    )
    def test_every_status_notifies_the_customer(self, actions: list[str], message: str) -> None:
        """Ready, In Progress and back to Specifying each tell the customer.

        "Ready | ... At this point, the customer receives a message from our ticketing
        system. In Progress | ... At this point, the customer receives a message from
        our ticketing system."
        """
        outcome = task_of(opened(TIERED))
        for action in actions:
            outcome = moved(outcome.ticket, action)

        expected = [("alice", "requester", message)]

        assert expected == told(outcome, ENGINEERING)

    def test_done_notifies_the_specialist_to_contact_the_customer(self) -> None:
        """Done tells the support specialist of the case to contact the customer.

        "Done | ... At this point, the Support Specialist responsible for your case will
        receive a message to contact you with all the details and directions."
        """
        outcome = task_of(opened(TIERED))
        for action in ("ready", "start", "release"):
            outcome = moved(outcome.ticket, action)

        expected = [("carol", "field:specialist", "engineering.done.contact_customer")]

        assert expected == told(outcome, ENGINEERING)

    def test_a_muted_requester_hears_nothing_from_the_task(self) -> None:
        """A customer who muted the task hears of no status; the specialist still does.

        "**Don't notify me** - ... To disable notifications from the current request,
        please press this button."
        """
        outcome = task_of(opened(TIERED))
        task = handle(
            ENGINEERING,
            outcome.ticket,
            MuteNotifications(actor=ALICE, at=outcome.ticket.updated_at),
        ).ticket
        heard = []
        for action in ("ready", "start", "respecify", "ready", "start", "release"):
            outcome = moved(task, action)
            task = outcome.ticket
            heard.extend(told(outcome, ENGINEERING))

        expected = [("carol", "field:specialist", "engineering.done.contact_customer")]

        assert expected == heard

    def test_a_client_who_muted_the_case_hears_nothing_of_its_task(self) -> None:
        """The case's "Don't notify me" silences the task's messages to the customer.

        "To disable notifications from the current request, please press this button."
        """
        case = life(TIERED, opened(TIERED), MuteNotifications(actor=ALICE, at=moscow(2, 11)))[0]

        expected: list[tuple[str, str, str]] = []

        assert expected == told(task_of(case), ENGINEERING)

    def test_the_customer_may_not_move_the_task(self) -> None:
        """Only the R&D team moves the task through its statuses.

        "As your issue is being specified, treated, reviewed, and released by our R&D
        team, you will receive automated messages"
        """
        task = task_of(opened(TIERED)).ticket

        with pytest.raises(CommandRefusedError):
            moved(task, "ready", ALICE)


# -- properties -------------------------------------------------------------------------

REASONS = st.sampled_from(
    (SLA_VIOLATION, CHANGED_SCOPE, OTHER, RAISE_PRIORITY, "", "  ", "impatience")
)
DETAILS = st.sampled_from(("", "   ", "short", SCOPE, JUSTIFICATION))
ESCALATORS = st.sampled_from((ALICE, ALICE, CAROL, BOB, Actor.anonymous(), Actor.system()))


@st.composite
def lives_with_escalations(draw: st.DrawFn) -> list[Command]:
    """A random life on the portal with Escalate commands slipped in between."""
    commands: list[Command] = draw(command_sequences(portal.WORKFLOW, start=MONDAY, max_size=10))
    out: list[Command] = []
    for command in commands:
        out.append(command)
        if draw(st.integers(0, 2)) == 0 and command.at.tzinfo is not None:
            minutes = draw(st.sampled_from((0, 30, 300, 1440)))
            out.append(
                Escalate(
                    actor=draw(ESCALATORS),
                    at=command.at + timedelta(minutes=minutes),
                    reason=draw(REASONS),
                    details=draw(DETAILS),
                )
            )
    return out


def lived(
    commands: list[Command],
) -> tuple[
    Ticket | None, list[Event], list[tuple[Ticket, Escalate, Outcome | EscalationRefusedError]]
]:
    """Run ``commands`` as a host would (sweeping the timers before each); refusals are
    skipped. Returns the ticket, every event, and each escalation tried on a ticket it
    could act on (visible actor, not stale) with what became of it."""
    ticket: Ticket | None = None
    events: list[Event] = []
    tried: list[tuple[Ticket, Escalate, Outcome | EscalationRefusedError]] = []
    for command in commands:
        if ticket is not None and command.at.tzinfo is not None and command.at >= ticket.updated_at:
            swept = tick(DESK, ticket, command.at)
            ticket = swept.ticket
            events.extend(swept.events)
        try:
            outcome = handle(DESK, ticket, command)
        except EscalationRefusedError as refusal:
            assert ticket is not None
            assert isinstance(command, Escalate)
            tried.append((ticket, command, refusal))
            continue
        except (CommandRefusedError, NaiveDatetimeError):
            continue
        if isinstance(command, Escalate):
            assert ticket is not None
            tried.append((ticket, command, outcome))
        ticket = outcome.ticket
        events.extend(outcome.events)
    return ticket, events, tried


# The six tickets of the "k rules" property, all opened Monday 10:00, assigned at 10:05,
# answered at 10:10 (so no SLA evidence at 11:00): (status broken?, cooldown broken?).
def _k_ticket(status: str, cooldown: bool) -> Ticket:
    after: list[Command] = []
    if cooldown:
        after.append(escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 10, 20)))
    if status == "ok" and cooldown:
        after.append(PerformAction(actor=CAROL, at=moscow(2, 10, 30), action="start_work"))
    if status == "escalated" and not cooldown:
        after.append(escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 10, 20), actor=CAROL))
    if status == "closed":
        after.append(PerformAction(actor=ALICE, at=moscow(2, 10, 30), action="resolve"))
    return life(DESK, answered(), *after)[0]


K_TICKETS = {
    (status, cooldown): _k_ticket(status, cooldown)
    for status in ("ok", "escalated", "closed")
    for cooldown in (False, True)
}
STATUS_CODES = {"ok": [], "escalated": ["already_escalated"], "closed": ["closed"]}
BAD_REASONS = {
    "no_reason": ("", SCOPE),
    "priority_only": (RAISE_PRIORITY, SCOPE),
    "unknown_reason": ("impatience", SCOPE),
    "sla_not_violated": (SLA_VIOLATION, ""),
    "description_missing": (CHANGED_SCOPE, " "),
    "justification_too_short": (OTHER, "short"),
}


class TestProperties:
    @settings(max_examples=60)
    @given(lives_with_escalations())
    def test_a_refused_escalation_changes_nothing_and_says_why(
        self, commands: list[Command]
    ) -> None:
        """A refused escalation reports at least one violation, the ones validation gives,
        and leaves the ticket as it was."""
        for ticket, command, result in lived(commands)[2]:
            if isinstance(result, EscalationRefusedError):
                before = copy.deepcopy(ticket)
                violations = validate_escalation(DESK, ticket, command, command.at)
                assert len(result.violations) >= 1
                assert violations == result.violations
                assert before == ticket

    @settings(max_examples=60)
    @given(lives_with_escalations())
    def test_validation_answers_what_handle_does(self, commands: list[Command]) -> None:
        """An escalation is accepted exactly when validation finds no violation."""
        for ticket, command, result in lived(commands)[2]:
            accepted = isinstance(result, Outcome)
            assert accepted == (validate_escalation(DESK, ticket, command, command.at) == ())
            if isinstance(result, Outcome):
                assert portal.ESCALATED == result.ticket.status

    @settings(max_examples=100)
    @given(
        st.sampled_from(("ok", "escalated", "closed")),
        st.booleans(),
        st.booleans(),
        st.sampled_from((None, *BAD_REASONS)),
    )
    def test_every_broken_rule_is_reported_at_once(
        self, status: str, cooldown: bool, stranger: bool, bad_reason: str | None
    ) -> None:
        """A request breaking k independent rules (who, status, reason, cooldown) gets
        exactly k violations, one per rule."""
        ticket = K_TICKETS[(status, cooldown)]
        reason, details = (CHANGED_SCOPE, SCOPE) if bad_reason is None else BAD_REASONS[bad_reason]
        at = moscow(2, 11)
        command = escalate(reason, details, at=at, actor=BOB if stranger else ALICE)

        expected = (
            ["not_found"]  # a stranger learns nothing of the rules the request breaks
            if stranger
            else STATUS_CODES[status]
            + ([] if bad_reason is None else [bad_reason])
            + (["cooldown"] if cooldown else [])
        )

        assert expected == [v.code for v in validate_escalation(DESK, ticket, command, at)]

    @settings(max_examples=60)
    @given(lives_with_escalations())
    def test_replay_gives_the_ticket_back(self, commands: list[Command]) -> None:
        """Replaying the events of a life with escalations gives back the same ticket."""
        ticket, events, _ = lived(commands)
        if ticket is not None:
            assert ticket == replay(events)

    @settings(max_examples=60)
    @given(lives_with_escalations())
    def test_a_muted_client_hears_nothing_and_nobody_hears_of_their_own_act(
        self, commands: list[Command]
    ) -> None:
        """No notification reaches a client who muted the request, nor an actor about
        their own event."""
        ticket: Ticket | None = None
        for command in commands:
            try:
                outcome = handle(DESK, ticket, command)
            except (CommandRefusedError, NaiveDatetimeError):
                continue
            ticket = outcome.ticket
            for notice in notifications(DESK, outcome):
                assert notice.recipient != notice.event.actor.id
                if ticket.notifications_muted:
                    assert notice.kind != "requester"


# -- outsiders learn nothing ---------------------------------------------------------------

OUTSIDERS = (BOB, Actor.anonymous(), Actor("ursula", "auditor"))
OUTSIDER_IDS = ("another customer", "anonymous", "undeclared role")


def _breached() -> Ticket:
    """Alice's request, unanswered until Tuesday: its first response breached."""
    return tick(DESK, opened(), moscow(3, 12)).ticket


STATES = {
    **{f"{status}, cooldown {cooldown}": t for (status, cooldown), t in K_TICKETS.items()},
    "first response breached": _breached(),
}


class TestOutsiders:
    @pytest.mark.parametrize("outsider", OUTSIDERS, ids=OUTSIDER_IDS)
    def test_an_outsiders_escalation_is_answered_not_found_whatever_the_tickets_state(
        self, outsider: Actor
    ) -> None:
        """Whatever the ticket's status, cooldown or SLA clocks, and whatever the reason,
        an actor who may not see the ticket gets the one not-found violation."""
        answers = {
            validate_escalation(DESK, ticket, escalate(reason, details, at=at, actor=outsider), at)
            for ticket in STATES.values()
            for reason, details in (
                *BAD_REASONS.values(),
                (SLA_VIOLATION, ""),
                (OTHER, JUSTIFICATION),
            )
            for at in (moscow(3, 12), moscow(9, 12))
        }

        assert {(NOT_FOUND,)} == answers

    def test_the_not_found_answer_names_nothing_about_the_ticket(self) -> None:
        """The outsider's violation says only "not found or not permitted"."""
        assert ("not_found", True) == (
            NOT_FOUND.code,
            "not found or you are not permitted" in NOT_FOUND.message,
        )

    @pytest.mark.parametrize("outsider", OUTSIDERS, ids=OUTSIDER_IDS)
    def test_an_outsiders_change_of_level_is_answered_not_found_whatever_the_tickets_state(
        self, outsider: Actor
    ) -> None:
        """A change of support level asked by an outsider reveals neither the ticket's
        level nor the fields its tiers require."""
        case = handle(
            TIERED,
            None,
            OpenTicket(actor=ALICE, at=MONDAY, ticket_id="C-1", subject="Extension 204"),
        ).ticket
        tickets = (case, with_fields(case, *L2_FIELDS))
        answers = {
            validate_level_change(TIERED, ticket, level(ticket, outsider, target))
            for ticket in tickets
            for target in (0, 1, 2, 3, 9)
        }

        assert {(NOT_FOUND,)} == answers


# -- exact instants: folds and the edge of time ----------------------------------------------


def _berlin(hour: int, minute: int) -> datetime:
    """``hour:minute`` UTC on 2026-10-25 read in Berlin (02:00-03:00 happens twice)."""
    return datetime(2026, 10, 25, hour, minute, tzinfo=ZoneInfo("UTC")).astimezone(
        ZoneInfo("Europe/Berlin")
    )


class TestCooldownAcrossTheEdges:
    def test_a_cooldown_ending_in_the_second_pass_of_the_fold_holds_in_the_first(self) -> None:
        """Escalated at 02:20+02:00 with a one-hour cooldown (until 02:20+01:00), the
        client may not escalate again at 02:40+02:00."""
        desk = portal.desk(
            calendar=BusinessCalendar.always_open("Europe/Berlin"),
            sla=SlaPolicy(),
            escalation=attrs.evolve(portal.ESCALATION, cooldown=timedelta(hours=1)),
        )
        ticket, _ = life(
            desk,
            None,
            OpenTicket(actor=ALICE, at=_berlin(0, 0), ticket_id="R-1", subject="Silent"),
            Reply(actor=CAROL, at=_berlin(0, 5), body="Which extensions?"),
            escalate(CHANGED_SCOPE, SCOPE, at=_berlin(0, 20)),
            PerformAction(actor=CAROL, at=_berlin(0, 25), action="start_work"),
        )
        at = _berlin(0, 40)

        expected = [
            (
                "cooldown",
                "you escalated this request at 2026-10-25T02:20:00+02:00; you can escalate "
                "again from 2026-10-25T02:20:00+01:00",
            )
        ]
        assert expected == [
            (v.code, v.message)
            for v in validate_escalation(desk, ticket, escalate(OTHER, JUSTIFICATION, at=at), at)
        ]

    def test_a_cooldown_that_would_end_after_the_calendar_ends_never_ends(self) -> None:
        """Escalated on the calendar's last business day, the client's cooldown outlasts
        every instant the calendar can count: the violation says so, nothing overflows."""
        last = datetime(9999, 12, 30, 16, tzinfo=MOSCOW)
        ticket, _ = life(
            DESK,
            None,
            OpenTicket(actor=ALICE, at=last, ticket_id="R-1", subject="Silent"),
            escalate(CHANGED_SCOPE, SCOPE, at=last),
            PerformAction(actor=CAROL, at=last, action="start_work"),
        )
        at = last + timedelta(minutes=30)

        assert [("cooldown", "escalate never again")] == [
            (v.code, v.message[-len("escalate never again") :])
            for v in validate_escalation(DESK, ticket, escalate(OTHER, JUSTIFICATION, at=at), at)
        ]


# -- hostile values (issue 10) ----------------------------------------------------------

MEGABYTE = "x" * 10**6
HUGE = 10**5000  # too long for str(): Python refuses to print it
LARGEST = 2**63 - 1  # the largest level a command holds


def loosely(cls: type) -> Any:
    """``cls`` as a host that copies untyped configuration into it calls it."""
    return cls


POLICY, TIERS, TIER = loosely(EscalationPolicy), loosely(SupportTiers), loosely(Tier)
RULE, RULES = loosely(NotificationRule), loosely(NotificationPolicy)


def _refusal(ticket: Ticket, command: Command, desk: Desk) -> CommandRefusedError:
    with pytest.raises(CommandRefusedError) as raised:
        handle(desk, ticket, command)
    return raised.value


class TestHostileValues:
    @pytest.mark.parametrize(
        ("desk", "command"),
        [
            (DESK, escalate(MEGABYTE, at=moscow(2, 11))),
            (DESK, escalate(OTHER, MEGABYTE[:10], at=moscow(2, 11))),
            (TIERED, ChangeSupportLevel(actor=CAROL, at=moscow(2, 11), level=LARGEST)),
            (TIERED, ChangeSupportLevel(actor=ALICE, at=moscow(2, 11), level=-LARGEST)),
            (DESK, ChangeSupportLevel(actor=CAROL, at=moscow(2, 11), level=LARGEST)),
            (TIERED, ChangeSupportLevel(actor=SUSAN, at=moscow(2, 11), level=1, reason=MEGABYTE)),
        ],
        ids=["reason", "details", "level", "customer-level", "no-tiers", "level-reason"],
    )
    def test_a_refusal_built_from_a_huge_value_has_a_short_message(
        self, desk: Desk, command: Command
    ) -> None:
        """A refusal of a 1 MB reason or the largest level is typed and under 2 KB."""
        error = _refusal(opened(desk), command, desk)

        assert len(str(error)) < 2000

    @pytest.mark.parametrize("build", [ChangeSupportLevel, OpenTicket])
    def test_a_level_too_long_to_print_is_a_typed_error_with_a_short_message(
        self, build: type[Command]
    ) -> None:
        """A command with a 10**5000 level raises a typed error under 2 KB, no ValueError."""
        options = {"level": HUGE} if build is ChangeSupportLevel else {"support_level": HUGE}
        with pytest.raises(TicketflowError) as raised:
            loosely(build)(
                actor=CAROL, at=MONDAY, ticket_id="R-9", subject="x", **options
            ) if build is OpenTicket else loosely(build)(actor=CAROL, at=MONDAY, **options)

        assert len(str(raised.value)) < 2000

    @pytest.mark.parametrize("level", [LARGEST, -LARGEST, 0])
    def test_opening_at_a_huge_level_is_refused_with_a_short_message(self, level: int) -> None:
        """Opening a tiered ticket at a level it lacks is refused in a short message."""
        command = OpenTicket(
            actor=CAROL,
            at=MONDAY,
            ticket_id="R-9",
            subject="x",
            requester="alice",
            support_level=level,
        )
        with pytest.raises(CommandRefusedError) as raised:
            handle(TIERED, None, command)

        assert len(str(raised.value)) < 2000

    def test_a_tier_whose_name_and_fields_are_huge_refuses_in_a_short_message(self) -> None:
        """An entry condition naming a 1 MB field of a 1 MB tier is refused in a short message."""
        tiers = SupportTiers(
            levels=[
                Tier(level=1, name="L1"),
                Tier(level=2, name=MEGABYTE, requires_fields=(MEGABYTE,)),
            ]
        )
        desk = portal.desk(escalation=EscalationPolicy(tiers=tiers))

        error = _refusal(
            opened(desk), ChangeSupportLevel(actor=CAROL, at=moscow(2, 11), level=2), desk
        )

        assert (["entry_condition"], True) == (
            [v.code for v in error.violations],  # type: ignore[attr-defined]
            len(str(error)) < 2000,
        )

    def test_a_huge_role_name_in_the_policy_is_refused_in_a_short_message(self) -> None:
        """A 1 MB role that may escalate is refused as a malformed role, briefly."""
        with pytest.raises(InvalidValueError) as raised:
            EscalationPolicy(roles={MEGABYTE})

        assert len(str(raised.value)) < 2000


class TestWrongTypes:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: POLICY(tiers="x"),
            lambda: POLICY(tiers=[Tier(level=1, name="L1")]),
            lambda: POLICY(action=1),
            lambda: POLICY(roles=None),
            lambda: POLICY(roles=[1]),
            lambda: POLICY(roles=[["agent"]]),
            lambda: POLICY(sla_fraction="0.75"),
            lambda: POLICY(sla_fraction=None),
            lambda: POLICY(quiet_period=8),
            lambda: POLICY(cooldown="4h"),
            lambda: POLICY(min_justification="30"),
            lambda: POLICY(min_justification=None),
            lambda: TIERS(levels=None),
            lambda: TIERS(levels=1),
            lambda: TIERS(levels="L1"),
            lambda: TIERS(levels=[[Tier(level=1, name="L1")]]),
            lambda: TIERS(levels=[], override_roles=[1]),
            lambda: TIER(level="1", name="L1"),
            lambda: TIER(level=None, name="L1"),
            lambda: TIER(level=True, name="L1"),
            lambda: TIER(level=1, name=None),
            lambda: TIER(level=1, name="L1", requires_fields=None),
            lambda: TIER(level=1, name="L1", requires_fields=[1]),
            lambda: TIER(level=1, name="L1", requires_fields=[["a"]]),
            lambda: RULES(None),
            lambda: RULES(1),
            lambda: RULES([[RULE(on="ReplyAdded", recipients="requester", message="m")]]),
            lambda: RULE(on="ReplyAdded", recipients=[1], message="m"),
            lambda: RULE(on="ReplyAdded", recipients=None, message="m"),
            lambda: RULE(on="ReplyAdded", recipients=[["requester"]], message="m"),
            lambda: RULE(on=None, recipients="requester", message="m"),
            lambda: RULE(on="ReplyAdded", recipients="requester", message=1),
            lambda: RULE(on="StatusChanged", recipients="requester", message="m", statuses=[1]),
            lambda: RULE(on="StatusChanged", recipients="requester", message="m", statuses=None),
        ],
    )
    def test_a_wrong_type_in_the_escalation_policy_is_an_invalid_type_error(
        self, build: Callable[[], object]
    ) -> None:
        """A wrong type for an escalation or notification policy, tiers or tier is typed."""
        with pytest.raises(InvalidTypeError):
            build()


class TestDurationKinds:
    """A cooldown or quiet period is any duration kind, each moving time its own way on
    the desk's calendar; a malformed one is refused when the policy is built."""

    @pytest.mark.parametrize(
        ("cooldown", "ends"),
        [
            (timedelta(hours=19), moscow(3, 11)),
            (CalendarDays(1), moscow(3, 16)),
            (BusinessTime(timedelta(hours=4)), moscow(3, 11)),
            (BusinessDays(1), moscow(3, 16)),
        ],
    )
    def test_every_duration_kind_is_a_cooldown(self, cooldown: Duration, ends: datetime) -> None:
        """A cooldown of each kind, from Monday 16:00, blocks a second escalation until
        it ends and not from then on."""
        desk = portal.desk(escalation=attrs.evolve(portal.ESCALATION, cooldown=cooldown))
        ticket, _ = life(
            desk,
            answered(),
            escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 16)),
            PerformAction(actor=CAROL, at=moscow(2, 16, 30), action="start_work"),
        )
        before = ends - timedelta(minutes=1)

        assert (["cooldown"], []) == (
            [v.code for v in escalation_blockers(desk, ticket, ALICE, before)],
            [v.code for v in escalation_blockers(desk, ticket, ALICE, ends)],
        )

    @pytest.mark.parametrize(
        "period",
        [
            timedelta(hours=8),
            CalendarDays(1),
            BusinessTime(timedelta(hours=8)),
            BusinessDays(1),
        ],
    )
    def test_every_duration_kind_is_a_quiet_period(self, period: Duration) -> None:
        """A quiet period of each kind builds the desk."""
        policy = attrs.evolve(portal.ESCALATION, quiet_period=period)

        assert period == portal.desk(escalation=policy).escalation.quiet_period  # type: ignore[union-attr]

    @pytest.mark.parametrize("field", ["cooldown", "quiet_period"])
    @pytest.mark.parametrize(
        "malformed",
        [
            BusinessTime(3),  # type: ignore[arg-type]
            BusinessTime(CalendarDays(3)),  # type: ignore[arg-type]
            CalendarDays("3"),  # type: ignore[arg-type]
            BusinessDays(True),
            BusinessDays(2.5),  # type: ignore[arg-type]
        ],
    )
    def test_a_malformed_duration_is_an_invalid_type_error(
        self, field: str, malformed: object
    ) -> None:
        """A duration kind holding the wrong type (BusinessTime(3)) is refused as a type."""
        with pytest.raises(InvalidTypeError):
            POLICY(**{field: malformed})

    @pytest.mark.parametrize("field", ["cooldown", "quiet_period"])
    @pytest.mark.parametrize(
        "period",
        [
            timedelta(hours=-1),
            BusinessTime(timedelta(hours=-1)),
            CalendarDays(-1),
            BusinessDays(-1),
            CalendarDays(10**9),
            timedelta.max,
        ],
    )
    def test_a_negative_or_huge_period_is_an_invalid_value_error(
        self, field: str, period: Duration
    ) -> None:
        """A negative period, or one past the 100-year maximum, is refused with its fix."""
        with pytest.raises(InvalidValueError) as raised:
            POLICY(**{field: period})

        assert "give a duration of at most 36,525 days (100 years), zero for none" in str(
            raised.value
        )

    @pytest.mark.parametrize(
        "zero", [timedelta(0), CalendarDays(0), BusinessTime(timedelta(0)), BusinessDays(0)]
    )
    def test_a_zero_cooldown_is_none(self, zero: Duration) -> None:
        """A zero cooldown of any kind lets the requester escalate again at once."""
        desk = portal.desk(escalation=attrs.evolve(portal.ESCALATION, cooldown=zero))
        ticket, _ = life(
            desk,
            answered(),
            escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 16)),
            PerformAction(actor=CAROL, at=moscow(2, 16, 30), action="start_work"),
        )

        assert [] == [v.code for v in escalation_blockers(desk, ticket, ALICE, moscow(2, 16, 30))]


class TestEscalationBlockers:
    def test_nothing_blocks_a_first_escalation_by_the_requester(self) -> None:
        """A requester who has not escalated yet may be offered the escalation."""
        assert () == escalation_blockers(DESK, opened(), ALICE, moscow(2, 11))

    def test_the_requesters_cooldown_blocks_a_second_escalation(self) -> None:
        """After an escalation sent back to work, the requester's cooldown blocks the next."""
        ticket, _ = life(
            DESK,
            opened(),
            escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11)),
            PerformAction(actor=CAROL, at=moscow(2, 11, 30), action="start_work"),
        )

        blockers = escalation_blockers(DESK, ticket, ALICE, moscow(2, 12))

        assert ["cooldown"] == [v.code for v in blockers]

    def test_an_escalated_ticket_blocks_escalating_again(self) -> None:
        """An already escalated request blocks another escalation, for staff too."""
        ticket, _ = life(DESK, opened(), escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11)))

        assert ["already_escalated"] == [
            v.code for v in escalation_blockers(DESK, ticket, CAROL, moscow(2, 12))
        ]

    def test_a_role_the_policy_does_not_name_is_blocked(self) -> None:
        """A role the policy does not let escalate is blocked whatever its reason."""
        desk = portal.desk(escalation=EscalationPolicy(roles={"agent"}))

        assert ["not_allowed"] == [
            v.code for v in escalation_blockers(desk, opened(desk), ALICE, moscow(2, 11))
        ]

    def test_an_outsider_learns_only_not_found(self) -> None:
        """To another customer the one blocker is not_found, whatever the ticket's state."""
        assert (NOT_FOUND,) == escalation_blockers(DESK, opened(), BOB, moscow(2, 11))

    def test_a_naive_instant_is_refused(self) -> None:
        """Blockers asked for a naive instant raise NaiveDatetimeError."""
        with pytest.raises(NaiveDatetimeError):
            escalation_blockers(DESK, opened(), ALICE, datetime(2026, 3, 2, 11))  # noqa: DTZ001

    @settings(max_examples=25, deadline=None)
    @given(commands=lives_with_escalations(), actor=st.sampled_from([ALICE, BOB, CAROL]))
    def test_blockers_are_the_violations_no_reason_can_lift(
        self, commands: list[Command], actor: Actor
    ) -> None:
        """The blockers are exactly the violations of every request but reason ones."""
        ticket, _, _ = lived(commands)
        if ticket is None:
            return
        at = ticket.updated_at
        blockers = escalation_blockers(DESK, ticket, actor, at)
        reason_codes = {
            "no_reason",
            "priority_only",
            "unknown_reason",
            "sla_not_violated",
            "description_missing",
            "justification_too_short",
        }
        for reason, details in [("", ""), (CHANGED_SCOPE, SCOPE), (OTHER, JUSTIFICATION)]:
            request = escalate(reason, details, at=at, actor=actor)
            found = validate_escalation(DESK, ticket, request, at)

            assert list(blockers) == [v for v in found if v.code not in reason_codes]
