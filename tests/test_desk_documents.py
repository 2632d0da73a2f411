"""Tests for ``ticketflow._desk_documents``: a whole desk as one document (TOML or JSON),
read with every problem at once, written back equal, and published as a JSON Schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Final

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from codec_strategies import (
    NAMES,
    PRESETS,
    auto_closes,
    calendars,
    desks,
    escalation_policies,
    preset_desks,
    spans,
)
from hostile import nested
from ticketflow import (
    AutoClose,
    AutoClosePolicy,
    BusinessCalendar,
    BusinessTime,
    Category,
    Desk,
    DeskDefinitionError,
    EscalationPolicy,
    InvalidTypeError,
    Metric,
    Role,
    SlaPolicy,
    Status,
    TicketflowError,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)
from ticketflow._desk_documents import in_document
from ticketflow.presets import support_portal, volvo_it

SCHEMA_FILE: Final = Path(__file__).resolve().parents[1] / "src" / "ticketflow" / "desk.schema.json"


def toml_of(document: dict[str, object]) -> str:
    """``document`` as TOML text: a top-level key per line, inline tables and arrays
    below (enough for the plain documents ``to_document`` writes)."""

    def value(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int | float):
            return repr(item)
        if isinstance(item, str):
            return json.dumps(item)
        if isinstance(item, list):
            return "[" + ", ".join(value(v) for v in item) + "]"
        assert isinstance(item, dict), item
        return "{" + ", ".join(f"{json.dumps(k)} = {value(v)}" for k, v in item.items()) + "}"

    return "\n".join(f"{json.dumps(key)} = {value(item)}" for key, item in document.items())


# Signals and categories every preset's workflow knows.
_SIGNALS: Final = ("opened", "agent_reply", "customer_reply", "reopened", "entered:resolved")
_CATEGORIES: Final = ("waiting_on_customer", "on_hold")


def fitting_metrics(priorities: tuple[str, ...]) -> st.SearchStrategy[Metric]:
    """Metrics with a target for each of ``priorities``, real or business time."""
    positive = spans.filter(lambda span: span > timedelta(0))
    return st.builds(
        Metric,
        name=NAMES,
        targets=st.fixed_dictionaries(
            {p: positive | st.builds(BusinessTime, positive) for p in priorities}
        ),
        starts_on=st.just({"opened"}),
        stops_on=st.frozensets(st.sampled_from(_SIGNALS[1:])).map(lambda s: s | {"agent_reply"}),
        pauses_in=st.frozensets(st.sampled_from(_CATEGORIES)),
        restarts_on=st.frozensets(st.sampled_from(_SIGNALS)),
        on_restart=st.sampled_from(["resume", "new_cycle"]),
        calendar=st.none() | calendars(),
        warnings=st.lists(st.floats(0.05, 0.95), max_size=3, unique=True),
    )


def problems_of(document: object) -> list[tuple[str, str]]:
    """The (where, what) of every problem ``Desk.from_document`` reports for ``document``."""
    with pytest.raises(DeskDefinitionError) as raised:
        Desk.from_document(document)
    return [(p.where, p.what) for p in raised.value.problems]


def wheres(document: object) -> list[str]:
    return [where for where, _ in problems_of(document)]


def tiny_workflow() -> dict[str, object]:
    return {
        "name": "tiny",
        "initial": "open",
        "priorities": ["high"],
        "default_priority": "high",
        "statuses": [
            {"name": "open", "category": "active"},
            {"name": "done", "category": "closed"},
        ],
        "transitions": [{"action": "close", "from": ["open"], "to": "done", "roles": ["agent"]}],
    }


def metric(**changes: object) -> dict[str, object]:
    return {
        "name": "first_response",
        "targets": {"high": {"business_hours": 4}},
        "starts_on": ["opened"],
        "stops_on": ["agent_reply"],
        **changes,
    }


class TestRoundTrip:
    @pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.__name__.rpartition(".")[2])
    def test_every_preset_reads_back_equal_from_its_document(self, preset: object) -> None:
        """Given a preset's desk, when written and read back, then the desk is equal."""
        desk: Desk = preset.desk()  # type: ignore[attr-defined]

        assert desk == Desk.from_document(desk.to_document())

    @pytest.mark.parametrize("desk", preset_desks(), ids=lambda d: d.workflow.name)
    def test_every_preset_reads_back_equal_through_json_text(self, desk: Desk) -> None:
        """Given a preset's document, when sent through JSON text, then it reads back equal."""
        assert desk == Desk.from_document(json.loads(json.dumps(desk.to_document())))

    @pytest.mark.parametrize("desk", preset_desks(), ids=lambda d: d.workflow.name)
    def test_every_preset_reads_back_equal_through_toml_text(self, desk: Desk) -> None:
        """Given a preset's document, when written as TOML text, then it reads back equal."""
        assert desk == Desk.from_toml(toml_of(desk.to_document()))

    @given(desks())
    def test_a_varied_desk_reads_back_equal(self, desk: Desk) -> None:
        """For any preset desk with other auto-close rules and escalation policy, the
        document reads back into an equal desk, through JSON text and through TOML text."""
        assert desk == Desk.from_document(json.loads(json.dumps(desk.to_document())))
        assert desk == Desk.from_toml(toml_of(desk.to_document()))

    @given(st.data())
    def test_a_desk_with_any_metrics_and_calendars_reads_back_equal(
        self, data: st.DataObject
    ) -> None:
        """For any metrics (each on its own calendar or none, every duration of time as
        a target) on a preset's workflow, the document names each calendar once and
        reads back into an equal desk."""
        desk = data.draw(st.sampled_from(preset_desks()))
        drawn = data.draw(
            st.lists(
                fitting_metrics(desk.workflow.priorities), max_size=3, unique_by=lambda m: m.name
            )
        )
        calendar = data.draw(st.none() | calendars())
        varied = attrs.evolve(desk, sla=SlaPolicy(metrics=drawn, calendar=calendar))

        assert varied == Desk.from_document(json.loads(json.dumps(varied.to_document())))

    @given(
        st.sampled_from(preset_desks()), st.lists(auto_closes(), max_size=2), escalation_policies()
    )
    def test_a_written_document_holds_only_plain_values(
        self, desk: Desk, rules: list[AutoClose], escalation: EscalationPolicy
    ) -> None:
        """Every document written is plain: string keys, no None, nothing JSON cannot hold."""
        try:
            varied = attrs.evolve(desk, auto_close=AutoClosePolicy(rules), escalation=escalation)
        except TicketflowError:
            return

        document = varied.to_document()

        assert document == json.loads(json.dumps(document))
        assert "null" not in json.dumps(document)

    def test_a_desk_that_takes_no_escalation_requests_writes_false(self) -> None:
        """Given ``EscalationPolicy(action=None)``, when written, then its action is
        ``false`` (TOML has no null), which reads back as ``None``."""
        desk = volvo_it.desk()

        document = desk.to_document()

        assert False is document["escalation"]["action"]  # type: ignore[index]
        assert Desk.from_document(document).escalation.action is None  # type: ignore[union-attr]

    def test_a_metric_on_its_own_calendar_names_it_in_calendars(self) -> None:
        """Given a metric counted on another calendar than the desk's, when written, then
        the calendar is under ``calendars`` and the metric names it."""
        tokyo = BusinessCalendar.weekdays("Asia/Tokyo", "09:00", "18:00")
        desk = Desk(
            workflow=support_portal.WORKFLOW,
            sla=SlaPolicy(
                metrics=[
                    Metric.first_response(
                        dict.fromkeys(support_portal.WORKFLOW.priorities, timedelta(hours=4)),
                        calendar=tokyo,
                    )
                ]
            ),
        )

        document = desk.to_document()

        assert {"first_response": tokyo.to_document()} == document["calendars"]
        assert "first_response" == document["sla"]["metrics"][0]["calendar"]  # type: ignore[index]
        assert desk == Desk.from_document(document)


