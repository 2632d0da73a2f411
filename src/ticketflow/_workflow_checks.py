"""The checks of a workflow's parts: every problem, each with its fix, in one pass.

Theory of operation
-------------------
:func:`workflow_problems` judges a workflow's parts whole and returns every problem
found, in a stable order; the workflow raises them together as one
:class:`WorkflowDefinitionError`. A :class:`_Checker` indexes the statuses once by name
and the transitions once by ``(action, source)``, then each method checks one aspect
(names, transitions, reactions, reachability, priorities, approval, timers, wake-ups).
Every check is linear in the size of the definition, and each problem quotes a bounded
amount (a few names and a count, values through ``quoted``), so a report of N problems
is N short lines. A part typed ``str`` may hold anything when it was built wrongly, so
the checks test types before they compare or index.

Policies that add timers to a built workflow have them checked here too
(:func:`added_timer_problems`, :func:`timer_cycles`), through ``timer_problems`` and
``timer_cycle_problems`` of ``_workflow``, which take the built workflow.

Dependencies flow one way: this module checks the values of ``_workflow_parts`` and
imports nothing of ``_workflow_documents`` or ``_workflow``; ``_workflow`` calls it when a
workflow is built.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final, TypeGuard, TypeVar

from ticketflow._durations import check_duration, is_positive
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    Problem,
    quoted,
    quoted_names,
)
from ticketflow._ticket import require_role
from ticketflow._vocabulary import (
    ANONYMOUS,
    CUSTOMER,
    REACTION_TRIGGERS,
    SYSTEM,
    TIMER_SINCES,
    Category,
)
from ticketflow._workflow_parts import Reaction, Status, Timer, Transition

_T = TypeVar("_T")

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "added_timer_problems",
    "timer_cycles",
    "workflow_problems",
]

_CATEGORIES: Final = frozenset(c.value for c in Category)
_TERMINAL_CATEGORIES: Final = frozenset({Category.CLOSED, Category.CANCELED})

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


def workflow_problems(
    *,
    name: str,
    statuses: Sequence[Status],
    initial: str,
    transitions: Sequence[Transition],
    reactions: Sequence[Reaction],
    priorities: Sequence[str],
    default_priority: str,
    approval_action: str | None,
    timers: Sequence[Timer],
    paths: Mapping[str, Sequence[int]] | None = None,
    unread: frozenset[str] | None = None,
) -> list[Problem]:
    """Every problem of a workflow's parts, in a stable order (empty: the parts are valid).

    Built in Python, a part is placed by its name (``status 'on_hold'``), which is what
    its author wrote. Read from a document, ``paths`` maps ``statuses``,
    ``transitions``, ``reactions`` and ``timers`` to the document index of each part
    (a part with a shape problem is left out of the parts, so the two can differ), and
    every problem is placed at its path in the document (``statuses[2].category``,
    ``transitions[9].roles``, ``initial``).

    ``unread`` is ``None`` when every status, transition and reaction was read; else
    the names of the statuses a document's shape problems left out. Then only the
    checks that do not depend on what is missing run: a reference to an unread status
    is not unknown, and reachability, dead ends and the way to a closed status (which
    need every status and move) are not judged.

    >>> from ticketflow import Category, Status
    >>> [p.what for p in workflow_problems(
    ...     name="tiny", statuses=(Status("open", Category.ACTIVE),), initial="open",
    ...     transitions=(), reactions=(), priorities=("normal",), default_priority="normal",
    ...     approval_action=None, timers=())]  # doctest: +NORMALIZE_WHITESPACE
    ['is a dead end: no transition or reaction leaves it',
     'has no closed, canceled or terminal status, so no ticket can ever close']
    """
    checker = _Checker(f"workflow {quoted(name)}", paths, unread)
    if (fault := _name_fault(name)) is not None:
        checker.add(checker.top("name"), f"its name {fault}", _NAME_FIX)
    kept_statuses = checker.instances(statuses, Status, "status")
    kept_transitions = checker.instances(transitions, Transition, "transition")
    kept_reactions = checker.instances(reactions, Reaction, "reaction")
    kept_timers = checker.instances(timers, Timer, "timer")
    checker.index(kept_statuses, kept_transitions)
    checker.initial(initial)
    checker.transitions(kept_transitions)
    checker.reactions(kept_reactions)
    if unread is None:
        checker.graph(initial, kept_transitions, kept_reactions)
    checker.priorities(priorities, default_priority)
    checker.approval(approval_action, kept_transitions)
    checker.timers(kept_timers)
    checker.wake_ups()
    checker.problems.extend(timer_cycles(kept_timers, checker.system_targets))
    return checker.problems


def added_timer_problems(
    *,
    name: str,
    statuses: Sequence[Status],
    transitions: Sequence[Transition],
    timers: Sequence[Timer],
    owner: str,
) -> list[Problem]:
    """The problems of ``timers`` run on a valid workflow's parts (for policies that add
    timers); ``owner`` prefixes each problem's place, e.g. ``"auto-close policy"``."""
    checker = _Checker(f"workflow {quoted(name)}")
    checker.index(statuses, transitions)
    checker.timers(checker.instances(timers, Timer, "timer"), owner=owner)
    return checker.problems


