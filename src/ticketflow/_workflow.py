"""The declarative workflow: statuses, transitions and reactions, validated when built.

Theory of operation
-------------------
A :class:`Workflow` is data. Its statuses carry a *category* (``new``, ``active``,
``waiting_on_customer``, ``on_hold``, ``resolved``, ``closed``, ``canceled``) so that
policies (SLA, auto-close, reopen) are written once against categories and serve every
workflow. A :class:`Transition` is a named action from some statuses to a target,
allowed to some roles, with declarative requirements; the same action may be declared
more than once for different roles (a customer's *cancel* chains on to *closed*, an
agent's stays *canceled*). A :class:`Reaction` is what a public reply does on its own in
a status (a customer's answer moves a ticket from *waiting on customer* back to work).

Building a workflow checks it whole and raises one :class:`WorkflowDefinitionError`
listing every problem with its fix; once built, the lookups the decider needs are
precomputed dictionaries, so deciding costs a few dictionary probes.

A workflow can also be read from a plain document (a dict, or TOML text) with
:meth:`Workflow.from_document` / :meth:`Workflow.from_toml`; a document is only data and
never executes code.
"""

from __future__ import annotations

import itertools
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final, TypedDict, TypeGuard, TypeVar, final

import attrs

from ticketflow._convert import names, sequence
from ticketflow._durations import (
    Duration,
    check_duration,
    describe,
    duration_from_document,
    duration_to_document,
    is_positive,
)
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    Problem,
    WorkflowDefinitionError,
    quoted,
    quoted_names,
)
from ticketflow._ticket import ANONYMOUS, CUSTOMER, STAFF, SYSTEM, require_role
from ticketflow._vocabulary import (
    AGENT_REPLY,
    CUSTOMER_REPLY,
    REACTION_TRIGGERS,
    SINCE_CUSTOMER_ACTIVITY,
    SINCE_ENTERED,
    TIMER_SINCES,
    Category,
)

_T = TypeVar("_T")

__all__ = [
    "AGENT_REPLY",
    "CUSTOMER_REPLY",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "Category",
    "Reaction",
    "SINCE_CUSTOMER_ACTIVITY",
    "SINCE_ENTERED",
    "Status",
    "Timer",
    "Transition",
    "Workflow",
    "timer_cycle_problems",
    "timer_problems",
]


_CATEGORIES: Final = frozenset(c.value for c in Category)
_TERMINAL_CATEGORIES: Final = frozenset({Category.CLOSED, Category.CANCELED})


def _tuple(value: Iterable[_T], what: str, expected: str) -> tuple[_T, ...]:
    """``value`` as a tuple; what is not iterable is an :class:`InvalidTypeError`.

    The items are checked when the workflow is built, with every other problem.
    """
    try:
        return tuple(value)
    except TypeError:  # not iterable
        raise InvalidTypeError(what, expected, value) from None


def _durations(value: Iterable[Duration]) -> tuple[Duration, ...]:
    return _tuple(value, "a timer's reminders", "an iterable of durations")


def _timers(value: Iterable[Timer]) -> tuple[Timer, ...]:
    return _tuple(value, "a workflow's timers", "an iterable of Timer values")


def _statuses(value: Iterable[Status]) -> tuple[Status, ...]:
    return _tuple(value, "a workflow's statuses", "an iterable of Status values")


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return _tuple(value, "a workflow's transitions", "an iterable of Transition values")


def _reactions(value: Iterable[Reaction]) -> tuple[Reaction, ...]:
    return _tuple(value, "a workflow's reactions", "an iterable of Reaction values")


def _category(value: str) -> str:
    # A Category is a str subclass: store its plain value. Anything that is not a
    # string is kept as given and reported when the workflow is built.
    return str(value) if isinstance(value, str) else value


@final
@attrs.frozen
class Status:
    """A status of a workflow.

    Args:
        name: the identifier used in tickets and events.
        category: one of :class:`Category`; what the status means to policies.
        label: what people see (defaults to the name).
        terminal: no transition leaves it (defaults to ``category == "closed"``);
            only declared reopen reactions may bring a ticket back.
        wake_action: makes it a *scheduled* status: a transition into it must give an
            instant (``PerformAction(until=...)``), and at that instant the desk's
            ``system`` performs this action (seed 002's *Scheduled* tickets).

    >>> Status("closed", Category.CLOSED).terminal
    True
    """

    name: str
    category: str = attrs.field(converter=_category)
    label: str = attrs.field(kw_only=True)
    terminal: bool = attrs.field(kw_only=True)
    wake_action: str | None = attrs.field(default=None, kw_only=True)

    @label.default
    def _label_default(self) -> str:
        return self.name

    @terminal.default
    def _terminal_default(self) -> bool:
        return self.category == Category.CLOSED


@final
@attrs.frozen(kw_only=True)
class Transition:
    """A named action that moves a ticket from one of ``sources`` to ``target``.

    Args:
        action: the action's name (``escalate``, ``resolve``, ...).
        sources: the statuses it may start from.
        target: the status it lands in.
        roles: the roles allowed to perform it.
        label: what a button shows (defaults to the action name).
        requires_reason: the command must give a non-empty reason.
        requires_fields: custom fields that must be set on the ticket.
        requires_assignee: the ticket must be assigned.
        then: follow-on statuses entered in the same outcome, in order.
    """

    action: str
    sources: frozenset[str] = attrs.field(converter=names)
    target: str
    roles: frozenset[str] = attrs.field(converter=names)
    label: str = attrs.field()
    requires_reason: bool = False
    requires_fields: tuple[str, ...] = attrs.field(default=(), converter=sequence)
    requires_assignee: bool = False
    then: tuple[str, ...] = attrs.field(default=(), converter=sequence)

    @label.default
    def _label_default(self) -> str:
        return self.action

    @property
    def has_requirements(self) -> bool:
        """Whether performing it needs a reason, a field or an assignee."""
        return self.requires_reason or bool(self.requires_fields) or self.requires_assignee


@final
@attrs.frozen(kw_only=True)
class Reaction:
    """What a public reply does on its own while the ticket is in one of ``sources``.

    Args:
        on: ``"customer_reply"`` or ``"agent_reply"``.
        sources: the statuses in which the reply triggers it.
        target: the status the ticket moves to. From a terminal status this is a reopen;
            into the status it is in, the ticket re-enters it (its time in the status,
            and so its place in a queue ordered by it, restarts).
        within: for a reopen, how long after closing the reply still reopens the ticket
            (``None``: always). After that the reply is refused and a follow-up ticket
            is needed (seed 002: "replied to for a period of 30 days").
    """

    on: str
    sources: frozenset[str] = attrs.field(converter=names)
    target: str
    within: Duration | None = None


