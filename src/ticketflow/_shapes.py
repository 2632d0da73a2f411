"""Document shapes: one declaration gives a reader that reports every problem and a JSON Schema.

Theory of operation
-------------------
A document a person writes (TOML or JSON, parsed by the host) is plain data: tables,
lists, strings, numbers, booleans. A *shape* declares what one part of it may hold:
:class:`Table` (named keys, each a :class:`Key` with its own shape and a ``doc``),
:class:`ListOf`, :class:`MapOf` (a table keyed by names the author chooses, such as
priorities), :class:`Text`, :class:`Flag`, :class:`Number`, :class:`Integer`,
:class:`Names` (one name or a list of them), :class:`Choice`, :class:`Date`, :class:`Null`,
:class:`DurationShape` and :class:`Either`. From one declaration come:

- :func:`read`: walks a document and returns the plain validated data and **every**
  shape problem, each a :class:`~ticketflow.Problem` whose ``where`` is a path such as
  ``sla.metrics[1].targets.high``. It never stops at the first problem: a value that
  is wrong is left out of its table (a list's entry is :data:`INVALID` in its place,
  so indices stay the document's) and reading goes on beside it; :func:`is_clean`
  tells a builder which parts were read whole. Unknown keys are problems (a typo must
  not pass silently).
- :func:`json_schema`: the JSON Schema (draft 2020-12) of the same shape, with each
  key's ``doc`` as its description and the limits (``maxItems``, ``maxLength``) in it.

Before any of this, :func:`guard` checks the whole document against :class:`Limits`
(nesting depth, number of values, total length of strings), walking it without
recursion and stopping at the first limit passed, so a document a million levels deep
or a 10 MB string is refused at once, in time bounded by the limits themselves.

Shapes check form only (types, keys, sizes). What a value *means* (that a status
exists, that a window is well formed) is checked by the value it becomes, as it is
for a value built in Python, so each rule is written once.

Dependencies: the errors only. The modules that declare documents (workflows,
calendars, desks) pass what their shapes need, such as the duration reader.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Final, Protocol, final

import attrs

from ticketflow._errors import Problem, quoted, quoted_names

__all__ = [
    "INVALID",
    "Choice",
    "Date",
    "DurationShape",
    "Either",
    "Flag",
    "Integer",
    "Key",
    "Limits",
    "ListOf",
    "MapOf",
    "Names",
    "Null",
    "Number",
    "Shape",
    "Table",
    "Text",
    "guard",
    "is_clean",
    "json_schema",
    "key_path",
    "read",
]

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


@final
class _Invalid:
    """The value of a part that had a problem: left out of the data read."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()
"""What a shape's reader returns for a value with a problem (reported separately)."""

_PLAIN_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


def key_path(where: str, key: object) -> str:
    """The path of ``key`` inside ``where``: ``sla.metrics``, or ``week["mon fri"]``.

    >>> key_path("", "sla"), key_path("sla.metrics[0].targets", "high")
    ('sla', 'sla.metrics[0].targets.high')
    >>> key_path("intake", "a key with spaces")
    "intake['a key with spaces']"
    """
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f"{where}.{key}" if where else key
    return f"{where}[{quoted(key)}]"


def _here(where: str) -> str:
    return where or "document"


class Shape(Protocol):
    """What every shape does: read a value, and describe itself as a JSON Schema."""

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        """The validated value, or :data:`INVALID` with its problems appended."""
        ...

    def schema(self) -> dict[str, object]:
        """This shape as a JSON Schema (a dict, JSON-ready)."""
        ...


def _got(value: object) -> str:
    return f"got {type(value).__name__} {quoted(value)}"


@final
@attrs.frozen
class Text:
    """A string of at most ``max_length`` characters (at least ``min_length``)."""

    max_length: int = 200
    min_length: int = 0

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if not isinstance(value, str):
            problems.append(
                Problem(_here(where), f"must be a string, {_got(value)}", "write it in quotes")
            )
            return INVALID
        if len(value) > self.max_length:
            problems.append(
                Problem(
                    _here(where),
                    f"is {len(value):,} characters long, more than the limit of "
                    f"{self.max_length:,}",
                    f"shorten it to at most {self.max_length:,} characters",
                )
            )
            return INVALID
        if len(value) < self.min_length:
            problems.append(Problem(_here(where), "is empty", "write a non-empty string"))
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        out: dict[str, object] = {"type": "string", "maxLength": self.max_length}
        if self.min_length:
            out["minLength"] = self.min_length
        return out


@final
@attrs.frozen
class Flag:
    """``true`` or ``false``."""

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if type(value) is not bool:
            problems.append(
                Problem(
                    _here(where), f"must be true or false, {_got(value)}", "write true or false"
                )
            )
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        return {"type": "boolean"}