class TestProblems:
    def test_every_problem_of_every_part_is_reported_at_once(self) -> None:
        """Given faults in the workflow, the calendar, a role, a metric and the intake,
        when read, then every one is reported together, each at its path."""
        document = {
            "workflow": {**tiny_workflow(), "initial": "nowhere"},
            "calendar": {"tz": "Mars/Olympus"},
            "roles": [{"name": "triage", "may": ["asign"]}],
            "sla": {"metrics": [metric(targets={"high": {"business_days": 1}})]},
            "intake": {"feilds": ["impact"]},
        }

        found = wheres(document)

        assert "roles[0].may[0]" in found
        assert "intake.feilds" in found
        assert "sla.metrics[0].targets.high" in found
        assert any(w.startswith("workflow") for w in found)
        assert any(w.startswith("calendar") for w in found)

    def test_a_workflow_problem_is_placed_under_workflow(self) -> None:
        """Given a workflow whose initial status does not exist, when read, then its
        problem's path starts with ``workflow``."""
        found = problems_of({"workflow": {**tiny_workflow(), "initial": "nowhere"}})

        assert found
        assert all(where.startswith("workflow") for where, _ in found)

    def test_a_calendar_problem_is_placed_under_calendar(self) -> None:
        """Given a calendar with an unknown zone, when read, then the problem is at
        ``calendar.tz``."""
        found = wheres({"workflow": tiny_workflow(), "calendar": {"tz": "Mars/Olympus"}})

        assert ["calendar.tz"] == found

    def test_a_day_count_sla_target_is_refused_at_its_priority(self) -> None:
        """Given ``targets = {high = {business_days = 3}}``, when read, then the problem
        is at ``sla.metrics[0].targets.high`` and says how to write business time."""
        document = {
            "workflow": tiny_workflow(),
            "sla": {"metrics": [metric(targets={"high": {"business_days": 3}})]},
        }

        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_document(document)

        (problem,) = raised.value.problems
        assert "sla.metrics[0].targets.high" == problem.where
        assert "{business_hours = 24}" in problem.fix

    @pytest.mark.parametrize(
        ("target", "expected"),
        [
            ({"hours": 4}, timedelta(hours=4)),
            ({"minutes": 90}, timedelta(minutes=90)),
            ({"seconds": 30}, timedelta(seconds=30)),
            ({"business_hours": 4}, BusinessTime(timedelta(hours=4))),
            ({"business_minutes": 30}, BusinessTime(timedelta(minutes=30))),
        ],
    )
    def test_every_time_kind_is_a_target(self, target: object, expected: object) -> None:
        """Given a target in any unit of time, when read, then the metric holds it."""
        document = {
            "workflow": tiny_workflow(),
            "sla": {"metrics": [metric(targets={"high": target})]},
        }

        desk = Desk.from_document(document)

        assert expected == desk.sla.metrics[0].target("high")

    def test_a_metric_naming_an_undefined_calendar_is_a_problem(self) -> None:
        """Given a metric whose calendar is not under ``calendars``, when read, then the
        problem is at its ``calendar`` key and offers the defined names."""
        document = {
            "workflow": tiny_workflow(),
            "calendars": {"tokyo": {"tz": "Asia/Tokyo"}},
            "sla": {"metrics": [metric(calendar="osaka")]},
        }

        found = problems_of(document)

        assert [("sla.metrics[0].calendar", found[0][1])] == found
        assert "'osaka'" in found[0][1]

    def test_a_problem_in_a_named_calendar_is_placed_under_its_name(self) -> None:
        """Given a named calendar with a bad zone, when read, then the problem is at
        ``calendars.<name>.tz``."""
        document = {"workflow": tiny_workflow(), "calendars": {"tokyo": {"tz": "Asia/Tokio"}}}

        assert ["calendars.tokyo.tz"] == wheres(document)

    def test_the_desks_cross_checks_run_when_the_parts_are_sound(self) -> None:
        """Given sound parts that do not fit each other (a role typo in a transition),
        when read, then the desk's own check reports it."""
        workflow = tiny_workflow()
        workflow["transitions"] = [
            {"action": "close", "from": ["open"], "to": "done", "roles": ["agnet"]}
        ]
        document = {"workflow": workflow, "roles": [{"name": "triage"}]}

        found = problems_of(document)

        assert 1 == len(found)
        assert "'agnet'" in found[0][1]

    def test_a_metric_the_desk_refuses_is_named_by_its_path(self) -> None:
        """Given a second metric without a target for a priority, when read, then the
        desk's SLA lint reports it at ``sla.metrics[1]``, not by its name alone."""
        workflow = {**tiny_workflow(), "priorities": ["high", "low"]}
        both = {"high": {"hours": 4}, "low": {"hours": 8}}
        document = {
            "workflow": workflow,
            "sla": {
                "metrics": [
                    metric(targets=both),
                    metric(name="late", targets={"high": {"hours": 1}}),
                ]
            },
        }

        assert [("sla.metrics[1]", "has no target for priority 'low'")] == problems_of(document)

    def test_a_missing_workflow_is_reported_with_the_other_problems(self) -> None:
        """Given no workflow and an unknown key, when read, then both are reported."""
        found = wheres({"workflfow": {}, "intake": {"fields": 3}})

        assert {"workflfow", "document", "intake.fields"} == set(found)

    def test_a_document_that_is_no_table_is_refused(self) -> None:
        """Given a list, when read as a desk, then one problem says to write a table."""
        assert ["document"] == wheres([1, 2, 3])

    def test_an_unknown_power_is_a_shape_problem(self) -> None:
        """Given a role with a misspelt power, when read, then the problem is at the power."""
        document = {"workflow": tiny_workflow(), "roles": [{"name": "triage", "may": "assign"}]}

        assert ["roles[0].may"] == wheres(document)

    def test_an_escalation_refusal_is_placed_at_the_policy(self) -> None:
        """Given a negative cooldown (refused by the policy itself), when read, then the
        problem is at ``escalation``."""
        workflow = tiny_workflow()
        document = {
            "workflow": workflow,
            "escalation": {"action": False, "cooldown": {"hours": -1}},
        }

        assert ["escalation"] == wheres(document)

    def test_a_document_never_runs_code(self) -> None:
        """Given Python objects where names belong (a callable, an iterable that would
        run code), when read, then they are shape problems and nothing is called."""

        class Trap:
            def __iter__(self) -> object:
                raise AssertionError("iterated")

            def __call__(self) -> object:
                raise AssertionError("called")

        document = {"workflow": tiny_workflow(), "intake": {"fields": Trap()}}

        assert ["intake.fields"] == wheres(document)


