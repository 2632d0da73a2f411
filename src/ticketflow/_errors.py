"""The error hierarchy.

Every error ticketflow raises is a :class:`TicketflowError` and also subclasses the
builtin a caller would naturally catch (``ValueError``, ``TypeError``, ``LookupError``,
``OverflowError``), never one of the ``OSError`` family, which a host's database code
catches. Each carries the data that explains it as attributes and a message that names
what was wrong and how to fix it; a message quotes the offending value through
:func:`quoted`, so a 10 MB id or a structure nested a thousand deep gives a short line.

Refusals of a command share :class:`CommandRefusedError`, so a host can answer any
refusal the same way (show the message, keep the ticket as it was).
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from datetime import datetime
from typing import Final, final

import attrs

__all__ = [
    "Violation",
    "MAX_PROBLEMS",
    "ActionNotAllowedError",
    "CalendarDefinitionError",
    "CommandRefusedError",
    "DefinitionError",
    "DeskDefinitionError",
    "EscalationRefusedError",
    "EventStreamError",
    "InstantBeforeLastChangeError",
    "InvalidCommandError",
    "InvalidTypeError",
    "InvalidValueError",
    "MissingRequirementError",
    "NaiveDatetimeError",
    "NonexistentInstantError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "Problem",
    "StaleCommandError",
    "TicketClosedError",
    "TicketNotFoundError",
    "TicketflowError",
    "TimerLoopError",
    "UnknownActionError",
    "UnknownNameError",
    "quoted",
    "quoted_names",
]

_REPR: Final = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlong = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 5

MAX_PROBLEMS: Final = 50
"""A definition error lists at most this many problems, then says how many more there are."""


def quoted(value: object) -> str:
    """``repr(value)``, shortened: long strings and numbers cut, deep nesting elided.

    Every error message quotes the offending value through this, so a message stays a
    line long whatever a caller passed (a 10 MB id, a list nested 1,000 deep).

    >>> quoted("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> quoted([[[[[1]]]]])
    '[[[[...]]]]'
    """
    try:
        return _REPR.repr(value)
    except Exception:  # a hostile __repr__ must not hide the error being reported
        return f"<{type(value).__name__}>"


def quoted_names(names: Iterable[str], limit: int = 8) -> str:
    """Up to ``limit`` names, quoted and comma-separated, then how many more there are.

    >>> quoted_names(["a", "b"]), quoted_names(map(str, range(20)), limit=2)
    ("'a', 'b'", "'0', '1' and 18 more")
    """
    shown: list[str] = []
    more = 0
    for name in names:
        if len(shown) < limit:
            shown.append(quoted(name))
        else:
            more += 1
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


@attrs.frozen
class Problem:
    """One problem found in a definition (a workflow, a calendar, a policy).

    Attributes:
        where: the part of the definition at fault, e.g. ``"status 'closed'"``.
        what: what is wrong with it.
        fix: how to fix it.

    >>> str(Problem("status 'x'", "is unreachable", "add a transition into it"))
    "status 'x': is unreachable (fix: add a transition into it)"
    """

    where: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what} (fix: {self.fix})"


class TicketflowError(Exception):
    """The base of every error ticketflow raises."""


class DefinitionError(TicketflowError, ValueError):
    """A definition (workflow, calendar, policy) is invalid; ``problems`` lists every fault.

    All problems are reported together, so a definition can be fixed in one pass.
    """

    kind = "definition"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        # The message is bounded: the first MAX_PROBLEMS problems and a count of the
        # rest (every one of them stays in ``problems``).
        lines = "\n".join(f"  - {problem}" for problem in self.problems[:MAX_PROBLEMS])
        if count > MAX_PROBLEMS:
            lines += f"\n  - ... and {count - MAX_PROBLEMS} more (see the error's .problems)"
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"invalid {self.kind}: {count} {noun}\n{lines}")


class WorkflowDefinitionError(DefinitionError):
    """A workflow definition is invalid; ``problems`` lists every fault with its fix."""

    kind = "workflow"


class DeskDefinitionError(DefinitionError):
    """A desk's policies do not fit its workflow; ``problems`` lists every fault with its fix."""

    kind = "desk"


class CalendarDefinitionError(DefinitionError):
    """A business calendar definition is invalid; ``problems`` lists every fault with its fix."""

    kind = "business calendar"


class NaiveDatetimeError(TicketflowError, ValueError):
    """A datetime without a time zone was given where an instant is required."""

    def __init__(self, what: str, value: datetime) -> None:
        self.what = what
        self.value = value
        super().__init__(
            f"{what} is a naive datetime ({value.isoformat()}); ticketflow needs an instant: "
            "give it a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Berlin')) "
            "or datetime(..., tzinfo=timezone.utc)"
        )


class InvalidValueError(TicketflowError, ValueError):
    """A value given to a constructor or a function is malformed (an empty id, a
    malformed role name, a NaN field value, a negative version)."""

    def __init__(self, what: str, fix: str) -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what}; {fix}")


