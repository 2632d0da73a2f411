"""Notifications (``_notifications.py``): who hears about an event, and with which message.

The portal's scenarios quote seed 000 (the *Don't notify me* button, "the client
receives a notification of any changes made in his open requests"); the policy's rules
are checked on small desks of their own. That nobody hears of their own act, and a muted
client of nothing, over random lives, is a property of ``test_escalation.py``.
"""

from __future__ import annotations

from typing import get_args

import pytest

from escalation_scenarios import (
    ALICE,
    CAROL,
    DAVE,
    DESK,
    JUSTIFICATION,
    SCOPE,
    answered,
    escalate,
    life,
    moscow,
    opened,
    told,
)
from scenarios import CAROL as AGENT_CAROL
from scenarios import given, t
from scenarios import opened as opened_event
from ticketflow import (
    CHANGED_SCOPE,
    OTHER,
    ActionPerformed,
    Desk,
    DeskDefinitionError,
    Event,
    InvalidTypeError,
    MuteNotifications,
    Notification,
    NotificationPolicy,
    NotificationRule,
    PerformAction,
    Reply,
    StatusChanged,
    handle,
    notifications,
    tick,
)
from ticketflow.presets import support_portal as portal


class TestPortalNotifications:
    def test_the_client_hears_of_replies(self) -> None:
        """The agent's public reply tells the client.

        "by default, the client receives a notification of any changes made in his open
        requests (responses, changes in the status, etc.) to the mail."
        """
        outcome = handle(DESK, opened(), Reply(actor=CAROL, at=moscow(2, 10, 10), body="Hi"))

        expected = [("alice", "requester", "reply_added")]

        assert expected == told(outcome)

    def test_the_client_hears_of_status_changes(self) -> None:
        """An agent's status change tells the client.

        "the client receives a notification of any changes made in his open requests
        (responses, changes in the status, etc.)"
        """
        outcome = handle(
            DESK, answered(), PerformAction(actor=CAROL, at=moscow(2, 11), action="investigate")
        )

        expected = [("alice", "requester", "status_changed")]

        assert expected == told(outcome)

    def test_the_client_is_not_told_of_their_own_actions(self) -> None:
        """The client's own reply and escalation tell the desk, never the client.

        "the client receives a notification of any changes made in his open requests"
        """
        ticket = answered()
        reply = handle(DESK, ticket, Reply(actor=ALICE, at=moscow(2, 11), body="All down"))
        escalation = handle(DESK, reply.ticket, escalate(CHANGED_SCOPE, SCOPE, at=moscow(2, 11, 5)))

        expected = [
            ("carol", "assignee", "reply_added"),
            ("carol", "assignee", "escalated"),
            ("voice", "group", "escalated"),
        ]

        assert expected == told(reply) + told(escalation)

    def test_internal_notes_never_reach_the_client(self) -> None:
        """An internal note tells the assignee, not the client.

        "the client receives a notification of any changes made in his open requests
        (responses, ...)"
        """
        outcome = handle(
            DESK, answered(), Reply(actor=DAVE, at=moscow(2, 11), body="SIP trunk?", public=False)
        )

        expected = [("carol", "assignee", "reply_added")]

        assert expected == told(outcome)

    def test_dont_notify_me_silences_the_client(self) -> None:
        """After Don't notify me the client hears of no reply, status change or reminder.

        "**Don't notify me** - ... To disable notifications from the current request,
        please press this button."
        """
        ticket, _ = life(DESK, answered(), MuteNotifications(actor=ALICE, at=moscow(2, 11)))
        heard = []
        for command in (
            Reply(actor=DAVE, at=moscow(2, 12), body="Restarted the PBX"),
            PerformAction(actor=CAROL, at=moscow(2, 13), action="propose_resolution"),
        ):
            outcome = handle(DESK, ticket, command)
            ticket = outcome.ticket
            heard.extend(told(outcome))
        swept = tick(DESK, ticket, moscow(6, 13))  # the reminder, then the auto-close
        heard.extend(told(swept))

        assert [] == [h for h in heard if h[0] == "alice"]
        assert ("carol", "assignee", "reply_added") in heard

    def test_the_desk_hears_of_escalations(self) -> None:
        """An escalation tells the assignee and the group.

        "**Escalate** - This button is responsible for the process of drawing attention
        to the request"
        """
        outcome = handle(DESK, answered(), escalate(OTHER, JUSTIFICATION, at=moscow(2, 11)))

        expected = [("carol", "assignee", "escalated"), ("voice", "group", "escalated")]

        assert expected == told(outcome)

    def test_the_desk_hears_of_breaches(self) -> None:
        """An SLA breach tells the assignee and the group, not the client.

        "if the work on the request is performed in violation of the terms of the SLA"
        """
        swept = tick(DESK, opened(), moscow(2, 14))

        expected = [("carol", "assignee", "sla_breached"), ("voice", "group", "sla_breached")]

        assert expected == told(swept)


