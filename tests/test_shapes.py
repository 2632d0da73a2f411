"""Tests for ``ticketflow._shapes``: one shape declaration gives a reader that reports
every problem with its path, a guard against absurd sizes, and a JSON Schema that agrees
with the reader."""

from __future__ import annotations

from datetime import date
from typing import Final

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from hostile import nested
from ticketflow import Problem
from ticketflow._durations import BusinessDays, duration_from_document
from ticketflow._shapes import (
    INVALID,
    Choice,
    Date,
    DurationShape,
    Either,
    Flag,
    Integer,
    Key,
    Limits,
    ListOf,
    MapOf,
    Names,
    Null,
    Number,
    Table,
    Text,
    guard,
    is_clean,
    json_schema,
    key_path,
    read,
)
from ticketflow._workflow_documents import DURATION, DURATION_UNITS

METRIC: Final = Table(
    (
        Key("name", Text(8, min_length=1), "its name", required=True),
        Key("targets", MapOf(Number(0, 100), max_items=3), "per priority"),
        Key("on", Flag(), "whether it runs"),
        Key("tags", Names(max_items=2, max_length=5), "labels"),
        Key("level", Integer(1, 3), "its level"),
        Key("mode", Choice(("resume", "new_cycle")), "on restart"),
    ),
    what="metric",
)
DOCUMENT: Final = Table(
    (
        Key("metrics", ListOf(METRIC, max_items=3), "the metrics"),
        Key("action", Either((Text(8), Choice((False,))), "a name or false"), "an action"),
    ),
    what="policy",
)


def wheres(problems: list[Problem]) -> list[str]:
    return [p.where for p in problems]


class TestPaths:
    def test_a_plain_key_is_joined_with_a_dot(self) -> None:
        """A key of letters, digits, ``_`` or ``-`` follows its table's path after a dot."""
        assert "sla.metrics[1].targets.high" == key_path("sla.metrics[1].targets", "high")

    def test_a_key_with_other_characters_is_quoted_in_brackets(self) -> None:
        """A key with a space or a dot is quoted, so the path stays unambiguous."""
        assert "targets['very.high']" == key_path("targets", "very.high")