def _bounds(where: str, value: float, low: float | None, high: float | None) -> Problem | None:
    if (low is not None and value < low) or (high is not None and value > high):
        lows = f"at least {low}" if low is not None else ""
        highs = f"at most {high}" if high is not None else ""
        wanted = " and ".join(part for part in (lows, highs) if part)
        return Problem(
            _here(where), f"is {quoted(value)}, out of range", f"write a number {wanted}"
        )
    return None


@final
@attrs.frozen
class Number:
    """A finite number (an integer or a decimal; not a boolean) in ``[minimum, maximum]``."""

    minimum: float | None = None
    maximum: float | None = None

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if type(value) not in (int, float):
            problems.append(
                Problem(_here(where), f"must be a number, {_got(value)}", "write a number")
            )
            return INVALID
        assert isinstance(value, int | float)
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(
                Problem(_here(where), f"must be a finite number, {_got(value)}", "write a number")
            )
            return INVALID
        problem = _bounds(where, value, self.minimum, self.maximum)
        if problem is not None:
            problems.append(problem)
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        return _bounded("number", self.minimum, self.maximum)


def _bounded(kind: str, minimum: float | None, maximum: float | None) -> dict[str, object]:
    """The JSON Schema of a ``kind`` ("number", "integer") within its bounds."""
    bounds = {"minimum": minimum, "maximum": maximum}
    return {"type": kind, **{key: value for key, value in bounds.items() if value is not None}}


@final
@attrs.frozen
class Integer:
    """A whole number (not a boolean) in ``[minimum, maximum]``."""

    minimum: int | None = None
    maximum: int | None = None

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if type(value) is not int:
            problems.append(
                Problem(_here(where), f"must be a whole number, {_got(value)}", "write e.g. 3")
            )
            return INVALID
        problem = _bounds(where, value, self.minimum, self.maximum)
        if problem is not None:
            problems.append(problem)
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        return _bounded("integer", self.minimum, self.maximum)


@final
@attrs.frozen
class Choice:
    """One of ``values`` (strings, or other plain constants such as ``false``)."""

    values: tuple[str | bool | int, ...]

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        # type() as well: True == 1, and a boolean must not pass for a number.
        if not any(type(value) is type(v) and value == v for v in self.values):
            problems.append(
                Problem(
                    _here(where),
                    f"is {quoted(value)}, not one of the choices",
                    f"write one of {quoted_names(map(str, self.values), limit=len(self.values))}",
                )
            )
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        if len(self.values) == 1:
            return {"const": self.values[0]}
        return {"enum": list(self.values)}


@final
@attrs.frozen
class Null:
    """``null`` (JSON's, for a key a Python document holds as ``None``; TOML has none)."""

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if value is not None:
            problems.append(Problem(_here(where), f"must be null, {_got(value)}", "write null"))
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        return {"type": "null"}


@final
@attrs.frozen
class Date:
    """A local date: a TOML date (``2026-12-24``) or an ISO string (``"2026-12-24"``)."""

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and len(value) <= 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        problems.append(
            Problem(_here(where), f"is not a date: {quoted(value)}", "write a date like 2026-12-24")
        )
        return INVALID

    def schema(self) -> dict[str, object]:
        return {"type": "string", "format": "date", "maxLength": 10}


@final
@attrs.frozen
class Names:
    """One name or a list of names (strings), read as a list; at most ``max_items``."""

    max_items: int = 1_000
    max_length: int = 200

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        text = Text(self.max_length)
        if isinstance(value, str):
            read_one = text.read(value, where, problems)
            return INVALID if read_one is INVALID else [read_one]
        return ListOf(text, max_items=self.max_items).read(value, where, problems)

    def schema(self) -> dict[str, object]:
        one = Text(self.max_length).schema()
        return {"anyOf": [one, {"type": "array", "items": one, "maxItems": self.max_items}]}


@final
@attrs.frozen
class DurationShape:
    """A duration: a one-key table of a unit and an amount (``{business_days = 5}``).

    ``units`` are the units the document may name and ``convert`` the reader that turns
    such a table into a duration or says what is wrong with it (the duration module's
    ``duration_from_document``, passed in so this module depends on nothing). The data
    read is the table itself, checked: the part that holds it converts it.
    """

    units: tuple[str, ...]
    convert: Callable[[object], object] = attrs.field(eq=False)
    example: str = "{business_days = 3} or {hours = 72}"

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        converted = self.convert(value)
        if isinstance(converted, str):
            problems.append(Problem(_here(where), converted, f"write e.g. {self.example}"))
            return INVALID
        return value

    def schema(self) -> dict[str, object]:
        return {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {unit: {"type": "number"}},
                    "required": [unit],
                    "additionalProperties": False,
                }
                for unit in self.units
            ],
            "description": f"one unit and an amount: {', '.join(self.units)}",
        }


