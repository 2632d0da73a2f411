"""Tests for ``ticketflow._workflow``: validation, lookups and documents."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from strategies import valid_workflow_documents, workflow_documents
from ticketflow import (
    Category,
    Problem,
    Reaction,
    Status,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)
from ticketflow.presets import support_portal

STATUSES = (
    Status("new", Category.NEW),
    Status("open", Category.ACTIVE),
    Status("waiting", Category.WAITING_ON_CUSTOMER),
    Status("done", Category.CLOSED),
)
TRANSITIONS = (
    Transition(action="start", sources="new", target="open", roles="agent"),
    Transition(action="ask", sources="open", target="waiting", roles="agent"),
    Transition(
        action="close",
        sources={"new", "open", "waiting"},
        target="done",
        roles={"agent", "customer"},
    ),
)
REACTIONS = (Reaction(on="customer_reply", sources="waiting", target="open"),)


def build(**changes: object) -> Workflow:
    values: dict[str, object] = {
        "name": "tiny",
        "statuses": STATUSES,
        "initial": "new",
        "transitions": TRANSITIONS,
        "reactions": REACTIONS,
    }
    values.update(changes)
    return Workflow(**values)  # type: ignore[arg-type]


def problems_of(**changes: object) -> tuple[Problem, ...]:
    with pytest.raises(WorkflowDefinitionError) as raised:
        build(**changes)
    return raised.value.problems


TINY_DOCUMENT: dict[str, object] = {
    "name": "tiny",
    "initial": "new",
    "statuses": [
        {"name": "new", "category": "new"},
        {"name": "open", "category": "active"},
        {"name": "waiting", "category": "waiting_on_customer"},
        {"name": "done", "category": "closed"},
    ],
    "transitions": [
        {"action": "start", "from": ["new"], "to": "open", "roles": ["agent"]},
        {"action": "ask", "from": ["open"], "to": "waiting", "roles": ["agent"]},
        {
            "action": "close",
            "from": ["new", "open", "waiting"],
            "to": "done",
            "roles": ["agent", "customer"],
        },
    ],
    "reactions": [{"on": "customer_reply", "from": ["waiting"], "to": "open"}],
}

TINY_TOML = """
name = "tiny"
initial = "new"

[[statuses]]
name = "new"
category = "new"

[[statuses]]
name = "open"
category = "active"

[[statuses]]
name = "waiting"
category = "waiting_on_customer"

[[statuses]]
name = "done"
category = "closed"

[[transitions]]
action = "start"
from = ["new"]
to = "open"
roles = ["agent"]

[[transitions]]
action = "ask"
from = ["open"]
to = "waiting"
roles = ["agent"]

[[transitions]]
action = "close"
from = ["new", "open", "waiting"]
to = "done"
roles = ["agent", "customer"]