class TestAbsurdSizes:
    def test_a_hundred_thousand_statuses_are_refused_with_the_limit(self) -> None:
        """Given 100,000 statuses, when read, then one problem names the limit of values."""
        workflow = tiny_workflow()
        workflow["statuses"] = [{"name": f"s{i}", "category": "active"} for i in range(100_000)]

        found = problems_of({"workflow": workflow})

        assert [("document", "holds more than 200,000 values")] == found

    def test_a_ten_megabyte_string_is_refused_with_the_limit(self) -> None:
        """Given a 10 MB workflow name, when read, then one problem names the limit of text."""
        found = problems_of({"workflow": {**tiny_workflow(), "name": "x" * 10_000_000}})

        assert [("document", "holds more than 2,000,000 characters of text")] == found

    def test_a_million_levels_of_nesting_are_refused_with_the_limit(self) -> None:
        """Given a document nested a million levels deep, when read, then one problem
        names the depth limit (no RecursionError)."""
        deep = nested(1_000_000, "workflow")

        found = problems_of(deep)

        assert [("document", "nests tables or lists more than 32 levels deep")] == found

    def test_absurdly_nested_toml_is_a_definition_error(self) -> None:
        """Given TOML text of arrays nested 100,000 deep, when read, then it is a
        DeskDefinitionError, not a RecursionError."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_toml("x = " + "[" * 100_000 + "]" * 100_000)

        assert "too deeply" in raised.value.problems[0].what

    def test_too_long_toml_text_is_refused_before_parsing(self) -> None:
        """Given TOML text longer than the limit, when read, then the limit is named."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_toml("# " + "x" * 5_000_000)

        assert "more than the limit of 4,000,000" in raised.value.problems[0].what

    def test_toml_that_is_not_text_is_a_type_error(self) -> None:
        """Given bytes, when read as TOML, then InvalidTypeError asks for a str."""
        with pytest.raises(InvalidTypeError):
            Desk.from_toml(b"x = 1")  # type: ignore[arg-type]

    def test_invalid_toml_names_the_syntax_error(self) -> None:
        """Given broken TOML, when read, then the problem says it is not valid TOML."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_toml("[workflow\n")

        assert raised.value.problems[0].what.startswith("is not valid TOML")


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(Desk.json_schema())


class TestSchema:
    def test_the_published_schema_is_the_generated_one(self) -> None:
        """The committed ``desk.schema.json`` equals ``Desk.json_schema()``; regenerate it
        with ``python -m ticketflow schema > src/ticketflow/desk.schema.json``."""
        assert Desk.json_schema() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

    def test_the_schema_is_a_valid_draft_2020_12_schema(self) -> None:
        """The generated schema passes the 2020-12 metaschema."""
        jsonschema.Draft202012Validator.check_schema(Desk.json_schema())

    @pytest.mark.parametrize("desk", preset_desks(), ids=lambda d: d.workflow.name)
    def test_every_preset_document_is_valid_by_the_schema(self, desk: Desk) -> None:
        """Every preset's document, through JSON, validates against the schema."""
        document = json.loads(json.dumps(desk.to_document()))

        assert [] == [error.message for error in _validator().iter_errors(document)]

    @pytest.mark.parametrize(
        "change",
        [
            {"workflw": {}},
            {"roles": [{"name": "triage", "may": ["asign"]}]},
            {"sla": {"metrics": [metric(targets={"high": {"weeks": 1}})]}},
            {"escalation": {"action": 3}},
            {"intake": {"fields": [1]}},
            {"calendar": {"week": {"mon": "09:00-17:00"}}},
        ],
        ids=["unknown key", "unknown power", "unknown unit", "action", "field", "no tz"],
    )
    def test_a_broken_document_is_refused_by_the_schema_and_the_reader(
        self, change: dict[str, object]
    ) -> None:
        """Given a document broken in its shape, then the schema and ``from_document``
        both refuse it."""
        document = {"workflow": tiny_workflow(), **change}

        assert not _validator().is_valid(document)
        assert problems_of(document)

    def test_the_schema_describes_every_key(self) -> None:
        """Every property of the desk document's schema carries a description."""
        properties = Desk.json_schema()["properties"]
        assert isinstance(properties, dict)

        assert [] == [name for name, schema in properties.items() if not schema["description"]]

    def test_the_schema_file_is_package_data(self) -> None:
        """The schema sits inside the package directory, which the wheel ships whole."""
        listed = subprocess.run(
            [
                sys.executable,
                "-c",
                "import importlib.resources as r; "
                "print(r.files('ticketflow').joinpath('desk.schema.json').is_file())",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "True" == listed.stdout.strip()
        assert re.search(
            r'packages = \["src/ticketflow"\]',
            (SCHEMA_FILE.parents[2] / "pyproject.toml").read_text(),
        )


def workflow_with(**changes: object) -> dict[str, object]:
    """The tiny workflow with some of its keys replaced."""
    return {**tiny_workflow(), **changes}


OPEN: Final = {"name": "open", "category": "active"}
DONE: Final = {"name": "done", "category": "closed"}
CLOSE: Final = {"action": "close", "from": ["open"], "to": "done", "roles": ["agent"]}


class TestWorkflowPaths:
    def test_a_status_problem_is_at_its_key_in_the_document(self) -> None:
        """Given a status with an unknown category, when read, then the problem is at
        ``workflow.statuses[0].category``, not at the status's name."""
        document = {"workflow": workflow_with(statuses=[{**OPEN, "category": "activ"}, DONE])}

        assert ["workflow.statuses[0].category"] == wheres(document)

    def test_a_transition_problem_is_at_its_index_and_key(self) -> None:
        """Given the second transition entering an unknown status, when read, then the
        problem is at ``workflow.transitions[1].to``."""
        finish = {**CLOSE, "action": "finish", "to": "gone"}
        document = {"workflow": workflow_with(transitions=[CLOSE, finish])}

        assert ["workflow.transitions[1].to"] == wheres(document)

    def test_a_timer_problem_is_at_its_index_and_key(self) -> None:
        """Given a timer running in an unknown status, when read, then the problem is at
        ``workflow.timers[0].in``."""
        timer = {"name": "t", "in": ["opn"], "after": {"hours": 1}, "action": "close"}
        document = {"workflow": workflow_with(timers=[timer])}

        assert ["workflow.timers[0].in"] == wheres(document)

    def test_a_workflow_key_problem_is_at_the_key(self) -> None:
        """Given an initial status that does not exist, when read, then the problem is
        at ``workflow.initial``."""
        assert ["workflow.initial"] == wheres({"workflow": workflow_with(initial="nowhere")})

    def test_two_transitions_of_one_action_are_told_apart_by_index(self) -> None:
        """Given two ``close`` transitions on a desk that declares roles, the second
        naming an undeclared role, when read, then the problem is at
        ``workflow.transitions[1].roles``."""
        again = {**CLOSE, "from": ["done"], "to": "open", "roles": ["auditr"]}
        workflow = workflow_with(
            statuses=[OPEN, {**DONE, "terminal": False}], transitions=[CLOSE, again]
        )
        document = {"workflow": workflow, "roles": [{"name": "auditor"}]}

        assert ["workflow.transitions[1].roles"] == wheres(document)

    def test_meaning_problems_are_reported_beside_shape_problems(self) -> None:
        """Given a status with a wrongly typed label and a transition into an unknown
        status, when read, then both are reported, each at its path."""
        document = {
            "workflow": workflow_with(
                statuses=[{**OPEN, "label": 7}, DONE], transitions=[{**CLOSE, "to": "dne"}]
            )
        }

        assert ["workflow.statuses[0].label", "workflow.transitions[0].to"] == wheres(document)

    def test_a_status_left_out_for_its_shape_is_not_reported_unknown(self) -> None:
        """Given a status whose category is no string, when read, then only that is
        reported: the transitions naming it are not said to name an unknown status."""
        document = {"workflow": workflow_with(statuses=[OPEN, {**DONE, "category": 3}])}

        assert ["workflow.statuses[1].category"] == wheres(document)

    @given(st.integers(0, 5), st.integers(0, 5))
    def test_a_status_problem_is_at_its_index_whatever_comes_before(
        self, before: int, after: int
    ) -> None:
        """For any number of sound statuses before and after a status with an unknown
        category, the problem is at that status's index."""
        waiting = [{"name": f"w{i}", "category": "on_hold"} for i in range(before + after)]
        statuses = [OPEN, *waiting[:before], {"name": "x", "category": "?"}, *waiting[before:]]
        statuses.append(DONE)
        moves = [{**CLOSE, "from": [str(s["name"]) for s in statuses[:-1]]}]
        moves.append({**CLOSE, "action": "go", "to": "x"})
        moves += [{**CLOSE, "action": f"to_{s['name']}", "to": s["name"]} for s in waiting]
        document = {"workflow": workflow_with(statuses=statuses, transitions=moves)}

        assert [f"workflow.statuses[{before + 1}].category"] == wheres(document)

    def test_a_python_workflow_keeps_naming_its_parts(self) -> None:
        """Given a transition into an unknown status in a workflow built in Python, then
        its problem names the transition (what a Python author wrote), not an index."""
        with pytest.raises(WorkflowDefinitionError) as raised:
            Workflow(
                name="tiny",
                statuses=(Status("open", Category.ACTIVE), Status("done", Category.CLOSED)),
                initial="open",
                transitions=(
                    Transition(action="close", sources="open", target="done", roles="agent"),
                    Transition(action="go", sources="open", target="gone", roles="agent"),
                ),
            )

        assert ["transition 'go'"] == [p.where for p in raised.value.problems]


class TestFixesInTheDocumentsWords:
    def test_an_undeclared_roles_fix_says_how_to_declare_it_in_the_document(self) -> None:
        """Given a transition naming an undeclared role, when read, then the fix shows
        the document's ``[[roles]] name = "..."`` and no Python constructor."""
        workflow = workflow_with(transitions=[{**CLOSE, "roles": ["agnet"]}])
        document = {"workflow": workflow, "roles": [{"name": "auditor"}]}

        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_document(document)

        (problem,) = raised.value.problems
        assert ('[[roles]] name = "agnet"' in problem.fix, "Role(" in problem.fix) == (True, False)

    def test_a_python_desks_fix_keeps_the_python_constructor(self) -> None:
        """Given the same mistake in a desk built in Python, then the fix shows
        ``Desk(roles=[Role('agnet'), ...])``."""
        workflow = Workflow.from_document(
            workflow_with(transitions=[{**CLOSE, "roles": ["agnet"]}])
        )

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=workflow, roles=[Role("auditor")])

        (problem,) = raised.value.problems
        assert "Desk(roles=[Role('agnet'), ...])" in problem.fix

    def test_a_keyword_in_a_fix_is_written_as_a_document_key(self) -> None:
        """Given a terminal status of an active category, when read, then the fix says
        ``terminal = false``, not ``terminal=False``."""
        document = {
            "workflow": workflow_with(
                statuses=[OPEN, {**DONE, "category": "active", "terminal": True}]
            )
        }

        found = problems_of(document)
        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_document(document)

        assert "workflow.statuses[1].terminal" in [where for where, _ in found]
        fixes = [p.fix for p in raised.value.problems]
        assert any("terminal = false" in fix for fix in fixes)
        assert not any("terminal=False" in fix for fix in fixes)

    @given(st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True))
    def test_any_role_name_is_declared_in_the_documents_words(self, name: str) -> None:
        """For any role name, the Python fix that declares it reads as the document's."""
        assert f'declare it: [[roles]] name = "{name}"' == in_document(
            f"declare it: Desk(roles=[Role({name!r}), ...])"
        )


