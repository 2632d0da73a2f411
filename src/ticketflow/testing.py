"""Hypothesis strategies for testing code built on ticketflow.

These are the strategies ticketflow's own tests use; hosts can use them to test their
SLA rules and schedulers against awkward calendars (split and overnight windows,
holidays, partial closures) in awkward time zones (half-hour DST, +05:45, a skipped
day).

>>> from datetime import UTC
>>> from hypothesis import given, settings
>>> from ticketflow.testing import aware_datetimes, business_calendars
>>> @settings(max_examples=20)
... @given(business_calendars(), aware_datetimes())
... def test_open_is_next_open(calendar, at):
...     # Compare in UTC: Python never finds a time in a DST fold equal to a time in
...     # another zone (PEP 495), even at the same instant.
...     opens = calendar.next_open(at).astimezone(UTC)
...     assert calendar.is_open(at) == (opens == at.astimezone(UTC))
>>> test_open_is_next_open()

For lifecycles, to test a host's own workflows and policies:

- :func:`actors` draws actors of every kind (customers, agents, the system, host roles
  and the anonymous visitor);
- :func:`instants` draws aware instants near a fixed base, never from the clock;
- :func:`commands` draws any command a workflow understands, valid or not;
- :func:`command_sequences` draws the life of one ticket: an opening followed by random
  commands at mostly increasing instants (with the odd stale or naive one);
- :func:`valid_workflow_documents`, :func:`workflow_documents` and
  :func:`garbage_documents` draw workflow documents that are valid, plausible but often
  broken, and of any shape at all.

>>> from hypothesis import find
>>> find(actors(), lambda a: a.role == "anonymous")
Actor(id='', role='anonymous')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from ticketflow import (
    AGENT,
    CUSTOMER,
    SYSTEM,
    Actor,
    Assign,
    BusinessCalendar,
    Category,
    ChangePriority,
    Closure,
    Command,
    FieldValue,
    MuteNotifications,
    OpenTicket,
    PerformAction,
    Reply,
    SetField,
    UnmuteNotifications,
    Window,
    Workflow,
)

__all__ = [
    "AWKWARD_ZONES",
    "BASE",
    "actors",
    "aware_datetimes",
    "business_calendars",
    "command_sequences",
    "commands",
    "dst_changes",
    "field_values",
    "garbage_documents",
    "instants",
    "valid_workflow_documents",
    "weekly_schedules",
    "windows",
    "workflow_documents",
]

#: Time zones whose DST rules break naive business-time arithmetic: ordinary
#: one-hour DST on both hemispheres, a 30-minute DST (Lord Howe), a +05:45 offset
#: (Kathmandu), DST abolished in 2019 (Sao Paulo), an offset change without DST
#: (Moscow, 2014) and a skipped calendar day (Apia, 30 December 2011).
AWKWARD_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Europe/Moscow",
)

_DAY = 24 * 60
# Wall times around which the zones above change their clocks, so that window edges
# land in gaps and folds far more often than a uniform draw would manage.
_EDGE_MINUTES = (0, 30, 60, 90, 120, 150, 180, 210, 1320, 1380, 1410)


def _window_from(start: int, length: int) -> Window:
    stop = start + length
    if stop <= _DAY:
        return Window(start, stop)
    return Window(start, stop - _DAY)


class _WindowCodec:
    """Decodes one integer into a window.

    A single integer draw is several times cheaper in Hypothesis than composing
    ``tuples``/``one_of``/``builds`` layers, which matters to tests that draw tens of
    thousands of calendars; it still shrinks towards a short window at midnight.
    """

    def __init__(self, step: int) -> None:
        grid = [q * step for q in range(_DAY // step)]
        # Early indices are the clock-change wall times, so edges hit gaps and folds.
        self.starts = (*_EDGE_MINUTES, *grid)
        self.lengths = (*[q * step for q in range(1, 13)], 8 * 60, 9 * 60, *grid[13:])
        self.size = len(self.starts) * len(self.lengths) + 1

    def strategy(self) -> st.SearchStrategy[int]:
        return st.integers(0, self.size - 1)

    def decode(self, code: int) -> Window:
        if code == self.size - 1:
            return Window(0, _DAY)
        start, length = divmod(code, len(self.lengths))
        return _window_from(self.starts[start], self.lengths[length])


def windows(*, step: int = 15) -> st.SearchStrategy[Window]:
    """Opening windows on a grid of ``step`` minutes, overnight and whole-day ones included.

    Starts favour the wall times at which clocks change (around midnight and 02:00),
    so edges often fall in DST gaps and folds.

    Args:
        step: the grid, in minutes (a divisor of 60).

    Returns:
        A strategy of :class:`~ticketflow.Window`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(windows())
    ... def check(window):
    ...     assert 0 < window.minutes <= 24 * 60
    >>> check()
    """
    codec = _WindowCodec(step)
    return codec.strategy().map(codec.decode)


def _weekly_span(day: int, window: Window) -> tuple[int, int]:
    start = day * _DAY + window.start
    return start, start + window.minutes


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    week = 7 * _DAY
    # Compare on the weekly circle: shift b by a week either way as well.
    return any(a[0] < b[1] + shift and b[0] + shift < a[1] for shift in (-week, 0, week))


def _disjoint_week(candidates: list[tuple[int, Window]]) -> tuple[tuple[Window, ...], ...]:
    kept: list[tuple[int, Window]] = []
    for day, window in candidates:
        span = _weekly_span(day, window)
        if not any(_overlaps(span, _weekly_span(d, w)) for d, w in kept):
            kept.append((day, window))
    return tuple(tuple(sorted(w for d, w in kept if d == day)) for day in range(7))


def weekly_schedules(
    *, step: int = 15, max_windows: int = 8
) -> st.SearchStrategy[tuple[tuple[Window, ...], ...]]:
    """A valid week of opening windows (Monday first): disjoint, at least one window.

    Windows may be split (several a day) and overnight; candidates that would overlap
    an earlier one are dropped, so every draw is a valid definition.

    Args:
        step: the grid of window edges, in minutes.
        max_windows: the most candidate windows drawn.

    Returns:
        A strategy of seven tuples of windows.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(weekly_schedules())
    ... def check(week):
    ...     assert len(week) == 7 and any(week)
    >>> check()
    """
    codec = _WindowCodec(step)
    # One integer per candidate: the weekday and the window's code.
    candidate = st.integers(0, 7 * codec.size - 1)
    return st.lists(candidate, min_size=1, max_size=max_windows).map(
        lambda drawn: _disjoint_week([(code % 7, codec.decode(code // 7)) for code in drawn])
    )


def aware_datetimes(
    zones: Sequence[str] = AWKWARD_ZONES,
    *,
    min_value: datetime = datetime(2010, 1, 1),  # noqa: DTZ001 - bounds are naive
    max_value: datetime = datetime(2035, 12, 31),  # noqa: DTZ001 - bounds are naive
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in the given zones; never an imaginary (skipped) wall time.

    Args:
        zones: IANA time zone keys to draw from.
        min_value: the earliest local wall time (naive).
        max_value: the latest local wall time (naive).

    Returns:
        A strategy of aware datetimes.

    >>> from datetime import timedelta
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(aware_datetimes(["Asia/Kathmandu"], min_value=datetime(2020, 1, 1)))
    ... def check(at):
    ...     assert at.utcoffset() == timedelta(hours=5, minutes=45)
    >>> check()
    """
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from([ZoneInfo(zone) for zone in zones]),
        allow_imaginary=False,
    )


