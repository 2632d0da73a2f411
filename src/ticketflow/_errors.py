"""The error hierarchy.

Every error ticketflow raises is a :class:`TicketflowError` and also subclasses the
builtin a caller would naturally catch (``ValueError``, ``LookupError``,
``PermissionError``). Each carries the data that explains it as attributes and a
message that names what was wrong and how to fix it.

Refusals of a command share :class:`CommandRefusedError`, so a host can answer any
refusal the same way (show the message, keep the ticket as it was).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ticketflow._escalation import Violation

__all__ = [
    "ActionNotAllowedError",
    "CalendarDefinitionError",
    "CommandRefusedError",
    "DefinitionError",
    "DeskDefinitionError",
    "EscalationRefusedError",
    "EventStreamError",
    "InstantBeforeLastChangeError",
    "InvalidCommandError",
    "MissingRequirementError",
    "NaiveDatetimeError",
    "PermissionDeniedError",
    "Problem",
    "StaleCommandError",
    "TicketClosedError",
    "TicketflowError",
    "UnknownActionError",
]


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
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
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


class CalendarRangeError(TicketflowError, OverflowError):
    """Business time was asked for outside the local dates a calendar can hold (years
    1 to 9999); also an ``OverflowError``, as ``datetime`` raises there."""

    def __init__(self) -> None:
        super().__init__(
            "business time can only be computed for local dates from 0001-01-02 to "
            "9999-12-30; use instants and durations that stay inside that range"
        )


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
            f"unknown action {action!r}: the workflow defines "
            f"{', '.join(repr(a) for a in self.known) or 'no actions'}; use one of them"
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
        listed = ", ".join(repr(a) for a in self.allowed) or "none"
        who = f" to the role {role!r}" if role else ""
        super().__init__(
            f"action {action!r} is not allowed from status {status!r}; "
            f"the actions open{who} from {status!r} are: {listed}"
        )


class PermissionDeniedError(CommandRefusedError, PermissionError):
    """The actor may not do this: its ``code`` says why.

    ``"role"``: the actor's role may not do it; ``"ownership"``: a customer acting on a
    ticket they did not request; ``"anonymous"``: nobody authenticated the actor.
    """

    def __init__(self, actor_id: str, role: str, action: str, why: str, code: str = "role") -> None:
        self.code = code
        self.actor_id = actor_id
        self.role = role
        self.action = action
        self.why = why
        super().__init__(f"actor {actor_id!r} with role {role!r} may not {action}: {why}")


class MissingRequirementError(CommandRefusedError, ValueError):
    """The action requires something the command or ticket does not provide."""

    code = "missing_requirement"

    def __init__(self, action: str, missing: Iterable[str]) -> None:
        self.action = action
        self.missing: tuple[str, ...] = tuple(missing)
        super().__init__(f"action {action!r} cannot be performed yet: " + "; ".join(self.missing))


class TicketClosedError(CommandRefusedError, ValueError):
    """The ticket is in a terminal status and accepts no further changes."""

    code = "closed"

    def __init__(self, ticket_id: str, status: str, hint: str = "") -> None:
        self.ticket_id = ticket_id
        self.status = status
        super().__init__(
            f"ticket {ticket_id!r} is {status!r}, a final status, and cannot change any more; "
            + (hint or "open a new ticket (a follow-up whose parent is this one) instead")
        )


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
