"""Tests for ``ticketflow._workflow_documents``: workflows read from and written to plain
documents and TOML, and every way a hostile document is refused."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable
from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile import nested
from strategies import valid_workflow_documents, workflow_documents
from ticketflow import InvalidTypeError, Problem, TicketflowError, Workflow, WorkflowDefinitionError
from ticketflow._workflow_documents import read_placed, unread
from ticketflow.presets import (
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)
from workflow_examples import build, problems_of


def said(problems: Iterable[Problem]) -> list[tuple[str, str]]:
    """What each problem says is wrong and how to fix it, wherever it is placed."""
    return [(p.what, p.fix) for p in problems]


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


def _presets_workflows() -> list[Workflow]:
    """Every workflow a preset module defines."""
    found: list[Workflow] = []
    for module in (
        escalation_process,
        hosting_portal,
        italian_helpdesk,
        servicenow,
        support_portal,
        volvo_it,
    ):
        found.extend(v for v in vars(module).values() if isinstance(v, Workflow))
    return found


PRESET_WORKFLOWS: Final = _presets_workflows()


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
        """A document with a meaning problem reports what the constructor reports, placed
        at the document's key instead of the workflow's name."""
        document = {**TINY_DOCUMENT, "initial": "nowhere"}

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(document)

        assert said(problems_of(initial="nowhere")) == said(raised.value.problems)
        assert ["initial"] == [p.where for p in raised.value.problems]

    def test_empty_priorities_in_a_document_are_reported(self) -> None:
        """An empty priority list in a document is reported, not replaced by the defaults."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "priorities": []})

        assert said(problems_of(priorities=())) == said(raised.value.problems)
        assert ["priorities"] == [p.where for p in raised.value.problems]

    def test_empty_default_priority_in_a_document_is_reported(self) -> None:
        """An empty default priority in a document is reported, not replaced by 'normal'."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "default_priority": ""})

        assert said(problems_of(default_priority="")) == said(raised.value.problems)
        assert ["default_priority"] == [p.where for p in raised.value.problems]

    def test_a_document_that_is_not_a_table(self) -> None:
        """A document that is not a table is reported as such."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(["statuses"])

        (problem,) = raised.value.problems
        assert (
            "document",
            "must be a table of named values (a workflow), got list ['statuses']",
        ) == (
            problem.where,
            problem.what,
        )
        assert problem.fix.startswith("write a table with the keys 'name', 'initial'")

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
            ("colour", "is not a key of this workflow"),
            ("initial", "must be a string, got int 3"),
            ("statuses[0].terminal", "must be true or false, got str 'yes'"),
            ("statuses[1]", "misses the key 'name'"),
            ("statuses[2]", "must be a table of named values (a status), got str 'done'"),
            ("transitions[0].when", "is not a key of this transition"),
            ("transitions[0].to", "must be a string, got int 5"),
            ("transitions[0].roles[0]", "must be a string, got int 1"),
            ("reactions", "must be a list, got dict {'on': 'customer_reply'}"),
            ("approval_action", "must be a string, got NoneType None"),
        }
        problems = raised.value.problems
        assert expected <= {(p.where, p.what) for p in problems}
        assert all(p.fix for p in problems)

    def test_missing_required_keys_are_reported(self) -> None:
        """An empty table reports its missing statuses and transitions."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({})

        expected = {
            ("document", "misses the key 'initial'"),
            ("document", "misses the key 'statuses'"),
            ("document", "misses the key 'transitions'"),
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

        assert "initial: must be a string, got date" in str(raised.value)

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

    @pytest.mark.parametrize("workflow", PRESET_WORKFLOWS, ids=lambda wf: wf.name)
    def test_every_preset_workflow_still_builds_from_its_document(self, workflow: Workflow) -> None:
        """Each preset's workflow passes the stricter checks and reads back equal."""
        assert workflow == Workflow.from_document(workflow.to_document())