# -- the policy's rules ----------------------------------------------------------------

WATCHED = NotificationRule(on="ReplyAdded", recipients="field:watcher", message="watched")


def watching(*rules: NotificationRule) -> Desk:
    """The portal's workflow with only ``rules`` to notify by."""
    return Desk(workflow=portal.WORKFLOW, notifications=NotificationPolicy(rules))


class TestRules:
    def test_a_desk_without_a_policy_notifies_nobody(self) -> None:
        """By default a desk's events concern nobody."""
        desk = Desk(workflow=portal.WORKFLOW)
        outcome = handle(desk, given(opened_event()), Reply(actor=AGENT_CAROL, at=t(1), body="Hi"))

        assert () == notifications(desk, outcome)

    def test_a_custom_field_names_a_recipient(self) -> None:
        """A ``field:<name>`` recipient is the person the ticket's custom field names."""
        desk = watching(WATCHED)
        ticket = given(opened_event(fields={"watcher": "dora"}))
        outcome = handle(desk, ticket, Reply(actor=AGENT_CAROL, at=t(1), body="Hi"))

        expected = (Notification("dora", "field:watcher", "watched", outcome.events[0]),)

        assert expected == notifications(desk, outcome)

    def test_an_empty_custom_field_names_nobody(self) -> None:
        """A ``field:<name>`` recipient whose field is not set is skipped, not an error."""
        desk = watching(WATCHED)
        outcome = handle(desk, given(opened_event()), Reply(actor=AGENT_CAROL, at=t(1), body="Hi"))

        assert () == notifications(desk, outcome)

    def test_a_rule_with_statuses_matches_changes_into_them_only(self) -> None:
        """A StatusChanged rule limited to some statuses matches a change into one of them
        and no other."""
        rule = NotificationRule(
            on="StatusChanged", recipients="requester", message="solved", statuses="closed"
        )

        def change(target: str) -> StatusChanged:
            return StatusChanged(
                ticket_id="T-1",
                at=t(1),
                actor=AGENT_CAROL,
                version=2,
                action="act",
                source="in_progress",
                target=target,
                category=portal.WORKFLOW.category(target),
            )

        assert (True, False) == (rule.matches(change("closed")), rule.matches(change("on_hold")))