def one_mistake_in_each_section() -> dict[str, object]:
    """A desk document with one mistake in each section: a broken calendar zone (a
    part's own problem), and in every other section a name the desk's cross-checks
    refuse."""
    return {
        "workflow": workflow_with(transitions=[{**CLOSE, "roles": ["agent", "sytem"]}]),
        "calendar": {"tz": "Mars/Olympus"},
        "roles": [{"name": "agent"}],
        "sla": {"metrics": [metric(pauses_in=["waiting_on_customr"])]},
        "auto_close": {"rules": [{"when": "resolvd", "after": {"days": 3}}]},
        "escalation": {"action": "escalte"},
        "notifications": {
            "rules": [{"on": "reminder_sent", "recipients": ["requester"], "message": "m"}]
        },
        "intake": {"priorities": ["urgent"]},
    }


class TestEveryIndependentProblemInOnePass:
    def test_one_mistake_in_each_section_is_reported_each_at_its_path(self) -> None:
        """Given one mistake in each section, one of them a part's own problem, when
        read, then every one is reported in one pass, each at its path."""
        found = wheres(one_mistake_in_each_section())

        assert {
            "calendar.tz",
            "roles[0]",
            "workflow.transitions[0].roles",
            "sla.metrics[0]",
            "auto_close.rules[0].when",
            "escalation.action",
            "notifications.rules[0].on",
            "intake.priorities",
        } == set(found)

    def test_the_cross_checks_run_beside_a_shape_problem(self) -> None:
        """Given an unknown key in the intake and a notification rule on no event kind,
        when read, then both are reported."""
        document = {
            **{k: v for k, v in one_mistake_in_each_section().items() if k == "workflow"},
            "intake": {"feilds": ["impact"]},
            "notifications": {
                "rules": [{"on": "reminder_sent", "recipients": ["requester"], "message": "m"}]
            },
        }

        assert ["intake.feilds", "notifications.rules[0].on"] == wheres(document)

    def test_a_part_with_a_problem_is_not_cross_checked(self) -> None:
        """Given a notification rule with a shape problem beside one naming an unknown
        status, when read, then only the shape problem is reported: the part's other
        rules are not judged at indices that shifted."""
        rules = [
            {"on": "ReplyAdded", "recipients": ["requester"], "message": 5},
            {"on": "StatusChanged", "recipients": ["requester"], "message": "m", "statuses": ["x"]},
        ]
        document = {"workflow": tiny_workflow(), "notifications": {"rules": rules}}

        assert ["notifications.rules[0].message"] == wheres(document)

    def test_role_names_are_checked_when_the_workflow_has_a_problem(self) -> None:
        """Given a status with an unknown category, a transition naming an undeclared
        role and a declared built-in role, when read, then all three are reported."""
        workflow = workflow_with(
            statuses=[{**OPEN, "category": "activ"}, DONE],
            transitions=[{**CLOSE, "roles": ["sytem"]}],
        )
        document = {"workflow": workflow, "roles": [{"name": "agent"}]}

        assert ["workflow.statuses[0].category", "roles[0]", "workflow.transitions[0].roles"] == (
            wheres(document)
        )

    def test_notification_names_are_checked_when_the_workflow_has_a_problem(self) -> None:
        """Given a status with an unknown category and a notification rule on the message
        key "reminder_sent" instead of an event kind, when read, then both are reported:
        an event kind's name needs no workflow to be judged."""
        workflow = workflow_with(statuses=[{**OPEN, "category": "activ"}, DONE])
        rules = [{"on": "reminder_sent", "recipients": ["requester"], "message": "closing"}]
        document = {"workflow": workflow, "notifications": {"rules": rules}}

        assert ["workflow.statuses[0].category", "notifications.rules[0].on"] == wheres(document)

    def test_a_sound_document_still_builds(self) -> None:
        """Given the document without its mistakes, when read, then it builds a desk
        (so the checks above do not refuse everything)."""
        document = {
            "workflow": tiny_workflow(),
            "roles": [{"name": "auditor"}],
            "sla": {"metrics": [metric()]},
            "notifications": {
                "rules": [{"on": "ReplyAdded", "recipients": ["requester"], "message": "m"}]
            },
        }

        assert "auditor" in Desk.from_document(document).staff_roles