def business_calendars(
    zones: Sequence[str] = AWKWARD_ZONES,
    *,
    dates: st.SearchStrategy[date] | None = None,
    countries: Mapping[str, tuple[str, str | None]] | None = None,
    max_holidays: int = 3,
    max_closures: int = 2,
    max_extra_workdays: int = 2,
    max_windows: int = 8,
) -> st.SearchStrategy[BusinessCalendar]:
    """Valid business calendars: split and overnight windows, holidays, closures.

    Args:
        zones: IANA time zone keys to draw from.
        dates: where explicit holidays, closures and extra working days fall (by
            default anywhere in 2010-2035; give a narrow range to make them matter).
        countries: for some zones, a country and subdivision whose public holidays the
            calendar may observe (drawn half of the time). None: never.
        max_holidays: the most explicit holidays.
        max_closures: the most partial closures.
        max_extra_workdays: the most extra working days.
        max_windows: the most candidate windows a week is drawn from.

    Returns:
        A strategy of :class:`~ticketflow.BusinessCalendar`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(business_calendars(["Europe/Berlin"], countries={"Europe/Berlin": ("DE", "BY")}))
    ... def check(calendar):
    ...     assert calendar.tz == "Europe/Berlin" and calendar.country in (None, "DE")
    >>> check()
    """
    days = dates if dates is not None else st.dates(date(2010, 1, 1), date(2035, 12, 31))
    codec = _WindowCodec(15)
    # Every part is built once here, not per example: building strategies inside a
    # draw costs more than drawing from them.
    parts = st.tuples(
        st.sampled_from(tuple(zones)),
        weekly_schedules(max_windows=max_windows),
        st.lists(days, max_size=max_holidays),
        st.lists(days, max_size=max_extra_workdays),
        st.lists(st.tuples(days, codec.strategy()), max_size=max_closures),
        st.booleans(),
    )

    def assemble(
        drawn: tuple[
            str,
            tuple[tuple[Window, ...], ...],
            list[date],
            list[date],
            list[tuple[date, int]],
            bool,
        ],
    ) -> BusinessCalendar:
        tz, week, holidays, extra, closed, observe = drawn
        country, subdiv = (None, None)
        if observe and countries is not None and tz in countries:
            country, subdiv = countries[tz]
        return BusinessCalendar(
            tz=tz,
            week=week,
            country=country,
            subdiv=subdiv,
            holidays=holidays,
            closures=[Closure(day, codec.decode(code)) for day, code in closed],
            extra_workdays=set(extra) - set(holidays),
        )

    return parts.map(assemble)


