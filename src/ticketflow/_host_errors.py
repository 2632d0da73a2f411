"""The refusals of the reference host (:mod:`ticketflow.host`), each naming the ticket.

They subclass :class:`ticketflow.TicketflowError` and the matching builtin, never the
``OSError`` family: a host's own database code catches that, and a refusal of the
host is not a broken connection.
"""

from __future__ import annotations

from ticketflow import TicketflowError
from ticketflow._errors import quoted

_HOME = "ticketflow.host"  # where a caller names them (tracebacks, except, pickling)


class ConcurrencyConflict(TicketflowError, RuntimeError):  # noqa: N818 (the issue's name)
    """Another writer appended to the ticket first: this writer's version is stale.

    Attributes:
        ticket_id: the ticket both wrote to.
        expected: the version this writer loaded (and meant to append after).
        actual: the version the store holds now.
    """

    __module__ = _HOME

    def __init__(self, ticket_id: str, expected: int, actual: int) -> None:
        self.ticket_id = ticket_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"ticket {quoted(ticket_id)} is at version {actual}, not {expected} as loaded: "
            "another writer appended first; reload the ticket and handle the command again "
            "(ticketflow.host.execute does this a bounded number of times)"
        )

    def __reduce__(self) -> tuple[type[ConcurrencyConflict], tuple[str, int, int]]:
        # Rebuilt from its data when it crosses a process boundary.
        return (type(self), (self.ticket_id, self.expected, self.actual))


class VersionGapError(TicketflowError, ValueError):
    """Events to append do not follow the stored ones without a gap (or repeat a version).

    Attributes:
        ticket_id: the ticket.
        after: the version the events were meant to follow.
        version: the first version out of place.
    """

    __module__ = _HOME

    def __init__(self, ticket_id: str, after: int, version: int) -> None:
        self.ticket_id = ticket_id
        self.after = after
        self.version = version
        super().__init__(
            f"ticket {quoted(ticket_id)}: event version {quoted(version)} does not follow "
            f"version {quoted(after)}; append the events an outcome of the loaded ticket holds, "
            "numbered on from its version without a gap"
        )

    def __reduce__(self) -> tuple[type[VersionGapError], tuple[str, int, int]]:
        return (type(self), (self.ticket_id, self.after, self.version))


class CorruptEventError(TicketflowError, ValueError):
    """A stored event cannot be read back into an event of its ticket.

    Attributes:
        ticket_id: the ticket whose stream holds it.
        version: the stored event's version.
        why: what is wrong with it.
    """

    __module__ = _HOME

    def __init__(self, ticket_id: str, version: int, why: str) -> None:
        self.ticket_id = ticket_id
        self.version = version
        self.why = why
        super().__init__(
            f"ticket {quoted(ticket_id)}: the stored event at version {quoted(version)} "
            f"cannot be read ({why}); restore that row from a backup or the event's source: "
            "events are the truth and nothing is appended to a stream that cannot be read"
        )

    def __reduce__(self) -> tuple[type[CorruptEventError], tuple[str, int, str]]:
        return (type(self), (self.ticket_id, self.version, self.why))