class TestHostileDocuments:
    def test_a_hundred_thousand_statuses_are_refused_with_the_limit(self) -> None:
        """Given 100,000 statuses, when read, then one problem names the limit of values."""
        statuses = [{"name": f"s{i}", "category": "active"} for i in range(100_000)]

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "statuses": statuses})

        assert ["holds more than 100,000 values"] == [p.what for p in raised.value.problems]

    def test_a_ten_megabyte_name_is_refused_with_the_limit(self) -> None:
        """Given a 10 MB name, when read, then one problem names the limit of text."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "name": "x" * 10_000_000})

        assert ["holds more than 1,000,000 characters of text"] == [
            p.what for p in raised.value.problems
        ]

    def test_a_document_a_million_levels_deep_is_refused_with_the_limit(self) -> None:
        """Given a table nested a million deep, when read, then one problem names the
        depth limit (no RecursionError)."""
        deep = nested(1_000_000, "statuses")

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(deep)

        assert ["nests tables or lists more than 16 levels deep"] == [
            p.what for p in raised.value.problems
        ]

    def test_every_shape_problem_has_its_path(self) -> None:
        """Given a wrong category type in the third status, when read, then the problem
        is at ``statuses[2].category``."""
        statuses = [*TINY_DOCUMENT["statuses"]]  # type: ignore[misc]
        statuses[2] = {"name": "waiting", "category": 7}

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "statuses": statuses})

        assert "statuses[2].category" == raised.value.problems[0].where

    def test_deeply_nested_toml_is_refused_with_a_definition_error(self) -> None:
        """A kilobyte of nested brackets is a definition problem, not a RecursionError."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_toml("x = " + "[" * 500 + "]" * 500)

        assert ["document"] == [p.where for p in raised.value.problems]

    @pytest.mark.parametrize("text", [None, b"name = 'x'", 3], ids=repr)
    def test_toml_text_that_is_not_a_string_is_refused_with_a_type_error(
        self, text: object
    ) -> None:
        """Reading TOML from something that is not a str is a typed error."""
        with pytest.raises(InvalidTypeError):
            Workflow.from_toml(text)  # type: ignore[arg-type]

    def test_a_document_that_is_none_is_refused_with_a_definition_error(self) -> None:
        """``None`` is not a document, and saying so is a definition problem."""
        with pytest.raises(WorkflowDefinitionError):
            Workflow.from_document(None)

    def test_a_deeply_nested_value_is_quoted_briefly(self) -> None:
        """A value nested far deeper than the recursion limit is quoted in a short line."""
        deep: list[object] = []
        for _ in range(100_000):
            deep = [deep]

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document({**TINY_DOCUMENT, "name": deep, "statuses": deep})

        assert 2_000 > len(str(raised.value))

    def test_a_deeply_nested_duration_is_quoted_briefly(self) -> None:
        """A duration document nested far deeper than the recursion limit is a short problem."""
        deep: dict[str, object] = {}
        for _ in range(100_000):
            deep = {"hours": deep}
        doc = {
            **TINY_DOCUMENT,
            "reactions": [{"on": "customer_reply", "from": ["done"], "to": "open", "within": deep}],
        }

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(doc)

        assert 2_000 > len(str(raised.value))

    @pytest.mark.parametrize(
        "document",
        [
            {"hours": 1e300},
            {"seconds": 10**20},
            {"hours": math.inf},
            {"minutes": -math.inf},
            {"hours": math.nan},
            {"business_hours": 1e300},
            {"days": 10**20},
            {"business_days": 36_526},
            {"minutes": -1e300},
        ],
        ids=repr,
    )
    def test_a_huge_or_non_finite_duration_in_a_document_is_refused(
        self, document: dict[str, object]
    ) -> None:
        """An overflowing, infinite or NaN duration in a document is a problem, not a crash."""
        doc = {
            **TINY_DOCUMENT,
            "transitions": [
                *TINY_DOCUMENT["transitions"],  # type: ignore[misc]
                {"action": "drop", "from": ["waiting"], "to": "done", "roles": ["system"]},
            ],
            "timers": [{"name": "drop", "in": ["waiting"], "after": document, "action": "drop"}],
        }

        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_document(doc)

        assert ["timers[0].after"] == [p.where for p in raised.value.problems][:1]

    def test_a_huge_integer_in_toml_is_a_definition_error(self) -> None:
        """An integer too long for Python to read from text is a definition problem."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow.from_toml("x = " + "1" * 5000)

        assert ["document"] == [p.where for p in raised.value.problems]

    @pytest.mark.parametrize(
        "path",
        [
            ("name",),
            ("initial",),
            ("statuses",),
            ("statuses", 0),
            ("statuses", 0, "name"),
            ("statuses", 0, "terminal"),
            ("transitions", 0, "from"),
            ("transitions", 0, "requires_reason"),
            ("reactions", 0, "within"),
            ("reactions", 0, "within", "days"),
            ("reactions", 0, "within", "hours"),
            ("priorities",),
        ],
        ids=lambda path: ".".join(map(str, path)),
    )
    def test_a_huge_integer_anywhere_in_a_document_is_a_definition_error(
        self, path: tuple[str | int, ...]
    ) -> None:
        """An integer of 5,000 digits anywhere in a workflow document is a definition
        problem, not a bare ValueError or OverflowError."""
        document = json.loads(json.dumps(TINY_DOCUMENT))
        document["reactions"][0]["within"] = {"days": 1}
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if path[-1] in ("days", "hours"):
            parent.clear()
        parent[path[-1]] = 10**5000

        with pytest.raises(WorkflowDefinitionError):
            Workflow.from_document(document)


def _deep(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


DEEP: Final = _deep(50_000)
"""A list nested far deeper than the interpreter's recursion limit (built once)."""