# -- lifecycles: actors, commands, command sequences, workflow documents -----------

BASE: Final = datetime(2026, 3, 2, 9, tzinfo=UTC)
"""A fixed aware instant (a Monday morning) that strategies and tests start from."""

_CUSTOMERS: Final = ("alice", "bob")
_AGENTS: Final = ("carol", "dave")
_HOST_ROLES: Final = ("supervisor",)
_CATEGORIES: Final = tuple(c.value for c in Category)
_ROLE_NAMES: Final = (CUSTOMER, AGENT, SYSTEM, "supervisor", "anonymous")


def instants(
    start: datetime = BASE, span: timedelta = timedelta(days=30)
) -> st.SearchStrategy[datetime]:
    """Aware instants in ``[start, start + span]``, to the second, in a few time zones.

    Args:
        start: an aware instant, the earliest one drawn.
        span: how far after ``start`` instants may fall.

    >>> from hypothesis import find
    >>> find(instants(), lambda at: True) == BASE
    True
    """
    zones = st.sampled_from((UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-5))))
    seconds = st.integers(0, int(span.total_seconds()))
    return st.builds(lambda s, tz: (start + timedelta(seconds=s)).astimezone(tz), seconds, zones)


def dst_changes(zone: str, year: int) -> tuple[datetime, ...]:
    """The UTC instants, to the minute, at which ``zone``'s offset changes in ``year``.

    Around them lie the repeated hours (``fold=1``) and the skipped ones, where
    comparing instants by wall clock goes wrong: start a property's instants there.

    >>> [c.isoformat() for c in dst_changes("Europe/Berlin", 2026)]
    ['2026-03-29T01:00:00+00:00', '2026-10-25T01:00:00+00:00']
    """
    tz = ZoneInfo(zone)
    found = []
    at = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(hours=1)
    while at.year == year:
        after = at + step
        if at.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            low, high = at, after  # the change is in (low, high]: bisect to the minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        at = after
    return tuple(found)