class InvalidTypeError(TicketflowError, TypeError):
    """A value of the wrong type was given (``None`` for a reply's body, a string for an
    instant, a date for ``now``)."""

    def __init__(self, what: str, expected: str, value: object) -> None:
        self.what = what
        self.expected = expected
        self.value = value
        super().__init__(
            f"{what} must be {expected}, got {type(value).__name__} {quoted(value)}; "
            f"give {expected}"
        )


class NonexistentInstantError(TicketflowError, ValueError):
    """A local time inside a DST gap was given as an instant: that wall time never
    happened in its zone, so it names no instant anyone observed."""

    def __init__(self, what: str, value: datetime) -> None:
        self.what = what
        self.value = value
        super().__init__(
            f"{what} is {value.replace(tzinfo=None).isoformat()} in {value.tzinfo}, a wall "
            "time the clocks skipped (a DST gap); give the instant the host's clock read, "
            "e.g. value.astimezone(timezone.utc).astimezone(zone)"
        )


class OutOfRangeError(TicketflowError, OverflowError):
    """A value is too large for time arithmetic (a duration of 10**30 seconds, an
    instant whose rule falls past the year 9999); also an ``OverflowError``, as
    ``datetime`` raises there."""

    def __init__(self, what: str, fix: str) -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what}; {fix}")


class CalendarRangeError(OutOfRangeError):
    """Business time was asked for outside the local dates a calendar can hold (years
    1 to 9999); also an ``OverflowError``, as ``datetime`` raises there."""

    def __init__(self) -> None:
        Exception.__init__(
            self,
            "business time can only be computed for local dates from 0001-01-02 to "
            "9999-12-30; use instants and durations that stay inside that range",
        )
        self.what = "business time outside the calendar's range"
        self.fix = "use instants and durations that stay inside that range"


class LocalDateExpectedError(TicketflowError, TypeError):
    """A datetime was given where a calendar wants a local date."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"{what} takes local dates, not datetimes; "
            "give instant.astimezone(calendar.zone).date()"
        )


class EventStreamError(TicketflowError, ValueError):
    """A sequence of events cannot be replayed into a ticket (wrong start, gap, mixed ids)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"cannot replay these events: {what}; pass one ticket's events in version order, "
            "starting with its TicketOpened"
        )


class CommandRefusedError(TicketflowError):
    """The base of every refusal of a command; the ticket is left as it was.

    ``code`` names the kind of refusal for programs (``"closed"``, ``"wrong_status"``,
    ``"role"``, ``"ownership"``, ``"missing_requirement"``, ...).
    """

    code = "refused"


class InstantBeforeLastChangeError(TicketflowError, ValueError):
    """A question about a ticket was asked for an instant before its last change."""

    def __init__(self, what: str, at: datetime, last_change: datetime) -> None:
        self.at = at
        self.last_change = last_change
        super().__init__(
            f"{what} asked as of {at.isoformat()}, before the ticket's last change at "
            f"{last_change.isoformat()}; the ticket only knows its state from its last "
            "change on: ask for an instant not before it, or replay the events up to then"
        )


class StaleCommandError(CommandRefusedError, ValueError):
    """A command is older than the ticket's last change (time never runs backwards)."""

    code = "stale"

    def __init__(self, at: datetime, last_change: datetime) -> None:
        self.at = at
        self.last_change = last_change
        super().__init__(
            f"the command happened at {at.isoformat()}, before the ticket's last change at "
            f"{last_change.isoformat()}; time never runs backwards inside a ticket: reload the "
            "ticket and send the command again with an instant not before its last change"
        )


class UnknownActionError(CommandRefusedError, LookupError):
    """The action is not defined by the workflow."""

    code = "unknown_action"

    def __init__(self, action: str, known: Iterable[str]) -> None:
        self.action = action
        self.known: tuple[str, ...] = tuple(sorted(known))
        super().__init__(
            f"unknown action {quoted(action)}: the workflow defines "
            f"{quoted_names(self.known) or 'no actions'}; use one of them"
        )