def closing_after_the_last_update(since: object) -> dict[str, object]:
    """The portal's desk document with its auto-close counted from ``since``."""
    document = support_portal.desk().to_document()
    rules = document["auto_close"]["rules"]  # type: ignore[index]
    return {**document, "auto_close": {"rules": [{**rules[0], "since": since}]}}


class TestAutoCloseStart:
    def test_a_rule_counted_from_the_last_update_reads_and_writes_back(self) -> None:
        """Given an auto-close rule with since = "last_update", when read and written,
        then the desk counts from the last update and the document says so again."""
        document = closing_after_the_last_update("last_update")

        desk = Desk.from_document(document)

        assert "last_update" == desk.auto_close.rules[0].since
        assert document == desk.to_document()

    def test_a_rule_with_the_default_start_writes_no_since(self) -> None:
        """Given the portal's rule (the default start, customer activity), when written,
        then the rule has no since, as the preset's file has none."""
        document = support_portal.desk().to_document()

        assert "since" not in document["auto_close"]["rules"][0]  # type: ignore[index]

    def test_an_unknown_start_is_reported_at_its_path_naming_the_starts(self) -> None:
        """Given since = "resolved" (a category, not a start), when read, then it is the
        one problem, at auto_close.rules[0].since, and its fix names the three starts."""
        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_document(closing_after_the_last_update("resolved"))

        assert [
            (
                "auto_close.rules[0].since",
                "is 'resolved', not one of the choices",
                "write one of 'entered', 'customer_activity', 'last_update'",
            )
        ] == [(p.where, p.what, p.fix) for p in raised.value.problems]

    def test_the_schema_refuses_an_unknown_start(self) -> None:
        """The published JSON Schema refuses a rule's since outside the three starts and
        accepts "last_update"."""
        validator = _validator()

        valid = [validator.is_valid(closing_after_the_last_update(s)) for s in ("x", "last_update")]

        assert [False, True] == valid