def actors(
    *,
    customers: Sequence[str] = _CUSTOMERS,
    agents: Sequence[str] = _AGENTS,
    host_roles: Sequence[str] = _HOST_ROLES,
    system: bool = True,
    anonymous: bool = True,
) -> st.SearchStrategy[Actor]:
    """Actors of every kind: customers, agents, host-defined roles, the system, anonymous.

    Args:
        customers: the ids customers are drawn from (keep it small so that a customer
            often acts on their own ticket and sometimes on someone else's).
        agents: the ids agents are drawn from.
        host_roles: host-defined staff roles, each drawn with id ``"<role>-1"``.
        system: include the desk's system actor.
        anonymous: include the anonymous visitor.

    >>> from hypothesis import find
    >>> find(actors(anonymous=False), lambda a: a.role == "system")
    Actor(id='ticketflow', role='system')
    """
    options: list[st.SearchStrategy[Actor]] = []
    if customers:
        options.append(st.sampled_from(customers).map(Actor.customer))
    if agents:
        options.append(st.sampled_from(agents).map(Actor.agent))
    if host_roles:
        options.append(st.sampled_from(host_roles).map(lambda role: Actor(f"{role}-1", role)))
    if system:
        options.append(st.just(Actor.system()))
    if anonymous:
        options.append(st.just(Actor.anonymous()))
    if not options:
        raise ValueError("actors() needs at least one kind of actor")
    return st.one_of(options)


def field_values(*, removal: bool = True) -> st.SearchStrategy[FieldValue]:
    """Values a custom field may hold: JSON scalars (no NaN, which equals nothing).

    Args:
        removal: include ``None``, which ``SetField`` takes to remove a field (a
            ticket's fields never hold it).

    >>> from hypothesis import find
    >>> find(field_values(), lambda v: v is None) is None
    True
    """
    return st.one_of(
        *([st.none()] if removal else []),
        st.booleans(),
        st.integers(-1000, 1000),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.text(max_size=8),
    )


def commands(
    workflow: Workflow,
    *,
    at: st.SearchStrategy[datetime] | None = None,
    who: st.SearchStrategy[Actor] | None = None,
    ticket_id: str = "T-1",
) -> st.SearchStrategy[Command]:
    """Any command ``workflow`` understands, valid or not, for the ticket ``ticket_id``.

    Actions are drawn from the workflow (plus an unknown one), priorities from the
    workflow (plus an unknown one), reasons and bodies include empty and blank text, so
    that every refusal of the decider is reachable.

    Args:
        workflow: the workflow whose actions and priorities commands use.
        at: the instants commands happen at (default: :func:`instants`).
        who: the actors who send them (default: :func:`actors`).
        ticket_id: the id ``OpenTicket`` commands use.

    >>> from hypothesis import find
    >>> from ticketflow.presets import support_portal
    >>> find(commands(support_portal.WORKFLOW), lambda c: isinstance(c, PerformAction)).action
    'escalate'
    """
    at = instants() if at is None else at
    who = actors() if who is None else who
    actions = st.sampled_from((*workflow.actions, "teleport"))
    priorities = st.sampled_from((*workflow.priorities, "whenever"))
    texts = st.sampled_from(
        ("", "  ", "It works again", "Still broken, SLA violated", "Extension 204 is down")
    )
    names = st.sampled_from(("impact", "origin", "information_collected"))
    perform = st.builds(PerformAction, actor=who, at=at, action=actions, reason=texts)
    return st.one_of(
        perform,
        perform,  # twice as likely: moving through the workflow is what matters most
        st.builds(
            Reply,
            actor=who,
            at=at,
            body=texts,
            public=st.booleans(),
            approves_resolution=st.booleans(),
        ),
        st.builds(
            Assign,
            actor=who,
            at=at,
            assignee=st.sampled_from((None, *_AGENTS)),
            group=st.sampled_from((None, "voice", "billing")),
        ),
        st.builds(ChangePriority, actor=who, at=at, priority=priorities, reason=texts),
        st.builds(MuteNotifications, actor=who, at=at),
        st.builds(UnmuteNotifications, actor=who, at=at),
        st.builds(SetField, actor=who, at=at, name=names, value=field_values()),
        st.builds(
            OpenTicket,
            actor=who,
            at=at,
            ticket_id=st.just(ticket_id),
            subject=texts,
            requester=st.sampled_from((None, *_CUSTOMERS)),
            priority=st.one_of(st.none(), priorities),
        ),
    )