class ActionNotAllowedError(CommandRefusedError, ValueError):
    """The action exists but cannot be performed from the ticket's current status."""

    code = "wrong_status"

    def __init__(
        self, action: str, status: str, allowed: Iterable[str], role: str | None = None
    ) -> None:
        self.action = action
        self.status = status
        self.role = role
        self.allowed: tuple[str, ...] = tuple(allowed)
        listed = quoted_names(self.allowed) or "none"
        who = f" to the role {quoted(role)}" if role else ""
        super().__init__(
            f"action {quoted(action)} is not allowed from status {quoted(status)}; "
            f"the actions open{who} from {quoted(status)} are: {listed}"
        )


class PermissionDeniedError(CommandRefusedError):
    """The actor may not do this: its ``code`` says why.

    ``"role"``: the actor's role may not do it; ``"ownership"``: a customer acting on a
    ticket they did not request; ``"anonymous"``: nobody authenticated the actor;
    ``"not_found"``: see :class:`TicketNotFoundError`.

    It subclasses no builtin: ``PermissionError`` is an ``OSError``, which a host's
    database code catches, and a domain refusal must not vanish there.
    """

    def __init__(self, actor_id: str, role: str, action: str, why: str, code: str = "role") -> None:
        self.code = code
        self.actor_id = actor_id
        self.role = role
        self.action = action
        self.why = why
        super().__init__(
            f"actor {quoted(actor_id)} with role {quoted(role)} may not {action}: {why}"
        )


class TicketNotFoundError(PermissionDeniedError, LookupError):
    """The actor may not see the ticket, so it learns nothing about it: not its status,
    not its last change, not why it could not act. The message is the same whether the
    ticket exists or not."""

    def __init__(self, actor_id: str, role: str, action: str) -> None:
        super().__init__(
            actor_id,
            role,
            action,
            "the ticket was not found or you are not permitted to see it; a customer acts "
            "only on the tickets they requested, and an unknown or anonymous role on none",
            code="not_found",
        )


class UnknownNameError(TicketflowError, LookupError):
    """A name was asked for that the definition does not hold (an SLA metric, a status).

    ``known`` lists (a few of) the names it holds.
    """

    def __init__(self, kind: str, name: object, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known: tuple[str, ...] = tuple(known)
        super().__init__(
            f"unknown {kind} {quoted(name)}; use one of: {quoted_names(self.known) or 'none'}"
        )


class TimerLoopError(TicketflowError, RuntimeError):
    """The desk's time-driven rules keep firing at one instant without end (a cycle of
    timers that never waits); fix the workflow's timers."""

    def __init__(self, ticket_id: str, at: datetime, count: int) -> None:
        self.ticket_id = ticket_id
        self.at = at
        self.count = count
        super().__init__(
            f"{count} time-driven rules fell due on ticket {quoted(ticket_id)} at the one "
            f"instant {at.isoformat()} without end: a cycle of timers fires without waiting; "
            "give every timer of the cycle a positive wait"
        )


class MissingRequirementError(CommandRefusedError, ValueError):
    """The action requires something the command or ticket does not provide."""

    code = "missing_requirement"

    def __init__(self, action: str, missing: Iterable[str]) -> None:
        self.action = action
        self.missing: tuple[str, ...] = tuple(missing)
        super().__init__(
            f"action {quoted(action)} cannot be performed yet: " + "; ".join(self.missing)
        )


class TicketClosedError(CommandRefusedError, ValueError):
    """The ticket is in a terminal status and accepts no further changes."""

    code = "closed"

    def __init__(self, ticket_id: str, status: str, hint: str = "") -> None:
        self.ticket_id = ticket_id
        self.status = status
        super().__init__(
            f"ticket {quoted(ticket_id)} is {quoted(status)}, a final status, "
            "and cannot change any more; "
            + (hint or "open a new ticket (a follow-up whose parent is this one) instead")
        )


@final
@attrs.frozen
class Violation:
    """One rule an escalation request breaks: a ``code`` and a message to act on."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class EscalationRefusedError(CommandRefusedError, ValueError):
    """An escalation or a change of support level broke the desk's escalation policy.

    ``violations`` lists every rule broken, each with a ``code`` and a message the
    requester can act on.
    """

    code = "escalation_refused"

    def __init__(self, violations: Iterable[Violation], what: str = "the escalation") -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{what} is refused:\n{lines}")


class InvalidCommandError(CommandRefusedError, ValueError):
    """The command itself is malformed for this desk (unknown priority, empty reply, ...)."""

    code = "invalid"

    def __init__(self, what: str, fix: str) -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what}; {fix}")