@final
@attrs.frozen(kw_only=True)
class Timer:
    """After a duration in one of ``statuses``, the desk's ``system`` performs ``action``.

    Args:
        name: identifies the timer in events (``StatusChanged.rule``, reminders).
        statuses: the statuses it runs in.
        after: how long: a ``timedelta`` (real time), :class:`CalendarDays`,
            :class:`BusinessTime` or :class:`BusinessDays` (the desk's calendar).
        action: the action performed when it fires; the ``system`` role must be
            allowed to perform it from every status in ``statuses``.
        since: ``"entered"`` (from entering the status) or ``"customer_activity"``
            (restarted by every public reply or action of the requester).
        reminders: leads before the deadline at which a :class:`ReminderSent` event
            tells the requester (e.g. ``BusinessDays(1)``: "closes in 1 business day").
        reason: the reason recorded on the status change (default: says the timer ran
            out and after how long).

    >>> from ticketflow import BusinessDays
    >>> Timer(name="auto-close", statuses={"solved"}, after=BusinessDays(3),
    ...       action="close", since="customer_activity").reason
    'no customer response for 3 business days'
    """

    name: str
    statuses: frozenset[str] = attrs.field(converter=names)
    after: Duration
    action: str
    since: str = SINCE_ENTERED
    reminders: tuple[Duration, ...] = attrs.field(default=(), converter=_durations)
    reason: str = attrs.field()

    @reason.default
    def _reason_default(self) -> str:
        if self.since == SINCE_CUSTOMER_ACTIVITY:
            return f"no customer response for {describe(self.after)}"
        return f"{describe(self.after)} in the status"


_DEFAULT_PRIORITIES: Final = ("low", "normal", "high", "urgent")


@final
@attrs.frozen
class Route:
    """A transition as the decider uses it, compiled once when the workflow is built.

    Attributes:
        transition: the declared transition.
        roles: who may take it (the transition's roles).
        steps: every ``(status, category)`` it enters, in order: its target, then its
            chained follow-on statuses.
        checked: whether it has requirements to check.
        schedules: whether it ends in a scheduled status (one with a ``wake_action``).
    """

    transition: Transition
    roles: frozenset[str]
    steps: tuple[tuple[str, str], ...]
    checked: bool
    schedules: bool


