"""Desk documents: a whole desk as one plain document (TOML or JSON), read and written.

Theory of operation
-------------------
A desk document holds a desk's parts under the names of :class:`~ticketflow.Desk`'s
fields: ``workflow``, ``calendar``, ``calendars`` (named calendars an SLA policy or a
metric counts on), ``roles``, ``sla``, ``auto_close``, ``escalation``,
``notifications`` and ``intake``. Inside each part the keys are the Python field names
too, except where Python cannot use the document's word (a workflow's ``from``, ``to``
and ``in``; see ``docs/desks.md``).

Reading runs in three rounds, and every problem of every round is reported together
in one :class:`~ticketflow.DeskDefinitionError`:

1. :func:`~ticketflow._shapes.guard` checks the whole document's size (depth, number of
   values, length of text) first, and refuses an absurd one at once, alone;
2. :data:`DESK` checks its shape: every key known, every value of the right type and
   size; each problem has its path (``sla.metrics[1].targets.high``);
3. each part whose shape is right is built, its own definition errors kept with their
   places under the part's path (``workflow.statuses[2].category``: the workflow's
   checks are given each part's document index); a workflow with shape problems is
   still checked for meaning on what did read. Then the desk's own cross-checks run
   (``Desk(...)``) on the parts no problem lies in (:func:`sound`), beside the other
   problems; without a workflow, only the role names of the transitions that read.

The checks say their fixes in Python; :func:`in_document` rewrites the Python
constructs they name (``Desk(roles=[Role('x'), ...])``, ``terminal=False``) as a
document writes them, once for every problem reported for a document.

A document is only data: nothing in it is evaluated, imported or called. Writing is the
inverse: :func:`write_document` gives the plain, JSON- and TOML-ready document (no
``None``, string keys, lists for sets) that reads back into an equal desk.

Dependencies: the policies' modules, the workflow and calendar documents and the
shapes; ``_desk`` imports this module (``Desk.from_document`` and friends), so this
module returns a desk's constructor arguments and never imports ``_desk``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Final, TypedDict, TypeVar, cast

from ticketflow._autoclose import AutoClose, AutoClosePolicy
from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_documents import CALENDAR
from ticketflow._durations import (
    BusinessTime,
    Duration,
    describe,
    duration_from_document,
    duration_to_document,
)
from ticketflow._errors import (
    DefinitionError,
    DeskDefinitionError,
    InvalidTypeError,
    InvalidValueError,
    Problem,
    TicketflowError,
    quoted,
    quoted_names,
)
from ticketflow._escalation import EscalationPolicy, SupportTiers, Tier
from ticketflow._intake import Intake
from ticketflow._notifications import NotificationPolicy, NotificationRule
from ticketflow._roles import Role
from ticketflow._shapes import (
    Choice,
    Either,
    Integer,
    Key,
    Limits,
    ListOf,
    MapOf,
    Names,
    Number,
    Table,
    Text,
    guard,
    json_schema,
    key_path,
    read,
)
from ticketflow._sla_metric import MAX_WARNINGS, Metric
from ticketflow._sla_policy import SlaPolicy
from ticketflow._vocabulary import (
    NEW_CYCLE,
    RESUME,
    SINCE_CUSTOMER_ACTIVITY,
    STAFF_POWERS,
    TIMER_SINCES,
)
from ticketflow._workflow import Workflow, read_workflow
from ticketflow._workflow_documents import DURATION, WORKFLOW
from ticketflow._workflow_parts import Transition

__all__ = [
    "DESK",
    "DESK_SCHEMA",
    "LIMITS",
    "MAX_TEXT",
    "SCHEMA_ID",
    "DeskParts",
    "desk_schema",
    "in_document",
    "placed",
    "sound",
    "ReadTransitions",
    "read_document",
    "read_toml",
    "write_document",
]

LIMITS: Final = Limits(max_depth=32, max_nodes=200_000, max_text=2_000_000)
"""How large a desk document may be: 32 levels deep, 200,000 values, 2,000,000
characters of text in all (the largest preset is a few thousand values)."""
MAX_TEXT: Final = 4_000_000
"""The longest TOML text :func:`read_toml` parses, in characters."""
SCHEMA_ID: Final = "https://ticketflow.invalid/desk.schema.json"
"""The ``$id`` of the published JSON Schema (``src/ticketflow/desk.schema.json``)."""

_NAME: Final = Text(100, min_length=1)
_NAMES: Final = Names(max_items=1_000, max_length=100)

_ROLE: Final = Table(
    (
        Key(
            "name",
            Text(64, min_length=1),
            "the role's name, as the host's actors carry it",
            required=True,
        ),
        Key(
            "may",
            ListOf(Choice(STAFF_POWERS), max_items=len(STAFF_POWERS)),
            "the staff powers it holds beyond its transitions (none: read-only)",
        ),
    ),
    what="role",
)
_METRIC: Final = Table(
    (
        Key("name", _NAME, "the metric's name, unique in the policy", required=True),
        Key(
            "targets",
            MapOf(DURATION, max_items=50, max_key_length=100),
            "the target per priority: real time ({hours = 4}) or business time "
            "({business_hours = 4}); a day count is no target",
            required=True,
        ),
        Key("starts_on", _NAMES, "the signals that start its first cycle", required=True),
        Key("stops_on", _NAMES, "the signals that stop it", required=True),
        Key("pauses_in", _NAMES, "the status categories in which it does not count"),
        Key("restarts_on", _NAMES, "the signals that make a stopped clock run again"),
        Key("on_restart", Choice((RESUME, NEW_CYCLE)), "resume, or new_cycle"),
        Key("calendar", _NAME, "a name from calendars (default: the policy's calendar)"),
        Key(
            "warnings",
            ListOf(Number(0, 1), max_items=MAX_WARNINGS),
            "fractions of the target at which a warning is recorded (default [0.75])",
        ),
    ),
    what="metric",
)
_SLA: Final = Table(
    (
        Key("metrics", ListOf(_METRIC, max_items=100), "the metrics, in the order shown"),
        Key("calendar", _NAME, "a name from calendars (default: the desk's calendar)"),
    ),
    doc="The SLA policy.",
    what="SLA policy",
)
_AUTO_CLOSE_RULE: Final = Table(
    (
        Key("when", _NAME, "a status category or a status name", required=True),
        Key("after", DURATION, "the quiet period before the ticket closes", required=True),
        Key("action", _NAME, "the action the system performs (default: close)"),
        Key("reminders", ListOf(DURATION, max_items=20), "leads before the close to remind at"),
        Key(
            "since",
            Choice(TIMER_SINCES),
            "where the quiet period starts: customer_activity (the default: entering the "
            "status or the requester's last activity), last_update (or anybody's last "
            "update) or entered (entering the status alone)",
        ),
    ),
    what="auto-close rule",
)
_AUTO_CLOSE: Final = Table(
    (Key("rules", ListOf(_AUTO_CLOSE_RULE, max_items=100), "the auto-close rules"),),
    doc="Closing quiet tickets.",
    what="auto-close policy",
)
_TIER: Final = Table(
    (
        Key("level", Integer(0, 100), "1 for L1, 2 for L2, ...", required=True),
        Key("name", Text(200), "what people call it", required=True),
        Key("requires_fields", _NAMES, "custom fields that must be set to enter it"),
    ),
    what="tier",
)
_TIERS: Final = Table(
    (
        Key("levels", ListOf(_TIER, max_items=20), "the support levels", required=True),
        Key("override_roles", _NAMES, "the roles that may skip a level or move down"),
    ),
    what="support tiers",
)
_ESCALATION: Final = Table(
    (
        Key(
            "action",
            Either((_NAME, Choice((False,))), "an action name or false"),
            "the action an accepted escalation performs; false: no escalation requests "
            "(Python: None)",
        ),
        Key("roles", _NAMES, "who may escalate"),
        Key("sla_fraction", Number(0, 1), "an SLA reason needs a clock past this fraction"),
        Key("quiet_period", DURATION, "...or the last public answer older than this"),
        Key("min_justification", Integer(0, 10_000), "the shortest justification of 'other'"),
        Key("cooldown", DURATION, "the least time between two escalations (zero: none)"),
        Key("tiers", _TIERS, "the support levels, if the desk has tiers"),
    ),
    doc="The escalation policy.",
    what="escalation policy",
)
_NOTIFICATION_RULE: Final = Table(
    (
        Key("on", _NAME, "an event kind: ReplyAdded, StatusChanged, ...", required=True),
        Key(
            "recipients",
            _NAMES,
            "requester, assignee, group or field:<name>",
            required=True,
        ),
        Key("message", Text(200, min_length=1), "the host's message key", required=True),
        Key(
            "statuses",
            _NAMES,
            "for StatusChanged: only changes into these statuses; for ActionPerformed: only"
            " actions performed in them",
        ),
    ),
    what="notification rule",
)
_NOTIFICATIONS: Final = Table(
    (Key("rules", ListOf(_NOTIFICATION_RULE, max_items=1_000), "the notification rules"),),
    doc="Who hears about which events.",
    what="notification policy",
)
_INTAKE: Final = Table(
    (
        Key("fields", _NAMES, "custom fields a requester may set"),
        Key("priorities", _NAMES, "priorities a requester may choose besides the default"),
        Key("groups", _NAMES, "groups a requester may choose"),
    ),
    doc="What a requester may set when opening a ticket.",
    what="intake form",
)

DESK_SCHEMA: Final = 1
"""The version of the desk document's shape this ticketflow writes (``schema`` at its
top) and the newest it reads; a document without one is of version 1."""

DESK: Final = Table(
    (
        Key(
            "schema",
            Integer(minimum=1),
            f"the version of the document's shape ({DESK_SCHEMA}; left out, 1)",
        ),
        Key("workflow", WORKFLOW, "the statuses, transitions, reactions and timers", required=True),
        Key("calendar", CALENDAR, "business hours (default: always open, UTC)"),
        Key(
            "calendars",
            MapOf(CALENDAR, max_items=20),
            "named calendars the SLA policy or a metric counts on",
        ),
        Key("roles", ListOf(_ROLE, max_items=100), "the host's roles and their staff powers"),
        Key("sla", _SLA, "the SLA metrics and their targets"),
        Key("auto_close", _AUTO_CLOSE, "closing quiet tickets"),
        Key("escalation", _ESCALATION, "how escalations are accepted (none if left out)"),
        Key("notifications", _NOTIFICATIONS, "who hears about which events"),
        Key("intake", _INTAKE, "what a requester may set when opening a ticket"),
    ),
    doc="A ticketflow desk: one workflow and its policies.",
    what="desk",
)
"""The shape of a desk document."""


class DeskParts(TypedDict, total=False):
    """A desk's constructor arguments, as a document is read into them."""

    workflow: Workflow
    calendar: BusinessCalendar
    auto_close: AutoClosePolicy
    sla: SlaPolicy
    escalation: EscalationPolicy | None
    notifications: NotificationPolicy
    intake: Intake
    roles: tuple[Role, ...]


