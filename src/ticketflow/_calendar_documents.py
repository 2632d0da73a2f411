"""Calendar documents: reading a plain document (parsed JSON or TOML) and writing one.

:func:`read_document` turns a document into the :class:`CalendarParts` of a calendar,
reporting every problem in it together (its size first, then its shape as the one
:data:`CALENDAR` declaration reads it, each at its path, then what it means: weekday
names, windows, and the definition problems of whatever did parse), so one round of
fixes is enough; :func:`read_toml`
parses TOML text into such a document first; :func:`write_document` is the inverse,
the plain JSON-ready document of a calendar's fields.

Dependencies: this module imports the definition values (``_calendar_definition``) and
the errors; the calendar API (``_calendar``) imports it for ``from_document``,
``from_toml`` and ``to_document``, and this module does not import the API back (it
returns parts, not a calendar).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from typing import Final

from ticketflow._calendar_definition import (
    WEEKDAY_NAMES,
    CalendarDefinition,
    CalendarParts,
    Closure,
    Window,
    always_open_week,
    definition_problems,
    to_week,
    try_parse_window,
    weekday_index,
)
from ticketflow._errors import CalendarDefinitionError, InvalidTypeError, Problem, quoted
from ticketflow._shapes import (
    Date,
    Either,
    Key,
    Limits,
    ListOf,
    MapOf,
    Null,
    Table,
    Text,
    guard,
    read,
)

__all__ = ["CALENDAR", "LIMITS", "read_document", "read_toml", "write_document"]

LIMITS: Final = Limits(max_depth=8, max_nodes=100_000, max_text=1_000_000)
"""How large a calendar document may be, checked before its shape: 8 levels deep,
100,000 values, 1,000,000 characters of text in all."""

_WINDOW: Final = Text(32)
_DATES: Final = ListOf(Date(), max_items=10_000)

CALENDAR: Final = Table(
    (
        Key("tz", Text(64, min_length=1), "the IANA time zone, e.g. Europe/Berlin", required=True),
        Key(
            "week",
            MapOf(
                Either(
                    (_WINDOW, ListOf(_WINDOW, max_items=1_000)), "a window or a list of windows"
                ),
                max_items=7,
                max_key_length=20,
            ),
            "opening windows by weekday or range (mon-fri = '09:00-17:00'); "
            "without it, always open",
        ),
        Key(
            "country",
            Either((Text(8), Null()), "a country code or null"),
            "a country code the holidays package knows, e.g. DE",
        ),
        Key(
            "subdiv",
            Either((Text(16), Null()), "a subdivision code or null"),
            "a subdivision of the country, e.g. BY",
        ),
        Key("holidays", _DATES, "extra closed dates"),
        Key("extra_workdays", _DATES, "extra open dates (standard workday windows)"),
        Key(
            "closures",
            ListOf(
                Table(
                    (
                        Key("date", Date(), "the local date", required=True),
                        Key(
                            "window", _WINDOW, "the closed window, e.g. 12:00-24:00", required=True
                        ),
                    ),
                    what="closure",
                ),
                max_items=10_000,
            ),
            "partial-day closures",
        ),
    ),
    doc="A business calendar: a time zone, weekly windows, holidays and closures.",
    what="calendar",
)
"""The shape of a calendar document."""


def read_document(document: object) -> CalendarParts:
    """The parts of the calendar ``document`` defines, all checked.

    Raises:
        CalendarDefinitionError: every problem in the document, each with its fix.
    """
    problems: list[Problem] = []
    parts = _read_parts(document, problems)
    if problems:
        # Report the semantic problems of whatever did parse alongside, so one
        # round of fixes is enough.
        problems.extend(definition_problems(parts))
        raise CalendarDefinitionError(problems)
    return parts


def read_toml(text: str) -> dict[str, object]:
    """The document in TOML ``text``, for :func:`read_document`.

    Raises:
        InvalidTypeError: ``text`` is not a str.
        CalendarDefinitionError: the text is not TOML, or cannot be read.
    """
    if not isinstance(text, str):
        raise InvalidTypeError("BusinessCalendar.from_toml's text", "a str of TOML", text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CalendarDefinitionError(
            [Problem("TOML", f"cannot be parsed: {error}", "fix the TOML syntax")]
        ) from error
    except ValueError:
        # tomllib turns digits into an int with int(), which refuses more digits than
        # sys.get_int_max_str_digits() (4,300 by default).
        raise CalendarDefinitionError(
            [
                Problem(
                    "TOML",
                    "holds a number with more digits than Python reads from text",
                    "write numbers of at most a few digits: no calendar value needs more",
                )
            ]
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise CalendarDefinitionError(
            [
                Problem(
                    "TOML",
                    "is nested too deeply to be read",
                    "write a calendar's plain keys: no arrays or tables nested more "
                    "than a few levels",
                )
            ]
        ) from None


def write_document(calendar: CalendarDefinition) -> dict[str, object]:
    """The plain, JSON-ready document of ``calendar``'s fields; empty parts left out."""
    document: dict[str, object] = {"tz": calendar.tz}
    document["week"] = {
        WEEKDAY_NAMES[i]: [str(w) for w in windows]
        for i, windows in enumerate(calendar.week)
        if windows
    }
    if calendar.country is not None:
        document["country"] = calendar.country
    if calendar.subdiv is not None:
        document["subdiv"] = calendar.subdiv
    if calendar.holidays:
        document["holidays"] = [d.isoformat() for d in sorted(calendar.holidays)]
    if calendar.extra_workdays:
        document["extra_workdays"] = [d.isoformat() for d in sorted(calendar.extra_workdays)]
    if calendar.closures:
        document["closures"] = [
            {"date": c.on.isoformat(), "window": str(c.window)} for c in sorted(calendar.closures)
        ]
    return document


