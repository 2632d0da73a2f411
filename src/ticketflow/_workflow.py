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

Dependencies flow one way: the parts are defined in ``_workflow_parts``, checked by
``_workflow_checks`` and read from and written to documents by ``_workflow_documents``;
this module builds on all three, and none of them imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, final

import attrs

from ticketflow._checks import sequence
from ticketflow._errors import Problem, WorkflowDefinitionError
from ticketflow._vocabulary import ANONYMOUS, CUSTOMER, STAFF, SYSTEM
from ticketflow._workflow_checks import added_timer_problems, timer_cycles, workflow_problems
from ticketflow._workflow_documents import read_placed, read_toml, unread, write_document
from ticketflow._workflow_parts import (
    DEFAULT_PRIORITIES,
    Reaction,
    Route,
    Status,
    Timer,
    Transition,
    WorkflowParts,
    tuple_of,
)

__all__ = ["Workflow", "WorkflowRead", "read_workflow", "timer_cycle_problems", "timer_problems"]


def _timers(value: Iterable[Timer]) -> tuple[Timer, ...]:
    return tuple_of(value, "a workflow's timers", "an iterable of Timer values")


def _statuses(value: Iterable[Status]) -> tuple[Status, ...]:
    return tuple_of(value, "a workflow's statuses", "an iterable of Status values")


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple_of(value, "a workflow's transitions", "an iterable of Transition values")


def _reactions(value: Iterable[Reaction]) -> tuple[Reaction, ...]:
    return tuple_of(value, "a workflow's reactions", "an iterable of Reaction values")


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

    >>> from ticketflow import Category, Status, Transition
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
    priorities: tuple[str, ...] = attrs.field(default=DEFAULT_PRIORITIES, converter=sequence)
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
    _route_by_role: dict[tuple[str, str, str], Route] = attrs.field(
        init=False, eq=False, repr=False
    )
    _reactions: dict[tuple[str, str], Reaction] = attrs.field(init=False, eq=False, repr=False)
    _actions: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    _actions_from: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _timers_in: dict[str, tuple[Timer, ...]] = attrs.field(init=False, eq=False, repr=False)
    _staff_roles: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = workflow_problems(**self._parts())
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
        # Each role's route, read from the routes above: the first one naming the role.
        by_role: dict[tuple[str, str, str], Route] = {}
        for (source, action), declared_routes in routes.items():
            for route in declared_routes:
                for role in route.roles:
                    by_role.setdefault((source, action, role), route)
        set_(self, "_route_by_role", by_role)
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

    def route(self, status: str, action: str, role: str) -> Route | None:
        """The route ``role`` takes for ``action`` from ``status``: the first of
        :meth:`routes_from` that names the role, or ``None`` when none does."""
        return self._route_by_role.get((status, action, role))

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
        read = read_workflow(document)
        if read.workflow is None:
            raise WorkflowDefinitionError(read.problems)
        return read.workflow

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
        return cls.from_document(read_toml(text))

    def to_document(self) -> dict[str, object]:
        """This workflow as a plain, JSON- and TOML-ready document."""
        return write_document(self._parts())

    def _parts(self) -> WorkflowParts:
        """The arguments this workflow was built from."""
        return {
            "name": self.name,
            "initial": self.initial,
            "statuses": self.statuses,
            "transitions": self.transitions,
            "reactions": self.reactions,
            "priorities": self.priorities,
            "default_priority": self.default_priority,
            "approval_action": self.approval_action,
            "timers": self.timers,
        }


def timer_problems(workflow: Workflow, timers: Sequence[Timer], owner: str) -> list[Problem]:
    """The problems of ``timers`` run on ``workflow`` (for policies that add timers).

    ``owner`` prefixes each problem's place, e.g. ``"auto-close policy"``.
    """
    return added_timer_problems(
        name=workflow.name,
        statuses=workflow.statuses,
        transitions=workflow.transitions,
        timers=timers,
        owner=owner,
    )


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

    return timer_cycles(list(timers), targets)


def read_workflow(document: object) -> WorkflowRead:
    """The workflow a document holds, or ``None`` and every problem, each at its path.

    Shape problems are placed by the reader (``statuses[2].name``); a workflow with shape
    problems is still checked for meaning on the parts that did read, and those problems
    too are placed at their path in the document (``transitions[9].from``), where a
    workflow built in Python names its parts instead.

    >>> read = read_workflow({"initial": "open", "transitions": [],
    ...     "statuses": [{"name": "open", "category": "opne"}]})
    >>> read.workflow, [p.where for p in read.shape], [p.where for p in read.meaning][:1]
    (None, [], ['statuses[0].category'])
    """
    parts, shape, paths = read_placed(document)
    if parts is None:
        return WorkflowRead(None, shape, [], ())
    transitions = tuple(zip(paths["transitions"], parts["transitions"], strict=True))
    if not shape:
        try:
            return WorkflowRead(Workflow(**parts), [], [], transitions)
        except WorkflowDefinitionError:
            pass  # placed by name: checked again below, placed by path
    meaning = workflow_problems(**parts, paths=paths, unread=unread(document, paths))
    return WorkflowRead(None, shape, meaning, transitions)


class WorkflowRead(NamedTuple):
    """What :func:`read_workflow` found in a document."""

    workflow: Workflow | None
    """The workflow, when the document holds one without a problem."""
    shape: list[Problem]
    """The problems of the document's shape (a missing key, a wrong type)."""
    meaning: list[Problem]
    """The problems of what did read (an unknown status, an unreachable one)."""
    transitions: tuple[tuple[int, Transition], ...]
    """Each transition that read, with its index in the document, for checks of a
    whole desk that place a transition's problem (``workflow.transitions[9].roles``)."""

    @property
    def problems(self) -> list[Problem]:
        """Every problem, shape first."""
        return self.shape + self.meaning