@final
@attrs.frozen
class Either:
    """The first of ``shapes`` that reads the value without a problem."""

    shapes: tuple[Shape, ...]
    what: str

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        for shape in self.shapes:
            tried: list[Problem] = []
            read_one = shape.read(value, where, tried)
            if not tried:
                return read_one
        problems.append(
            Problem(_here(where), f"must be {self.what}, {_got(value)}", f"write {self.what}")
        )
        return INVALID

    def schema(self) -> dict[str, object]:
        return {"anyOf": [shape.schema() for shape in self.shapes]}


@final
@attrs.frozen
class Key:
    """One key of a :class:`Table`: its name, its shape, whether it must be given, its doc."""

    name: str
    shape: Shape
    doc: str
    required: bool = False


@final
@attrs.frozen
class Table:
    """A table of named keys (a TOML table, a JSON object); any other key is a problem."""

    keys: tuple[Key, ...]
    doc: str = ""
    what: str = "table"

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if not isinstance(value, Mapping):
            problems.append(
                Problem(
                    _here(where),
                    f"must be a table of named values (a {self.what}), {_got(value)}",
                    f"write a table with the keys {self._names()}",
                )
            )
            return INVALID
        known = {key.name: key for key in self.keys}
        out: dict[str, object] = {}
        for name, item in value.items():
            key = known.get(name) if isinstance(name, str) else None
            if key is None:
                problems.append(self._unknown(where, name))
                continue
            read_one = key.shape.read(item, key_path(where, name), problems)
            if read_one is not INVALID:
                out[name] = read_one
        for key in self.keys:
            if key.required and key.name not in value:
                problems.append(
                    Problem(
                        _here(where),
                        f"misses the key {quoted(key.name)}",
                        f"add {key.name}: {key.doc}",
                    )
                )
        return out

    def _names(self) -> str:
        return quoted_names([key.name for key in self.keys], limit=len(self.keys))

    def _unknown(self, where: str, name: object) -> Problem:
        names = [key.name for key in self.keys]
        close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
        hint = f"did you mean {quoted(close[0])}? " if close else ""
        return Problem(
            key_path(where, name),
            f"is not a key of this {self.what}",
            f"{hint}use only {self._names()}",
        )

    def schema(self) -> dict[str, object]:
        out: dict[str, object] = {
            "type": "object",
            "properties": {
                key.name: {**key.shape.schema(), "description": key.doc} for key in self.keys
            },
            "additionalProperties": False,
        }
        required = [key.name for key in self.keys if key.required]
        if required:
            out["required"] = required
        if self.doc:
            out["description"] = self.doc
        return out


@final
@attrs.frozen
class ListOf:
    """A list (a TOML array, an array of tables, a JSON array) of at most ``max_items``."""

    item: Shape
    max_items: int = 1_000

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if not isinstance(value, list | tuple):
            problems.append(
                Problem(_here(where), f"must be a list, {_got(value)}", "write a list: [...]")
            )
            return INVALID
        if len(value) > self.max_items:
            problems.append(_too_many(where, len(value), self.max_items))
            return INVALID
        # An entry with a problem stays in place as INVALID, so an index of the data
        # is the index of the document (and ``is_clean`` of its path is false).
        return [
            self.item.read(item, f"{where}[{index}]", problems) for index, item in enumerate(value)
        ]

    def schema(self) -> dict[str, object]:
        return {"type": "array", "items": self.item.schema(), "maxItems": self.max_items}


def _too_many(where: str, count: int, limit: int) -> Problem:
    return Problem(
        _here(where),
        f"holds {count:,} entries, more than the limit of {limit:,}",
        f"keep it to at most {limit:,} entries",
    )


@final
@attrs.frozen
class MapOf:
    """A table whose keys the author names (priorities, calendars): each value ``item``."""

    item: Shape
    max_items: int = 1_000
    max_key_length: int = 64

    def read(self, value: object, where: str, problems: list[Problem]) -> object:
        if not isinstance(value, Mapping):
            problems.append(
                Problem(
                    _here(where),
                    f"must be a table, {_got(value)}",
                    "write a table such as {name = ...}",
                )
            )
            return INVALID
        if len(value) > self.max_items:
            problems.append(_too_many(where, len(value), self.max_items))
            return INVALID
        out: dict[str, object] = {}
        for name, item in value.items():
            if not isinstance(name, str) or not 0 < len(name) <= self.max_key_length:
                problems.append(
                    Problem(
                        key_path(where, name),
                        "is not a usable name",
                        f"name it with 1 to {self.max_key_length} characters",
                    )
                )
                continue
            read_one = self.item.read(item, key_path(where, name), problems)
            if read_one is not INVALID:
                out[name] = read_one
        return out

    def schema(self) -> dict[str, object]:
        return {
            "type": "object",
            "additionalProperties": self.item.schema(),
            "propertyNames": {"minLength": 1, "maxLength": self.max_key_length},
            "maxProperties": self.max_items,
        }


