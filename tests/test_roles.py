"""Declared roles (``_roles.py``): a host's role name and the staff powers it holds."""

from __future__ import annotations

from typing import Any

import pytest

from ticketflow import STAFF_POWERS, InvalidTypeError, InvalidValueError, Role


def loosely(cls: type[object]) -> Any:
    """``cls`` called with values of any type, as a host copying a form would."""
    return cls


class TestHostileRoles:
    @pytest.mark.parametrize("name", ["Auditor", "auditor ", "", "a" * 65, "9lives"])
    def test_a_malformed_name_is_no_role(self, name: str) -> None:
        """A name with capitals, whitespace, a leading digit or 65 characters is refused."""
        with pytest.raises(InvalidValueError, match="is not a role name"):
            Role(name)

    def test_an_unknown_power_is_refused_with_the_known_ones(self) -> None:
        """A misspelt power ('asign') is refused, listing every staff power."""
        with pytest.raises(InvalidValueError, match="'change_support_level'") as raised:
            Role("triage", may={"asign"})

        assert "'asign'" in str(raised.value)

    @pytest.mark.parametrize("may", [42, [None], [["assign"]]])
    def test_a_power_of_the_wrong_type_is_a_typed_error(self, may: object) -> None:
        """A number, None or a nested list where power names belong is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError, match=r"Role\.may"):
            loosely(Role)("triage", may=may)


class TestPowers:
    def test_a_role_with_no_powers_is_read_only(self) -> None:
        """A role declared with its name alone holds no staff power."""
        assert frozenset() == Role("readonly_auditor").may

    def test_one_power_may_be_given_as_a_string(self) -> None:
        """``may="assign"`` is the set of that one power."""
        assert frozenset({"assign"}) == Role("triage", may="assign").may

    def test_every_staff_power_may_be_granted(self) -> None:
        """A role may hold every power of STAFF_POWERS."""
        assert frozenset(STAFF_POWERS) == Role("lead", may=STAFF_POWERS).may

    def test_the_powers_are_the_vocabulary_the_docs_name(self) -> None:
        """The staff powers are the eight names docs/workflows.md lists, in that order."""
        expected = (
            "open_tickets",
            "assign",
            "change_priority",
            "set_fields",
            "internal_notes",
            "public_replies",
            "mute",
            "change_support_level",
        )

        assert expected == STAFF_POWERS
