"""The presets package: its presets load lazily, and each builds a desk.

That presets import only the public namespace and do no I/O but read their own desk
files (package data, through ``importlib.resources``) is checked with the rest of the
package's shape, in ``test_architecture.py``; the files themselves in
``test_preset_files.py``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import ticketflow
import ticketflow.presets
from ticketflow import Desk

PRESETS = tuple(ticketflow.presets.__all__)
PACKAGE = Path(ticketflow.presets.__file__).parent


def run_python(code: str) -> str:
    """What a fresh interpreter prints running ``code`` (nothing imported before it)."""
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return done.stdout.strip()


class TestLazyLoading:
    def test_importing_the_package_imports_no_preset(self) -> None:
        """``import ticketflow.presets`` builds no desk: none of the presets is imported."""
        printed = run_python(
            "import sys, ticketflow.presets\n"
            "print(sorted(m for m in sys.modules if m.startswith('ticketflow.presets.')))"
        )

        assert "[]" == printed

    def test_a_preset_is_imported_when_first_named(self) -> None:
        """``from ticketflow.presets import support_portal`` imports that preset (and the
        ones it builds on) and no other."""
        printed = run_python(
            "import sys\n"
            "from ticketflow.presets import support_portal\n"
            "print(support_portal.desk().workflow.name,"
            " sorted(m for m in sys.modules if m.startswith('ticketflow.presets.')))"
        )

        assert "support-portal ['ticketflow.presets.support_portal']" == printed

    def test_a_preset_is_an_attribute_of_the_package(self) -> None:
        """``ticketflow.presets.support_portal`` is the preset module, once imported."""
        from ticketflow.presets import support_portal

        assert support_portal is ticketflow.presets.support_portal

    @pytest.mark.parametrize("name", PRESETS)
    def test_every_preset_loads_by_attribute(self, name: str) -> None:
        """Every name of ``__all__`` is a preset module reached by attribute access."""
        module = getattr(ticketflow.presets, name)

        assert (True, f"ticketflow.presets.{name}") == (
            isinstance(module, ModuleType),
            module.__name__,
        )

    def test_dir_lists_every_preset(self) -> None:
        """``dir(ticketflow.presets)`` lists every preset, imported or not."""
        assert set(PRESETS) <= set(dir(ticketflow.presets))

    def test_an_unknown_preset_is_an_attribute_error(self) -> None:
        """An unknown name raises AttributeError, naming it (as any module does)."""
        with pytest.raises(AttributeError, match="'nope'"):
            ticketflow.presets.nope  # noqa: B018


class TestPresets:
    def test_the_package_holds_the_presets_alone(self) -> None:
        """Every module of the package is a preset of ``__all__`` (no private helpers)."""
        modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}

        assert set(PRESETS) == modules

    @pytest.mark.parametrize("name", PRESETS)
    def test_every_preset_builds_a_desk(self, name: str) -> None:
        """Every preset's ``desk()`` builds a desk, and every name it exports exists."""
        module = importlib.import_module(f"ticketflow.presets.{name}")

        assert (True, []) == (
            isinstance(module.desk(), Desk),
            [n for n in module.__all__ if not hasattr(module, n)],
        )

    def test_the_typed_attribute_access_reaches_the_desk(self) -> None:
        """``ticketflow.presets.servicenow.desk`` is typed (mypy checks this line) and
        builds the ServiceNow desk."""
        desk: Desk = ticketflow.presets.servicenow.desk()

        assert "servicenow-incident" == desk.workflow.name


# -- declared roles (issue 12, deliverable 3) ----------------------------------------------

DECLARING = ("support_portal", "hosting_portal", "escalation_process")
"""The presets whose desks declare their roles (the log presets are another page's)."""


class TestDeclaredRoles:
    @pytest.mark.parametrize("name", DECLARING)
    def test_the_preset_declares_its_roles(self, name: str) -> None:
        """Given the preset's desk, then it declares at least one role, and its staff are
        the built-in agent and system and exactly the declared roles."""
        desk = importlib.import_module(f"ticketflow.presets.{name}").desk()

        declared = {role.name for role in desk.roles}
        assert (True, {"agent", "system"} | declared) == (bool(declared), desk.staff_roles)

    def test_the_supervisor_holds_the_power_the_seed_gives_it(self) -> None:
        """Seed 003's supervisor skips a level, opens a case straight at a higher level
        or moves a case down: it holds the open-tickets and change-support-level powers
        and no other."""
        from ticketflow.presets import escalation_process

        desk = escalation_process.desk()

        expected = {"open_tickets", "change_support_level"}
        assert expected == desk.powers_of(escalation_process.SUPERVISOR)

    def test_the_engineer_holds_what_linking_a_task_needs(self) -> None:
        """The R&D role may open a linked task: open it, with the case's priority, the
        specialist field and the client's mute, and nothing else."""
        from ticketflow.presets import escalation_process

        desk = escalation_process.engineering_desk()

        expected = {"open_tickets", "change_priority", "set_fields", "mute"}
        assert expected == desk.powers_of(escalation_process.ENGINEER)

    @pytest.mark.parametrize("name", DECLARING)
    def test_a_role_typo_in_the_presets_workflow_is_now_a_definition_error(self, name: str) -> None:
        """Given the preset's declared roles, when a transition names 'agnet', then the
        desk is refused, since every role the definition names is checked."""
        desk = importlib.import_module(f"ticketflow.presets.{name}").desk()
        first = desk.workflow.transitions[0]
        typo = attrs.evolve(first, roles={"agnet"})
        workflow = attrs.evolve(desk.workflow, transitions=(typo, *desk.workflow.transitions[1:]))

        with pytest.raises(ticketflow.DeskDefinitionError, match="'agnet'"):
            Desk(workflow=workflow, roles=desk.roles, escalation=desk.escalation)
