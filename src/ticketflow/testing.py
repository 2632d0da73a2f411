"""The kit for testing a desk built on ticketflow: strategies, lifecycles, a state
machine and given / when / then (``docs/testing.md`` is its guide).

These are the helpers ticketflow's own tests use; hosts use them to prove their own
desk:

- :func:`lifecycles` draws valid lives of one ticket on a desk, which reach every
  status its workflow can reach (:func:`lived` runs one as a host does);
- :class:`DeskStateMachine` is a Hypothesis state machine that drives a desk's tickets
  with valid and invalid commands and time jumps, checking the library's invariants
  after every step; a host subclasses it and adds its own;
- :func:`given` and :class:`Scenario` read a decider test as given / when / then over
  events;
- the strategies below draw awkward calendars (split and overnight windows, holidays,
  partial closures) in awkward time zones (half-hour DST, +05:45, a skipped day),
  actors, commands and documents.

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

For random commands, to check that whatever arrives is decided or refused:

- :func:`actors` draws actors of every kind (customers, agents, the system, host roles
  and the anonymous visitor);
- :func:`instants` draws aware instants near a fixed base, never from the clock;
- :func:`commands` draws any command a workflow understands, valid or not;
- :func:`command_sequences` draws the life of one ticket: an opening followed by random
  commands at mostly increasing instants (with the odd stale one), most of them
  refused;
- :func:`valid_workflow_documents`, :func:`workflow_documents` and
  :func:`garbage_documents` draw workflow documents that are valid, plausible but often
  broken, and of any shape at all.

>>> from hypothesis import find
>>> find(actors(), lambda a: a.role == "anonymous")
Actor(id='', role='anonymous')
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import ClassVar, Final, TypeVar, final
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ticketflow import (
    AGENT,
    CUSTOMER,
    POWER_INTERNAL_NOTES,
    POWER_PUBLIC_REPLIES,
    SYSTEM,
    Actor,
    Assign,
    BusinessCalendar,
    Category,
    ChangePriority,
    Closure,
    Command,
    CommandRefusedError,
    Desk,
    Escalate,
    Event,
    FieldValue,
    InvalidTypeError,
    InvalidValueError,
    MuteNotifications,
    NaiveDatetimeError,
    OpenTicket,
    Outcome,
    PerformAction,
    Reply,
    SetField,
    SlaClockStarted,
    StaleCommandError,
    Ticket,
    TicketClosedError,
    TicketNotFoundError,
    UnknownActionError,
    UnmuteNotifications,
    Window,
    Workflow,
    allowed_actions,
    decide,
    handle,
    next_due,
    replay,
    sla_status,
    tick,
)

__all__ = [
    "AWKWARD_ZONES",
    "BASE",
    "DeskStateMachine",
    "Scenario",
    "actors",
    "aware_datetimes",
    "business_calendars",
    "cast_of",
    "command_sequences",
    "commands",
    "dst_changes",
    "field_values",
    "garbage_documents",
    "given",
    "instants",
    "lifecycles",
    "lived",
    "reachable_statuses",
    "valid_workflow_documents",
    "weekly_schedules",
    "windows",
    "workflow_documents",
]

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
"""Time zones whose DST rules break naive business-time arithmetic: ordinary one-hour
DST on both hemispheres, a 30-minute DST (Lord Howe), a +05:45 offset (Kathmandu), DST
abolished in 2019 (Sao Paulo), an offset change without DST (Moscow, 2014) and a skipped
calendar day (Apia, 30 December 2011)."""

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


def _host_roles(rules: Workflow | Desk) -> tuple[str, ...]:
    """The host-defined staff roles of a desk (declared, or named by its workflow);
    ``supervisor`` for a desk with none: a role it does not know, whose every command
    is refused."""
    return tuple(sorted(rules.staff_roles - {AGENT, SYSTEM})) or _HOST_ROLES


@st.composite
def command_sequences(
    draw: st.DrawFn,
    workflow: Workflow | Desk,
    *,
    start: datetime = BASE,
    max_size: int = 30,
    zone: tzinfo | None = None,
    steps: Sequence[int] = (0, 60, 3600, 86400),
    host_roles: Sequence[str] | None = None,
) -> list[Command]:
    """The life of one ticket: a customer opens it, then random commands follow.

    Instants move forward (by nothing, a minute, an hour or a day); now and then a
    command is stamped an hour early (often before the ticket's last change), so
    refusals for time are exercised too. (A naive instant cannot be in a command at
    all: the command refuses it when it is built.) The first command always opens the ticket
    ``T-1`` as ``alice``; alice and the agent ``carol`` send most commands, any other
    actor (another customer, the system, a host role, the anonymous visitor) the rest.

    Commands are random, so most are refused and few lives get far from the initial
    status: to reach every status of a desk, draw :func:`lifecycles` instead.

    Args:
        workflow: the workflow (or the desk, whose workflow it is) whose actions and
            priorities commands use.
        start: the instant the ticket is opened at (aware).
        max_size: the most commands after the opening.
        zone: the zone every instant is given in (default: ``start``'s). Real instants
            in a zone with DST walk through its repeated hour with ``fold`` set, which is
            where comparing instants by wall clock goes wrong.
        steps: the seconds each command may come after the one before (real time).
        host_roles: the host-defined roles some commands come from (default: the
            desk's declared roles, or the host roles its workflow names; a desk with
            none gets ``supervisor``, a role it does not know).

    >>> from hypothesis import Phase, find, settings
    >>> from ticketflow.presets import support_portal
    >>> quick = settings(phases=[Phase.generate], database=None)
    >>> sequence = find(command_sequences(support_portal.WORKFLOW), bool, settings=quick)
    >>> type(sequence[0]).__name__
    'OpenTicket'
    """
    roles = tuple(host_roles) if host_roles is not None else _host_roles(workflow)
    if isinstance(workflow, Desk):
        workflow = workflow.workflow
    opening = OpenTicket(
        actor=Actor.customer(_CUSTOMERS[0]), at=start, ticket_id="T-1", subject="No dial tone"
    )
    sequence: list[Command] = [opening]
    # The requester and one agent act most of the time, anybody else now and then.
    who = st.one_of(
        st.sampled_from((opening.actor, Actor.agent(_AGENTS[0]))), actors(host_roles=roles)
    )
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


# -- lifecycles: valid command sequences for one desk ---------------------------------

_REQUESTER: Final = "alice"
_AGENT_ID: Final = "carol"
_REASON: Final = "Extension 204 is down"
# Long enough for an escalation policy's minimum justification.
_DETAILS: Final = "our call centre opens tomorrow and cannot take a single call"
_ESCALATION_REASONS: Final = ("changed_scope", "sla_violation", "other")
# Real seconds between two commands: none, a minute, an hour, a day, four days; -1
# jumps to the ticket's next due instant, so that its timers and reminders fire first.
_LIFE_STEPS: Final = (0, 60, 3600, 86400, 4 * 86400, -1)
_NEXT_DUE: Final = -1


def reachable_statuses(workflow: Workflow) -> frozenset[str]:
    """The statuses a ticket of ``workflow`` can reach from the initial one.

    Edges are the transitions (with their ``then`` chains) and the reactions; timers
    and wake-ups perform transitions, so their edges are among these.

    >>> from ticketflow.presets import hosting_portal
    >>> sorted(reachable_statuses(hosting_portal.WORKFLOW))[:3]
    ['answered', 'closed', 'customer_reply']
    """
    edges: dict[str, set[str]] = {s.name: set() for s in workflow.statuses}
    for transition in workflow.transitions:
        steps = (transition.target, *transition.then)
        for source in transition.sources:
            edges[source].add(steps[0])
        for a, b in itertools.pairwise(steps):
            edges[a].add(b)
    for reaction in workflow.reactions:
        for source in reaction.sources:
            edges[source].add(reaction.target)
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        for nxt in edges[frontier.pop()] - reached:
            reached.add(nxt)
            frontier.append(nxt)
    return frozenset(reached)


def cast_of(desk: Desk) -> tuple[Actor, ...]:
    """One actor of every role that may act on ``desk``'s tickets: the requester
    (``alice``), an agent, one member of each host role, and the system.

    >>> from ticketflow.presets import hosting_portal
    >>> [a.role for a in cast_of(hosting_portal.desk())]
    ['customer', 'agent', 'billing', 'system']
    """
    staff = sorted(desk.staff_roles - {AGENT, SYSTEM})
    return (
        Actor.customer(_REQUESTER),
        Actor.agent(_AGENT_ID),
        *(Actor(f"{role}-1", role) for role in staff),
        Actor.system(),
    )


def _openings(desk: Desk, at: datetime, ticket_id: str) -> tuple[OpenTicket, ...]:
    """Every way the cast opens a ticket: the requester herself, or staff on her behalf."""
    out = []
    for actor in cast_of(desk):
        requester = None if actor.role == CUSTOMER else _REQUESTER
        out.append(
            OpenTicket(
                actor=actor, at=at, ticket_id=ticket_id, subject="No dial tone", requester=requester
            )
        )
    return tuple(out)


def _accepted(desk: Desk, ticket: Ticket | None, command: Command) -> Outcome | None:
    try:
        return handle(desk, ticket, command)
    except CommandRefusedError:
        return None


def _moves(desk: Desk, ticket: Ticket, actor: Actor, at: datetime) -> list[Command]:
    """What ``actor`` may send at ``at`` to move the ticket: every action
    :func:`ticketflow.allowed_actions` offers it, and what a missing requirement needs
    first (most are accepted; the caller checks)."""
    moves: list[Command] = []
    escalation = desk.escalation
    for offer in allowed_actions(desk, ticket, actor, at):
        if not offer.allowed:
            if offer.code == "missing_requirement":
                moves.extend(_requirements(desk, ticket, offer.action, actor, at))
        elif escalation is not None and offer.action == escalation.action:
            moves.extend(
                Escalate(actor=actor, at=at, reason=reason, details=_DETAILS)
                for reason in _ESCALATION_REASONS
            )
        else:
            reason = _REASON if "reason" in offer.asks_for else ""
            until = at + timedelta(days=2) if "until" in offer.asks_for else None
            moves.append(
                PerformAction(actor=actor, at=at, action=offer.action, reason=reason, until=until)
            )
    return moves


def _talk(desk: Desk, at: datetime) -> list[Command]:
    """The requester's reply, an agent's public reply and internal note, and the
    replies and notes of each host role whose powers allow them."""
    requester, agent, *hosts, _ = cast_of(desk)
    talk: list[Command] = [
        Reply(actor=requester, at=at, body="Still broken"),
        Reply(actor=agent, at=at, body="We are on it"),
        Reply(actor=agent, at=at, body="Checked the switch", public=False),
    ]
    for actor in hosts:
        powers = desk.powers_of(actor.role)
        if POWER_PUBLIC_REPLIES in powers:
            talk.append(Reply(actor=actor, at=at, body="A word from us"))
        if POWER_INTERNAL_NOTES in powers:
            talk.append(Reply(actor=actor, at=at, body="For the agents", public=False))
    return talk


def _requirements(
    desk: Desk, ticket: Ticket, action: str, actor: Actor, at: datetime
) -> list[Command]:
    """What staff do first so that ``action`` may be performed: set each required
    field, assign the ticket."""
    out: list[Command] = []
    staff = actor if actor.role != CUSTOMER else Actor.agent(_AGENT_ID)
    for transition in desk.workflow.transitions_from(ticket.status, action):
        out.extend(
            SetField(actor=staff, at=at, name=name, value="recorded")
            for name in transition.requires_fields
            if name not in ticket.fields
        )
        if transition.requires_assignee and ticket.assignee is None:
            out.append(Assign(actor=staff, at=at, assignee=_AGENT_ID))
    return out


def _at_step(desk: Desk, ticket: Ticket, now: datetime, step: int) -> datetime:
    """The instant after ``now`` by ``step`` real seconds, or the ticket's next due
    instant (when one is pending after ``now``)."""
    if step == _NEXT_DUE:
        due = next_due(desk, ticket)
        return now if due is None or due <= now else due.astimezone(UTC)
    return now + timedelta(seconds=step)


def _target(desk: Desk, ticket: Ticket, command: Command) -> str | None:
    """The status an action leaves the ticket in, at the end of its ``then`` chain
    (None for anything else)."""
    action: str | None
    if isinstance(command, PerformAction):
        action = command.action
    elif isinstance(command, Escalate) and desk.escalation is not None:
        action = desk.escalation.action
    else:
        return None
    if action is None:
        return None
    for transition in desk.workflow.transitions_from(ticket.status, action):
        if command.actor.role in transition.roles:
            return (transition.target, *transition.then)[-1]
    return None


def _pick(
    draw: st.DrawFn,
    desk: Desk,
    ticket: Ticket,
    candidates: Sequence[Command],
    visited: set[str],
    *,
    may_end: bool,
) -> tuple[Command, Ticket] | None:
    """One of ``candidates`` that the desk accepts, drawn, and the ticket it makes.

    Unless ``may_end``, a move into a terminal status is not taken at all; otherwise
    half of the time one is tried first. Then, half of the time, a move into a status
    this life has not visited yet is tried first.
    """
    wf = desk.workflow
    targets = [_target(desk, ticket, c) for c in candidates]
    ending = [t is not None and wf.status(t).terminal for t in targets]
    lasting = [c for c, end in zip(candidates, ending, strict=True) if not end]
    novel = [
        c
        for c, target, end in zip(candidates, targets, ending, strict=True)
        if target is not None and target not in visited and not end
    ]
    pools: list[list[Command]] = []
    finish: bool = may_end and draw(st.booleans())
    if finish:
        pools.append([c for c, end in zip(candidates, ending, strict=True) if end])
    explore: bool = bool(novel) and draw(st.booleans())
    if explore:
        pools.append(novel)
    pools.append(list(candidates) if may_end else lasting)
    for pool in pools:
        while pool:
            command = pool.pop(draw(st.integers(0, len(pool) - 1)))
            outcome = _accepted(desk, ticket, command)
            if outcome is not None:
                return command, outcome.ticket
    return None


@st.composite
def _lifecycles(
    draw: st.DrawFn,
    desk: Desk,
    start: datetime,
    max_size: int,
    ticket_id: str,
) -> list[Command]:
    zone = desk.calendar.zone
    openings = _openings(desk, start.astimezone(zone), ticket_id)
    opening = openings[draw(st.integers(0, len(openings) - 1))]
    outcome = _accepted(desk, None, opening)
    if outcome is None:  # a desk whose staff may not open tickets: the requester does
        opening = openings[0]
        outcome = handle(desk, None, opening)
    ticket = outcome.ticket
    sequence: list[Command] = [opening]
    cast = cast_of(desk)
    # Whose turn it is, most likely first (Hypothesis favours small draws): an agent,
    # the requester, the host roles, the system, then the conversation.
    turns = (1, 0, *range(2, len(cast)), len(cast))
    visited = {ticket.status}
    wf = desk.workflow
    # A terminal status that no reaction leaves ends the life: nothing can happen.
    ends = {s.name for s in wf.statuses if s.terminal} - {
        source for reaction in wf.reactions for source in reaction.sources
    }
    now = start.astimezone(UTC)
    for _ in range(draw(st.integers(0, max_size))):
        if ticket.status in ends:
            break
        now = _at_step(desk, ticket, now, _LIFE_STEPS[draw(st.integers(0, len(_LIFE_STEPS) - 1))])
        at = now.astimezone(zone)
        ticket = tick(desk, ticket, at).ticket  # the host sweeps before each command
        # One turn is drawn; if nothing it may send is accepted, the others are tried,
        # so that a step is only empty at a dead end. A life ends (enters a terminal
        # status) once in four steps at most: on a desk where the requester may close
        # her ticket, most lives would otherwise end at their first or second step.
        first = turns[draw(st.integers(0, len(turns) - 1))]
        order = (first, *(turn for turn in turns if turn != first))
        offered: dict[int, list[Command]] = {}
        for may_end in (False, True) if draw(st.integers(0, 3)) else (True,):
            found = None
            for turn in order:
                if turn not in offered:
                    offered[turn] = (
                        _talk(desk, at)
                        if turn == len(cast)
                        else _moves(desk, ticket, cast[turn], at)
                    )
                found = _pick(draw, desk, ticket, offered[turn], visited, may_end=may_end)
                if found is not None:
                    break
            if found is not None:
                command, ticket = found
                sequence.append(command)
                visited.add(ticket.status)
                break
    return sequence


def lifecycles(
    desk: Desk, *, start: datetime = BASE, max_size: int = 25, ticket_id: str = "T-1"
) -> st.SearchStrategy[list[Command]]:
    """Valid lives of one ticket on ``desk``: an opening, then commands the desk accepts.

    Every command is accepted when a host runs the sequence as it runs a desk (sweep
    the ticket's due timers up to the command's instant with :func:`ticketflow.tick`,
    then :func:`ticketflow.handle` it; :func:`lived` does just that). The ticket is
    opened by its requester or by a member of the staff (an agent, a host role, the
    system) on her behalf; then, at increasing instants shown in the desk's calendar
    zone (a minute, an hour, a day, four days later, or exactly when the ticket's next
    timer falls due), one actor of :func:`cast_of` the desk sends one command: an
    action :func:`ticketflow.allowed_actions` offers it (with a reason, an instant or
    an escalation's details where the action asks for them), what an action's
    requirements need first (a field, an assignee), a reply or an internal note.
    Drawn this way, a sequence reaches the statuses that need several steps, which a
    sequence of random commands (:func:`command_sequences`) hardly ever does.

    Args:
        desk: the desk whose rules the sequence follows.
        start: the instant the ticket is opened at (aware).
        max_size: the most commands after the opening.
        ticket_id: the ticket's id.

    Returns:
        A strategy of command lists, the first an :class:`~ticketflow.OpenTicket`.

    >>> from hypothesis import given, settings
    >>> from ticketflow.presets import hosting_portal
    >>> desk = hosting_portal.desk()
    >>> @settings(max_examples=10, database=None)
    ... @given(lifecycles(desk))
    ... def check(commands):
    ...     ticket, events = lived(desk, commands)
    ...     assert ticket.version == len(events)
    >>> check()
    """
    if not isinstance(desk, Desk):
        raise InvalidTypeError("lifecycles(desk)", "a Desk", desk)
    if not isinstance(start, datetime):
        raise InvalidTypeError("lifecycles(start=...)", "an aware datetime", start)
    if start.utcoffset() is None:
        raise NaiveDatetimeError("lifecycles(start=...)", start)
    return _lifecycles(desk, start, max_size, ticket_id)


def lived(desk: Desk, commands: Iterable[Command]) -> tuple[Ticket, list[Event]]:
    """Run ``commands`` through ``desk`` as a host does: before each command, sweep the
    ticket's due timers up to its instant (:func:`ticketflow.tick`), then handle it.

    Returns:
        The ticket and every event, the timers' and the commands', in order.

    Raises:
        CommandRefusedError: a command is refused.
        InvalidValueError: ``commands`` is empty.

    >>> from ticketflow import Actor, OpenTicket
    >>> from ticketflow.presets import hosting_portal
    >>> ticket, events = lived(hosting_portal.desk(), [OpenTicket(
    ...     actor=Actor.customer("alice"), at=BASE, ticket_id="T-1", subject="Down")])
    >>> ticket.status, len(events)
    ('open', 1)
    """
    ticket: Ticket | None = None
    events: list[Event] = []
    for command in commands:
        if ticket is not None:
            swept = tick(desk, ticket, command.at)
            ticket = swept.ticket
            events.extend(swept.events)
        outcome = handle(desk, ticket, command)
        ticket = outcome.ticket
        events.extend(outcome.events)
    if ticket is None:
        raise InvalidValueError(
            "lived() was given no command", "give it an OpenTicket and what follows"
        )
    return ticket, events


# -- the desk's state machine ----------------------------------------------------------

_WAITS: Final = (
    timedelta(minutes=1),
    timedelta(minutes=47),
    timedelta(hours=5),
    timedelta(days=1),
    timedelta(days=6),
)
# Where a jump lands around a landmark (a DST change, a holiday's midnight).
_AROUND: Final = (timedelta(0), -timedelta(minutes=1), timedelta(minutes=1), timedelta(hours=1))
_MOST_SWEEPS: Final = 10_000


@functools.cache
def _landmarks(calendar: BusinessCalendar, years: tuple[int, ...]) -> tuple[datetime, ...]:
    """The UTC instants where business time is easy to get wrong on ``calendar``: its
    zone's DST changes and the local midnights that start its holidays."""
    found = [change for year in years for change in dst_changes(calendar.tz, year)]
    days = {day for day in calendar.holidays if day.year in years}
    if calendar.country is not None:
        import holidays  # noqa: PLC0415 - only calendars with a country need it

        table = holidays.country_holidays(calendar.country, subdiv=calendar.subdiv, years=years)
        days |= set(table)
    zone = calendar.zone
    for day in sorted(days):
        if calendar.holiday_name(day) is not None:
            found.append(datetime.combine(day, datetime.min.time(), zone).astimezone(UTC))
    return tuple(sorted(found))


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


class DeskStateMachine(RuleBasedStateMachine):
    """A Hypothesis state machine that drives a desk's tickets and checks the library's
    promises after every step.

    Subclass it with ``desk = ...`` (or call :meth:`for_desk`) and collect its
    ``TestCase``. The machine opens up to :attr:`max_tickets` tickets and, step by step,
    sends them what :func:`ticketflow.allowed_actions` offers every actor of
    :func:`cast_of` the desk, replies, notes, assignments and fields; it sends invalid
    commands too (an action the actor's role may not take, an unknown action, a stale
    instant, an outsider's reply) and checks that each is refused with a typed error and
    changes nothing; it lets time pass, jumps to the desk calendar's DST changes and
    holidays and to a ticket's next due instant, and sweeps tickets with
    :func:`ticketflow.tick`. As a host does, it sweeps a ticket up to a command's
    instant before it handles the command.

    After every step, for every ticket, it checks:

    - replay identity: :func:`ticketflow.replay` of the ticket's events is the ticket;
    - the version is the number of events;
    - ``next_due`` is exact: a sweep just before it fires nothing, a sweep at it fires
      something or moves it;
    - a sweep is batch-invariant (checked on every sweep): one sweep up to an instant
      makes the same ticket and events as a sweep at each due instant up to it;
    - an SLA clock's elapsed time never decreases within a cycle and never exceeds the
      wall time since the cycle started;
    - nothing happens to a ticket in a terminal status but a declared reopen reaction;
    - (on every refusal) the refusal is a :class:`~ticketflow.CommandRefusedError`
      and the ticket is what it was.

    A host adds its own invariants as ``@invariant()`` methods (and rules as
    ``@rule()`` methods) of its subclass; :attr:`tickets`, :attr:`events` and
    :attr:`now` hold what the machine made so far.

    >>> from hypothesis import settings
    >>> from ticketflow.presets import hosting_portal
    >>> class HostingPortal(DeskStateMachine):
    ...     desk = hosting_portal.desk()
    >>> case = HostingPortal.TestCase
    >>> case.settings = settings(max_examples=3, stateful_step_count=8, database=None)
    >>> case("runTest").runTest()
    """

    desk: ClassVar[Desk]
    """The desk under test (set it in the subclass)."""
    start: ClassVar[datetime] = BASE
    """When the machine's clock starts (aware)."""
    max_tickets: ClassVar[int] = 3
    """The most tickets one run opens."""

    def __init__(self) -> None:
        super().__init__()
        desk = getattr(type(self), "desk", None)
        if not isinstance(desk, Desk):
            raise InvalidTypeError(
                f"{type(self).__name__}.desk",
                "a Desk (subclass DeskStateMachine with desk = ..., or use "
                "DeskStateMachine.for_desk(desk))",
                desk,
            )
        self.now: datetime = _utc(self.start)
        """The machine's clock (UTC); commands show it in the calendar's zone."""
        self.tickets: dict[str, Ticket] = {}
        """Every ticket opened so far, as of its last event."""
        self.events: dict[str, list[Event]] = {}
        """Every ticket's events, oldest first."""
        self.cast = cast_of(desk)
        self._zone = desk.calendar.zone
        years = (self.now.year, self.now.year + 1)
        self._landmarks = _landmarks(desk.calendar, years)
        self._elapsed: dict[tuple[str, str, int], timedelta] = {}
        self._terminal: dict[str, tuple[str, int]] = {}

    @classmethod
    def for_desk(cls, desk: Desk, *, name: str | None = None) -> type[DeskStateMachine]:
        """A subclass that tests ``desk``; its ``TestCase`` is a unittest test case.

        >>> from ticketflow.presets import case_portal
        >>> machine = DeskStateMachine.for_desk(case_portal.desk())
        >>> machine.__name__, machine.desk.workflow.name
        ('DeskStateMachine_case_portal', 'case-portal')
        """
        if not isinstance(desk, Desk):
            raise InvalidTypeError("DeskStateMachine.for_desk(desk)", "a Desk", desk)
        label = name or f"{cls.__name__}_{desk.workflow.name.replace('-', '_')}"
        return type(label, (cls,), {"desk": desk, "__module__": cls.__module__})

    # -- what the rules share ---------------------------------------------------------

    @property
    def at(self) -> datetime:
        """The machine's clock in the desk calendar's zone (folds and all)."""
        return self.now.astimezone(self._zone)

    def _ticket_id(self, slot: int) -> str:
        ids = sorted(self.tickets)
        return ids[slot % len(ids)]

    def _record(self, ticket_id: str, outcome: Outcome) -> None:
        self.tickets[ticket_id] = outcome.ticket
        self.events[ticket_id].extend(outcome.events)

    def _swept(self, ticket_id: str) -> Ticket:
        """Sweep the ticket up to now, as a host does before a command."""
        self._record(ticket_id, tick(self.desk, self.tickets[ticket_id], self.now))
        return self.tickets[ticket_id]

    def send(self, ticket_id: str, command: Command) -> Outcome | CommandRefusedError:
        """Sweep the ticket to now and handle ``command``: the outcome (recorded) or the
        refusal, after checking that the refusal changed nothing."""
        ticket = self._swept(ticket_id)
        before = copy.deepcopy(ticket)
        try:
            outcome = handle(self.desk, ticket, command)
        except CommandRefusedError as refusal:
            refused = refusal
        else:
            self._record(ticket_id, outcome)
            return outcome
        assert before == ticket, "a refused command changed the ticket"
        assert str(refused), "a refusal says nothing"
        return refused

    def refused(self, ticket_id: str, command: Command) -> CommandRefusedError:
        """Send ``command``, which the desk must refuse."""
        result = self.send(ticket_id, command)
        assert isinstance(result, CommandRefusedError), (
            f"the desk accepted {command!r}, which it should have refused"
        )
        return result

    # -- rules ------------------------------------------------------------------------

    @rule(who=st.integers(0, 8))
    def open_ticket(self, who: int) -> None:
        """Open a ticket as the requester, or as staff on her behalf."""
        if len(self.tickets) >= self.max_tickets:
            return
        ticket_id = f"T-{len(self.tickets) + 1}"
        openings = _openings(self.desk, self.at, ticket_id)
        opening = openings[who % len(openings)]
        try:
            outcome = handle(self.desk, None, opening)
        except CommandRefusedError:
            if opening.actor.role == CUSTOMER:
                raise  # every desk lets a customer open her own ticket
            return
        self.events[ticket_id] = []
        self._record(ticket_id, outcome)

    @precondition(lambda self: self.tickets)
    @rule(slot=st.integers(0, 2), who=st.integers(0, 8), pick=st.integers(0, 63))
    def act(self, slot: int, who: int, pick: int) -> None:
        """Perform an action ``allowed_actions`` offers (or what its requirement needs):
        an allowed action is accepted."""
        ticket_id = self._ticket_id(slot)
        ticket = self._swept(ticket_id)
        actor = self.cast[who % len(self.cast)]
        moves = _moves(self.desk, ticket, actor, self.at)
        if not moves:
            return
        command = moves[pick % len(moves)]
        result = self.send(ticket_id, command)
        if isinstance(result, CommandRefusedError):
            # What allowed_actions offers is accepted; an escalation's own reason
            # and a requirement's staff command may still be refused.
            assert not isinstance(command, PerformAction) or command.action not in {
                a.action for a in allowed_actions(self.desk, ticket, actor, self.at) if a.allowed
            }, f"allowed_actions offered {command!r}, and the desk refused it: {result}"

    @precondition(lambda self: self.tickets)
    @rule(slot=st.integers(0, 2), kind=st.integers(0, 7), who=st.integers(0, 8))
    def talk(self, slot: int, kind: int, who: int) -> None:
        """Reply, write an internal note, assign, set a field, change the priority, mute
        or unmute (any of which may be refused; a refusal changes nothing)."""
        ticket_id = self._ticket_id(slot)
        actor = self.cast[who % len(self.cast)]
        at = self.at
        priorities = self.desk.workflow.priorities
        commands: tuple[Command, ...] = (
            Reply(actor=actor, at=at, body="Still broken"),
            Reply(actor=actor, at=at, body="Checked the switch", public=False),
            Assign(actor=actor, at=at, assignee=_AGENT_ID, group="voice"),
            Assign(actor=actor, at=at, assignee=None),
            SetField(actor=actor, at=at, name="impact", value="all extensions"),
            ChangePriority(actor=actor, at=at, priority=priorities[who % len(priorities)]),
            MuteNotifications(actor=actor, at=at),
            UnmuteNotifications(actor=actor, at=at),
        )
        self.send(ticket_id, commands[kind])

    @precondition(lambda self: self.tickets)
    @rule(
        kind=st.integers(0, 3),
        slot=st.integers(0, 2),
        pick=st.integers(0, 63),
        back=st.sampled_from(_WAITS),
    )
    def invalid(self, kind: int, slot: int, pick: int, back: timedelta) -> None:
        """Send an invalid command: an action the actor's role may not take, an unknown
        action, a stale instant, an outsider's reply; each is refused, changing nothing."""
        if kind == 0:
            self.wrong_role(slot, pick)
        elif kind == 1:
            self.unknown_action(slot, pick)
        elif kind == 2:
            self.stale(slot, back)
        else:
            self.outsider(slot, anonymous=bool(pick % 2))

    @rule(
        kind=st.integers(0, 2),
        slot=st.integers(0, 2),
        which=st.integers(0, 2),
        around=st.sampled_from(_AROUND),
        wait=st.sampled_from(_WAITS),
    )
    def time_passes(
        self, kind: int, slot: int, which: int, around: timedelta, wait: timedelta
    ) -> None:
        """Time passes: a while, to (around) a DST change or a holiday, or to a
        ticket's next due instant."""
        if kind == 0:
            self.wait(wait)
        elif kind == 1:
            self.jump(which, around)
        elif self.tickets:
            self.until_due(slot)

    def wrong_role(self, slot: int, pick: int) -> None:
        """An action the actor's role may not take is refused for its role."""
        ticket_id = self._ticket_id(slot)
        ticket = self._swept(ticket_id)
        at = self.at
        offers = [
            (actor, offer.action)
            for actor in self.cast
            for offer in allowed_actions(self.desk, ticket, actor, at)
            if offer.code == "role"
        ]
        if not offers:
            return
        actor, action = offers[pick % len(offers)]
        escalation = self.desk.escalation
        command: Command = (
            Escalate(actor=actor, at=at, reason=_ESCALATION_REASONS[0], details=_DETAILS)
            if escalation is not None and action == escalation.action
            else PerformAction(actor=actor, at=at, action=action, reason=_REASON)
        )
        refusal = self.refused(ticket_id, command)
        assert getattr(refusal, "code", None) in {"role", "escalation_refused"}, refusal

    def unknown_action(self, slot: int, who: int) -> None:
        """An action the workflow does not define is refused (to staff, as unknown, or
        because the ticket is in a final status)."""
        ticket_id = self._ticket_id(slot)
        actor = self.cast[who % len(self.cast)]
        command = PerformAction(actor=actor, at=self.at, action="teleport", reason=_REASON)
        refusal = self.refused(ticket_id, command)
        if actor.role == AGENT:  # the desk's staff see every ticket
            assert isinstance(refusal, UnknownActionError | TicketClosedError), refusal

    def stale(self, slot: int, back: timedelta) -> None:
        """A command stamped before the ticket's last change is refused as stale."""
        ticket_id = self._ticket_id(slot)
        ticket = self._swept(ticket_id)
        at = (_utc(ticket.updated_at) - back).astimezone(self._zone)
        refusal = self.refused(ticket_id, Reply(actor=self.cast[1], at=at, body="Late"))
        assert isinstance(refusal, StaleCommandError), refusal

    def outsider(self, slot: int, anonymous: bool) -> None:
        """Someone who may not see the ticket learns nothing: their reply is refused as
        if the ticket did not exist."""
        ticket_id = self._ticket_id(slot)
        actor = Actor.anonymous() if anonymous else Actor.customer("mallory")
        refusal = self.refused(ticket_id, Reply(actor=actor, at=self.at, body="Me too"))
        assert isinstance(refusal, TicketNotFoundError), refusal

    def wait(self, wait: timedelta) -> None:
        """Time passes."""
        self.now += wait

    def jump(self, which: int, around: timedelta) -> None:
        """Time jumps to (around) one of the next DST changes of the calendar's zone or
        the start of one of its next holidays."""
        ahead = [m + around for m in self._landmarks if m + around > self.now]
        self.now = ahead[min(which, len(ahead) - 1)] if ahead else self.now + timedelta(days=1)

    def until_due(self, slot: int) -> None:
        """Time moves to a ticket's next due instant (if it is later than now)."""
        due = next_due(self.desk, self.tickets[self._ticket_id(slot)])
        if due is not None and _utc(due) > self.now:
            self.now = _utc(due)

    @precondition(lambda self: self.tickets)
    @rule(slot=st.integers(0, 2))
    def sweep(self, slot: int) -> None:
        """Sweep a ticket up to now: one sweep makes what a sweep at each due instant
        makes."""
        ticket_id = self._ticket_id(slot)
        ticket = self.tickets[ticket_id]
        once = tick(self.desk, ticket, self.now)
        stepped, events = ticket, list[Event]()
        for _ in range(_MOST_SWEEPS):
            due = next_due(self.desk, stepped)
            if due is None or _utc(due) > self.now:
                break
            outcome = tick(self.desk, stepped, due)
            stepped = outcome.ticket
            events.extend(outcome.events)
        assert (once.ticket, list(once.events)) == (stepped, events), (
            "one sweep up to now differs from a sweep at each due instant"
        )
        self._record(ticket_id, once)

    # -- invariants -------------------------------------------------------------------

    @invariant()
    def replay_is_the_ticket(self) -> None:
        """Replaying a ticket's events builds the ticket; its version counts them."""
        for ticket_id, ticket in self.tickets.items():
            events = self.events[ticket_id]
            assert ticket.version == len(events), (ticket.version, len(events))
            assert replay(events) == ticket, f"replay of {ticket_id}'s events differs"

    @invariant()
    def next_due_is_exact(self) -> None:
        """Nothing fires before a ticket's next due instant; a sweep at it fires
        something or moves it."""
        for ticket in self.tickets.values():
            due = next_due(self.desk, ticket)
            if due is None:
                continue
            early = tick(self.desk, ticket, _utc(due) - timedelta(microseconds=1))
            assert not early.events, f"{early.events[0]!r} fired before next_due {due}"
            on_time = tick(self.desk, ticket, due)
            moved = next_due(self.desk, on_time.ticket)
            assert on_time.events or moved is None or _utc(moved) != _utc(due), (
                f"a sweep at next_due {due} fired nothing and next_due stayed"
            )

    @invariant()
    def sla_elapsed_is_monotonic_and_bounded(self) -> None:
        """A clock's elapsed time never decreases within a cycle, and never exceeds the
        wall time since the cycle started."""
        if not self.desk.sla.metrics:
            return
        for ticket_id, ticket in self.tickets.items():
            swept = tick(self.desk, ticket, self.now).ticket  # what a host would show
            starts = {
                (e.clock.metric, e.clock.cycle): _utc(e.at)
                for e in self.events[ticket_id]
                if isinstance(e, SlaClockStarted)
            }
            for status in sla_status(self.desk, swept, self.now):
                key = (ticket_id, status.metric, status.cycle)
                previous = self._elapsed.get(key, timedelta(0))
                assert status.elapsed >= previous, (status.metric, previous, status.elapsed)
                self._elapsed[key] = status.elapsed
                started = starts.get((status.metric, status.cycle))
                if started is not None:
                    wall = self.now - started
                    assert status.elapsed <= wall, (status.metric, status.elapsed, wall)

    @invariant()
    def nothing_after_a_terminal_status(self) -> None:
        """A ticket in a terminal status stays as it is, unless a declared reopen
        reaction brings it back."""
        wf = self.desk.workflow
        for ticket_id, ticket in self.tickets.items():
            seen = self._terminal.get(ticket_id)
            if seen is not None:
                status, version = seen
                if ticket.status == status:
                    assert ticket.version == version, (
                        f"{ticket_id} changed in terminal status {status!r}"
                    )
                else:
                    assert any(status in r.sources for r in wf.reactions), (
                        f"{ticket_id} left terminal status {status!r}, which no reaction leaves"
                    )
            if wf.status(ticket.status).terminal:
                self._terminal[ticket_id] = (ticket.status, ticket.version)
            else:
                self._terminal.pop(ticket_id, None)


# -- given / when / then ---------------------------------------------------------------

RefusalT = TypeVar("RefusalT", bound=Exception)


def _difference(expected: Sequence[Event], actual: Sequence[Event]) -> str:
    """Where two event lists first differ, field by field, for a failing ``then``."""
    for number, pair in enumerate(itertools.zip_longest(expected, actual)):
        want, got = pair
        if want == got:
            continue
        if want is None or got is None or type(want) is not type(got):
            return f"event {number}: expected {want!r}, got {got!r}"
        fields = [
            f"  {f.name}: expected {getattr(want, f.name)!r}, got {getattr(got, f.name)!r}"
            for f in attrs.fields(type(want))
            if getattr(want, f.name) != getattr(got, f.name)
        ]
        return f"event {number} ({type(want).__name__}) differs:\n" + "\n".join(fields)
    return "the events are equal"  # pragma: no cover - only called when they differ


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(value)


@final
@attrs.frozen(kw_only=True)
class Scenario:
    """A decider test read as given / when / then over events.

    *Given* the events a ticket was built from (:func:`given`), *when* a command is
    decided (:meth:`when`), *then* these events (:meth:`then`) or this refusal
    (:meth:`then_refused`). Build one with :func:`given`; build it from a loaded ticket
    (``Scenario(desk=desk, ticket=ticket)``) when the events do not matter.

    Attributes:
        desk: the desk whose rules decide.
        history: the events the ticket was built from, oldest first.
        ticket: the ticket they build (``None``: no ticket yet, for an ``OpenTicket``).
        command: the command of :meth:`when` (``None`` until then).
        parent: the loaded parent ticket of a follow-up's ``OpenTicket``.

    >>> from datetime import datetime, timezone
    >>> from ticketflow import Actor, OpenTicket, PerformAction, PermissionDeniedError
    >>> from ticketflow import StatusChanged
    >>> from ticketflow.presets import hosting_portal
    >>> desk = hosting_portal.desk()
    >>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> bob = Actor.agent("bob")
    >>> opened = given(desk).when(OpenTicket(actor=Actor.customer("ann"), at=at,
    ...                                      ticket_id="T-1", subject="Site down"))
    >>> started = opened.then(*opened.decided()).when(
    ...     PerformAction(actor=bob, at=at, action="start"))
    >>> started = started.then(StatusChanged(
    ...     ticket_id="T-1", at=at, actor=bob, version=2, action="start",
    ...     source="open", target="in_progress", category="active"))
    >>> started.ticket.status
    'in_progress'
    >>> started.when(PerformAction(actor=Actor.customer("ann"), at=at, action="close")
    ...              ).then_refused(PermissionDeniedError).code
    'role'
    """

    desk: Desk
    history: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    ticket: Ticket | None = None
    command: Command | None = None
    parent: Ticket | None = None

    def when(self, command: Command, *, parent: Ticket | None = None) -> Scenario:
        """The same scenario, deciding ``command`` (with a follow-up's ``parent``)."""
        return attrs.evolve(self, command=command, parent=parent)

    def _command(self, step: str) -> Command:
        if self.command is None:
            raise InvalidValueError(
                f"{step}() has no command to decide", f"call .when(command) before .{step}()"
            )
        return self.command

    def decided(self) -> tuple[Event, ...]:
        """The events the desk decides for the command (raises its refusal)."""
        return decide(self.desk, self.ticket, self._command("decided"), parent=self.parent)

    def then(self, *expected: Event) -> Scenario:
        """Check that the command causes exactly ``expected``, SLA events included, both
        through :func:`ticketflow.decide` and :func:`ticketflow.handle`.

        Returns:
            The scenario that follows: given the history and these events, no command.

        Raises:
            AssertionError: the events differ (the message shows the first difference).
            InvalidValueError: there is no command (call :meth:`when` first).
        """
        command = self._command("then")
        actual = decide(self.desk, self.ticket, command, parent=self.parent)
        assert tuple(expected) == actual, _difference(expected, actual)
        outcome = handle(self.desk, self.ticket, command, parent=self.parent)
        assert outcome.events == actual, "handle() caused other events than decide()"
        history = (*self.history, *actual)
        if self.ticket is None or self.history:
            assert replay(history) == outcome.ticket, "replaying the events builds another ticket"
        return Scenario(desk=self.desk, history=history, ticket=outcome.ticket)

    def then_refused(self, error: type[RefusalT]) -> RefusalT:
        """Check that the command is refused with ``error`` (by ``decide`` and by
        ``handle``) and that the ticket is left as it was.

        Returns:
            The refusal, to check its message and data.

        Raises:
            AssertionError: the command is accepted, refused with another error, or the
                ticket changed.
            InvalidValueError: there is no command (call :meth:`when` first).
        """
        command = self._command("then_refused")
        before = copy.deepcopy(self.ticket)
        raised: list[RefusalT] = []
        for run in (decide, handle):
            try:
                run(self.desk, self.ticket, command, parent=self.parent)
            except error as refusal:  # another error propagates: the test fails on it
                raised.append(refusal)
            else:
                raise AssertionError(f"{run.__name__}() accepted {command!r}")
        assert before == self.ticket, "the refused command changed the ticket"
        return raised[0]


def given(desk: Desk, *events: Event) -> Scenario:
    """The scenario of a ticket built from ``events`` on ``desk`` (none: no ticket yet).

    >>> from ticketflow.presets import hosting_portal
    >>> given(hosting_portal.desk()).ticket is None
    True
    """
    if not isinstance(desk, Desk):
        raise InvalidTypeError("given(desk, ...)", "a Desk", desk)
    return Scenario(desk=desk, history=events, ticket=replay(events) if events else None)