def timer_cycles(
    timers: Sequence[Timer], targets: Callable[[str, str], Iterable[str]]
) -> list[Problem]:
    """The cycles of non-waiting timers, by Tarjan's strongly connected components
    (iterative, linear in statuses plus timer links).

    ``targets(status, action)`` says where the ``system`` role's ``action`` from
    ``status`` leaves a ticket.
    """
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

    def __init__(
        self,
        where: str,
        paths: Mapping[str, Sequence[int]] | None = None,
        unread: frozenset[str] | None = None,
    ) -> None:
        self.where = where
        self.unread = unread or frozenset()
        # Read from a document: each kind of part's document indices (see
        # workflow_problems); None: built in Python, parts are placed by name.
        self.paths = paths
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

    def part(self, kind: str, number: int, named: str) -> str:
        """Where the ``number``-th part of ``kind`` is: its path in the document
        (``statuses[2]``), or ``named`` (``status 'on_hold'``) for a Python workflow."""
        if self.paths is None:
            return named
        return f"{kind}[{self.paths[kind][number]}]"

    def at(self, place: str, key: str) -> str:
        """The ``key`` of the part at ``place``: its path in a document
        (``statuses[2].category``); a Python workflow's place names the part alone."""
        return place if self.paths is None else f"{place}.{key}"

    def top(self, key: str) -> str:
        """The workflow's own ``key``: its path in a document (``initial``), or the
        workflow (``workflow 'support'``)."""
        return self.where if self.paths is None else key

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
        for number, s in enumerate(statuses):
            where = self.part("statuses", number, f"status {quoted(s.name)}")
            if type(s.name) is str and not s.name:
                self.add(
                    "a status" if self.paths is None else self.at(where, "name"),
                    "has an empty name",
                    "give every status a name",
                )
                continue
            if (fault := _name_fault(s.name)) is not None:
                self.add(self.at(where, "name"), f"its name {fault}", _NAME_FIX)
                if type(s.name) is not str:
                    continue
            if s.name in self.by_name:
                self.add(
                    self.at(where, "name"), "is defined twice", "give each status a unique name"
                )
            self.by_name.setdefault(s.name, s)
            if s.label != s.name and (fault := _name_fault(s.label, MAX_TEXT_LENGTH)):
                self.add(self.at(where, "label"), f"its label {fault}", _TEXT_FIX)
            if type(s.terminal) is not bool:
                self.add(
                    self.at(where, "terminal"),
                    f"its terminal flag must be True or False, got {quoted(s.terminal)}",
                    "give terminal=True or terminal=False, or leave it to the category",
                )
            if s.wake_action is not None:
                if (fault := _name_fault(s.wake_action)) is not None:
                    self.add(self.at(where, "wake_action"), f"its wake action {fault}", _NAME_FIX)
                self.scheduled.add(s.name)
            if type(s.category) is not str or s.category not in _CATEGORIES:
                self.add(
                    self.at(where, "category"),
                    f"has unknown category {quoted(s.category)}",
                    f"use one of {', '.join(sorted(_CATEGORIES))}",
                )
            elif s.terminal is True and s.category not in _TERMINAL_CATEGORIES:
                self.add(
                    self.at(where, "terminal"),
                    f"is terminal but its category is {quoted(s.category)}",
                    "only 'closed' or 'canceled' statuses may be terminal; "
                    "change the category or set terminal=False",
                )
        if not statuses:
            self.add(
                self.top("statuses"),
                "has no statuses",
                "declare at least an initial and a closed status",
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

    def is_unread(self, status: object) -> bool:
        """Whether ``status`` names a status a document's shape problems left out."""
        return type(status) is str and status in self.unread

    def terminal(self, status: object) -> bool:
        return type(status) is str and status in self.by_name and self.by_name[status].terminal

    def known(self, owner: str, status: object, role: str) -> None:
        if not self.has(status) and not self.is_unread(status):
            kind = f"{role} " if role else ""
            self.add(
                owner,
                f"names unknown {kind}status {quoted(status)}",
                f"declare a status {quoted(status)} or use one of {self.listing()}",
            )

    def initial(self, initial: str) -> None:
        if self.is_unread(initial):
            return
        if not self.has(initial):
            self.add(
                self.top("initial"),
                f"the initial status {quoted(initial)} is not a status of the workflow",
                f"set initial to one of {self.listing()}",
            )
        elif self.terminal(initial):
            self.add(
                self.top("initial"),
                f"the initial status {quoted(initial)} is terminal",
                "start in a working status",
            )

    def transitions(self, transitions: Sequence[Transition]) -> None:
        # (source, action) -> the roles already given a way, to find overlaps in one pass.
        seen_roles: dict[tuple[object, object], set[object]] = {}
        for number, t in enumerate(transitions):
            owner = self.part("transitions", number, f"transition {quoted(t.action)}")
            if type(t.action) is str and not t.action:
                self.add(
                    "a transition" if self.paths is None else self.at(owner, "action"),
                    "has an empty action name",
                    "name every action",
                )
            elif (fault := _name_fault(t.action)) is not None:
                self.add(self.at(owner, "action"), f"its action name {fault}", _NAME_FIX)
            if t.label != t.action and (fault := _name_fault(t.label, MAX_TEXT_LENGTH)):
                self.add(self.at(owner, "label"), f"its label {fault}", _TEXT_FIX)
            if not t.sources:
                self.add(
                    self.at(owner, "from"),
                    "has no source statuses",
                    "list the statuses it may start from",
                )
            if not t.roles:
                self.add(
                    self.at(owner, "roles"), "allows no role", "list the roles that may perform it"
                )
            for flag in ("requires_reason", "requires_assignee"):
                if type(value := getattr(t, flag)) is not bool:
                    self.add(
                        self.at(owner, flag),
                        f"its {flag} must be True or False, got {quoted(value)}",
                        f"give {flag}=True or {flag}=False",
                    )
            roles = _order(t.roles)
            for role in roles:
                try:
                    require_role("role", role)
                except (InvalidValueError, InvalidTypeError):
                    self.add(
                        self.at(owner, "roles"),
                        f"allows the malformed role {quoted(role)}",
                        _ROLE_FIX,
                    )
            if ANONYMOUS in t.roles:
                self.add(
                    self.at(owner, "roles"),
                    "allows the 'anonymous' role, which may do nothing",
                    "remove 'anonymous'; authenticate the actor first",
                )
            for source in _order(t.sources):
                self.known(self.at(owner, "from"), source, "source")
                if self.terminal(source):
                    self.add(
                        self.at(owner, "from"),
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
                        self.at(owner, "from"),
                        f"is declared twice from {quoted(source)} for roles {quoted_names(shared)}",
                        "give each role at most one way to perform an action from a status",
                    )
                given.update(roles)
            self.known(self.at(owner, "to"), t.target, "target")
            for step in t.then:
                self.known(self.at(owner, "then"), step, "follow-on")
            for step in (t.target, *t.then)[:-1]:
                if self.terminal(step):
                    self.add(
                        self.at(owner, "then"),
                        f"chains on after terminal status {quoted(step)}",
                        "end the chain at the terminal status",
                    )
            for field in t.requires_fields:
                if type(field) is str and not field:
                    self.add(
                        self.at(owner, "requires_fields"),
                        "requires a field with an empty name",
                        "name the field",
                    )
                elif (fault := _name_fault(field)) is not None:
                    self.add(
                        self.at(owner, "requires_fields"),
                        f"requires a field whose name {fault}",
                        _NAME_FIX,
                    )

    def reactions(self, reactions: Sequence[Reaction]) -> None:
        seen: set[tuple[object, object]] = set()
        for number, r in enumerate(reactions):
            owner = self.part("reactions", number, f"reaction on {quoted(r.on)}")
            trigger = type(r.on) is str and r.on in REACTION_TRIGGERS
            if not trigger:
                self.add(
                    self.at(owner, "on"),
                    f"has unknown trigger {quoted(r.on)}",
                    f"use one of {', '.join(REACTION_TRIGGERS)}",
                )
            if not r.sources:
                self.add(
                    self.at(owner, "from"),
                    "has no source statuses",
                    "list the statuses it applies in",
                )
            for source in _order(r.sources):
                self.known(self.at(owner, "from"), source, "source")
                if not trigger:  # reported above; cannot be a key
                    continue
                if (source, r.on) in seen:
                    self.add(
                        self.at(owner, "from"),
                        f"is declared twice for status {quoted(source)}",
                        "keep one reaction per trigger and status",
                    )
                seen.add((source, r.on))
            self.known(self.at(owner, "to"), r.target, "target")
            if self.has(r.target) and r.target in self.scheduled:
                self.add(
                    self.at(owner, "to"),
                    f"moves a ticket into the scheduled status {quoted(r.target)}, but a reply "
                    "gives no wake-up instant",
                    "move it into a status without a wake_action: only a transition performed "
                    "with until= may enter a scheduled status",
                )
            if r.within is not None:
                problem = check_duration(self.at(owner, "within"), r.within, "its reopen window")
                if problem is not None:
                    self.problems.append(problem)
                if not all(self.terminal(source) for source in r.sources):
                    self.add(
                        self.at(owner, "within"),
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
            for number, s in enumerate(self.statuses):
                if self.has(s.name) and s.name not in reached:
                    self.add(
                        self.part("statuses", number, f"status {quoted(s.name)}"),
                        f"is unreachable from the initial status {quoted(initial)}",
                        "add a transition into it or remove it",
                    )
        for number, s in enumerate(self.statuses):
            if self.has(s.name) and not s.terminal and not edges.get(s.name):
                self.add(
                    self.part("statuses", number, f"status {quoted(s.name)}"),
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
                    self.top("statuses"),
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
        for number, s in enumerate(self.statuses):
            name = s.name
            if (
                self.has(name)
                and name not in can_close
                and name not in reported
                and edges.get(name)  # a dead end is reported as such
            ):
                reported.add(name)
                self.add(
                    self.part("statuses", number, f"status {quoted(name)}"),
                    "cannot reach a closed, canceled or terminal status: every way out "
                    "of it leads back to statuses that cannot close",
                    "add a transition from it (or from a status it leads to) toward a "
                    "closed or canceled status",
                )

    def priorities(self, priorities: Sequence[str], default_priority: str) -> None:
        if not priorities:
            self.add(
                self.top("priorities"), "has no priorities", "list the priorities, lowest first"
            )
        named: list[str] = []
        for priority in priorities:
            if (fault := _name_fault(priority)) is not None:
                self.add(
                    self.top("priorities"), f"the priority {quoted(priority)} {fault}", _NAME_FIX
                )
            else:
                named.append(priority)
        if len(set(named)) != len(named):
            self.add(self.top("priorities"), "lists a priority twice", "list each priority once")
        if priorities and default_priority not in priorities:
            self.add(
                self.top("default_priority"),
                f"the default priority {quoted(default_priority)} is not one of its priorities",
                f"use one of {quoted_names(named) or '(no valid priorities)'}",
            )

    def timers(self, timers: Sequence[Timer], owner: str = "") -> None:
        seen: set[str] = set()
        # A policy's added timers are not in the document: placed by name.
        placed = self.paths is not None and not owner
        for number, timer in enumerate(timers):
            where = f"{owner} timer {quoted(timer.name)}".strip()
            if placed:
                where = self.part("timers", number, where)

            def at(key: str, where: str = where) -> str:
                return self.at(where, key) if placed else where

            if type(timer.name) is str and not timer.name:
                self.add(
                    at("name") if placed else f"{owner} timer".strip(),
                    "has an empty name",
                    "name every timer",
                )
            elif (fault := _name_fault(timer.name)) is not None:
                self.add(at("name"), f"its name {fault}", _NAME_FIX)
            elif timer.name in seen:
                self.add(at("name"), "is defined twice", "give each timer a unique name")
            else:
                seen.add(timer.name)
            if (fault := _name_fault(timer.reason, MAX_TEXT_LENGTH)) is not None:
                self.add(at("reason"), f"its reason {fault}", _TEXT_FIX)
            if not timer.statuses:
                self.add(at("in"), "runs in no status", "list the statuses it runs in")
            if timer.since not in TIMER_SINCES:
                self.add(
                    at("since"),
                    f"has unknown since {quoted(timer.since)}",
                    f"use {' or '.join(TIMER_SINCES)}",
                )
            problem = check_duration(at("after"), timer.after, "its wait")
            if problem is not None:
                self.problems.append(problem)
            for lead in timer.reminders:
                problem = check_duration(at("reminders"), lead, "a reminder's lead")
                if problem is not None:
                    self.problems.append(problem)
            if type(timer.action) is not str:
                self.add(at("action"), f"its action {_name_fault(timer.action)}", _NAME_FIX)
            for status in _order(timer.statuses):
                self.known(at("in"), status, "")
                if self.has(status) and type(timer.action) is str:
                    self.system_route(at("action"), status, timer.action)
                    self.into_scheduled(at("action"), status, timer.action, "a timer")

    def wake_ups(self) -> None:
        for number, s in enumerate(self.statuses):
            if type(s.wake_action) is str and self.has(s.name):
                where = self.at(
                    self.part("statuses", number, f"status {quoted(s.name)}"), "wake_action"
                )
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
                self.top("approval_action"),
                f"the approval action {quoted(approval_action)} is not an action of the workflow",
                "name an action that customers may perform, or leave it unset",
            )
        elif not any(CUSTOMER in t.roles for t in approving):
            self.add(
                self.top("approval_action"),
                f"customers may not perform the approval action {quoted(approval_action)}",
                "add 'customer' to that transition's roles",
            )
        else:
            ends = {(t.target, *t.then)[-1] for t in approving if CUSTOMER in t.roles}
            for last in _order(ends):
                if self.has(last) and last in self.scheduled:
                    self.add(
                        self.top("approval_action"),
                        f"the approval action {quoted(approval_action)} moves a ticket into "
                        f"the scheduled status {quoted(last)}, but an approving reply gives "
                        "no wake-up instant",
                        "approve into a status without a wake_action: only a transition "
                        "performed with until= may enter a scheduled status",
                    )