def desk_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a desk document."""
    return json_schema(DESK, title="ticketflow desk", identifier=SCHEMA_ID)


def read_toml(text: str) -> object:
    """The document TOML ``text`` holds.

    Raises:
        InvalidTypeError: ``text`` is not a str.
        DeskDefinitionError: the text is too long, not TOML, nests too deeply to be
            read or holds a number with more digits than Python reads.
    """
    if type(text) is not str:
        raise InvalidTypeError("a desk's TOML text", "a str", text)
    if len(text) > MAX_TEXT:
        raise DeskDefinitionError(
            [
                Problem(
                    "document",
                    f"is {len(text):,} characters long, more than the limit of {MAX_TEXT:,}",
                    "shorten it: a desk's document is a few thousand lines at most",
                )
            ]
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        fault = Problem("document", f"is not valid TOML ({error})", "correct the TOML syntax")
    except ValueError:
        # tomllib turns digits into an int with int(), which refuses more digits than
        # sys.get_int_max_str_digits() (4,300 by default).
        fault = Problem(
            "document",
            "holds a number with more digits than Python reads from text",
            "write numbers of at most a few digits: no desk value needs more",
        )
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        fault = Problem(
            "document",
            "nests arrays or tables too deeply to be read",
            f"write its values at most {LIMITS.max_depth} levels deep",
        )
    raise DeskDefinitionError([fault])


ReadTransitions = tuple[tuple[int, Transition], ...]
"""The transitions of a workflow document that did not build, each with its index."""


def read_document(document: object) -> tuple[DeskParts, list[Problem], ReadTransitions]:
    """The constructor arguments of the desk ``document`` holds, and every problem.

    Returns:
        The parts (complete when there is no problem; a part with a problem is left
        out, or holds only what read whole, see :func:`sound`), the problems of size,
        of shape and of each part's meaning, and, when the workflow did not build, the
        transitions that did read, with their indices (the desk's checks of role names
        run on them). The desk's own cross-checks are left to ``Desk``.
    """
    too_large = guard(document, LIMITS)
    if too_large is not None:
        return {}, [too_large], ()
    newer = _newer(document)
    if newer is not None:
        return {}, [newer], ()  # its other keys are a later shape's: nothing else is said
    data, problems = read(DESK, document)
    if not isinstance(data, dict):
        return {}, problems, ()
    reader = _PartsReader(problems)
    assert isinstance(document, Mapping)  # read() made a table of it
    return reader.desk(data, document.get("workflow")), reader.problems, reader.transitions


def _newer(document: object) -> Problem | None:
    """The problem of a document of a shape newer than this ticketflow reads, if it is."""
    if not isinstance(document, Mapping):
        return None
    version = document.get("schema")
    if type(version) is not int or version <= DESK_SCHEMA:
        return None  # a wrong type or a version below 1 is the shape's to say
    return Problem(
        "schema",
        f"is {version}: the document is of a newer shape than this ticketflow reads "
        f"(up to {DESK_SCHEMA})",
        "upgrade ticketflow to read it, or write the desk with the ticketflow that reads "
        f"it (its to_document() writes schema = {DESK_SCHEMA})",
    )


def sound(parts: DeskParts, problems: list[Problem]) -> DeskParts:
    """The parts no problem lies in: the desk's cross-checks of its parts run on these
    (a part with a problem holds only what read whole, e.g. the notification rules but
    the broken one, so its own indices and names would mislead them)."""
    faulty = {p.where.partition(".")[0].partition("[")[0].partition(" ")[0] for p in problems}
    # A subset of a DeskParts' keys, with their values: a DeskParts again.
    return cast("DeskParts", {key: value for key, value in parts.items() if key not in faulty})


_PATH: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.\[]|$)")
"""A problem's place that is a path in its document (``statuses[2]``, ``week.mon``),
not a description (``status 'done'``)."""


def _under(prefix: str, where: str) -> str:
    """``where`` of a part's document, as a place in the desk document."""
    if where in ("document", "TOML"):
        return prefix
    return f"{prefix}.{where}" if _PATH.match(where) else f"{prefix} {where}"