class TestReading:
    def test_a_valid_document_reads_into_the_same_plain_data(self) -> None:
        """Given a document of the declared shape, when read, then its data comes back
        unchanged (a single name becomes a list) and there is no problem."""
        document = {"metrics": [{"name": "fr", "targets": {"high": 4}, "tags": "x"}]}

        data, problems = read(DOCUMENT, document)

        assert [] == problems
        assert {"metrics": [{"name": "fr", "targets": {"high": 4}, "tags": ["x"]}]} == data

    def test_every_problem_is_reported_with_its_path(self) -> None:
        """Given a document with five faults in different places, when read, then each
        is reported at its own path: reading never stops at the first."""
        document = {
            "metrics": [
                {"name": "fr", "targets": {"high": 400}},
                {"name": 3, "on": "yes", "tags": ["ok", 7], "levle": 2},
            ],
            "action": 5,
        }

        _, problems = read(DOCUMENT, document)

        assert [
            "metrics[0].targets.high",
            "metrics[1].name",
            "metrics[1].on",
            "metrics[1].tags[1]",
            "metrics[1].levle",
            "action",
        ] == wheres(problems)

    def test_an_unknown_key_offers_the_close_known_one(self) -> None:
        """Given a misspelt key, when read, then the problem names the key it resembles."""
        _, problems = read(METRIC, {"name": "fr", "levle": 2})

        assert ["levle"] == wheres(problems)
        assert problems[0].fix.startswith("did you mean 'level'?")

    def test_a_missing_required_key_is_a_problem_of_its_table(self) -> None:
        """Given a table without a required key, when read, then its table's path says
        which key to add."""
        _, problems = read(DOCUMENT, {"metrics": [{"on": True}]})

        assert [Problem("metrics[0]", "misses the key 'name'", "add name: its name")] == problems

    def test_a_value_with_a_problem_is_left_out_of_the_data(self) -> None:
        """Given one wrong value beside right ones, when read, then the data holds the
        right ones only."""
        data, _ = read(METRIC, {"name": "fr", "on": 1, "level": 2})

        assert {"name": "fr", "level": 2} == data

    def test_a_list_entry_with_a_problem_stays_in_place(self) -> None:
        """Given a list whose first entry is wrong, when read, then the entry is INVALID
        in its place, so the second entry's index is still 1 and it is clean."""
        data, problems = read(ListOf(METRIC), [3, {"name": "fr"}])

        assert [INVALID, {"name": "fr"}] == data
        assert (False, True) == (is_clean(problems, "[0]"), is_clean(problems, "[1]"))

    def test_a_part_is_clean_only_without_a_problem_inside_it(self) -> None:
        """A problem at a key inside a part makes the part unclean, not its siblings."""
        problems = [Problem("metrics[1].tags[0]", "must be a string", "quote it")]

        assert [True, False, False, True] == [
            is_clean(problems, where)
            for where in ("metrics[0]", "metrics[1]", "metrics[1].tags", "metrics[10]")
        ]

    def test_either_names_every_form_it_accepts(self) -> None:
        """Given a value no form of an Either reads, when read, then the problem says
        what the forms are."""
        _, problems = read(DOCUMENT, {"action": 5})

        assert [
            Problem("action", "must be a name or false, got int 5", "write a name or false")
        ] == problems

    def test_null_is_only_null(self) -> None:
        """Null reads None and refuses anything else."""
        assert (None, []) == read(Null(), None)
        assert 1 == len(read(Null(), 0)[1])

    def test_a_document_that_is_no_table_is_invalid(self) -> None:
        """Given a list where a table is declared, when read, then nothing is read and
        the problem is placed at the document."""
        data, problems = read(DOCUMENT, [1, 2])

        assert INVALID is data
        assert ["document"] == wheres(problems)

    def test_a_list_longer_than_its_limit_is_refused_whole(self) -> None:
        """Given more entries than the limit, when read, then one problem names the limit."""
        _, problems = read(DOCUMENT, {"metrics": [{"name": "a"}] * 4})

        assert [
            Problem(
                "metrics",
                "holds 4 entries, more than the limit of 3",
                "keep it to at most 3 entries",
            )
        ] == problems

    def test_a_boolean_is_no_number(self) -> None:
        """Given ``true`` for a number, an integer or a choice of ``false``, when read,
        then each is a problem (a bool is an int in Python, never in a document)."""
        for shape in (Number(), Integer(), Choice((0,))):
            _, problems = read(shape, True)
            assert 1 == len(problems)

    def test_false_is_one_of_the_choices_of_false(self) -> None:
        """Given ``false`` where a name or false is declared, when read, then it is accepted."""
        data, problems = read(DOCUMENT, {"action": False})

        assert ({"action": False}, []) == (data, problems)

    def test_a_date_reads_from_a_toml_date_or_an_iso_string(self) -> None:
        """Given a date or its ISO text, when read as a date, then both are the date."""
        assert (date(2026, 12, 24), []) == read(Date(), "2026-12-24")
        assert (date(2026, 12, 24), []) == read(Date(), date(2026, 12, 24))

    def test_a_duration_is_read_by_the_given_reader(self) -> None:
        """Given a duration table, when read, then the table is the data and a unit the
        reader refuses is a problem with its message."""
        assert ({"business_days": 3}, []) == read(DURATION, {"business_days": 3})
        _, problems = read(DURATION, {"weeks": 2})
        assert problems[0].what.startswith("unknown unit 'weeks'")

    def test_every_declared_duration_unit_is_one_the_duration_reader_reads(self) -> None:
        """The units the schema offers are exactly those ``duration_from_document`` reads."""
        for unit in DURATION_UNITS:
            assert not isinstance(duration_from_document({unit: 1}), str)
        assert BusinessDays(1) == duration_from_document({"business_days": 1})

    def test_a_string_longer_than_its_limit_is_refused(self) -> None:
        """Given a 10 MB string for a short text, when read, then the problem names the limit."""
        _, problems = read(Text(200), "x" * 10_000_000)

        assert "is 10,000,000 characters long, more than the limit of 200" == problems[0].what