def _read_parts(document: object, problems: list[Problem]) -> CalendarParts:
    """The calendar fields in ``document``; every fault goes to ``problems``.

    The document's size is checked first (:data:`LIMITS`), then its shape
    (:data:`CALENDAR`); what it means (a weekday name, a window, a zone) is read here
    from the parts that are shaped right.
    """
    too_large = guard(document, LIMITS)
    if too_large is not None:
        problems.append(too_large)
        return CalendarParts()
    data, found = read(CALENDAR, document)
    problems.extend(found)
    if not isinstance(data, dict):
        return CalendarParts()
    week = always_open_week()
    if "week" in data:
        week = _read_week(data["week"], problems) or week
    return CalendarParts(
        tz=data.get("tz", "UTC"),
        week=week,
        country=data.get("country"),
        subdiv=data.get("subdiv"),
        holidays=_dates(data.get("holidays", ())),
        extra_workdays=_dates(data.get("extra_workdays", ())),
        closures=_read_closures(data.get("closures", ()), problems),
    )


def _dates(value: list[object]) -> list[date]:
    """The dates of a list read as dates (an entry with a problem is left out)."""
    return [day for day in value if isinstance(day, date)]


def _read_week(value: object, problems: list[Problem]) -> tuple[tuple[Window, ...], ...] | None:
    """The week in ``value``, or None if it is unusable (its problems are reported)."""
    if not isinstance(value, Mapping):
        problems.append(
            Problem("week", "is not a table", "give a table such as {mon-fri = '09:00-17:00'}")
        )
        return None
    count = len(problems)
    days: list[list[Window]] = [[] for _ in range(7)]
    claimed: dict[int, str] = {}
    for key, windows in value.items():
        indices = _read_weekday_key(key, problems) or []
        for index in indices:
            if index in claimed:
                problems.append(
                    Problem(
                        f"week.{_label(key)}",
                        f"repeats {WEEKDAY_NAMES[index]}, already given by week.{claimed[index]}",
                        "give each weekday once",
                    )
                )
            claimed.setdefault(index, _label(key))
        texts = [windows] if isinstance(windows, str) else windows
        if not isinstance(texts, list | tuple):
            problems.append(
                Problem(
                    f"week.{_label(key)}",
                    "is not a window or a list of windows",
                    "give e.g. ['09:00-17:00']",
                )
            )
            continue
        for position, text in enumerate(texts):
            window, problem = try_parse_window(
                text, f"week.{_label(key)}[{position}] {quoted(text)}"
            )
            if problem is not None:
                problems.append(problem)
            elif window is not None:
                for index in indices:
                    days[index].append(window)
    if len(problems) > count and not any(days):
        # Everything in it was wrong; "no windows" would only repeat that.
        return None
    return to_week(days)


def _label(key: object) -> str:
    """A document key as it is shown in a problem's ``where``: plain, but shortened."""
    return quoted(key)[1:-1] if isinstance(key, str) else quoted(key)


def _read_weekday_key(key: object, problems: list[Problem]) -> list[int] | None:
    fix = "use mon, tue, wed, thu, fri, sat, sun (or full names), or a range such as mon-fri"
    if not isinstance(key, str):
        problems.append(Problem(f"week key {quoted(key)}", "is not a weekday name", fix))
        return None
    names = key.split("-")
    indices = [weekday_index(name) for name in names]
    if len(names) > 2 or None in indices:
        problems.append(
            Problem(
                f"week.{_label(key)}", f"{quoted(key)} is not a weekday or a range of weekdays", fix
            )
        )
        return None
    first, last = indices[0], indices[-1]
    assert first is not None
    assert last is not None
    if last < first:
        problems.append(
            Problem(
                f"week.{_label(key)}",
                "is a range that runs backwards",
                "write it Monday-first, e.g. mon-fri",
            )
        )
        return None
    return list(range(first, last + 1))


def _read_closures(value: list[object], problems: list[Problem]) -> list[Closure]:
    """The closures of a list read as closures: each window parsed here."""
    closures: list[Closure] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or not {"date", "window"} <= set(item):
            continue  # its shape problem is reported
        window, problem = try_parse_window(
            item["window"], f"closures[{i}].window {quoted(item['window'])}"
        )
        if problem is not None:
            problems.append(problem)
        elif window is not None:
            closures.append(Closure(item["date"], window))
    return closures