def _prefixed(prefix: str, problems: tuple[Problem, ...]) -> list[Problem]:
    """A part's problems, placed under the part's path in the desk document."""
    return [Problem(_under(prefix, p.where), p.what, in_document(p.fix)) for p in problems]


# The Python constructs the checks' fixes name, each with how a document writes it:
# the checks say a fix once, in Python, and a problem reported for a document is
# translated here (one rule per construct, not per check).
_DECLARE_ROLE: Final = re.compile(
    r"Desk\(roles=\[Role\((?P<q>['\"])(?P<name>[^'\"]*)(?P=q)\), \.\.\.\]\)"
)
_KEYWORD: Final = re.compile(r"\b(?P<key>[a-z_]+)=(?P<value>True|False|'[^']*')")


def _toml_value(found: re.Match[str]) -> str:
    value = found["value"]
    if value in ("True", "False"):
        return f"{found['key']} = {value.lower()}"
    return f'{found["key"]} = "{value[1:-1]}"'


def in_document(fix: str) -> str:
    """``fix`` as a desk document's author writes it: a Python construct it names
    (``Desk(roles=[Role('triage'), ...])``, ``terminal=False``, ``on='StatusChanged'``)
    becomes the document's (``[[roles]] name = "triage"``, ``terminal = false``,
    ``on = "StatusChanged"``).

    >>> in_document("declare it: Desk(roles=[Role('sytem'), ...])")
    'declare it: [[roles]] name = "sytem"'
    >>> in_document("change the category or set terminal=False")
    'change the category or set terminal = false'
    """
    fix = _DECLARE_ROLE.sub(lambda found: f'[[roles]] name = "{found["name"]}"', fix)
    return _KEYWORD.sub(_toml_value, fix)