@st.composite
def command_sequences(
    draw: st.DrawFn,
    workflow: Workflow,
    *,
    start: datetime = BASE,
    max_size: int = 30,
    zone: tzinfo | None = None,
    steps: Sequence[int] = (0, 60, 3600, 86400),
) -> list[Command]:
    """The life of one ticket: a customer opens it, then random commands follow.

    Instants move forward (by nothing, a minute, an hour or a day); now and then a
    command is stamped an hour early (often before the ticket's last change), so
    refusals for time are exercised too. (A naive instant cannot be in a command at
    all: the command refuses it when it is built.) The first command always opens the ticket
    ``T-1`` as ``alice``; alice and the agent ``carol`` send most commands, any other
    actor (another customer, the system, a host role, the anonymous visitor) the rest.

    Args:
        workflow: the workflow whose actions and priorities commands use.
        start: the instant the ticket is opened at (aware).
        max_size: the most commands after the opening.
        zone: the zone every instant is given in (default: ``start``'s). Real instants
            in a zone with DST walk through its repeated hour with ``fold`` set, which is
            where comparing instants by wall clock goes wrong.
        steps: the seconds each command may come after the one before (real time).

    >>> from hypothesis import Phase, find, settings
    >>> from ticketflow.presets import support_portal
    >>> quick = settings(phases=[Phase.generate], database=None)
    >>> sequence = find(command_sequences(support_portal.WORKFLOW), bool, settings=quick)
    >>> type(sequence[0]).__name__
    'OpenTicket'
    """
    opening = OpenTicket(
        actor=Actor.customer(_CUSTOMERS[0]), at=start, ticket_id="T-1", subject="No dial tone"
    )
    sequence: list[Command] = [opening]
    # The requester and one agent act most of the time, anybody else now and then.
    who = st.one_of(st.sampled_from((opening.actor, Actor.agent(_AGENTS[0]))), actors())
    # Built once: commands are drawn at ``start`` and then moved to their own instant.
    drawn = commands(workflow, at=st.just(start), who=who)
    if zone is not None:
        sequence[0] = attrs.evolve(opening, at=start.astimezone(zone))
    now = start.astimezone(UTC)  # real time moves on in UTC, then shows in the zone
    step = st.sampled_from(tuple(steps))
    for _ in range(draw(st.integers(0, max_size))):
        now = now + timedelta(seconds=draw(step))
        at = now
        if draw(st.integers(0, 19)) == 0:
            at = now - timedelta(hours=1)  # stale: before the last change
        shown = at.astimezone(zone if zone is not None else start.tzinfo)
        sequence.append(attrs.evolve(draw(drawn), at=shown))
    return sequence


# -- workflow documents ---------------------------------------------------------------


@st.composite
def valid_workflow_documents(draw: st.DrawFn) -> dict[str, object]:
    """Workflow documents that :meth:`Workflow.from_document` accepts.

    A chain of working statuses ends in a closed status; every working status may go
    on to the next one and to the closed status, and random extra transitions and
    reactions between working statuses are added on top.

    >>> from hypothesis import find
    >>> Workflow.from_document(find(valid_workflow_documents(), lambda d: True)).initial
    's0'
    """
    size = draw(st.integers(1, 5))
    working = [f"s{i}" for i in range(size)]
    categories = st.sampled_from(
        ("new", "active", "waiting_on_customer", "on_hold", "resolved", "canceled")
    )
    statuses: list[dict[str, object]] = [
        {"name": name, "category": draw(categories), "label": name.upper()} for name in working
    ]
    statuses.append({"name": "done", "category": "closed"})
    roles = st.lists(
        st.sampled_from((CUSTOMER, AGENT, SYSTEM, "supervisor")),
        min_size=1,
        max_size=3,
        unique=True,
    )
    transitions: list[dict[str, object]] = [
        {"action": f"advance_{i}", "from": [name], "to": nxt, "roles": draw(roles)}
        for i, (name, nxt) in enumerate(zip(working, [*working[1:], "done"], strict=True))
    ]
    transitions.append(
        {
            "action": "close",
            "from": list(working),
            "to": "done",
            "roles": ["agent"],
            "requires_reason": draw(st.booleans()),
        }
    )
    for i in range(draw(st.integers(0, 3))):
        transitions.append(
            {
                "action": f"extra_{i}",
                "from": draw(st.lists(st.sampled_from(working), min_size=1, unique=True)),
                "to": draw(st.sampled_from(working)),
                "roles": draw(roles),
                "requires_fields": draw(
                    st.lists(st.sampled_from(("impact", "origin")), unique=True)
                ),
                "requires_assignee": draw(st.booleans()),
            }
        )
    reactions = [
        {"on": on, "from": [source], "to": draw(st.sampled_from(working))}
        for on in ("customer_reply", "agent_reply")
        for source in draw(st.lists(st.sampled_from(working), unique=True))
    ]
    return {
        "name": draw(st.sampled_from(("tiny", "desk", "workflow"))),
        "initial": working[0],
        "statuses": statuses,
        "transitions": transitions,
        "reactions": reactions,
        "priorities": ["low", "normal", "high"],
        "default_priority": "normal",
    }