[[reactions]]
on = "customer_reply"
from = ["waiting"]
to = "open"
"""


class TestBuilding:
    def test_a_valid_workflow_is_built(self) -> None:
        """A consistent workflow is built and lists its actions in declaration order."""
        expected = ("start", "ask", "close")

        assert expected == build().actions

    def test_a_status_label_defaults_to_its_name(self) -> None:
        """A status without a label shows its name."""
        expected = "open"

        assert expected == Status("open", Category.ACTIVE).label

    def test_only_closed_statuses_are_terminal_by_default(self) -> None:
        """A status is terminal by default exactly when its category is closed."""
        expected = {c.value: c is Category.CLOSED for c in Category}

        actual = {c.value: Status("s", c).terminal for c in Category}

        assert expected == actual

    def test_a_lone_string_is_one_source_not_its_letters(self) -> None:
        """A transition given a single source string has that one source."""
        expected = frozenset({"open"})

        assert expected == Transition(action="a", sources="open", target="x", roles="agent").sources

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


class TestValidation:
    def test_duplicate_status(self) -> None:
        """A status declared twice is reported."""
        expected = (Problem("status 'open'", "is defined twice", "give each status a unique name"),)

        assert expected == problems_of(statuses=(*STATUSES, Status("open", Category.ON_HOLD)))

    def test_empty_status_name(self) -> None:
        """A status with an empty name is reported."""
        problems = problems_of(statuses=(*STATUSES, Status("", Category.ACTIVE)))

        assert Problem("a status", "has an empty name", "give every status a name") in problems

    def test_no_statuses(self) -> None:
        """A workflow without statuses is reported as such."""
        problems = problems_of(statuses=(), transitions=(), reactions=())

        assert (
            Problem(
                "workflow 'tiny'",
                "has no statuses",
                "declare at least an initial and a closed status",
            )
            in problems
        )

    def test_unknown_category(self) -> None:
        """A status with a category outside the seven known ones is reported."""
        statuses = (*STATUSES[:3], Status("done", "finished", terminal=True))

        (problem,) = problems_of(statuses=statuses)

        expected = ("status 'done'", "has unknown category 'finished'")
        assert expected == (problem.where, problem.what)
        assert "use one of active, canceled, closed" in problem.fix

    def test_terminal_status_with_a_non_closed_category(self) -> None:
        """A terminal status whose category is neither closed nor canceled is reported."""
        statuses = (*STATUSES[:3], Status("done", Category.RESOLVED, terminal=True))

        (problem,) = problems_of(statuses=statuses)

        expected = ("status 'done'", "is terminal but its category is 'resolved'")
        assert expected == (problem.where, problem.what)
        assert "set terminal=False" in problem.fix

    def test_terminal_canceled_status_is_accepted(self) -> None:
        """A canceled status may be declared terminal."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED, terminal=True))
        close = Transition(action="drop", sources="open", target="dropped", roles="agent")

        assert (
            build(statuses=statuses, transitions=(*TRANSITIONS, close)).status("dropped").terminal
        )

    def test_unknown_initial_status(self) -> None:
        """An initial status the workflow does not declare is reported with the choices."""
        expected = Problem(
            "workflow 'tiny'",
            "the initial status 'nowhere' is not a status of the workflow",
            "set initial to one of done, new, open, waiting",
        )

        assert expected in problems_of(initial="nowhere")

    def test_terminal_initial_status(self) -> None:
        """A workflow that starts in a terminal status is reported."""
        expected = Problem(
            "workflow 'tiny'", "the initial status 'done' is terminal", "start in a working status"
        )

        assert expected in problems_of(initial="done")

    def test_transition_with_unknown_source(self) -> None:
        """A transition from a status that does not exist is reported."""
        bad = Transition(action="go", sources={"open", "limbo"}, target="done", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = Problem(
            "transition 'go'",
            "names unknown source status 'limbo'",
            "declare a status 'limbo' or use one of done, new, open, waiting",
        )
        assert expected == problem

    def test_transition_with_unknown_target(self) -> None:
        """A transition into a status that does not exist is reported."""
        bad = Transition(action="go", sources="open", target="limbo", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = "names unknown target status 'limbo'"
        assert expected == problem.what

    def test_transition_with_unknown_follow_on(self) -> None:
        """A transition chaining on to a status that does not exist is reported."""
        bad = Transition(action="go", sources="open", target="waiting", roles="agent", then="limbo")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = "names unknown follow-on status 'limbo'"
        assert expected == problem.what

    def test_transition_with_empty_action_name(self) -> None:
        """A transition without an action name is reported."""
        bad = Transition(action="", sources="open", target="done", roles="agent")

        expected = Problem("a transition", "has an empty action name", "name every action")

        assert expected in problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_without_sources(self) -> None:
        """A transition that starts from no status is reported."""
        bad = Transition(action="go", sources=(), target="done", roles="agent")

        expected = Problem(
            "transition 'go'", "has no source statuses", "list the statuses it may start from"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_leaving_a_terminal_status(self) -> None:
        """A transition out of a terminal status is reported; only reopen reactions may."""
        bad = Transition(action="revive", sources="done", target="open", roles="agent")

        (problem,) = problems_of(transitions=(*TRANSITIONS, bad))

        expected = ("transition 'revive'", "leaves terminal status 'done'")
        assert expected == (problem.where, problem.what)
        assert "declared reopen reaction" in problem.fix

    def test_transition_with_no_roles(self) -> None:
        """A transition nobody may perform is reported."""
        bad = Transition(action="go", sources="open", target="done", roles=())

        expected = Problem(
            "transition 'go'", "allows no role", "list the roles that may perform it"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_transition_allowing_the_anonymous_role(self) -> None:
        """A transition open to the anonymous role is reported."""
        bad = Transition(action="go", sources="open", target="done", roles={"agent", "anonymous"})

        expected = Problem(
            "transition 'go'",
            "allows the 'anonymous' role, which may do nothing",
            "remove 'anonymous'; authenticate the actor first",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_ambiguous_duplicate_transition_for_overlapping_roles(self) -> None:
        """The same action declared twice from a status for a shared role is reported."""
        again = Transition(action="ask", sources="open", target="done", roles={"agent", "system"})

        expected = Problem(
            "transition 'ask'",
            "is declared twice from 'open' for roles agent",
            "give each role at most one way to perform an action from a status",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, again))

    def test_same_action_for_disjoint_roles_is_accepted(self) -> None:
        """The same action may be declared again from a status for other roles."""
        customers = Transition(action="ask", sources="open", target="done", roles="customer")

        wf = build(transitions=(*TRANSITIONS, customers))

        expected = 2
        assert expected == len(wf.transitions_from("open", "ask"))

    def test_chain_after_a_terminal_status(self) -> None:
        """A chain that goes on after reaching a terminal status is reported."""
        bad = Transition(
            action="go", sources="open", target="done", roles="agent", then=("waiting",)
        )

        expected = Problem(
            "transition 'go'",
            "chains on after terminal status 'done'",
            "end the chain at the terminal status",
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_required_field_with_empty_name(self) -> None:
        """A transition requiring a field with an empty name is reported."""
        bad = Transition(
            action="go", sources="open", target="done", roles="agent", requires_fields=("",)
        )

        expected = Problem(
            "transition 'go'", "requires a field with an empty name", "name the field"
        )

        assert (expected,) == problems_of(transitions=(*TRANSITIONS, bad))

    def test_reaction_with_unknown_trigger(self) -> None:
        """A reaction to something other than a customer or agent reply is reported."""
        bad = Reaction(on="full_moon", sources="open", target="waiting")

        expected = Problem(
            "reaction on 'full_moon'",
            "has unknown trigger 'full_moon'",
            "use one of customer_reply, agent_reply",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, bad))

    def test_duplicate_reaction(self) -> None:
        """Two reactions to the same trigger in the same status are reported."""
        again = Reaction(on="customer_reply", sources="waiting", target="new")

        expected = Problem(
            "reaction on 'customer_reply'",
            "is declared twice for status 'waiting'",
            "keep one reaction per trigger and status",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, again))

    def test_reaction_with_unknown_status(self) -> None:
        """A reaction from or to a status that does not exist is reported for each."""
        bad = Reaction(on="agent_reply", sources="limbo", target="purgatory")

        actual = [p.what for p in problems_of(reactions=(*REACTIONS, bad))]

        expected = [
            "names unknown source status 'limbo'",
            "names unknown target status 'purgatory'",
        ]
        assert expected == actual

    def test_reaction_without_sources(self) -> None:
        """A reaction that applies in no status is reported."""
        bad = Reaction(on="agent_reply", sources=(), target="open")

        expected = Problem(
            "reaction on 'agent_reply'",
            "has no source statuses",
            "list the statuses it applies in",
        )

        assert (expected,) == problems_of(reactions=(*REACTIONS, bad))

    def test_reopen_reaction_from_a_terminal_status_is_accepted(self) -> None:
        """A reaction out of a terminal status is a declared reopen and is accepted."""
        reopen = Reaction(on="customer_reply", sources="done", target="open")

        expected = reopen

        assert expected == build(reactions=(*REACTIONS, reopen)).reaction("done", "customer_reply")

    def test_unreachable_status(self) -> None:
        """A status no transition or reaction leads to is reported."""
        statuses = (*STATUSES, Status("island", Category.ACTIVE))
        leave = Transition(action="leave", sources="island", target="done", roles="agent")

        expected = Problem(
            "status 'island'",
            "is unreachable from the initial status 'new'",
            "add a transition into it or remove it",
        )

        assert (expected,) == problems_of(statuses=statuses, transitions=(*TRANSITIONS, leave))

    def test_a_status_reached_only_by_a_chain_is_reachable(self) -> None:
        """A status entered only as a follow-on step of a chain counts as reachable."""
        statuses = (*STATUSES, Status("dropped", Category.CANCELED))
        drop = Transition(
            action="drop", sources="open", target="dropped", roles="customer", then="done"
        )

        assert build(statuses=statuses, transitions=(*TRANSITIONS, drop)).has_status("dropped")

    def test_dead_end(self) -> None:
        """A non-terminal status with no way out is reported."""
        statuses = (*STATUSES, Status("stuck", Category.ON_HOLD))
        enter = Transition(action="park", sources="open", target="stuck", roles="agent")

        expected = Problem(
            "status 'stuck'",
            "is a dead end: no transition or reaction leaves it",
            "add a transition out of it, or mark it terminal if it is a closed status",
        )

        assert (expected,) == problems_of(statuses=statuses, transitions=(*TRANSITIONS, enter))

    def test_a_status_left_only_by_a_reaction_is_no_dead_end(self) -> None:
        """A status a reply reaction leaves is not a dead end."""
        transitions = (
            TRANSITIONS[0],
            TRANSITIONS[1],
            Transition(action="close", sources={"new", "open"}, target="done", roles="agent"),
        )

        assert build(transitions=transitions).reaction("waiting", "customer_reply") is not None

    def test_empty_priorities(self) -> None:
        """A workflow without priorities is reported."""
        expected = (
            Problem("workflow 'tiny'", "has no priorities", "list the priorities, lowest first"),
        )

        assert expected == problems_of(priorities=())

    def test_duplicate_priorities(self) -> None:
        """A priority listed twice is reported."""
        expected = (
            Problem("workflow 'tiny'", "lists a priority twice", "list each priority once"),
        )

        assert expected == problems_of(priorities=("low", "normal", "low"))

    def test_bad_default_priority(self) -> None:
        """A default priority that is not one of the priorities is reported with the choices."""
        expected = (
            Problem(
                "workflow 'tiny'",
                "the default priority 'urgent' is not one of its priorities",
                "use one of low, normal",
            ),
        )

        assert expected == problems_of(priorities=("low", "normal"), default_priority="urgent")

    def test_bad_approval_action(self) -> None:
        """An approval action the workflow does not define is reported."""
        (problem,) = problems_of(approval_action="approve")

        expected = "the approval action 'approve' is not an action of the workflow"
        assert expected == problem.what
        assert "customers may perform" in problem.fix

    def test_approval_action_customers_cannot_perform(self) -> None:
        """An approval action that no customer transition offers is reported."""
        expected = (
            Problem(
                "workflow 'tiny'",
                "customers may not perform the approval action 'ask'",
                "add 'customer' to that transition's roles",
            ),
        )

        assert expected == problems_of(approval_action="ask")

    def test_several_problems_are_all_reported_together(self) -> None:
        """Every problem of a broken workflow is reported in one error, each with a fix."""
        statuses = (*STATUSES, Status("open", Category.ACTIVE), Status("odd", "weird"))
        transitions = (
            *TRANSITIONS,
            Transition(action="revive", sources="done", target="limbo", roles=()),
        )

        with pytest.raises(WorkflowDefinitionError) as raised:
            build(
                statuses=statuses,
                transitions=transitions,
                initial="nowhere",
                priorities=("low", "low"),
                default_priority="urgent",
                approval_action="teleport",
            )

        problems = raised.value.problems
        expected_whats = {
            "is defined twice",
            "has unknown category 'weird'",
            "the initial status 'nowhere' is not a status of the workflow",
            "allows no role",
            "leaves terminal status 'done'",
            "names unknown target status 'limbo'",
            "is a dead end: no transition or reaction leaves it",
            "lists a priority twice",
            "the default priority 'urgent' is not one of its priorities",
            "the approval action 'teleport' is not an action of the workflow",
        }
        assert expected_whats <= {p.what for p in problems}
        assert all(p.fix for p in problems)
        assert f"invalid workflow: {len(problems)} problems" in str(raised.value)
        assert all(str(p) in str(raised.value) for p in problems)


class TestDocuments:
    def test_from_document_builds_the_same_workflow_as_python(self) -> None:
        """A document describing a workflow builds the same value as the Python constructor."""
        expected = build()

        assert expected == Workflow.from_document(TINY_DOCUMENT)

    def test_from_toml_builds_the_same_workflow_as_the_document(self) -> None:
        """TOML text builds the same workflow as the equivalent document."""
        expected = Workflow.from_document(TINY_DOCUMENT)

        assert expected == Workflow.from_toml(TINY_TOML)

    def test_the_preset_round_trips_through_its_document(self) -> None:
        """The support-portal workflow written to a document reads back equal."""
        expected = support_portal.WORKFLOW

        assert expected == Workflow.from_document(support_portal.WORKFLOW.to_document())

    def test_a_document_is_json_ready(self) -> None:
        """A workflow's document survives a trip through JSON unchanged."""
        document = support_portal.WORKFLOW.to_document()

        assert document == json.loads(json.dumps(document))

    @given(valid_workflow_documents())
    def test_valid_documents_round_trip(self, document: dict[str, object]) -> None:
        """Any valid document builds a workflow whose own document reads back equal."""
        workflow = Workflow.from_document(document)

        assert workflow == Workflow.from_document(workflow.to_document())

    def test_a_document_gets_the_same_validation_as_python(self) -> None:
        """A document with a meaning problem reports the problem the constructor reports."""
        document = {**TINY_DOCUMENT, "initial": "nowhere"}

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(document)

        assert problems_of(initial="nowhere") == raised.value.problems

    def test_empty_priorities_in_a_document_are_reported(self) -> None:
        """An empty priority list in a document is reported, not replaced by the defaults."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "priorities": []})

        assert problems_of(priorities=()) == raised.value.problems

    def test_empty_default_priority_in_a_document_is_reported(self) -> None:
        """An empty default priority in a document is reported, not replaced by 'normal'."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "default_priority": ""})

        assert problems_of(default_priority="") == raised.value.problems

    def test_a_document_that_is_not_a_table(self) -> None:
        """A document that is not a table is reported as such."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(["statuses"])

        expected = (
            Problem(
                "document",
                "must be a table of named values, got ['statuses']",
                "write a table",
            ),
        )
        assert expected == raised.value.problems

    def test_shape_problems_are_all_reported_together(self) -> None:
        """Unknown keys, missing keys and wrong types anywhere are reported in one error."""
        document = {
            "name": "tiny",
            "initial": 3,
            "colour": "blue",
            "statuses": [
                {"name": "new", "category": "new", "terminal": "yes"},
                {"category": "active"},
                "done",
            ],
            "transitions": [{"action": "go", "from": "new", "to": 5, "roles": [1], "when": 0}],
            "reactions": {"on": "customer_reply"},
            "priorities": "high",
            "approval_action": None,
        }

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(document)

        expected = {
            ("document", "has unknown key 'colour'"),
            ("document", "'initial' must be a string, got 3"),
            ("statuses[0]", "'terminal' must be true or false, got 'yes'"),
            ("statuses[1]", "misses 'name'"),
            ("statuses[2]", "must be a table of named values, got 'done'"),
            ("transitions[0]", "has unknown key 'when'"),
            ("transitions[0]", "'to' must be a string, got 5"),
            ("transitions[0]", "'roles' must be a list of strings, got [1]"),
            ("document", "'reactions' must be a list, got {'on': 'customer_reply'}"),
            ("document", "'approval_action' must be a string, got None"),
        }
        problems = raised.value.problems
        assert expected <= {(p.where, p.what) for p in problems}
        assert all(p.fix for p in problems)

    def test_missing_required_keys_are_reported(self) -> None:
        """An empty table reports its missing statuses and transitions."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({})

        expected = {
            ("document", "misses 'initial'"),
            ("document", "misses 'statuses'"),
            ("document", "misses 'transitions'"),
        }
        assert expected <= {(p.where, p.what) for p in raised.value.problems}

    def test_bad_toml(self) -> None:
        """TOML that does not parse is reported as one problem telling to fix the syntax."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_toml("name = [unclosed")

        (problem,) = raised.value.problems
        expected = ("document", "correct the TOML syntax")
        assert expected == (problem.where, problem.fix)
        assert problem.what.startswith("is not valid TOML")

    def test_toml_with_shape_problems_reports_them(self) -> None:
        """Valid TOML with a wrongly typed value reports the value, not a syntax error."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_toml(TINY_TOML.replace('initial = "new"', "initial = 1979-05-27"))

        assert "'initial' must be a string" in str(raised.value)

    @given(workflow_documents())
    def test_any_document_builds_or_reports_problems(self, document: object) -> None:
        """Reading any document builds a workflow or raises one error with at least one problem."""
        problems: tuple[Problem, ...] = ()
        try:
            Workflow.from_document(document)
        except WorkflowDefinitionError as error:
            problems = error.problems
            assert problems, "a definition error must name at least one problem"
        assert all(isinstance(p, Problem) and p.where and p.what and p.fix for p in problems)