_METRIC_PLACE: Final = re.compile(r"SLA metric '(?P<name>[^']*)'")
_RULE_PLACE: Final = re.compile(r"auto-close rule '(?P<name>[^']*)'")


def placed(problems: tuple[Problem, ...], parts: DeskParts) -> list[Problem]:
    """The desk's own problems with each metric and auto-close rule named by its path
    in the document (``sla.metrics[1]`` for ``SLA metric 'resolution'``), so every
    line ``ticketflow check`` prints says where to look."""
    sla = parts.get("sla")
    metrics = {m.name: i for i, m in reversed(list(enumerate(sla.metrics)))} if sla else {}
    auto_close = parts.get("auto_close")
    rules = (
        {r.when: i for i, r in reversed(list(enumerate(auto_close.rules)))} if auto_close else {}
    )
    out: list[Problem] = []
    for problem in problems:
        where = problem.where
        for pattern, paths, prefix in (
            (_METRIC_PLACE, metrics, "sla.metrics"),
            (_RULE_PLACE, rules, "auto_close.rules"),
        ):
            found = pattern.fullmatch(where)
            if found and found["name"] in paths:
                where = f"{prefix}[{paths[found['name']]}]"
        out.append(Problem(where, problem.what, in_document(problem.fix)))
    return out