class TestGuard:
    def test_a_million_levels_of_nesting_are_refused_without_recursion(self) -> None:
        """Given a list nested a million deep, when guarded, then the depth limit is named."""
        deep = nested(1_000_000, "a")

        problem = guard(deep, Limits(max_depth=32))

        assert problem is not None
        assert "nests tables or lists more than 32 levels deep" == problem.what

    def test_too_many_values_are_refused(self) -> None:
        """Given 100,000 statuses, when guarded, then the limit of values is named."""
        document = {"statuses": [{"name": f"s{i}", "category": "new"} for i in range(100_000)]}

        problem = guard(document, Limits(max_nodes=200_000))

        assert problem is not None
        assert "holds more than 200,000 values" == problem.what

    def test_a_long_list_is_refused_before_its_entries_are_walked(self) -> None:
        """Given a flat list of ten million numbers, when guarded, then it is refused."""
        problem = guard([0] * 10_000_000, Limits(max_nodes=1_000))

        assert problem is not None
        assert "holds more than 1,000 values" == problem.what

    def test_too_much_text_is_refused(self) -> None:
        """Given a 10 MB string, when guarded, then the limit of text is named."""
        problem = guard({"name": "x" * 10_000_000}, Limits(max_text=2_000_000))

        assert problem is not None
        assert "holds more than 2,000,000 characters of text" == problem.what

    def test_keys_count_as_text(self) -> None:
        """Given a table whose key is long, when guarded, then the key's length counts."""
        assert guard({"k" * 101: 1}, Limits(max_text=100)) is not None
        assert guard({"k" * 99: 1}, Limits(max_text=100)) is None

    def test_a_document_within_the_limits_passes(self) -> None:
        """Given a document exactly at its limits, when guarded, then nothing is found."""
        assert guard({"a": [["xy"]]}, Limits(max_depth=3, max_nodes=4, max_text=3)) is None


class TestSchema:
    def test_a_table_becomes_a_closed_object_with_descriptions(self) -> None:
        """A table's schema lists its keys with their docs, its required keys, and
        allows no other key."""
        schema = json_schema(METRIC, title="m", identifier="x")

        assert "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]
        assert ["name"] == schema["required"]
        assert schema["additionalProperties"] is False
        properties = schema["properties"]
        assert isinstance(properties, dict)
        assert {"type": "boolean", "description": "whether it runs"} == properties["on"]

    def test_limits_are_part_of_the_schema(self) -> None:
        """A list's and a text's limits are the schema's maxItems and maxLength."""
        schema = ListOf(Text(5), max_items=2).schema()

        assert {
            "type": "array",
            "items": {"type": "string", "maxLength": 5},
            "maxItems": 2,
        } == schema

    def test_a_duration_is_one_of_its_units(self) -> None:
        """A duration's schema accepts one unit and an amount, and no other table."""
        validator = jsonschema.Draft202012Validator(
            DurationShape(DURATION_UNITS, duration_from_document).schema()
        )

        assert validator.is_valid({"business_days": 3})
        assert not validator.is_valid({"business_days": 3, "hours": 1})
        assert not validator.is_valid({"weeks": 1})

    def test_the_schema_is_a_valid_draft_2020_12_schema(self) -> None:
        """The generated schema passes the metaschema check."""
        jsonschema.Draft202012Validator.check_schema(
            json_schema(DOCUMENT, title="t", identifier="x")
        )


# Values a document may hold, including the near misses the shapes refuse. Floats are
# never whole: JSON Schema counts 2.0 as an integer, a document reader does not.
_SCALARS: Final = (
    st.sampled_from(["fr", "resume", "new_cycle", "", "toolongname", "x"])
    | st.booleans()
    | st.integers(-2, 200)
    | st.floats(-5, 150, allow_nan=False).filter(lambda f: f != int(f))
)
_VALUES: Final = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["name", "targets", "on", "tags", "level", "mode", "high", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_METRICS: Final = st.fixed_dictionaries(
    {},
    optional={
        "name": _SCALARS,
        "targets": st.dictionaries(st.sampled_from(["high", "low", "x", "y"]), _SCALARS),
        "on": _SCALARS,
        "tags": _SCALARS | st.lists(_SCALARS, max_size=3),
        "level": _SCALARS,
        "mode": _SCALARS,
        "x": _VALUES,
    },
)
_DOCUMENTS: Final = (
    st.fixed_dictionaries(
        {}, optional={"metrics": st.lists(_METRICS | _VALUES, max_size=4), "action": _SCALARS}
    )
    | _VALUES
)


class TestSchemaAgreesWithTheReader:
    @given(_DOCUMENTS)
    def test_the_schema_accepts_exactly_what_the_reader_reads_without_a_problem(
        self, document: object
    ) -> None:
        """For any document, the JSON Schema validates it if and only if the reader
        reports no problem: the two come from one declaration."""
        validator = jsonschema.Draft202012Validator(
            json_schema(DOCUMENT, title="t", identifier="x")
        )

        _, problems = read(DOCUMENT, document)

        assert validator.is_valid(document) == (not problems)