def is_clean(problems: list[Problem], where: str) -> bool:
    """Whether no problem in ``problems`` lies at ``where`` or inside it.

    A part that is clean was read whole: a builder may make a value of it.

    >>> problems = [Problem("statuses[1].name", "must be a string", "quote it")]
    >>> is_clean(problems, "statuses[0]"), is_clean(problems, "statuses[1]")
    (True, False)
    """
    inside = (f"{where}.", f"{where}[")
    return not any(p.where == where or p.where.startswith(inside) for p in problems)


def read(shape: Shape, document: object) -> tuple[object, list[Problem]]:
    """The plain validated data of ``document`` read as ``shape``, and every problem.

    >>> shape = Table((Key("name", Text(8), "the name", required=True),
    ...                Key("tags", Names(), "labels")))
    >>> read(shape, {"name": "desk", "tags": "a"})
    ({'name': 'desk', 'tags': ['a']}, [])
    >>> data, problems = read(shape, {"nmae": "desk", "tags": [1]})
    >>> [str(p) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ["nmae: is not a key of this table (fix: did you mean 'name'? use only 'name', 'tags')",
     'tags[0]: must be a string, got int 1 (fix: write it in quotes)',
     "document: misses the key 'name' (fix: add name: the name)"]
    """
    problems: list[Problem] = []
    return shape.read(document, "", problems), problems


def json_schema(shape: Shape, *, title: str, identifier: str) -> dict[str, object]:
    """``shape`` as a JSON Schema (draft 2020-12) document with a ``title`` and ``$id``.

    >>> json_schema(Table((Key("on", Flag(), "whether it is on"),)), title="t", identifier="x")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'$schema': 'https://json-schema.org/draft/2020-12/schema', '$id': 'x', 'title': 't',
     'type': 'object', 'properties': {'on': {'type': 'boolean', 'description':
     'whether it is on'}}, 'additionalProperties': False}
    """
    return {"$schema": SCHEMA_DIALECT, "$id": identifier, "title": title, **shape.schema()}


@final
@attrs.frozen
class Limits:
    """The size of a whole document, checked first by :func:`guard`.

    Attributes:
        max_depth: how deeply tables and lists may nest.
        max_nodes: how many values (tables, lists, strings, numbers...) it may hold.
        max_text: the total length of its strings, keys included, in characters.
    """

    max_depth: int = 32
    max_nodes: int = 200_000
    max_text: int = 2_000_000


def guard(document: object, limits: Limits) -> Problem | None:
    """The first limit ``document`` passes, or ``None``; it never recurses.

    The walk stops at the first limit passed, so its time is bounded by the limits,
    whatever the size of the document.

    >>> deep: object = []
    >>> for _ in range(20_000):  # far past Python's recursion limit
    ...     deep = [deep]
    >>> print(guard(deep, Limits()).what)
    nests tables or lists more than 32 levels deep
    """
    too_many = Problem(
        "document",
        f"holds more than {limits.max_nodes:,} values",
        f"keep a document to at most {limits.max_nodes:,} values: split it, or describe "
        "repeated parts once",
    )
    nodes = 0
    text = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if isinstance(value, str):
            text += len(value)
        elif isinstance(value, Mapping | list | tuple):
            if depth > limits.max_depth:
                return Problem(
                    "document",
                    f"nests tables or lists more than {limits.max_depth} levels deep",
                    f"write its values at most {limits.max_depth} levels deep",
                )
            # Counted before the walk goes in, so a list of ten million entries is
            # refused without pushing them.
            nodes += len(value)
            if nodes > limits.max_nodes:
                return too_many
            nodes -= len(value)
            if isinstance(value, Mapping):
                for key, item in value.items():
                    text += len(key) if isinstance(key, str) else 0
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)
        if nodes > limits.max_nodes:
            return too_many
        if text > limits.max_text:
            return Problem(
                "document",
                f"holds more than {limits.max_text:,} characters of text",
                f"keep its strings to at most {limits.max_text:,} characters in all",
            )
    return None
