"""The host's refusals (``_host_errors.py``): typed, naming the ticket and the versions,
saying how to fix it, quoting what they show."""

from __future__ import annotations

import pickle

import pytest

from ticketflow import TicketflowError
from ticketflow.host import ConcurrencyConflict, CorruptEventError, VersionGapError


class TestTypes:
    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (ConcurrencyConflict("T-1", 3, 5), RuntimeError),
            (VersionGapError("T-1", 3, 5), ValueError),
            (CorruptEventError("T-1", 4, "not JSON"), ValueError),
        ],
    )
    def test_each_is_a_ticketflow_error_and_its_builtin(
        self, error: TicketflowError, builtin: type[Exception]
    ) -> None:
        """Each refusal is a TicketflowError and the matching builtin, never an OSError."""
        assert isinstance(error, TicketflowError)
        assert isinstance(error, builtin)
        assert not isinstance(error, OSError)


class TestMessages:
    def test_a_conflict_names_the_ticket_both_versions_and_the_fix(self) -> None:
        """The conflict's message names the ticket, the loaded and the stored version, and
        says to reload."""
        message = str(ConcurrencyConflict("T-1", 3, 5))
        assert "'T-1'" in message
        assert "version 5, not 3" in message
        assert "reload" in message

    def test_a_gap_names_both_versions(self) -> None:
        """The gap's message names the version out of place and the one it should follow."""
        error = VersionGapError("T-1", 3, 5)
        assert ("T-1", 3, 5) == (error.ticket_id, error.after, error.version)
        assert "event version 5 does not follow version 3" in str(error)

    def test_a_corrupt_event_names_the_ticket_and_version(self) -> None:
        """The corrupt event's message names the ticket, the version and why."""
        error = CorruptEventError("T-1", 4, "not JSON")
        assert "'T-1'" in str(error)
        assert "version 4" in str(error)
        assert "not JSON" in str(error)

    def test_a_long_ticket_id_is_shortened(self) -> None:
        """A ticket id of a million characters is quoted shortened: the message stays short."""
        assert len(str(ConcurrencyConflict("x" * 1_000_000, 1, 2))) < 400


@pytest.mark.parametrize(
    "error",
    [
        ConcurrencyConflict("T-1", 3, 5),
        VersionGapError("T-1", 3, 5),
        CorruptEventError("T-1", 4, "not JSON"),
    ],
    ids=repr,
)
def test_each_crosses_a_process_boundary_whole(error: TicketflowError) -> None:
    """Pickled and read back (as from a worker process), each error keeps its data and
    its message, and is named from ticketflow.host."""
    back = pickle.loads(pickle.dumps(error))

    assert (type(error), str(error), vars(error)) == (type(back), str(back), vars(back))
    assert "ticketflow.host" == type(back).__module__