class TestShapeVersion:
    def test_a_desk_writes_the_version_of_its_shape_first(self) -> None:
        """A desk's document begins with schema = 1, the shape this ticketflow writes."""
        document = Desk(workflow=Workflow.from_document(tiny_workflow())).to_document()

        assert ("schema", 1) == next(iter(document.items()))

    def test_a_document_without_a_version_is_read_as_version_one(self) -> None:
        """A desk document written before the version key existed reads as before."""
        assert Desk.from_document({"workflow": tiny_workflow()}) == Desk.from_document(
            {"schema": 1, "workflow": tiny_workflow()}
        )

    def test_a_newer_shape_is_refused_alone_saying_how_to_read_it(self) -> None:
        """Given a document of schema 2 with a key this ticketflow does not know, when
        read, then the one problem is its version, with the fix: upgrade ticketflow."""
        document = {"schema": 2, "workflow": tiny_workflow(), "escalations": {"new": True}}

        with pytest.raises(DeskDefinitionError) as raised:
            Desk.from_document(document)

        assert [
            (
                "schema",
                "is 2: the document is of a newer shape than this ticketflow reads (up to 1)",
                "upgrade ticketflow to read it, or write the desk with the ticketflow that "
                "reads it (its to_document() writes schema = 1)",
            )
        ] == [(p.where, p.what, p.fix) for p in raised.value.problems]

    @pytest.mark.parametrize("version", [0, -1, "1", True, 1.0, None])
    def test_a_version_that_is_no_whole_number_from_one_is_a_problem(self, version: object) -> None:
        """A schema of 0, a negative number, text, a boolean, a decimal or null is a
        problem at schema, beside none of the desk's own."""
        assert ["schema"] == wheres({"schema": version, "workflow": tiny_workflow()})

    def test_the_toml_form_may_name_its_version(self) -> None:
        """A TOML desk file may begin with schema = 1."""
        text = "schema = 1\n" + toml_of({"workflow": tiny_workflow()})

        assert Desk.from_toml(text) == Desk.from_document({"workflow": tiny_workflow()})