def _refusal(where: str, error: TicketflowError) -> Problem:
    """A constructor's typed refusal as a problem at ``where``."""
    if isinstance(error, InvalidValueError):
        return Problem(where, error.what, error.fix)
    if isinstance(error, InvalidTypeError):
        return Problem(
            where, f"{error.what} must be {error.expected}, got {quoted(error.value)}", "correct it"
        )
    return Problem(where, str(error), "correct it as the message says")


T = TypeVar("T")

_DATA = Mapping[str, Any]
"""A table of a document whose shape was read: its values' types are the shape's, so
they are passed on as they are (each constructor checks its arguments again)."""


class _PartsReader:
    """Builds a desk's parts from a document whose shape was read, collecting problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        # The paths that had a shape problem: a part under one is not built (its
        # problem is reported already, and a half-read part would only add noise).
        self._faulty = tuple(p.where for p in problems)
        self.transitions: ReadTransitions = ()

    def _clean(self, where: str) -> bool:
        """Whether the part at ``where`` had no shape problem (so it reads whole)."""
        return not any(f == where or f.startswith((f"{where}.", f"{where}[")) for f in self._faulty)

    def _build(self, where: str, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except DefinitionError as error:
            self.problems.extend(_prefixed(where, error.problems))
        except TicketflowError as error:
            self.problems.append(_refusal(where, error))
        return None

    def desk(self, data: _DATA, workflow_document: object) -> DeskParts:
        """The parts of ``data``; the workflow is read again from its document, which
        holds what its shape problems left out of ``data`` (and so, where each part is)."""
        parts: DeskParts = {}
        if "workflow" in data:
            workflow = self._workflow(workflow_document)
            if workflow is not None:
                parts["workflow"] = workflow
        if "calendar" in data and self._clean("calendar"):
            calendar = self._calendar("calendar", data["calendar"])
            if calendar is not None:
                parts["calendar"] = calendar
        calendars = self._calendars(_table(data, "calendars"))
        if "roles" in data:
            roles = [self._role(i, item) for i, item in enumerate(_items(data, "roles"))]
            parts["roles"] = tuple(r for r in roles if r is not None)
        sla = self._sla(_table(data, "sla"), calendars)
        if sla is not None:
            parts["sla"] = sla
        auto_close = self._auto_close(_table(data, "auto_close"))
        if auto_close is not None:
            parts["auto_close"] = auto_close
        if "escalation" in data and self._clean("escalation"):
            parts["escalation"] = self._escalation(_table(data, "escalation"))
        if "notifications" in data:
            rules = [
                self._notification_rule(f"notifications.rules[{i}]", rule)
                for i, rule in enumerate(_items(_table(data, "notifications"), "rules"))
            ]
            parts["notifications"] = NotificationPolicy([r for r in rules if r is not None])
        if "intake" in data and self._clean("intake"):
            intake = _table(data, "intake")
            built = self._build(
                "intake",
                lambda: Intake(
                    fields=intake.get("fields", ()),
                    priorities=intake.get("priorities", ()),
                    groups=intake.get("groups", ()),
                ),
            )
            if built is not None:
                parts["intake"] = built
        return parts

    def _workflow(self, document: object) -> Workflow | None:
        """The workflow, or ``None`` with its problems kept, each at its path in the
        document (``workflow.statuses[2].category``). A workflow with shape problems
        (kept already) is still checked for meaning, on the parts that did read."""
        read = read_workflow(document)
        if read.workflow is None:
            # The shape problems are the whole document's, kept already.
            self.transitions = read.transitions
            self.problems.extend(_prefixed("workflow", tuple(read.meaning)))
        return read.workflow

    def _notification_rule(self, where: str, rule: _DATA) -> NotificationRule | None:
        if not self._clean(where):
            return None
        return self._build(
            where,
            lambda: NotificationRule(
                on=rule["on"],
                recipients=rule["recipients"],
                message=rule["message"],
                statuses=rule.get("statuses", ()),
            ),
        )

    def _calendar(self, where: str, document: object) -> BusinessCalendar | None:
        assert isinstance(document, Mapping)
        return self._build(where, lambda: BusinessCalendar.from_document(document))

    def _calendars(self, data: _DATA) -> dict[str, BusinessCalendar | None]:
        """The named calendars; a name whose calendar has problems maps to ``None``."""
        out: dict[str, BusinessCalendar | None] = {}
        for name, document in data.items():
            where = key_path("calendars", name)
            out[name] = self._calendar(where, document) if self._clean(where) else None
        return out

    def _named_calendar(
        self, where: str, name: object, calendars: Mapping[str, BusinessCalendar | None]
    ) -> tuple[bool, BusinessCalendar | None]:
        """Whether the calendar ``name`` (at ``where``) is usable, and the calendar."""
        if name is None:
            return True, None
        assert isinstance(name, str)
        if name not in calendars:
            known = quoted_names(sorted(calendars)) or "none yet"
            self.problems.append(
                Problem(
                    where,
                    f"names the calendar {quoted(name)}, which the document's calendars do "
                    "not define",
                    f"name one of them ({known}), or define it: [calendars.{name}]",
                )
            )
            return False, None
        calendar = calendars[name]
        return calendar is not None, calendar

    def _role(self, index: int, data: _DATA) -> Role | None:
        where = f"roles[{index}]"
        if not self._clean(where):
            return None
        return self._build(where, lambda: Role(data["name"], may=data.get("may", ())))

    def _sla(
        self, data: _DATA, calendars: Mapping[str, BusinessCalendar | None]
    ) -> SlaPolicy | None:
        if not data:
            return None
        usable, calendar = self._named_calendar("sla.calendar", data.get("calendar"), calendars)
        metrics = [
            self._metric(f"sla.metrics[{i}]", metric, calendars)
            for i, metric in enumerate(_items(data, "metrics"))
        ]
        if not usable or None in metrics:
            return None
        return self._build(
            "sla", lambda: SlaPolicy(metrics=[m for m in metrics if m], calendar=calendar)
        )

    def _metric(
        self, where: str, data: _DATA, calendars: Mapping[str, BusinessCalendar | None]
    ) -> Metric | None:
        if not self._clean(where):
            return None
        targets = {p: _duration_of(t) for p, t in _table(data, "targets").items()}
        day_counts = [
            Problem(
                f"{key_path(f'{where}.targets', priority)}",
                f"is {describe(target)}: an SLA clock counts time, not days",
                "write business time ({business_hours = 24} is 3 business days of 8 open "
                "hours) or real time ({hours = 72})",
            )
            for priority, target in targets.items()
            if not isinstance(target, timedelta | BusinessTime)
        ]
        self.problems.extend(day_counts)
        usable, calendar = self._named_calendar(
            f"{where}.calendar", data.get("calendar"), calendars
        )
        if day_counts or not usable:
            return None
        options: dict[str, Any] = {
            key: data[key]
            for key in ("pauses_in", "restarts_on", "on_restart", "warnings")
            if key in data
        }
        spans = {p: t for p, t in targets.items() if isinstance(t, timedelta | BusinessTime)}
        return self._build(
            where,
            lambda: Metric(
                name=data["name"],
                targets=spans,
                starts_on=data["starts_on"],
                stops_on=data["stops_on"],
                calendar=calendar,
                **options,
            ),
        )

    def _auto_close(self, data: _DATA) -> AutoClosePolicy | None:
        if not data:
            return None
        rules = [
            self._auto_close_rule(f"auto_close.rules[{i}]", rule)
            for i, rule in enumerate(_items(data, "rules"))
        ]
        if None in rules:
            return None
        return AutoClosePolicy([r for r in rules if r is not None])

    def _auto_close_rule(self, where: str, rule: _DATA) -> AutoClose | None:
        if not self._clean(where):
            return None
        options: dict[str, Any] = {"action": rule["action"]} if "action" in rule else {}
        if "reminders" in rule:
            options["reminders"] = [_duration_of(lead) for lead in _items(rule, "reminders")]
        if "since" in rule:
            options["since"] = rule["since"]
        after = _duration_of(rule["after"])
        return self._build(where, lambda: AutoClose(when=rule["when"], after=after, **options))

    def _tier(self, where: str, tier: _DATA) -> Tier | None:
        if not self._clean(where):
            return None
        return self._build(
            where,
            lambda: Tier(
                level=tier["level"],
                name=tier["name"],
                requires_fields=tier.get("requires_fields", ()),
            ),
        )

    def _escalation(self, data: _DATA) -> EscalationPolicy | None:
        options: dict[str, Any] = {
            key: data[key] for key in ("roles", "sla_fraction", "min_justification") if key in data
        }
        options.update(
            (key, _duration_of(data[key])) for key in ("quiet_period", "cooldown") if key in data
        )
        if "action" in data:
            options["action"] = None if data["action"] is False else data["action"]
        if "tiers" in data:
            tiers_data = _table(data, "tiers")
            levels = [
                self._tier(f"escalation.tiers.levels[{i}]", tier)
                for i, tier in enumerate(_items(tiers_data, "levels"))
            ]
            if None in levels:
                return None
            tiers = self._build(
                "escalation.tiers",
                lambda: SupportTiers(
                    levels=[t for t in levels if t is not None],
                    override_roles=tiers_data.get("override_roles", ()),
                ),
            )
            if tiers is None:
                return None
            options["tiers"] = tiers
        return self._build("escalation", lambda: EscalationPolicy(**options))


def _table(data: _DATA, key: str) -> _DATA:
    value = data.get(key, {})
    assert isinstance(value, Mapping)
    return value


def _duration_of(value: object) -> Duration:
    """The duration of a document's duration table, whose shape was read already."""
    duration = duration_from_document(value)
    assert not isinstance(duration, str)
    return duration


