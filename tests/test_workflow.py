"""Tests for ``ticketflow._workflow``: building a workflow, its compiled routes and the
lookups the decider asks."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import timedelta

import pytest

from ticketflow import (
    Category,
    InvalidTypeError,
    Status,
    Timer,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)
from ticketflow._workflow_parts import Route
from ticketflow.presets import support_portal
from workflow_examples import REACTIONS, STATUSES, TRANSITIONS, build


class TestBuilding:
    def test_a_valid_workflow_is_built(self) -> None:
        """A consistent workflow is built and lists its actions in declaration order."""
        expected = ("start", "ask", "close")

        assert expected == build().actions

    def test_lookups_answer_from_the_definition(self) -> None:
        """Status, category, transitions and reaction lookups answer from the definition."""
        wf = build()

        assert wf.status("waiting") == STATUSES[2]
        assert wf.category("waiting") == "waiting_on_customer"
        assert wf.transitions_from("open", "close") == (TRANSITIONS[2],)
        assert wf.transitions_from("done", "close") == ()
        assert wf.actions_from("open") == ("ask", "close")
        assert wf.reaction("waiting", "customer_reply") == REACTIONS[0]
        assert wf.reaction("waiting", "agent_reply") is None
        assert (wf.has_status("open"), wf.has_status("nowhere")) == (True, False)

    def test_an_unknown_status_lookup_raises_key_error(self) -> None:
        """Looking up a status the workflow does not define raises KeyError."""
        with pytest.raises(KeyError):
            build().status("nowhere")

    def test_a_workflow_is_an_immutable_value(self) -> None:
        """Two workflows built from the same parts are equal and hash alike."""
        assert build() == build()
        assert hash(build()) == hash(build())

    def test_the_definition_error_is_a_value_error_listing_every_problem(self) -> None:
        """The definition error is a ValueError whose message lists each problem with its fix."""
        with pytest.raises(ValueError, match="invalid workflow: 1 problem\n") as raised:
            build(initial="nowhere")

        assert isinstance(raised.value, WorkflowDefinitionError)
        assert "(fix: set initial to one of" in str(raised.value)

    def test_a_workflow_pickles_to_an_equal_workflow_with_the_same_lookups(self) -> None:
        """A pickled workflow reads back equal, hashes alike and answers the same lookups."""
        wf = support_portal.WORKFLOW

        again = pickle.loads(pickle.dumps(wf))

        assert (wf, hash(wf)) == (again, hash(again))
        assert wf.actions_from("in_progress") == again.actions_from("in_progress")


class TestQueries:
    def test_actions_from_a_status_keep_the_workflow_declaration_order(self) -> None:
        """The actions open from a status follow the order the workflow first declares them."""
        transitions = (
            Transition(action="start", sources="new", target="open", roles="agent"),
            Transition(action="close", sources={"new", "waiting"}, target="done", roles="agent"),
            Transition(action="ask", sources="open", target="waiting", roles="agent"),
            Transition(action="close", sources="open", target="done", roles="customer"),
        )
        expected = ("close", "ask")

        assert expected == build(transitions=transitions).actions_from("open")

    def test_timers_in_a_status_keep_their_declaration_order(self) -> None:
        """The timers of a status are listed in the order the workflow declares them."""
        transitions = (
            *TRANSITIONS,
            Transition(action="drop", sources={"waiting", "open"}, target="done", roles="system"),
        )
        timers = (
            Timer(name="b", statuses="waiting", after=timedelta(days=2), action="drop"),
            Timer(name="a", statuses={"waiting", "open"}, after=timedelta(days=1), action="drop"),
        )
        wf = build(transitions=transitions, timers=timers)

        assert ("b", "a") == tuple(t.name for t in wf.timers_in("waiting"))

    def test_a_route_lists_every_status_it_enters_with_its_category(self) -> None:
        """A compiled route enters its target, then its follow-on statuses, with their
        categories."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED))
        drop = Transition(
            action="drop", sources="open", target="dropped", roles="customer", then="done"
        )

        (route,) = build(statuses=statuses, transitions=(*TRANSITIONS, drop)).routes_from(
            "open", "drop"
        )

        expected = Route(
            transition=drop,
            roles=frozenset({"customer"}),
            steps=(("dropped", "canceled"), ("done", "closed")),
            checked=False,
            schedules=False,
        )
        assert expected == route

    def test_a_route_says_whether_it_has_requirements_and_ends_scheduled(self) -> None:
        """A route with a requirement is checked; one ending in a scheduled status schedules."""
        statuses = (*STATUSES, Status("later", Category.ON_HOLD, wake_action="wake"))
        transitions = (
            *TRANSITIONS,
            Transition(
                action="snooze", sources="open", target="later", roles="agent", requires_reason=True
            ),
            Transition(action="wake", sources="later", target="open", roles="system"),
            Transition(action="close", sources="later", target="done", roles="agent"),
        )

        (route,) = build(statuses=statuses, transitions=transitions).routes_from("open", "snooze")

        assert (True, True) == (route.checked, route.schedules)

    def test_each_role_takes_its_own_route(self) -> None:
        """Two transitions of one action from one status, for different roles: each
        role's route is the one whose transition names it."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED, terminal=True))
        by_agent = Transition(action="drop", sources="open", target="done", roles="agent")
        by_customer = Transition(action="drop", sources="open", target="dropped", roles="customer")
        wf = build(statuses=statuses, transitions=(*TRANSITIONS, by_agent, by_customer))

        routes = wf.route("open", "drop", "agent"), wf.route("open", "drop", "customer")

        assert (by_agent, by_customer) == tuple(r.transition for r in routes if r is not None)

    def test_no_route_for_a_role_the_transitions_do_not_name(self) -> None:
        """A role that no transition of the action names from the status has no route."""
        assert build().route("open", "ask", "customer") is None

    def test_no_route_leaves_a_terminal_status(self) -> None:
        """A terminal status is left by no transition, so no role has a route from it."""
        wf = support_portal.WORKFLOW
        terminal = [s.name for s in wf.statuses if s.terminal]

        found = [
            (status, action, role)
            for status in terminal
            for action in wf.actions
            for role in wf.staff_roles | {"customer"}
            if wf.route(status, action, role) is not None
        ]

        assert [] == found

    def test_staff_roles_are_agent_system_and_every_role_a_transition_names(self) -> None:
        """The staff roles are agent and system plus each host role a transition allows,
        never customer."""
        escalate = Transition(action="escalate", sources="open", target="waiting", roles="lead")

        expected = frozenset({"agent", "system", "lead"})

        assert expected == build(transitions=(*TRANSITIONS, escalate)).staff_roles


class TestConversion:
    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda: Workflow(statuses=None, initial="new", transitions=TRANSITIONS), "statuses"),  # type: ignore[arg-type]
            (lambda: build(transitions=None), "transitions"),
            (lambda: build(reactions=3), "reactions"),
            (lambda: build(timers=None), "timers"),
            (
                lambda: Timer(
                    name="extra",
                    statuses="waiting",
                    after=timedelta(days=1),
                    action="drop",
                    reminders=None,  # type: ignore[arg-type]
                ),
                "reminders",
            ),
        ],
        ids=["statuses", "transitions", "reactions", "timers", "reminders"],
    )
    def test_a_collection_that_is_not_iterable_is_an_invalid_type_error(
        self, make: Callable[[], object], field: str
    ) -> None:
        """A part list that is not iterable is an InvalidTypeError naming the field."""
        with pytest.raises(InvalidTypeError) as raised:
            make()

        assert field in raised.value.what
