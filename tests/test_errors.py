"""The error hierarchy (``_errors.py``): typed errors that carry their data, and messages
that quote the offending value, short whatever it was."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

import ticketflow.codec  # noqa: F401 - the codec's errors join the hierarchy walked here
from ticketflow import (
    DeskDefinitionError,
    InvalidTypeError,
    InvalidValueError,
    Problem,
    TicketflowError,
)
from ticketflow._errors import MAX_PROBLEMS, quoted, quoted_names


def every_error(base: type[Exception] = TicketflowError) -> Iterator[type[Exception]]:
    for sub in base.__subclasses__():
        yield sub
        yield from every_error(sub)


class TestHierarchy:
    @pytest.mark.parametrize("error", sorted(every_error(), key=str), ids=repr)
    def test_no_error_is_caught_as_a_database_error(self, error: type[Exception]) -> None:
        """No ticketflow error is an OSError, which a host's database code catches."""
        assert not issubclass(error, OSError)

    def test_every_error_is_public(self) -> None:
        """Every error a caller may meet can be named, as ``except`` needs: from
        ``ticketflow`` when a private module defines it, else from its public namespace
        (``ticketflow.codec.DocumentError``)."""

        def home(error: type[Exception]) -> str:
            private = error.__module__.rpartition(".")[2].startswith("_")
            return "ticketflow" if private else error.__module__

        hidden = {
            f"{error.__module__}.{error.__name__}"
            for error in every_error()
            if error.__name__ not in sys.modules[home(error)].__all__
        }

        # DefinitionError is the base the workflow, desk and calendar errors share.
        assert set() == hidden - {"ticketflow._errors.DefinitionError"}


class TestMessages:
    def test_a_long_value_is_quoted_short(self) -> None:
        """A 10 MB string is quoted in under a hundred characters."""
        assert len(quoted("x" * 10**7)) < 100

    def test_a_value_whose_repr_fails_is_quoted_by_its_type(self) -> None:
        """A value whose ``__repr__`` raises is quoted by its type's name, so the error being
        reported is not hidden by another."""

        class Hostile:
            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert quoted(Hostile()).startswith("<Hostile ")

    def test_many_names_are_listed_up_to_a_limit(self) -> None:
        """``quoted_names`` shows the first names and counts the rest."""
        assert "'a', 'b' and 3 more" == quoted_names("abcde", limit=2)

    def test_a_wrong_type_says_what_was_expected_what_came_and_how_to_fix_it(self) -> None:
        """InvalidTypeError names the field, the expected type and the value given, and
        carries them as attributes."""
        error = InvalidTypeError("Reply.body", "a string", None)

        expected = ("Reply.body must be a string, got NoneType None; give a string", None)
        assert expected == (str(error), error.value)
        assert isinstance(error, TypeError)

    def test_a_malformed_value_says_how_to_fix_it(self) -> None:
        """InvalidValueError reads "what was wrong; how to fix it" and is a ValueError."""
        error = InvalidValueError("the ticket id is empty", "give a non-empty id")

        assert "the ticket id is empty; give a non-empty id" == str(error)
        assert isinstance(error, ValueError)


class TestDefinitionErrors:
    def test_every_problem_is_kept_and_the_message_is_bounded(self) -> None:
        """A definition with more than MAX_PROBLEMS problems keeps them all in ``problems``
        and lists the first MAX_PROBLEMS in its message, then how many more there are."""
        problems = [
            Problem(f"status 's{i}'", "is unreachable", "add a transition") for i in range(60)
        ]

        error = DeskDefinitionError(problems)

        assert 60 == len(error.problems)
        assert str(error).startswith("invalid desk: 60 problems\n")
        assert str(error).endswith(f"... and {60 - MAX_PROBLEMS} more (see the error's .problems)")

    def test_a_problem_reads_where_what_and_the_fix(self) -> None:
        """A problem reads "where: what (fix: how)"."""
        problem = Problem("status 'x'", "is unreachable", "add a transition into it")

        assert "status 'x': is unreachable (fix: add a transition into it)" == str(problem)