_SCALARS: Final = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=6)
)


def garbage_documents() -> st.SearchStrategy[object]:
    """Anything a JSON or TOML parser could hand over: scalars, lists and tables, nested.

    >>> from hypothesis import find
    >>> find(garbage_documents(), lambda d: isinstance(d, dict))
    {}
    """
    return st.recursive(
        _SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=6), inner, max_size=4),
        ),
        max_leaves=12,
    )


@st.composite
def _tables(draw: st.DrawFn, parts: dict[str, st.SearchStrategy[object]]) -> object:
    """A table of ``parts`` with keys left out, values of the wrong shape, an unknown key."""
    if draw(st.integers(0, 19)) == 0:
        return draw(_SCALARS)  # not a table at all
    result: dict[str, object] = {}
    for key, good in parts.items():
        shape = draw(st.integers(0, 9))
        if shape == 0:
            continue  # the key is missing
        result[key] = draw(garbage_documents()) if shape == 1 else draw(good)
    if draw(st.integers(0, 9)) == 0:
        result["unexpected"] = draw(_SCALARS)
    return result


def _plausible_documents() -> st.SearchStrategy[object]:
    """Documents of the right overall shape whose parts are often wrong."""
    names = st.sampled_from(("open", "pending", "hold", "done", "gone", ""))
    name_lists = st.lists(names, max_size=3)
    status = _tables(
        {
            "name": names,
            "category": st.sampled_from((*_CATEGORIES, "bogus")),
            "label": st.text(max_size=5),
            "terminal": st.booleans(),
        }
    )
    transition = _tables(
        {
            "action": st.sampled_from(("go", "stop", "resolve", "")),
            "from": name_lists,
            "to": names,
            "roles": st.lists(st.sampled_from(_ROLE_NAMES), max_size=3),
            "requires_reason": st.booleans(),
            "requires_fields": st.lists(st.sampled_from(("impact", "")), max_size=2),
            "requires_assignee": st.booleans(),
            "then": name_lists,
        }
    )
    reaction = _tables(
        {
            "on": st.sampled_from(("customer_reply", "agent_reply", "phase_of_moon")),
            "from": name_lists,
            "to": names,
        }
    )
    return _tables(
        {
            "name": st.text(max_size=5),
            "initial": names,
            "statuses": st.lists(status, max_size=5),
            "transitions": st.lists(transition, max_size=5),
            "reactions": st.lists(reaction, max_size=3),
            "priorities": st.lists(st.sampled_from(("low", "normal", "high", "")), max_size=4),
            "default_priority": st.sampled_from(("low", "normal", "urgent", "")),
            "approval_action": st.sampled_from(("go", "stop", "resolve", "")),
        }
    )


def workflow_documents() -> st.SearchStrategy[object]:
    """Workflow documents of every quality: valid, plausible but broken, and garbage.

    Use it to check that reading a document either builds a workflow or reports
    problems, whatever the document holds.

    >>> from hypothesis import find
    >>> find(workflow_documents(), lambda d: d == {})
    {}
    """
    return st.one_of(_plausible_documents(), valid_workflow_documents(), garbage_documents())