def _items(data: _DATA, key: str) -> list[_DATA]:
    value = data.get(key, [])
    assert isinstance(value, list)
    return value


# -- writing ----------------------------------------------------------------------------


def _duration(value: Duration) -> dict[str, int | float]:
    return duration_to_document(value)


def write_document(parts: DeskParts) -> dict[str, object]:
    """A desk's parts as a plain, JSON- and TOML-ready document; empty parts left out."""
    workflow = parts["workflow"]
    document: dict[str, object] = {"schema": DESK_SCHEMA, "workflow": workflow.to_document()}
    calendar = parts.get("calendar")
    if calendar is not None and calendar != BusinessCalendar.always_open():
        document["calendar"] = calendar.to_document()
    named = _CalendarNames()
    roles = parts.get("roles", ())
    if roles:
        document["roles"] = [
            {"name": r.name, **({"may": sorted(r.may)} if r.may else {})} for r in roles
        ]
    sla = parts.get("sla")
    if sla is not None and (sla.metrics or sla.calendar is not None):
        sla_document: dict[str, object] = {}
        if sla.metrics:
            sla_document["metrics"] = [_write_metric(m, named) for m in sla.metrics]
        if sla.calendar is not None:
            sla_document["calendar"] = named.name("sla", sla.calendar)
        document["sla"] = sla_document
    if named.calendars:
        # Written before the SLA policy that names them, as a reader expects.
        document = {
            "schema": document.pop("schema"),
            "workflow": document.pop("workflow"),
            **({"calendar": document.pop("calendar")} if "calendar" in document else {}),
            "calendars": {name: c.to_document() for name, c in named.calendars.items()},
            **document,
        }
    auto_close = parts.get("auto_close")
    if auto_close is not None and auto_close.rules:
        document["auto_close"] = {
            "rules": [
                {
                    "when": rule.when,
                    "after": _duration(rule.after),
                    "action": rule.action,
                    **(
                        {"reminders": [_duration(lead) for lead in rule.reminders]}
                        if rule.reminders
                        else {}
                    ),
                    # Written only when it is not the default, so a desk that keeps the
                    # default writes the document it was read from.
                    **({"since": rule.since} if rule.since != SINCE_CUSTOMER_ACTIVITY else {}),
                }
                for rule in auto_close.rules
            ]
        }
    escalation = parts.get("escalation")
    if escalation is not None:
        document["escalation"] = _write_escalation(escalation)
    notifications = parts.get("notifications")
    if notifications is not None and notifications.rules:
        document["notifications"] = {
            "rules": [
                {
                    "on": rule.on,
                    "recipients": list(rule.recipients),
                    "message": rule.message,
                    **({"statuses": sorted(rule.statuses)} if rule.statuses else {}),
                }
                for rule in notifications.rules
            ]
        }
    intake = parts.get("intake")
    if intake is not None and intake != Intake():
        document["intake"] = {
            key: sorted(values)
            for key, values in (
                ("fields", intake.fields),
                ("priorities", intake.priorities),
                ("groups", intake.groups),
            )
            if values
        }
    return document


