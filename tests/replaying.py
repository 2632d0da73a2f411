"""Replaying a real log as a host importing it would: shared by the real-data tests."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar

import pytest

from ticketflow import Command, CommandRefusedError, Desk, Event, Ticket, handle

T = TypeVar("T")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
"""The workspace's real logs, beside the repository (not part of it)."""


def log_file(relative: str) -> Path:
    """The log at ``DATA / relative``; the calling test module is skipped, saying why,
    when it is not here."""
    path = DATA / relative
    if not path.is_file():
        pytest.skip(
            f"the real-data logs are not here: {path} is missing (shared/data sits next "
            "to the repository in the project's workspace and is not part of it)",
            allow_module_level=True,
        )
    return path


class Lived(NamedTuple):
    """What a desk made of one case's commands."""

    ticket: Ticket
    events: tuple[Event, ...]
    refusals: tuple[tuple[Command, CommandRefusedError], ...]


def live(desk: Desk, commands: Iterable[Command]) -> Lived:
    """Handle ``commands`` in order; a refused one is recorded with its error and
    skipped, as a host would reject that update and take the next one."""
    ticket: Ticket | None = None
    events: list[Event] = []
    refusals: list[tuple[Command, CommandRefusedError]] = []
    for command in commands:
        try:
            outcome = handle(desk, ticket, command)
        except CommandRefusedError as refusal:
            refusals.append((command, refusal))
            continue
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None, "the case's OpenTicket was refused"
    return Lived(ticket, tuple(events), tuple(refusals))


def without_cyclic_gc(build: Callable[[], T]) -> T:
    """``build()`` with the cyclic garbage collector paused.

    A replay keeps every command, event and ticket of a log alive, and none of them is
    in a reference cycle: the collector, left on, would traverse them all again and
    again, for more than half of the replay's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if enabled:
            gc.enable()