@final
@attrs.frozen(kw_only=True)
class Workflow:
    """Statuses, transitions and reactions, validated as a whole when built.

    Args:
        name: a name for messages and documents.
        statuses: every status; names are unique.
        initial: the status a new ticket starts in.
        transitions: the named actions.
        reactions: what public replies do on their own.
        priorities: the allowed priorities, lowest first.
        default_priority: the priority of a ticket opened without one.
        approval_action: the action a customer's reply performs when it carries
            ``approves_resolution=True`` (``None``: such replies are refused).
        timers: what the desk's ``system`` does after a time in a status.

    Raises:
        WorkflowDefinitionError: listing every problem found, each with its fix.

    >>> wf = Workflow(
    ...     name="tiny",
    ...     statuses=(Status("open", Category.ACTIVE), Status("done", Category.CLOSED)),
    ...     initial="open",
    ...     transitions=(Transition(action="close", sources="open", target="done",
    ...                             roles={"agent"}),),
    ... )
    >>> wf.actions
    ('close',)
    >>> Workflow(name="broken", statuses=(Status("open", Category.ACTIVE),), initial="new",
    ...          transitions=())
    Traceback (most recent call last):
    ...
    ticketflow._errors.WorkflowDefinitionError: invalid workflow: 3 problems
      - workflow 'broken': the initial status 'new' is not a status of the workflow ...
      - status 'open': is a dead end: no transition or reaction leaves it ...
      - workflow 'broken': has no closed, canceled or terminal status, so no ticket ...
    """

    name: str = "workflow"
    statuses: tuple[Status, ...] = attrs.field(converter=_statuses)
    initial: str
    transitions: tuple[Transition, ...] = attrs.field(converter=_transitions)
    reactions: tuple[Reaction, ...] = attrs.field(default=(), converter=_reactions)
    priorities: tuple[str, ...] = attrs.field(default=_DEFAULT_PRIORITIES, converter=sequence)
    default_priority: str = "normal"
    approval_action: str | None = None
    timers: tuple[Timer, ...] = attrs.field(default=(), converter=_timers)

    _status: dict[str, Status] = attrs.field(init=False, eq=False, repr=False)
    _category: dict[str, str] = attrs.field(init=False, eq=False, repr=False)
    _moves: dict[tuple[str, str], tuple[Transition, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _routes: dict[tuple[str, str], tuple[Route, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _reactions: dict[tuple[str, str], Reaction] = attrs.field(init=False, eq=False, repr=False)
    _actions: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    _actions_from: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _timers_in: dict[str, tuple[Timer, ...]] = attrs.field(init=False, eq=False, repr=False)
    _staff_roles: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _check(self)
        if problems:
            raise WorkflowDefinitionError(problems)
        # Every lookup is built in one pass over the parts (linear in their size).
        status = {s.name: s for s in self.statuses}
        category = {s.name: str(s.category) for s in self.statuses}
        moves: dict[tuple[str, str], list[Transition]] = {}
        routes: dict[tuple[str, str], list[Route]] = {}
        by_action: dict[str, list[Transition]] = {}
        for t in self.transitions:
            steps = (t.target, *t.then)
            route = Route(
                transition=t,
                roles=t.roles,
                steps=tuple((step, category[step]) for step in steps),
                checked=t.has_requirements,
                schedules=status[steps[-1]].wake_action is not None,
            )
            by_action.setdefault(t.action, []).append(t)
            for source in sorted(t.sources):
                moves.setdefault((source, t.action), []).append(t)
                routes.setdefault((source, t.action), []).append(route)
        # The actions open from a status, in the order the workflow first declares them.
        actions_from: dict[str, dict[str, None]] = {}
        for action, declared in by_action.items():
            for t in declared:
                for source in t.sources:
                    actions_from.setdefault(source, {})[action] = None
        timers_in: dict[str, list[Timer]] = {}
        for timer in self.timers:
            for name in timer.statuses:
                timers_in.setdefault(name, []).append(timer)
        set_ = object.__setattr__
        set_(self, "_status", status)
        set_(self, "_category", category)
        set_(self, "_moves", {key: tuple(ts) for key, ts in moves.items()})
        set_(self, "_routes", {key: tuple(rs) for key, rs in routes.items()})
        set_(
            self,
            "_reactions",
            {(source, r.on): r for r in self.reactions for source in r.sources},
        )
        set_(self, "_actions", tuple(by_action))
        staff = set(STAFF)
        for t in self.transitions:
            staff.update(t.roles)
        set_(self, "_staff_roles", frozenset(staff - {CUSTOMER, ANONYMOUS}))
        set_(self, "_timers_in", {name: tuple(ts) for name, ts in timers_in.items()})
        set_(self, "_actions_from", {name: tuple(a) for name, a in actions_from.items()})

    # -- lookups used by the decider --------------------------------------------------

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action name, in the order the transitions declare them."""
        return self._actions

    @property
    def staff_roles(self) -> frozenset[str]:
        """The roles that are desk staff: ``agent``, ``system`` and every host-defined
        role a transition names. Any other role (but ``customer``) sees and does
        nothing on this desk.
        """
        return self._staff_roles

    def status(self, name: str) -> Status:
        """The status called ``name``.

        Raises:
            KeyError: when the workflow has no such status.
        """
        return self._status[name]

    def category(self, name: str) -> str:
        """The category of the status called ``name``.

        Raises:
            KeyError: when the workflow has no such status.
        """
        return self._category[name]

    def has_status(self, name: str) -> bool:
        """Whether the workflow has a status called ``name``."""
        return name in self._status

    def transitions_from(self, status: str, action: str) -> tuple[Transition, ...]:
        """The transitions of ``action`` that may start from ``status`` (one per role set)."""
        return self._moves.get((status, action), ())

    def routes_from(self, status: str, action: str) -> tuple[Route, ...]:
        """:meth:`transitions_from`, compiled for the decider (see :class:`Route`)."""
        return self._routes.get((status, action), ())

    def timers_in(self, status: str) -> tuple[Timer, ...]:
        """The timers that run while a ticket is in ``status``."""
        return self._timers_in.get(status, ())

    def actions_from(self, status: str) -> tuple[str, ...]:
        """The actions that may start from ``status``, whoever performs them."""
        return self._actions_from.get(status, ())

    def reaction(self, status: str, on: str) -> Reaction | None:
        """The reaction to a ``on`` reply while in ``status``, if any."""
        return self._reactions.get((status, on))

    # -- documents --------------------------------------------------------------------

    @classmethod
    def from_document(cls, document: object) -> Workflow:
        """Build a workflow from a plain document (the shape :meth:`to_document` writes).

        Every problem, of shape or of meaning, is reported together.

        Raises:
            WorkflowDefinitionError: listing every problem with its fix.

        >>> wf = Workflow.from_document({
        ...     "name": "tiny", "initial": "open",
        ...     "statuses": [{"name": "open", "category": "active"},
        ...                  {"name": "done", "category": "closed"}],
        ...     "transitions": [{"action": "close", "from": ["open"], "to": "done",
        ...                      "roles": ["agent"]}],
        ... })
        >>> wf.to_document() == Workflow.from_document(wf.to_document()).to_document()
        True
        """
        reader = _DocumentReader()
        parts = reader.workflow(document)
        problems = list(reader.problems)
        if parts is None:
            raise WorkflowDefinitionError(problems)
        if problems:
            problems.extend(_check_parts(**parts))
            raise WorkflowDefinitionError(problems)
        return cls(**parts)

    @classmethod
    def from_toml(cls, text: str) -> Workflow:
        """Build a workflow from TOML text; see :meth:`from_document`.

        Raises:
            WorkflowDefinitionError: the text is not TOML (or nests too deeply to
                read), or the document it holds is not a valid workflow.
            InvalidTypeError: ``text`` is not a ``str``.

        >>> wf = Workflow.from_toml('''
        ... name = "tiny"
        ... initial = "open"
        ... statuses = [{name = "open", category = "active"},
        ...             {name = "done", category = "closed"}]
        ... [[transitions]]
        ... action = "close"
        ... from = ["open"]
        ... to = "done"
        ... roles = ["agent"]
        ... ''')
        >>> wf.status("done").terminal
        True
        """
        if type(text) is not str:
            raise InvalidTypeError("a workflow's TOML text", "a str", text)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise WorkflowDefinitionError(
                [Problem("document", f"is not valid TOML ({exc})", "correct the TOML syntax")]
            ) from None
        except ValueError:
            # tomllib turns digits into an int with int(), which refuses more digits than
            # sys.get_int_max_str_digits() (4,300 by default).
            raise WorkflowDefinitionError([_LONG_NUMBER]) from None
        except RecursionError:
            # tomllib parses nested arrays and inline tables recursively.
            raise WorkflowDefinitionError(
                [
                    Problem(
                        "document",
                        "nests arrays or tables too deeply to be read",
                        "write a workflow's values at most a few levels deep",
                    )
                ]
            ) from None
        return cls.from_document(document)

    def to_document(self) -> dict[str, object]:
        """This workflow as a plain, JSON- and TOML-ready document."""
        return {
            "name": self.name,
            "initial": self.initial,
            "priorities": list(self.priorities),
            "default_priority": self.default_priority,
            **({"approval_action": self.approval_action} if self.approval_action else {}),
            "statuses": [
                {
                    "name": s.name,
                    "label": s.label,
                    "category": s.category,
                    "terminal": s.terminal,
                    **({"wake_action": s.wake_action} if s.wake_action else {}),
                }
                for s in self.statuses
            ],
            "transitions": [
                {
                    "action": t.action,
                    "label": t.label,
                    "from": sorted(t.sources),
                    "to": t.target,
                    "roles": sorted(t.roles),
                    "requires_reason": t.requires_reason,
                    "requires_fields": list(t.requires_fields),
                    "requires_assignee": t.requires_assignee,
                    "then": list(t.then),
                }
                for t in self.transitions
            ],
            "reactions": [
                {
                    "on": r.on,
                    "from": sorted(r.sources),
                    "to": r.target,
                    **({"within": duration_to_document(r.within)} if r.within else {}),
                }
                for r in self.reactions
            ],
            "timers": [
                {
                    "name": t.name,
                    "in": sorted(t.statuses),
                    "after": duration_to_document(t.after),
                    "action": t.action,
                    "since": t.since,
                    "reminders": [duration_to_document(lead) for lead in t.reminders],
                    "reason": t.reason,
                }
                for t in self.timers
            ],
        }


_LONG_NUMBER: Final = Problem(
    "document",
    "holds a number with more digits than Python reads from text",
    "write numbers of at most a few digits: no workflow value needs more",
)

# -- validation ------------------------------------------------------------------------
#
# Every check is linear in the size of the definition: the statuses are indexed once by
# name, the transitions once by (action, source), and each problem quotes a bounded
# amount (a few names and a count, values through ``quoted``), so a report of N
# problems is N short lines.

MAX_NAME_LENGTH: Final = 128
"""The longest name a workflow may define (a status, an action, a timer, a priority, a
custom field a transition requires), in characters."""
MAX_TEXT_LENGTH: Final = 1_000
"""The longest label or timer reason a workflow may hold, in characters."""
_NAME_FIX: Final = (
    f"use 1 to {MAX_NAME_LENGTH} printable characters (no control, format or line "
    "separator characters such as a newline, NUL or a zero-width space) with no "
    "leading or trailing whitespace"
)
_TEXT_FIX: Final = (
    f"use at most {MAX_TEXT_LENGTH} printable characters (no control, format or line "
    "separator characters) with no leading or trailing whitespace"
)
_ROLE_FIX: Final = (
    "a role is 1-64 lowercase ASCII letters, digits or '_', starting with a letter "
    "(e.g. 'customer', 'agent', 'support_lead'); it is neither stripped nor lowercased"
)


def _name_fault(value: object, limit: int = MAX_NAME_LENGTH) -> str | None:
    """What is wrong with ``value`` as a name (or, with a larger limit, a label)."""
    if type(value) is not str:
        return f"must be a string, got {type(value).__name__} {quoted(value)}"
    if not value:
        return "is empty"
    if len(value) > limit:
        return f"is {len(value):,} characters long, more than {limit:,}"
    # str.isprintable is False exactly for the control (Cc), format (Cf, e.g. U+200B),
    # line and paragraph separator, private-use and unassigned characters, and for
    # every space but U+0020: one C-speed test for the whole class.
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        name = unicodedata.name(bad, "")
        return f"contains the unprintable character U+{ord(bad):04X}" + (f" {name}" if name else "")
    if value != value.strip():
        return "has leading or trailing whitespace"
    return None


def _order_key(value: object) -> tuple[int, str, str]:
    """Sorts strings first, by themselves, then anything else by its quoted form."""
    return (0, value, "") if type(value) is str else (1, "", quoted(value))


def _order(values: Iterable[_T]) -> list[_T]:
    """``values`` sorted, strings first, without comparing strings with other types.

    A part's names are typed ``str`` but may hold anything when the part was built
    wrongly; the checks report those, so ordering must not compare them with strings.
    """
    return sorted(values, key=_order_key)


def _check(wf: Workflow) -> list[Problem]:
    return _check_parts(
        name=wf.name,
        statuses=wf.statuses,
        initial=wf.initial,
        transitions=wf.transitions,
        reactions=wf.reactions,
        priorities=wf.priorities,
        default_priority=wf.default_priority,
        approval_action=wf.approval_action,
        timers=wf.timers,
    )


def _check_parts(
    *,
    name: str = "workflow",
    statuses: Sequence[Status] = (),
    initial: str = "",
    transitions: Sequence[Transition] = (),
    reactions: Sequence[Reaction] = (),
    priorities: Sequence[str] = _DEFAULT_PRIORITIES,
    default_priority: str = "normal",
    approval_action: str | None = None,
    timers: Sequence[Timer] = (),
) -> list[Problem]:
    """Every problem of a workflow's parts, in a stable order."""
    checker = _Checker(f"workflow {quoted(name)}")
    if (fault := _name_fault(name)) is not None:
        checker.add(checker.where, f"its name {fault}", _NAME_FIX)
    kept_statuses = checker.instances(statuses, Status, "status")
    kept_transitions = checker.instances(transitions, Transition, "transition")
    kept_reactions = checker.instances(reactions, Reaction, "reaction")
    kept_timers = checker.instances(timers, Timer, "timer")
    checker.index(kept_statuses, kept_transitions)
    checker.initial(initial)
    checker.transitions(kept_transitions)
    checker.reactions(kept_reactions)
    checker.graph(initial, kept_transitions, kept_reactions)
    checker.priorities(priorities, default_priority)
    checker.approval(approval_action, kept_transitions)
    checker.timers(kept_timers)
    checker.wake_ups()
    checker.problems.extend(_timer_cycles(kept_timers, checker.system_targets))
    return checker.problems


def timer_problems(workflow: Workflow, timers: Sequence[Timer], owner: str) -> list[Problem]:
    """The problems of ``timers`` run on ``workflow`` (for policies that add timers).

    ``owner`` prefixes each problem's place, e.g. ``"auto-close policy"``.
    """
    checker = _Checker(f"workflow {quoted(workflow.name)}")
    checker.index(workflow.statuses, workflow.transitions)
    checker.timers(checker.instances(timers, Timer, "timer"), owner=owner)
    return checker.problems


def timer_cycle_problems(workflow: Workflow, timers: Iterable[Timer]) -> list[Problem]:
    """The cycles of ``timers`` on ``workflow`` that move a ticket without waiting.

    A timer in status X whose action leads (for the ``system`` role) to Y links X to Y.
    A cycle of such links in which no timer waits a positive duration would move a
    ticket round it at one instant without end, so it is refused when a workflow or a
    desk is built. A timer with a positive duration waits, whatever it is measured
    from: one measured from the customer's activity starts at the later of entering its
    status and that activity, so never before entering. A desk passes its workflow's
    timers together with its policies' (auto-close) timers.

    Args:
        workflow: a built workflow (its transitions say where each action leads).
        timers: the timers to check together.

    Returns:
        One problem per cycle (a strongly connected group of statuses), naming its timers
        and statuses; empty when there is none.

    >>> from ticketflow.presets import support_portal
    >>> timer_cycle_problems(support_portal.WORKFLOW, support_portal.WORKFLOW.timers)
    []
    """

    def targets(status: str, action: str) -> Iterator[str]:
        for route in workflow.routes_from(status, action):
            if SYSTEM in route.roles:
                yield route.steps[-1][0]

    return _timer_cycles(list(timers), targets)


def _timer_cycles(
    timers: Sequence[Timer], targets: Callable[[str, str], Iterable[str]]
) -> list[Problem]:
    """The cycles of non-waiting timers, by Tarjan's strongly connected components
    (iterative, linear in statuses plus timer links)."""
    links: dict[str, list[tuple[str, int]]] = {}
    for number, timer in enumerate(timers):
        if is_positive(timer.after):
            continue
        for status in _order(timer.statuses):
            if type(status) is not str:
                continue
            for target in targets(status, timer.action):
                links.setdefault(status, []).append((target, number))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    problems: list[Problem] = []
    for root in list(links):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, at = work[-1]
            out = links.get(node, [])
            if at < len(out):
                work[-1] = (node, at + 1)
                nxt = out[at][0]
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] != index[node]:
                continue
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            members = set(group)
            inside = sorted({n for s in group for t, n in links.get(s, []) if t in members})
            if len(group) > 1 or inside:
                ordered = [s for s in links if s in members] + [s for s in group if s not in links]
                problems.append(
                    Problem(
                        f"timers {quoted_names(timers[n].name for n in inside)}",
                        f"move a ticket round the statuses {quoted_names(ordered)} without waiting",
                        "give one timer of the cycle a positive duration, so the ticket "
                        "waits in its status before the timer fires",
                    )
                )
    return problems


class _Checker:
    """Collects the problems of a workflow, one aspect per method."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []
        self.statuses: Sequence[Status] = ()
        self.by_name: dict[str, Status] = {}
        # The scheduled statuses (those with a wake_action): only a transition performed
        # with until= may leave a ticket in one.
        self.scheduled: set[str] = set()
        self._listing: str | None = None
        # (action, source) -> the transitions of that action from that source.
        self._moves: dict[tuple[str, str], list[Transition]] = {}

    def add(self, where: str, what: str, fix: str) -> None:
        self.problems.append(Problem(where, what, fix))

    def instances(self, items: Iterable[object], kind: type[_T], noun: str) -> list[_T]:
        """The items that are ``kind``; a problem for each one that is not."""
        kept: list[_T] = []
        for item in items:
            if isinstance(item, kind):
                kept.append(item)
            else:
                self.add(
                    f"a {noun}",
                    f"is not a {kind.__name__}: {quoted(item)}",
                    f"build every {noun} with {kind.__name__}(...)",
                )
        return kept

    def index(self, statuses: Sequence[Status], transitions: Sequence[Transition]) -> None:
        """Check the statuses and index them, and the transitions, for the other checks."""
        self.statuses = statuses
        for s in statuses:
            where = f"status {quoted(s.name)}"
            if type(s.name) is str and not s.name:
                self.add("a status", "has an empty name", "give every status a name")
                continue
            if (fault := _name_fault(s.name)) is not None:
                self.add(where, f"its name {fault}", _NAME_FIX)
                if type(s.name) is not str:
                    continue
            if s.name in self.by_name:
                self.add(where, "is defined twice", "give each status a unique name")
            self.by_name.setdefault(s.name, s)
            if s.label != s.name and (fault := _name_fault(s.label, MAX_TEXT_LENGTH)):
                self.add(where, f"its label {fault}", _TEXT_FIX)
            if type(s.terminal) is not bool:
                self.add(
                    where,
                    f"its terminal flag must be True or False, got {quoted(s.terminal)}",
                    "give terminal=True or terminal=False, or leave it to the category",
                )
            if s.wake_action is not None:
                if (fault := _name_fault(s.wake_action)) is not None:
                    self.add(where, f"its wake action {fault}", _NAME_FIX)
                self.scheduled.add(s.name)
            if type(s.category) is not str or s.category not in _CATEGORIES:
                self.add(
                    where,
                    f"has unknown category {quoted(s.category)}",
                    f"use one of {', '.join(sorted(_CATEGORIES))}",
                )
            elif s.terminal is True and s.category not in _TERMINAL_CATEGORIES:
                self.add(
                    where,
                    f"is terminal but its category is {quoted(s.category)}",
                    "only 'closed' or 'canceled' statuses may be terminal; "
                    "change the category or set terminal=False",
                )
        if not statuses:
            self.add(
                self.where, "has no statuses", "declare at least an initial and a closed status"
            )
        for t in transitions:
            for source in t.sources:
                if type(source) is str and type(t.action) is str:
                    self._moves.setdefault((t.action, source), []).append(t)

    def listing(self) -> str:
        """A few of the workflow's statuses and how many more (computed once)."""
        if self._listing is None:
            self._listing = quoted_names(sorted(self.by_name)) or "(no statuses)"
        return self._listing

    def has(self, status: object) -> TypeGuard[str]:
        """Whether ``status`` names a status of the workflow (so it is a ``str``)."""
        return type(status) is str and status in self.by_name

    def terminal(self, status: object) -> bool:
        return type(status) is str and status in self.by_name and self.by_name[status].terminal

    def known(self, owner: str, status: object, role: str) -> None:
        if not self.has(status):
            kind = f"{role} " if role else ""
            self.add(
                owner,
                f"names unknown {kind}status {quoted(status)}",
                f"declare a status {quoted(status)} or use one of {self.listing()}",
            )

    def initial(self, initial: str) -> None:
        if not self.has(initial):
            self.add(
                self.where,
                f"the initial status {quoted(initial)} is not a status of the workflow",
                f"set initial to one of {self.listing()}",
            )
        elif self.terminal(initial):
            self.add(
                self.where,
                f"the initial status {quoted(initial)} is terminal",
                "start in a working status",
            )

    def transitions(self, transitions: Sequence[Transition]) -> None:
        # (source, action) -> the roles already given a way, to find overlaps in one pass.
        seen_roles: dict[tuple[object, object], set[object]] = {}
        for t in transitions:
            owner = f"transition {quoted(t.action)}"
            if type(t.action) is str and not t.action:
                self.add("a transition", "has an empty action name", "name every action")
            elif (fault := _name_fault(t.action)) is not None:
                self.add(owner, f"its action name {fault}", _NAME_FIX)
            if t.label != t.action and (fault := _name_fault(t.label, MAX_TEXT_LENGTH)):
                self.add(owner, f"its label {fault}", _TEXT_FIX)
            if not t.sources:
                self.add(owner, "has no source statuses", "list the statuses it may start from")
            if not t.roles:
                self.add(owner, "allows no role", "list the roles that may perform it")
            for flag in ("requires_reason", "requires_assignee"):
                if type(value := getattr(t, flag)) is not bool:
                    self.add(
                        owner,
                        f"its {flag} must be True or False, got {quoted(value)}",
                        f"give {flag}=True or {flag}=False",
                    )
            roles = _order(t.roles)
            for role in roles:
                try:
                    require_role("role", role)
                except (InvalidValueError, InvalidTypeError):
                    self.add(owner, f"allows the malformed role {quoted(role)}", _ROLE_FIX)
            if ANONYMOUS in t.roles:
                self.add(
                    owner,
                    "allows the 'anonymous' role, which may do nothing",
                    "remove 'anonymous'; authenticate the actor first",
                )
            for source in _order(t.sources):
                self.known(owner, source, "source")
                if self.terminal(source):
                    self.add(
                        owner,
                        f"leaves terminal status {quoted(source)}",
                        "remove it from the sources; a terminal status is left only "
                        "by a declared reopen reaction",
                    )
                if type(t.action) is not str:  # reported above; cannot be a key
                    continue
                given = seen_roles.setdefault((source, t.action), set())
                shared = [role for role in roles if role in given]
                if shared:
                    self.add(
                        owner,
                        f"is declared twice from {quoted(source)} for roles {quoted_names(shared)}",
                        "give each role at most one way to perform an action from a status",
                    )
                given.update(roles)
            self.known(owner, t.target, "target")
            for step in t.then:
                self.known(owner, step, "follow-on")
            for step in (t.target, *t.then)[:-1]:
                if self.terminal(step):
                    self.add(
                        owner,
                        f"chains on after terminal status {quoted(step)}",
                        "end the chain at the terminal status",
                    )
            for field in t.requires_fields:
                if type(field) is str and not field:
                    self.add(owner, "requires a field with an empty name", "name the field")
                elif (fault := _name_fault(field)) is not None:
                    self.add(owner, f"requires a field whose name {fault}", _NAME_FIX)

    def reactions(self, reactions: Sequence[Reaction]) -> None:
        seen: set[tuple[object, object]] = set()
        for r in reactions:
            owner = f"reaction on {quoted(r.on)}"
            trigger = type(r.on) is str and r.on in REACTION_TRIGGERS
            if not trigger:
                self.add(
                    owner,
                    f"has unknown trigger {quoted(r.on)}",
                    f"use one of {', '.join(REACTION_TRIGGERS)}",
                )
            if not r.sources:
                self.add(owner, "has no source statuses", "list the statuses it applies in")
            for source in _order(r.sources):
                self.known(owner, source, "source")
                if not trigger:  # reported above; cannot be a key
                    continue
                if (source, r.on) in seen:
                    self.add(
                        owner,
                        f"is declared twice for status {quoted(source)}",
                        "keep one reaction per trigger and status",
                    )
                seen.add((source, r.on))
            self.known(owner, r.target, "target")
            if self.has(r.target) and r.target in self.scheduled:
                self.add(
                    owner,
                    f"moves a ticket into the scheduled status {quoted(r.target)}, but a reply "
                    "gives no wake-up instant",
                    "move it into a status without a wake_action: only a transition performed "
                    "with until= may enter a scheduled status",
                )
            if r.within is not None:
                problem = check_duration(owner, r.within, "its reopen window")
                if problem is not None:
                    self.problems.append(problem)
                if not all(self.terminal(source) for source in r.sources):
                    self.add(
                        owner,
                        "has a reopen window but leaves a status that is not terminal",
                        "use 'within' only on reactions from terminal statuses",
                    )

    def graph(
        self, initial: str, transitions: Sequence[Transition], reactions: Sequence[Reaction]
    ) -> None:
        """Reachability, dead ends and the way to a terminal status, over transitions,
        their chains and reactions (timers and wake-ups perform transitions, so their
        ways out are among these)."""
        edges: dict[str, set[str]] = {name: set() for name in self.by_name}
        for t in transitions:
            steps = [s for s in (t.target, *t.then) if type(s) is str]
            for source in t.sources:
                if source in edges and steps:
                    edges[source].add(steps[0])
            for a, b in itertools.pairwise(steps):
                if a in edges:
                    edges[a].add(b)
        for r in reactions:
            for source in r.sources:
                if source in edges and type(r.target) is str:
                    edges[source].add(r.target)
        if self.has(initial):
            reached = {initial}
            frontier = [initial]
            while frontier:
                for nxt in edges.get(frontier.pop(), ()):
                    if nxt in self.by_name and nxt not in reached:
                        reached.add(nxt)
                        frontier.append(nxt)
            for s in self.statuses:
                if self.has(s.name) and s.name not in reached:
                    self.add(
                        f"status {quoted(s.name)}",
                        f"is unreachable from the initial status {quoted(initial)}",
                        "add a transition into it or remove it",
                    )
        for s in self.statuses:
            if self.has(s.name) and not s.terminal and not edges.get(s.name):
                self.add(
                    f"status {quoted(s.name)}",
                    "is a dead end: no transition or reaction leaves it",
                    "add a transition out of it, or mark it terminal if it is a closed status",
                )
        self.closing(edges)

    def closing(self, edges: Mapping[str, set[str]]) -> None:
        """Every status with a way out from which no closing status (terminal, or of a
        closed or canceled category) can be reached: reverse reachability from the
        closing statuses, linear in the edges."""
        terminals = [
            name
            for name, s in self.by_name.items()
            if s.terminal or (type(s.category) is str and s.category in _TERMINAL_CATEGORIES)
        ]
        if not terminals:
            if self.by_name:
                self.add(
                    self.where,
                    "has no closed, canceled or terminal status, so no ticket can ever close",
                    "declare a 'closed' status (or a terminal 'canceled' one) and "
                    "transitions into it",
                )
            return
        into: dict[str, list[str]] = {}
        for source, targets in edges.items():
            for target in targets:
                into.setdefault(target, []).append(source)
        can_close = set(terminals)
        frontier = list(terminals)
        while frontier:
            for earlier in into.get(frontier.pop(), ()):
                if earlier not in can_close:
                    can_close.add(earlier)
                    frontier.append(earlier)
        reported: set[str] = set()
        for s in self.statuses:
            name = s.name
            if (
                self.has(name)
                and name not in can_close
                and name not in reported
                and edges.get(name)  # a dead end is reported as such
            ):
                reported.add(name)
                self.add(
                    f"status {quoted(name)}",
                    "cannot reach a closed, canceled or terminal status: every way out "
                    "of it leads back to statuses that cannot close",
                    "add a transition from it (or from a status it leads to) toward a "
                    "closed or canceled status",
                )

    def priorities(self, priorities: Sequence[str], default_priority: str) -> None:
        if not priorities:
            self.add(self.where, "has no priorities", "list the priorities, lowest first")
        named: list[str] = []
        for priority in priorities:
            if (fault := _name_fault(priority)) is not None:
                self.add(self.where, f"the priority {quoted(priority)} {fault}", _NAME_FIX)
            else:
                named.append(priority)
        if len(set(named)) != len(named):
            self.add(self.where, "lists a priority twice", "list each priority once")
        if priorities and default_priority not in priorities:
            self.add(
                self.where,
                f"the default priority {quoted(default_priority)} is not one of its priorities",
                f"use one of {quoted_names(named) or '(no valid priorities)'}",
            )

    def timers(self, timers: Sequence[Timer], owner: str = "") -> None:
        seen: set[str] = set()
        for timer in timers:
            where = f"{owner} timer {quoted(timer.name)}".strip()
            if type(timer.name) is str and not timer.name:
                self.add(f"{owner} timer".strip(), "has an empty name", "name every timer")
            elif (fault := _name_fault(timer.name)) is not None:
                self.add(where, f"its name {fault}", _NAME_FIX)
            elif timer.name in seen:
                self.add(where, "is defined twice", "give each timer a unique name")
            else:
                seen.add(timer.name)
            if (fault := _name_fault(timer.reason, MAX_TEXT_LENGTH)) is not None:
                self.add(where, f"its reason {fault}", _TEXT_FIX)
            if not timer.statuses:
                self.add(where, "runs in no status", "list the statuses it runs in")
            if timer.since not in TIMER_SINCES:
                self.add(
                    where,
                    f"has unknown since {quoted(timer.since)}",
                    f"use {' or '.join(TIMER_SINCES)}",
                )
            problem = check_duration(where, timer.after, "its wait")
            if problem is not None:
                self.problems.append(problem)
            for lead in timer.reminders:
                problem = check_duration(where, lead, "a reminder's lead")
                if problem is not None:
                    self.problems.append(problem)
            if type(timer.action) is not str:
                self.add(where, f"its action {_name_fault(timer.action)}", _NAME_FIX)
            for status in _order(timer.statuses):
                self.known(where, status, "")
                if self.has(status) and type(timer.action) is str:
                    self.system_route(where, status, timer.action)
                    self.into_scheduled(where, status, timer.action, "a timer")

    def wake_ups(self) -> None:
        for s in self.statuses:
            if type(s.wake_action) is str and self.has(s.name):
                where = f"status {quoted(s.name)}"
                self.system_route(where, s.name, s.wake_action)
                self.into_scheduled(where, s.name, s.wake_action, "a wake-up")

    def into_scheduled(self, where: str, status: str, action: str, performer: str) -> None:
        """The ``system`` role's ``action`` from ``status`` must not end in a scheduled
        status: a timer or a wake-up performs it without a wake-up instant, so the ticket
        would wait there for an instant nobody gave."""
        for last in dict.fromkeys(self.system_targets(status, action)):
            if last in self.scheduled:
                self.add(
                    where,
                    f"performs {quoted(action)} from {quoted(status)}, which moves a ticket "
                    f"into the scheduled status {quoted(last)}, but {performer} gives no "
                    "wake-up instant",
                    "end that action in a status without a wake_action: only a transition "
                    "performed with until= may enter a scheduled status",
                )

    def system_route(self, where: str, status: str, action: str) -> None:
        """The ``system`` role must be able to perform ``action`` from ``status`` unaided."""
        routes = [t for t in self._moves.get((action, status), ()) if SYSTEM in t.roles]
        if not routes:
            self.add(
                where,
                f"performs {quoted(action)} from {quoted(status)}, which the 'system' role "
                "may not do",
                f"add a transition {quoted(action)} from {quoted(status)} with 'system' in "
                "its roles",
            )
        elif any(t.requires_fields or t.requires_assignee for t in routes):
            self.add(
                where,
                f"performs {quoted(action)}, which requires fields or an assignee a timer "
                "cannot give",
                "drop those requirements or use another action",
            )

    def system_targets(self, status: str, action: str) -> Iterator[str]:
        """Where the ``system`` role's ``action`` from ``status`` leaves a ticket."""
        for t in self._moves.get((action, status), ()):
            if SYSTEM in t.roles:
                last = (t.target, *t.then)[-1]
                if self.has(last):
                    yield last

    def approval(self, approval_action: str | None, transitions: Sequence[Transition]) -> None:
        if approval_action is None:
            return
        approving = [t for t in transitions if t.action == approval_action]
        if not approving:
            self.add(
                self.where,
                f"the approval action {quoted(approval_action)} is not an action of the workflow",
                "name an action that customers may perform, or leave it unset",
            )
        elif not any(CUSTOMER in t.roles for t in approving):
            self.add(
                self.where,
                f"customers may not perform the approval action {quoted(approval_action)}",
                "add 'customer' to that transition's roles",
            )
        else:
            ends = {(t.target, *t.then)[-1] for t in approving if CUSTOMER in t.roles}
            for last in _order(ends):
                if self.has(last) and last in self.scheduled:
                    self.add(
                        self.where,
                        f"the approval action {quoted(approval_action)} moves a ticket into "
                        f"the scheduled status {quoted(last)}, but an approving reply gives "
                        "no wake-up instant",
                        "approve into a status without a wake_action: only a transition "
                        "performed with until= may enter a scheduled status",
                    )


# -- documents -------------------------------------------------------------------------


class _Parts(TypedDict):
    name: str
    initial: str
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]
    reactions: tuple[Reaction, ...]
    priorities: tuple[str, ...]
    default_priority: str
    approval_action: str | None
    timers: tuple[Timer, ...]


class _DocumentReader:
    """Reads a workflow document, collecting every shape problem instead of failing fast."""

    _WORKFLOW_KEYS: Final = frozenset(
        {
            "name",
            "initial",
            "statuses",
            "transitions",
            "reactions",
            "priorities",
            "default_priority",
            "approval_action",
            "timers",
        }
    )
    _STATUS_KEYS: Final = frozenset({"name", "category", "label", "terminal", "wake_action"})
    _TIMER_KEYS: Final = frozenset(
        {"name", "in", "after", "action", "since", "reminders", "reason"}
    )
    _TRANSITION_KEYS: Final = frozenset(
        {
            "action",
            "label",
            "from",
            "to",
            "roles",
            "requires_reason",
            "requires_fields",
            "requires_assignee",
            "then",
        }
    )
    _REACTION_KEYS: Final = frozenset({"on", "from", "to", "within"})

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def _problem(self, where: str, what: str, fix: str) -> None:
        self.problems.append(Problem(where, what, fix))

    def _table(
        self, where: str, value: object, keys: frozenset[str]
    ) -> Mapping[str, object] | None:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            self._problem(
                where, f"must be a table of named values, got {quoted(value)}", "write a table"
            )
            return None
        for key in sorted(set(value) - keys):
            self._problem(
                where, f"has unknown key {quoted(key)}", f"use only {', '.join(sorted(keys))}"
            )
        return value

    def _str(
        self, where: str, table: Mapping[str, object], key: str, default: str | None = None
    ) -> str | None:
        value = table.get(key, default)
        if isinstance(value, str):
            return value
        if value is None and key not in table:
            self._problem(where, f"misses {key!r}", f'add {key} = "..."')
        else:
            self._problem(
                where, f"{key!r} must be a string, got {quoted(value)}", "write it as a string"
            )
        return None

    def _bool(self, where: str, table: Mapping[str, object], key: str) -> bool | None:
        value = table.get(key, False)
        if isinstance(value, bool):
            return value
        self._problem(
            where, f"{key!r} must be true or false, got {quoted(value)}", "write true or false"
        )
        return None

    def _strs(
        self, where: str, table: Mapping[str, object], key: str, *, required: bool
    ) -> list[str] | None:
        if key not in table:
            if required:
                self._problem(where, f"misses {key!r}", f'add {key} = ["..."]')
                return None
            return []
        value = table[key]
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        self._problem(
            where,
            f"{key!r} must be a list of strings, got {quoted(value)}",
            "write a list of names",
        )
        return None

    def _list(
        self, where: str, table: Mapping[str, object], key: str, *, required: bool
    ) -> list[object]:
        value = table.get(key)
        if value is None:
            if required:
                self._problem(where, f"misses {key!r}", f"add a list of {key}")
            return []
        if not isinstance(value, list | tuple):
            self._problem(
                where, f"{key!r} must be a list, got {quoted(value)}", f"write {key} as a list"
            )
            return []
        return list(value)

    def workflow(self, document: object) -> _Parts | None:
        table = self._table("document", document, self._WORKFLOW_KEYS)
        if table is None:
            return None
        where = "document"
        name = self._str(where, table, "name", "workflow") or "workflow"
        initial = self._str(where, table, "initial") or ""
        statuses = [
            s
            for i, item in enumerate(self._list(where, table, "statuses", required=True))
            if (s := self._status(i, item)) is not None
        ]
        transitions = [
            t
            for i, item in enumerate(self._list(where, table, "transitions", required=True))
            if (t := self._transition(i, item)) is not None
        ]
        reactions = [
            r
            for i, item in enumerate(self._list(where, table, "reactions", required=False))
            if (r := self._reaction(i, item)) is not None
        ]
        # Only a missing or unreadable value falls back to the default: an empty one is
        # validated as it would be in Python ("has no priorities").
        priorities = self._strs(where, table, "priorities", required=False)
        if priorities is None or "priorities" not in table:
            priorities = list(_DEFAULT_PRIORITIES)
        default_priority = self._str(where, table, "default_priority", "normal")
        if default_priority is None:
            default_priority = "normal"
        approval: str | None = None
        if "approval_action" in table:
            approval = self._str(where, table, "approval_action")
        timers = [
            timer
            for i, item in enumerate(self._list(where, table, "timers", required=False))
            if (timer := self._timer(i, item)) is not None
        ]
        return {
            "name": name,
            "initial": initial,
            "statuses": tuple(statuses),
            "transitions": tuple(transitions),
            "reactions": tuple(reactions),
            "priorities": tuple(priorities),
            "default_priority": default_priority,
            "approval_action": approval,
            "timers": tuple(timers),
        }

    def _status(self, index: int, item: object) -> Status | None:
        where = f"statuses[{index}]"
        table = self._table(where, item, self._STATUS_KEYS)
        if table is None:
            return None
        name = self._str(where, table, "name")
        category = self._str(where, table, "category")
        label = self._str(where, table, "label", name or "")
        terminal: bool | None = None
        if "terminal" in table:
            terminal = self._bool(where, table, "terminal")
            if terminal is None:
                return None
        wake_action: str | None = None
        if "wake_action" in table:
            wake_action = self._str(where, table, "wake_action")
            if wake_action is None:
                return None
        if name is None or category is None or label is None:
            return None
        if terminal is None:
            return Status(name, category, label=label, wake_action=wake_action)
        return Status(name, category, label=label, terminal=terminal, wake_action=wake_action)

    def _transition(self, index: int, item: object) -> Transition | None:
        where = f"transitions[{index}]"
        table = self._table(where, item, self._TRANSITION_KEYS)
        if table is None:
            return None
        action = self._str(where, table, "action")
        target = self._str(where, table, "to")
        label = self._str(where, table, "label", action or "")
        sources = self._strs(where, table, "from", required=True)
        roles = self._strs(where, table, "roles", required=True)
        fields = self._strs(where, table, "requires_fields", required=False)
        then = self._strs(where, table, "then", required=False)
        reason = self._bool(where, table, "requires_reason")
        assignee = self._bool(where, table, "requires_assignee")
        if (
            action is None
            or target is None
            or label is None
            or sources is None
            or roles is None
            or fields is None
            or then is None
            or reason is None
            or assignee is None
        ):
            return None
        return Transition(
            action=action,
            label=label,
            sources=sources,
            target=target,
            roles=roles,
            requires_reason=reason,
            requires_fields=fields,
            requires_assignee=assignee,
            then=then,
        )

    def _reaction(self, index: int, item: object) -> Reaction | None:
        where = f"reactions[{index}]"
        table = self._table(where, item, self._REACTION_KEYS)
        if table is None:
            return None
        on = self._str(where, table, "on")
        target = self._str(where, table, "to")
        sources = self._strs(where, table, "from", required=True)
        within: Duration | None = None
        if "within" in table:
            within = self._duration(where, table, "within")
            if within is None:
                return None
        if on is None or target is None or sources is None:
            return None
        return Reaction(on=on, sources=sources, target=target, within=within)

    def _duration(self, where: str, table: Mapping[str, object], key: str) -> Duration | None:
        read = duration_from_document(table.get(key))
        if isinstance(read, str):
            self._problem(f"{where}.{key}", read, "write e.g. {business_days = 3} or {hours = 72}")
            return None
        return read

    def _timer(self, index: int, item: object) -> Timer | None:
        where = f"timers[{index}]"
        table = self._table(where, item, self._TIMER_KEYS)
        if table is None:
            return None
        name = self._str(where, table, "name")
        action = self._str(where, table, "action")
        since = self._str(where, table, "since", SINCE_ENTERED)
        statuses = self._strs(where, table, "in", required=True)
        after = self._duration(where, table, "after")
        reminders: list[Duration] = []
        for i, lead in enumerate(self._list(where, table, "reminders", required=False)):
            read = duration_from_document(lead)
            if isinstance(read, str):
                self._problem(f"{where}.reminders[{i}]", read, "write e.g. {business_days = 1}")
            else:
                reminders.append(read)
        reason: str | None = None
        if "reason" in table:
            reason = self._str(where, table, "reason")
            if reason is None:
                return None
        if name is None or action is None or since is None or statuses is None or after is None:
            return None
        if reason is None:
            return Timer(
                name=name,
                statuses=statuses,
                after=after,
                action=action,
                since=since,
                reminders=reminders,
            )
        return Timer(
            name=name,
            statuses=statuses,
            after=after,
            action=action,
            since=since,
            reminders=reminders,
            reason=reason,
        )