_HOSTILE_VALUES: Final[tuple[object, ...]] = (
    None,
    True,
    0,
    -1,
    10**30,
    1e300,
    math.inf,
    math.nan,
    "",
    " x",
    "a\nb",
    "\x00",
    "\u200b",
    "Agent",
    "x" * 10_000,
    [],
    {},
    DEEP,
    {"deep": DEEP},
    {"hours": 1e300},
    {"seconds": 10**20},
    {"hours": math.inf},
    {"minutes": math.nan},
    {"minutes": -1e-7},
    {"business_days": 10**20},
    {"days": 0},
    {"hours": DEEP},
    ["Agent", "agent "],
    ["a\u2028b"],
)


_HOSTILE_KEYS: Final = frozenset(
    {"after", "within", "reminders", "name", "to", "from", "roles", "in", "priorities", "then"}
)


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a node of a document, the root included (at most 8 levels deep)."""
    found = [path]
    if len(path) >= 8:
        return found
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*path, index)))
    return found


def _mutate(document: object, path: tuple[object, ...], how: str, new: object) -> object:
    if not path:
        return new if how != "drop" else {}
    head, *rest = path
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and how == "drop":
            copy.pop(head, None)
        else:
            copy[head] = _mutate(copy[head], tuple(rest), how, new)
        return copy
    assert isinstance(document, list)
    assert isinstance(head, int)
    items = list(document)
    if not rest and how == "drop":
        del items[head]
    else:
        items[head] = _mutate(items[head], tuple(rest), how, new)
    return items


@st.composite
def mutated_documents(draw: st.DrawFn) -> object:
    """A preset's workflow document with a few nodes dropped or replaced by hostile values
    (half the time a node that holds a duration or a name)."""
    document: object = draw(st.sampled_from(PRESET_WORKFLOWS)).to_document()
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        named = [p for p in paths if p and p[-1] in _HOSTILE_KEYS]
        targeted = bool(named) and draw(st.booleans())
        path = draw(st.sampled_from(named if targeted else paths))
        how = draw(st.sampled_from(("drop", "replace", "replace", "nest")))
        new = draw(st.sampled_from(_HOSTILE_VALUES))
        if how == "nest":
            new = draw(st.sampled_from(([new], {"x": new}, [[[[new]]]])))
        document = _mutate(document, path, how, new)
    return document


def _toml_value(value: object, depth: int = 0) -> str:
    """``value`` as an inline TOML value; past a few levels, a kilobyte of raw brackets."""
    if depth > 20:
        return "[" * 600 + "]" * 600
    match value:
        case bool():
            return "true" if value else "false"
        case int():
            return str(value)
        case float():
            return "nan" if math.isnan(value) else repr(value).replace("inf", "inf")
        case str():
            return json.dumps(value)
        case list():
            return "[" + ", ".join(_toml_value(v, depth + 1) for v in value) + "]"
        case dict():
            items = (
                f"{json.dumps(str(k))} = {_toml_value(v, depth + 1)}"
                for k, v in value.items()
                if v is not None
            )
            return "{" + ", ".join(items) + "}"
        case _:
            return '"None"'


def _to_toml(document: object) -> str:
    """A TOML rendering of a document (top-level keys, inline values; None left out)."""
    if not isinstance(document, dict):
        return "x = " + _toml_value(document)
    return "\n".join(
        f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in document.items() if v is not None
    )


class TestMutatedDocuments:
    @settings(max_examples=150)
    @given(mutated_documents())
    def test_a_mutated_document_builds_a_round_tripping_workflow_or_a_typed_error(
        self, document: object
    ) -> None:
        """Only ticketflow errors escape reading a mutated document; what builds round-trips."""
        try:
            workflow = Workflow.from_document(document)
        except TicketflowError:
            return
        again = Workflow.from_document(workflow.to_document())
        assert workflow == again
        assert hash(workflow) == hash(again)

    @settings(max_examples=60)
    @given(mutated_documents())
    def test_a_mutated_document_written_as_toml_builds_or_raises_a_typed_error(
        self, document: object
    ) -> None:
        """Only ticketflow errors escape reading the TOML form of a mutated document."""
        text = _to_toml(document)
        with contextlib.suppress(TicketflowError):
            Workflow.from_toml(text)

    def test_the_toml_form_of_a_preset_document_reads_back_equal(self) -> None:
        """The TOML rendering the fuzz test uses is faithful on an unmutated document."""
        workflow = support_portal.WORKFLOW

        assert workflow == Workflow.from_toml(_to_toml(workflow.to_document()))


class TestPlaces:
    def test_read_placed_gives_the_document_index_of_each_part(self) -> None:
        """Given a document whose first status has a shape problem, then the one status
        read is mapped to document index 1."""
        document = {
            "initial": "a",
            "transitions": [],
            "statuses": [{"name": 1, "category": "new"}, {"name": "a", "category": "new"}],
        }

        parts, problems, paths = read_placed(document)

        assert parts is not None
        assert (["statuses[0].name"], ["a"], (1,)) == (
            [p.where for p in problems],
            [s.name for s in parts["statuses"]],
            paths["statuses"],
        )

    def test_unread_is_none_when_every_part_read(self) -> None:
        """Given a sound document, then no status is unread."""
        document = Workflow.from_document(TINY_DOCUMENT).to_document()

        assert unread(document, read_placed(document)[2]) is None

    def test_unread_names_the_statuses_left_out(self) -> None:
        """Given a status whose category is no string, then ``unread`` names it."""
        document = {"initial": "a", "transitions": [], "statuses": [{"name": "a", "category": 2}]}

        assert frozenset({"a"}) == unread(document, read_placed(document)[2])

    def test_a_transition_left_out_makes_the_parts_partial(self) -> None:
        """Given a transition with a shape problem, then ``unread`` is an empty set
        (something is missing), not ``None``."""
        document = {
            "initial": "a",
            "statuses": [{"name": "a", "category": "new"}],
            "transitions": [{"action": "x"}],
        }

        assert frozenset() == unread(document, read_placed(document)[2])