class TestRefusals:
    def test_an_unknown_recipient_is_a_desk_problem_saying_which_recipients_exist(self) -> None:
        """A rule naming a recipient kind that means nothing is refused when the desk is
        built, quoting the kind and listing the ones to use."""
        rule = NotificationRule(on="ReplyAdded", recipients="boss", message="m")

        with pytest.raises(DeskDefinitionError) as raised:
            watching(rule)

        expected = [
            "notifications.rules[0].recipients: names unknown recipient 'boss' "
            "(fix: use 'requester', 'assignee', 'group' or 'field:<name>')"
        ]
        assert expected == [str(p) for p in raised.value.problems]

    @pytest.mark.parametrize("rules", [None, [1], "ReplyAdded"], ids=repr)
    def test_rules_that_are_not_rules_are_a_typed_error(self, rules: object) -> None:
        """A policy built from something other than NotificationRule values is refused at once."""
        with pytest.raises(InvalidTypeError):
            NotificationPolicy(rules)  # type: ignore[arg-type]

    def test_an_event_kind_that_is_no_event_class_is_a_desk_problem_listing_the_kinds(
        self,
    ) -> None:
        """A rule ``on`` the docs' message key (``"reply_added"``) rather than an event class
        name is refused when the desk is built, with its place and every event kind to use."""
        rule = NotificationRule(on="reply_added", recipients="requester", message="m")

        with pytest.raises(DeskDefinitionError) as raised:
            watching(WATCHED, rule)

        kinds = ", ".join(repr(cls.__name__) for cls in sorted(get_args(Event), key=_name))
        expected = [
            "notifications.rules[1].on: names 'reply_added', which is no event kind "
            f"(fix: use one of {kinds})"
        ]
        assert expected == [str(p) for p in raised.value.problems]

    def test_a_status_the_workflow_lacks_is_a_desk_problem_listing_its_statuses(self) -> None:
        """A StatusChanged rule limited to a status the workflow does not define is refused
        when the desk is built, with its place and the workflow's statuses."""
        rule = NotificationRule(
            on="StatusChanged", recipients="requester", message="m", statuses={"solved"}
        )

        with pytest.raises(DeskDefinitionError) as raised:
            watching(rule)

        statuses = ", ".join(repr(s.name) for s in portal.WORKFLOW.statuses)
        expected = [
            "notifications.rules[0].statuses: names status 'solved', which workflow "
            f"'support-portal' does not define (fix: use one of {statuses})"
        ]
        assert expected == [str(p) for p in raised.value.problems]

    def test_statuses_on_a_rule_for_another_event_kind_are_a_desk_problem(self) -> None:
        """A rule limited to statuses but ``on`` an event other than StatusChanged or
        ActionPerformed, which so could never match, is refused when the desk is built."""
        rule = NotificationRule(
            on="ReplyAdded", recipients="requester", message="m", statuses={"closed"}
        )

        with pytest.raises(DeskDefinitionError) as raised:
            watching(rule)

        expected = [
            "notifications.rules[0].statuses: limits a 'ReplyAdded' rule to statuses, so it "
            "never matches (fix: use on='StatusChanged' or 'ActionPerformed', or leave "
            "statuses out)"
        ]
        assert expected == [str(p) for p in raised.value.problems]

    def test_an_action_performed_rule_may_be_limited_to_statuses(self) -> None:
        """A rule on ActionPerformed limited to a status of the workflow is a valid rule:
        it means an action performed while the ticket stays in that status."""
        rule = NotificationRule(
            on="ActionPerformed", recipients="requester", message="m", statuses={"on_hold"}
        )

        assert [] == NotificationPolicy([rule]).problems(portal.WORKFLOW)

    def test_an_action_performed_rule_matches_only_in_its_statuses(self) -> None:
        """A rule on ActionPerformed in 'on_hold' matches an action performed in
        'on_hold', not one performed in another status."""
        rule = NotificationRule(
            on="ActionPerformed", recipients="requester", message="m", statuses={"on_hold"}
        )

        def performed(status: str) -> ActionPerformed:
            return ActionPerformed(
                ticket_id="T-1", at=t(1), actor=AGENT_CAROL, version=2, action="a", status=status
            )

        assert (True, False) == (rule.matches(performed("on_hold")), rule.matches(performed("x")))

    def test_every_problem_of_the_rules_is_reported_together(self) -> None:
        """An unknown event kind, an unknown status and an unknown recipient in one policy
        are all reported by one DeskDefinitionError, each at its place."""
        rules = [
            NotificationRule(on="reply_added", recipients="requester", message="m"),
            NotificationRule(
                on="StatusChanged", recipients="boss", message="m", statuses={"solved"}
            ),
        ]

        with pytest.raises(DeskDefinitionError) as raised:
            watching(*rules)

        expected = [
            "notifications.rules[0].on",
            "notifications.rules[1].recipients",
            "notifications.rules[1].statuses",
        ]
        assert expected == [p.where for p in raised.value.problems]


def _name(cls: type) -> str:
    return cls.__name__