class _CalendarNames:
    """Names for the calendars an SLA policy and its metrics count on, each once."""

    def __init__(self) -> None:
        self.calendars: dict[str, BusinessCalendar] = {}

    def name(self, wanted: str, calendar: BusinessCalendar) -> str:
        for name, known in self.calendars.items():
            if known == calendar:
                return name
        name, number = wanted, 1
        while name in self.calendars:
            number += 1
            name = f"{wanted}_{number}"
        self.calendars[name] = calendar
        return name


def _write_metric(metric: Metric, named: _CalendarNames) -> dict[str, object]:
    document: dict[str, object] = {
        "name": metric.name,
        "targets": {priority: _duration(target) for priority, target in metric.targets},
        "starts_on": sorted(metric.starts_on),
        "stops_on": sorted(metric.stops_on),
        "pauses_in": sorted(metric.pauses_in),
        "restarts_on": sorted(metric.restarts_on),
        "on_restart": metric.on_restart,
        "warnings": list(metric.warnings),
    }
    if metric.calendar is not None:
        document["calendar"] = named.name(metric.name, metric.calendar)
    return document


def _write_escalation(policy: EscalationPolicy) -> dict[str, object]:
    document: dict[str, object] = {
        "action": policy.action if policy.action is not None else False,
        "roles": sorted(policy.roles),
        "sla_fraction": policy.sla_fraction,
        "quiet_period": _duration(policy.quiet_period),
        "min_justification": policy.min_justification,
        "cooldown": _duration(policy.cooldown),
    }
    if policy.tiers is not None:
        document["tiers"] = {
            "levels": [
                {
                    "level": tier.level,
                    "name": tier.name,
                    **(
                        {"requires_fields": list(tier.requires_fields)}
                        if tier.requires_fields
                        else {}
                    ),
                }
                for tier in policy.tiers.levels
            ],
            "override_roles": sorted(policy.tiers.override_roles),
        }
    return document
