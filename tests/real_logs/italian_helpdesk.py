"""The Italian help desk's log (Polato, 4TU.ResearchData 2017), read and turned into commands.

The desk is :mod:`ticketflow.presets.italian_helpdesk`; its docstring tells how each
status, transition and the calendar were read from this log. This module holds what is
about the log itself: its columns (:class:`Row`), its timestamps (:func:`parse_instant`,
at the fixed :data:`OFFSET`), its activities (:data:`STATUSES`, :data:`OPENINGS`,
:data:`ANOMALY_STATUSES`) and seriousness values (:data:`PRIORITIES`), the reader of
``finale.csv.gz`` (:func:`read_cases`, the standard library alone) and the translation
of one case's rows into ticketflow commands (:func:`commands`).

>>> from ticketflow import handle
>>> from ticketflow.presets import italian_helpdesk as helpdesk
>>> log = [("Assign seriousness", "2012/04/03 08:55:38.000"),
...        ("Take in charge ticket", "2012/04/03 08:55:53.000"),
...        ("Resolve ticket", "2012/04/05 09:15:52.000"),
...        ("Closed", "2012/05/19 09:00:28.000")]
>>> rows = [Row.from_row({**SAMPLE_ROW, "Activity": activity, "Complete Timestamp": at})
...         for activity, at in log]
>>> desk, ticket = helpdesk.desk(), None
>>> for command in commands(rows):
...     ticket = handle(desk, ticket, command).ticket
>>> ticket.status, ticket.assignee, ticket.closed_at.isoformat()
('closed', 'Value 4', '2012-05-19T09:00:28+01:00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from os import PathLike
from typing import Final, final

import attrs

from real_logs.reader import read_cases as _read_cases
from ticketflow import (
    Actor,
    Assign,
    ChangePriority,
    Command,
    OpenTicket,
    PerformAction,
    SetField,
)
from ticketflow.presets.italian_helpdesk import (
    ANOMALY_FIELD,
    CLOSED,
    IN_CHARGE,
    INTERVENTION_SCHEDULED,
    RESOLVED,
    SW_ANOMALY,
    SW_ANOMALY_RESOLVED,
    UPGRADE_REQUIRED,
    WAITING,
    WORKFLOW,
)

__all__ = [
    "ANOMALY_STATUSES",
    "OFFSET",
    "OPENINGS",
    "PRIORITIES",
    "SAMPLE_ROW",
    "STATUSES",
    "TAKE_IN_CHARGE",
    "Row",
    "commands",
    "parse_instant",
    "read_cases",
]

TAKE_IN_CHARGE: Final = "Take in charge ticket"
"""The activity that also assigns the case to the row's agent."""

STATUSES: Final[Mapping[str, str]] = {
    TAKE_IN_CHARGE: IN_CHARGE,
    "Wait": WAITING,
    "Require upgrade": UPGRADE_REQUIRED,
    "Create SW anomaly": SW_ANOMALY,
    "Resolve SW anomaly": SW_ANOMALY_RESOLVED,
    "Schedule intervention": INTERVENTION_SCHEDULED,
    "Resolve ticket": RESOLVED,
    "Closed": CLOSED,
}
"""The activities that change the status, and the statuses they lead into."""

OPENINGS: Final = frozenset({"Insert ticket", "Assign seriousness"})
"""The activities that open a case when first, and record nothing of their own later."""

ANOMALY_STATUSES: Final = frozenset({"VERIFIED", "RESOLVED", "INVALID", "DUPLICATE"})
"""The bug tracker's statuses of a case's software anomaly, as the log writes them."""

PRIORITIES: Final[Mapping[str, str]] = {f"Value {n}": f"value_{n}" for n in range(1, 5)}
"""The log's ``seriousness_2`` values and the workflow's priorities they become."""

OFFSET: Final = timezone(timedelta(hours=1))
"""The fixed offset the log's timestamps are written at: UTC+01:00, Italian winter time."""

# Each status is entered by one action, named in the workflow.
_ACTION_INTO: Final[Mapping[str, str]] = {t.target: t.action for t in WORKFLOW.transitions}


