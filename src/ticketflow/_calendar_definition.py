"""What a business calendar is made of: windows, closures, and the checks of a definition.

:class:`Window` and :class:`Closure` are the public values a calendar's week and
closures are written in; :class:`CalendarParts` is a definition not checked yet (what a
document was read into); :func:`definition_problems` lists every problem with one,
each with its fix, whatever it was written in (code or a document). The converters
here turn a caller's collections into the tuples and frozensets a calendar holds.

Dependencies: this module imports only the standard library, attrs and the error
module. The timeline engine (``_timeline``), the document reader and writer
(``_calendar_documents``) and the calendar API (``_calendar``) import it; it imports
none of them.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timezone, tzinfo
from typing import Final, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ticketflow._errors import CalendarDefinitionError, Problem, quoted

__all__ = [
    "DAY_MINUTES",
    "WEEKDAY_NAMES",
    "CalendarDefinition",
    "CalendarParts",
    "Closure",
    "Window",
    "always_open_week",
    "definition_problems",
    "to_closures",
    "to_extra_workdays",
    "to_holidays",
    "to_week",
    "try_parse_window",
    "weekday_index",
    "workday_windows",
]

DAY_MINUTES: Final = 24 * 60
_WEEK_MINUTES: Final = 7 * DAY_MINUTES
# Host-configured aliases in the zone database: they resolve through the host's
# /etc/localtime (hidden global state), so a calendar naming them would mean different
# things on different machines.
_HOST_ZONES: Final = frozenset({"localtime", "posixrules"})

WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_WEEKDAY_NAMES: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_TIME_RE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def weekday_index(name: str) -> int | None:
    """The weekday number (Monday = 0) of a short or long English name, any case."""
    key = name.strip().lower()
    if key in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(key)
    if key in _LONG_WEEKDAY_NAMES:
        return _LONG_WEEKDAY_NAMES.index(key)
    return None


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_time(text: str, *, is_end: bool) -> int | None:
    """Minutes after midnight for ``HH:MM`` (``24:00`` only as an end), else None."""
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        return None
    return hours * 60 + minutes


def _window_problems(start: int, end: int, where: str) -> list[Problem]:
    if not 0 <= start < DAY_MINUTES or not 0 < end <= DAY_MINUTES:
        return [
            Problem(
                f"window {where}",
                f"start {quoted(start)} or end {quoted(end)} is outside the day",
                "give minutes after midnight: a start from 0 to 1439, an end from 1 to "
                "1440 (24:00)",
            )
        ]
    if start == end:
        return [
            Problem(
                f"window {where}",
                "has zero length",
                "give an end different from the start; write 00:00-24:00 for a whole day",
            )
        ]
    return []


def try_parse_window(text: object, where: str) -> tuple[Window | None, Problem | None]:
    """Parse a window without raising, so a document can report every bad one at once."""
    fix = "write it like '09:00-17:00', '22:00-06:00' (overnight) or '12:00-24:00'"
    if not isinstance(text, str):
        return None, Problem(f"window {where}", "is not a string", fix)
    parts = text.replace("\u2013", "-").split("-")
    start = _parse_time(parts[0], is_end=False) if len(parts) == 2 else None
    end = _parse_time(parts[1], is_end=True) if len(parts) == 2 else None
    if start is None or end is None:
        return None, Problem(
            f"window {where}",
            "is not two HH:MM times separated by '-' (hours 00-23, or 24:00 as an end)",
            fix,
        )
    if end == 0 and start == 0:
        return None, Problem(
            f"window {where}",
            "starts and ends at midnight",
            "write 00:00-24:00 for a whole day open; leave the day out for a day closed",
        )
    if end == 0:
        # "22:00-00:00" means "until midnight", the same as "22:00-24:00".
        end = DAY_MINUTES
    problems = _window_problems(start, end, where)
    if problems:
        return None, problems[0]
    return Window(start, end), None


@attrs.frozen(order=True)
class Window:
    """An opening window of one local day, from ``start`` to ``end`` on the wall clock.

    Both ends are minutes after local midnight. ``end`` may be ``1440`` (``24:00``).
    A window whose end is before its start is an *overnight* window: it runs into the
    next day and belongs to the day it starts (a 22:00-06:00 window on Friday is
    Friday's, even for the hours after midnight). The window is half-open: open at
    ``start``, closed again at ``end``.

    Attributes:
        start: minutes after local midnight at which the window opens, 0-1439.
        end: minutes after local midnight at which it closes, 1-1440 (or before
            ``start`` for an overnight window).

    Raises:
        CalendarDefinitionError: a time outside the day, or a window of zero length.

    >>> Window.parse("22:00-06:00")
    Window(start=1320, end=360)
    >>> str(Window(9 * 60, 17 * 60)), Window.parse("22:00-06:00").overnight
    ('09:00-17:00', True)
    """

    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if not _is_int(self.start) or not _is_int(self.end):
            raise CalendarDefinitionError(
                [
                    Problem(
                        f"window {quoted(self.start)}-{quoted(self.end)}",
                        "has a start or an end that is not a whole number of minutes",
                        "give minutes after midnight as ints, or use Window.parse('09:00-17:00')",
                    )
                ]
            )
        problems = _window_problems(
            self.start, self.end, f"{quoted(self.start)}-{quoted(self.end)}"
        )
        if problems:
            raise CalendarDefinitionError(problems)

    @classmethod
    def parse(cls, text: str) -> Window:
        """Read ``"HH:MM-HH:MM"``; ``24:00`` (or ``00:00``) as the end means midnight.

        Args:
            text: the window, e.g. ``"09:00-17:00"`` or ``"22:00-06:00"``.

        Returns:
            The window.

        Raises:
            CalendarDefinitionError: the text is not two ``HH:MM`` times, or the
                window has zero length.

        >>> Window.parse("12:00-24:00")
        Window(start=720, end=1440)
        >>> Window.parse("9-5")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ticketflow._errors.CalendarDefinitionError: invalid business calendar: 1 problem
          - window '9-5': is not two HH:MM times ... (fix: write it like '09:00-17:00', ...)
        """
        window, problem = try_parse_window(text, quoted(text))
        if window is None:
            assert problem is not None
            raise CalendarDefinitionError([problem])
        return window

    @property
    def overnight(self) -> bool:
        """True if the window runs past midnight into the next day."""
        return self.end < self.start

    @property
    def minutes(self) -> int:
        """The wall-clock length in minutes (real time differs on DST change nights)."""
        return self.end - self.start + (DAY_MINUTES if self.overnight else 0)

    def __str__(self) -> str:
        return f"{_format_minutes(self.start)}-{_format_minutes(self.end)}"


@attrs.frozen(order=True)
class Closure:
    """A partial-day closure: the calendar is closed during ``window`` on local date ``on``.

    The window follows the rules of opening windows (an overnight closure runs into the
    next day). A closure removes open time whichever day's window it falls in.

    Attributes:
        on: the local date the closure starts.
        window: the wall-clock window closed on that date.

    >>> str(Closure(date(2026, 12, 31), Window.parse("12:00-24:00")))
    '2026-12-31 12:00-24:00'
    """

    on: date
    window: Window

    def __attrs_post_init__(self) -> None:
        if isinstance(self.on, datetime) or not isinstance(self.on, date):
            raise CalendarDefinitionError(
                [Problem("closure", f"on {quoted(self.on)} is not a date", "give a datetime.date")]
            )
        if not isinstance(self.window, Window):
            raise CalendarDefinitionError(
                [
                    Problem(
                        "closure",
                        f"window {quoted(self.window)} is not a Window",
                        "give e.g. Window.parse('12:00-24:00')",
                    )
                ]
            )

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.window}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_collection(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


def to_week(value: Iterable[Iterable[Window]]) -> tuple[tuple[Window, ...], ...]:
    fix = "give seven tuples of Window values, Monday first (an empty tuple for a closed day)"
    if not isinstance(value, list | tuple):
        raise CalendarDefinitionError([Problem("week", f"{quoted(value)} is not a sequence", fix)])
    week: list[tuple[Window, ...]] = []
    for index, day in enumerate(value):
        if not _is_collection(day) or not all(isinstance(w, Window) for w in day):
            where = f"week[{index}]"
            raise CalendarDefinitionError([Problem(where, f"{quoted(day)} is not windows", fix)])
        week.append(tuple(sorted(day)))
    return tuple(week)


def _checked_dates(key: str, value: object) -> frozenset[date]:
    fix = "give datetime.date values (from_document also reads ISO strings)"
    if not _is_collection(value):
        raise CalendarDefinitionError([Problem(key, f"{quoted(value)} is not a collection", fix)])
    assert isinstance(value, list | tuple | set | frozenset)
    for item in value:
        if isinstance(item, datetime) or not isinstance(item, date):
            raise CalendarDefinitionError([Problem(key, f"{quoted(item)} is not a date", fix)])
    return frozenset(value)


def to_holidays(value: Iterable[date]) -> frozenset[date]:
    return _checked_dates("holidays", value)


def to_extra_workdays(value: Iterable[date]) -> frozenset[date]:
    return _checked_dates("extra_workdays", value)


def to_closures(value: Iterable[Closure]) -> frozenset[Closure]:
    fix = "give Closure values, e.g. Closure(date(2026, 12, 31), Window.parse('12:00-24:00'))"
    if not _is_collection(value) or not all(isinstance(c, Closure) for c in value):
        raise CalendarDefinitionError(
            [Problem("closures", f"{quoted(value)} are not closures", fix)]
        )
    return frozenset(value)


def always_open_week() -> tuple[tuple[Window, ...], ...]:
    return tuple((Window(0, DAY_MINUTES),) for _ in range(7))


def workday_windows(week: Sequence[tuple[Window, ...]]) -> tuple[Window, ...]:
    """The standard workday windows of ``week``: Monday's, or the first open weekday's
    after it (extra and substituted working days open with them)."""
    return next((windows for windows in week if windows), ())


# ---------------------------------------------------------------- definitions


class CalendarDefinition(Protocol):
    """The fields that define a calendar: a :class:`~ticketflow.BusinessCalendar` or
    the :class:`CalendarParts` a document was read into."""

    @property
    def tz(self) -> str: ...
    @property
    def week(self) -> tuple[tuple[Window, ...], ...]: ...
    @property
    def country(self) -> str | None: ...
    @property
    def subdiv(self) -> str | None: ...
    @property
    def holidays(self) -> frozenset[date]: ...
    @property
    def closures(self) -> frozenset[Closure]: ...
    @property
    def extra_workdays(self) -> frozenset[date]: ...


@attrs.frozen
class CalendarParts:
    """The fields of a calendar, unchecked: what a document was read into.

    The converters check the types of the collections (so a document reader builds it
    only from values it has read); :func:`definition_problems` checks the rest.
    """

    tz: str = "UTC"
    week: tuple[tuple[Window, ...], ...] = attrs.field(factory=always_open_week, converter=to_week)
    country: str | None = None
    subdiv: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=to_holidays)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=to_extra_workdays)


def definition_problems(calendar: CalendarDefinition) -> list[Problem]:
    """Every problem with a calendar definition, each with its fix."""
    problems: list[Problem] = []
    problems.extend(_zone_problems(calendar.tz))
    problems.extend(_week_problems(calendar.week))
    problems.extend(_country_problems(calendar.country, calendar.subdiv))
    for day in sorted(calendar.holidays & calendar.extra_workdays):
        problems.append(
            Problem(
                f"date {day.isoformat()}",
                "is both a holiday and an extra working day",
                "remove it from one of 'holidays' and 'extra_workdays'",
            )
        )
    return problems


def _zone_problems(tz: object) -> list[Problem]:
    fix = "give an IANA key such as 'Europe/Berlin'"
    if isinstance(tz, ZoneInfo):
        if tz.key is None:
            what = "is a ZoneInfo read from a file, which has no name to write in a document"
            return [Problem("tz", what, f"{fix}, the zone's name in the tz database")]
        return [
            Problem(
                "tz", f"is the ZoneInfo {quoted(tz.key)}, not its name", f"give {quoted(tz.key)}"
            )
        ]
    if isinstance(tz, timezone | tzinfo):
        utc_fix = "give 'UTC'" if tz is UTC else fix
        what = f"is the tzinfo {quoted(tz)}, not the name of a time zone"
        return [Problem("tz", what, utc_fix)]
    if not isinstance(tz, str) or not tz:
        return [Problem("tz", f"{quoted(tz)} is not a time zone name", fix)]
    if any(part.lower() in _HOST_ZONES for part in tz.split("/")):
        return [
            Problem(
                "tz",
                f"{quoted(tz)} names whatever zone the host is configured with "
                "(/etc/localtime), so the calendar would differ from machine to machine",
                f"{fix}, the zone the desk works in",
            )
        ]
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = ""
        if len(tz) <= 64:
            from zoneinfo import available_timezones  # noqa: PLC0415 - only on error

            close = difflib.get_close_matches(tz, sorted(available_timezones()), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        fix = f"give an IANA time zone key such as 'Europe/Berlin'{hint}"
        return [Problem("tz", f"unknown time zone {quoted(tz)}", fix)]
    return []


def _week_problems(week: Sequence[Sequence[Window]]) -> list[Problem]:
    if len(week) != 7:
        return [
            Problem(
                "week",
                f"has {len(week)} days",
                "give exactly seven tuples of windows, Monday first (an empty tuple for a "
                "closed day)",
            )
        ]
    problems: list[Problem] = []
    spans: list[tuple[int, int, str]] = []
    for index, windows in enumerate(week):
        for window in windows:
            start = index * DAY_MINUTES + window.start
            spans.append((start, start + window.minutes, f"{WEEKDAY_NAMES[index]} {window}"))
    if not spans:
        return [
            Problem(
                "week",
                "has no opening windows, so business time could never pass",
                "give at least one window, e.g. mon = '09:00-17:00'",
            )
        ]
    spans.sort()
    # The week is a circle: Sunday's overnight window runs into Monday.
    pairs = list(itertools.pairwise(spans))
    last = spans[-1]
    first = spans[0]
    pairs.append((last, (first[0] + _WEEK_MINUTES, first[1] + _WEEK_MINUTES, first[2])))
    for (_, end, name), (start, _, other) in pairs:
        if end > start and name != other:
            problems.append(
                Problem(
                    f"week {name}",
                    f"overlaps {other}",
                    "make the windows disjoint (touching is fine), or merge them into one",
                )
            )
    return problems


def _country_problems(country: str | None, subdiv: str | None) -> list[Problem]:
    bad = [
        Problem(key, f"{quoted(value)} is not a string", "give a code such as 'DE'")
        for key, value in (("country", country), ("subdiv", subdiv))
        if value is not None and not isinstance(value, str)
    ]
    if bad:
        return bad
    if country is None:
        if subdiv is not None:
            return [
                Problem(
                    "subdiv",
                    f"{quoted(subdiv)} is given without a country",
                    "give the country it belongs to, or remove the subdivision",
                )
            ]
        return []
    # Lazy: only calendars with a country need the package. Its registry names every
    # country without loading one (loading a country loads them all, a quarter of a
    # second): the holidays are read on the first query that needs them, and the
    # country's subdivisions only when a subdivision is given.
    import holidays  # noqa: PLC0415
    from holidays.registry import EntityLoader  # noqa: PLC0415

    supported = frozenset(EntityLoader.get_country_codes())
    if country not in supported:
        close = (
            difflib.get_close_matches(country.upper(), sorted(supported), n=3)
            if len(country) <= 64
            else []
        )
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return [
            Problem(
                "country",
                f"the holidays package does not know country {quoted(country)}",
                f"give an ISO 3166-1 code it supports, such as 'DE' or 'US'{hint}",
            )
        ]
    if subdiv is None:
        return []
    entity = type(holidays.country_holidays(country))
    subdivisions: tuple[str, ...] = entity.subdivisions
    if subdiv not in subdivisions:
        # A subdivision's name ("Bayern") or its code in another case ("by"): its code.
        aliases: dict[str, str] = getattr(entity, "subdivisions_aliases", {})  # holidays 0.50 up
        spelled = {name.casefold(): code for name, code in aliases.items()}
        spelled.update((code.casefold(), code) for code in subdivisions)
        code = spelled.get(subdiv.casefold())
        if code is not None:
            fix = f"write {code!r}"
        elif subdivisions:
            fix = f"give one of: {', '.join(subdivisions)}"
        else:
            fix = "remove the subdivision"
        return [
            Problem("subdiv", f"country {quoted(country)} has no subdivision {quoted(subdiv)}", fix)
        ]
    return []