def parse_instant(text: str, tz: tzinfo = OFFSET) -> datetime:
    """The instant a log timestamp (``YYYY/MM/DD hh:mm:ss.fff``) names at ``tz``.

    Raises:
        ValueError: ``text`` is not such a timestamp.

    >>> parse_instant("2012/04/03 08:55:38.000").isoformat()
    '2012-04-03T08:55:38+01:00'
    >>> parse_instant("3/4/2012 08:55")
    Traceback (most recent call last):
    ...
    ValueError: not a YYYY/MM/DD hh:mm:ss.fff timestamp: '3/4/2012 08:55'
    """
    try:
        return datetime.strptime(text, "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=tz)
    except ValueError:
        raise ValueError(f"not a YYYY/MM/DD hh:mm:ss.fff timestamp: {text!r}") from None


_COLUMN_NAMES: Final[Mapping[str, str]] = {
    "case_id": "Case ID",
    "activity": "Activity",
    "resource": "Resource",
    "timestamp": "Complete Timestamp",
    "seriousness_2": "seriousness_2",
    "service_level": "service_level",
    "service_type": "service_type",
    "customer": "customer",
    "product": "product",
    "workgroup": "workgroup",
}


@final
@attrs.frozen
class Row:
    """One row of the log (one activity of a case), as the CSV writes it.

    Only the columns the replay and its checks read are kept; every value is the
    log's text.
    """

    case_id: str
    activity: str
    resource: str
    timestamp: str
    seriousness_2: str
    service_level: str
    service_type: str
    customer: str
    product: str
    workgroup: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Row:
        """The row from a CSV row read as a mapping of the log's column names to text.

        Raises:
            KeyError: the row lacks one of the columns.
        """
        return cls(**{name: row[column] for name, column in _COLUMN_NAMES.items()})


def read_cases(path: str | PathLike[str]) -> tuple[tuple[Row, ...], ...]:
    """Every case's rows, in the order of the log (``finale.csv.gz``).

    Consecutive rows with the same ``Case ID`` make one case, kept in the file's order.

    Raises:
        OSError: the file cannot be read.
        KeyError: the header lacks a column :class:`Row` needs.
    """
    return _read_cases(path, tuple(_COLUMN_NAMES.values()), Row, _case_id)


def _case_id(row: Row) -> str:
    return row.case_id


def commands(rows: Iterable[Row], *, tz: tzinfo = OFFSET) -> tuple[Command, ...]:
    """The ticketflow commands that replay one case's rows.

    :class:`~ticketflow.OpenTicket` at the first row (by its agent, for the case's
    customer, at its ``seriousness_2``), then per row at its timestamp and by its
    agent: a :class:`~ticketflow.ChangePriority` when ``seriousness_2`` differs from
    the priority so far (except on a bug tracker's row, which carries the anomaly's
    seriousness); a :class:`~ticketflow.PerformAction` when the activity leads
    into another status (:data:`STATUSES`); an :class:`~ticketflow.Assign` to the agent
    who takes the case in charge, unless it is theirs already; a
    :class:`~ticketflow.SetField` of :data:`ANOMALY_FIELD` for a bug-tracker status.
    The first row is handled like the others once the case is open, so a case that
    opens with Take in charge ticket is opened, then taken in charge, at one instant.
    Whether ticketflow accepts each command is for :func:`~ticketflow.handle` to
    decide.

    Args:
        rows: one case's rows, in the log's order.
        tz: the offset or zone the timestamps are read at (default: :data:`OFFSET`).

    Raises:
        ValueError: no rows, rows of several cases, or an activity or seriousness the
            log does not define.

    >>> rows = [Row.from_row({**SAMPLE_ROW, "Activity": activity})
    ...         for activity in ("Insert ticket", "Take in charge ticket", "VERIFIED")]
    >>> [type(c).__name__ for c in commands(rows)]
    ['OpenTicket', 'PerformAction', 'Assign', 'SetField']
    """
    rows = tuple(rows)
    if not rows:
        raise ValueError("a case needs at least one row")
    first = rows[0]
    case = first.case_id
    priority = _priority(first.seriousness_2, case)
    result: list[Command] = [
        OpenTicket(
            actor=Actor.agent(first.resource),
            at=parse_instant(first.timestamp, tz),
            ticket_id=case,
            subject=f"{first.product} / {first.service_type}",
            requester=first.customer,
            priority=priority,
        )
    ]
    status = WORKFLOW.initial
    assignee: str | None = None
    anomaly: str | None = None
    for row in rows:
        if row.case_id != case:
            raise ValueError(f"a row of {row.case_id!r} among the rows of {case!r}")
        at = parse_instant(row.timestamp, tz)
        actor = Actor.agent(row.resource)
        activity = row.activity
        if activity in ANOMALY_STATUSES:
            # The bug tracker's rows carry its own seriousness (Value 3 on all 8 of
            # them), not the case's: they change no priority.
            if activity != anomaly:
                result.append(SetField(actor=actor, at=at, name=ANOMALY_FIELD, value=activity))
                anomaly = activity
            continue
        seriousness = _priority(row.seriousness_2, case)
        if seriousness != priority:
            result.append(ChangePriority(actor=actor, at=at, priority=seriousness))
            priority = seriousness
        if activity in OPENINGS:
            continue
        try:
            target = STATUSES[activity]
        except KeyError:
            known = ", ".join(sorted([*OPENINGS, *STATUSES, *ANOMALY_STATUSES]))
            raise ValueError(
                f"{case}: unknown activity {activity!r}; the log's are {known}"
            ) from None
        if target != status:
            result.append(PerformAction(actor=actor, at=at, action=_ACTION_INTO[target]))
            status = target
        if activity == TAKE_IN_CHARGE and row.resource != assignee:
            result.append(Assign(actor=actor, at=at, assignee=row.resource))
            assignee = row.resource
    return tuple(result)


def _priority(value: str, case: str) -> str:
    try:
        return PRIORITIES[value]
    except KeyError:
        raise ValueError(
            f"{case}: unknown seriousness_2 {value!r}; the log's are {', '.join(PRIORITIES)}"
        ) from None


SAMPLE_ROW: Final[Mapping[str, str]] = {
    "Case ID": "Case 2",
    "Activity": "Assign seriousness",
    "Resource": "Value 4",
    "Complete Timestamp": "2012/04/03 08:55:38.000",
    "Variant": "Variant 1",
    "Variant index": "1",
    "seriousness": "Value 1",
    "customer": "Value 2",
    "product": "Value 2",
    "responsible_section": "Value 1",
    "seriousness_2": "Value 1",
    "service_level": "Value 2",
    "service_type": "Value 1",
    "support_section": "Value 1",
    "workgroup": "Value 1",
}
"""A row of the log, Case 2's first, for examples and tests."""
