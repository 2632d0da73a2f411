"""The presets' desk files (``src/ticketflow/presets/*.toml``, issue 12, deliverable 2).

Each preset's desk is a TOML document shipped as package data; its module reads it. The
documents under ``tests/preset_documents/`` were written by ``desk.to_document()`` from
the presets' Python definitions just before those became files (commit ``c4dc326``):
each file must read into that same desk. A deliberate change of a preset's desk changes
its file and then its recorded document, in the same commit::

    python -c "import json; from ticketflow.presets import support_portal as p;
    print(json.dumps(p.desk().to_document(), indent=1))" \
        > tests/preset_documents/support_portal.json
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Final

import attrs
import jsonschema
import pytest

import ticketflow.presets
from command_line import ticketflow as run_cli
from ticketflow import BusinessTime, Desk
from ticketflow.presets import (
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)

RECORDED: Final = Path(__file__).parent / "preset_documents"

DESKS: Final[dict[str, Callable[[], Desk]]] = {
    "support_portal": support_portal.desk,
    "hosting_portal": hosting_portal.desk,
    "escalation_process": escalation_process.desk,
    "escalation_process_engineering": escalation_process.engineering_desk,
    "italian_helpdesk": italian_helpdesk.desk,
    "volvo_it": volvo_it.desk,
    "servicenow": servicenow.desk,
}
"""Each desk file recorded from a Python definition (its name without ``.toml``) and the
preset function that builds its desk."""

NAMES: Final = tuple(DESKS)

FILES: Final = tuple(
    sorted(
        entry.name.removesuffix(".toml")
        for entry in files("ticketflow.presets").iterdir()
        if entry.name.endswith(".toml")
    )
)
"""Every desk file the presets package ships (a preset written as a file from the start
has no recorded document)."""

COPY_COMMAND: Final = (
    "import importlib.resources as r, sys; "
    "sys.stdout.write(r.files('ticketflow.presets').joinpath(sys.argv[1] + '.toml').read_text())"
)
"""The one-liner ``docs/desks.md`` gives to copy a preset file: ``python -c "..." NAME``."""


def text_of(name: str) -> str:
    """The text of the desk file ``name``, read as the preset modules read it."""
    return files("ticketflow.presets").joinpath(f"{name}.toml").read_text(encoding="utf-8")


def recorded(name: str) -> object:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


class TestTheFilesAreThePresetsDesks:
    @pytest.mark.parametrize("name", NAMES)
    def test_the_recorded_document_is_the_desk_the_preset_builds(self, name: str) -> None:
        """Given the document recorded from the Python definition, when read, then it is
        the desk the preset builds, which writes the same document."""
        built = DESKS[name]()

        assert (Desk.from_document(recorded(name)), recorded(name)) == (built, built.to_document())

    @pytest.mark.parametrize("name", NAMES)
    def test_the_file_reads_into_the_recorded_desk(self, name: str) -> None:
        """Given the preset's desk file, when read, then it is the desk the Python
        definition built before it became a file."""
        assert Desk.from_document(recorded(name)) == Desk.from_toml(text_of(name))

    @pytest.mark.parametrize("name", NAMES)
    def test_the_preset_hands_out_the_workflow_it_read(self, name: str) -> None:
        """A preset's desk shares one workflow, read once, across calls."""
        assert DESKS[name]().workflow is DESKS[name]().workflow

    @pytest.mark.parametrize("name", NAMES)
    def test_each_desk_gets_a_calendar_of_its_own(self, name: str) -> None:
        """Two desks of a preset have equal calendars but not one shared calendar (whose
        caches would be state shared between desks)."""
        first, second = DESKS[name](), DESKS[name]()

        assert (True, False) == (
            first.calendar == second.calendar,
            first.calendar is second.calendar,
        )

    def test_the_escalation_process_is_the_support_portal_with_tiers(self) -> None:
        """Seed 003's desk file is the support portal's but for the escalation policy's
        tiers and the declared supervisor (so the two files cannot drift apart)."""
        portal, process = support_portal.desk(), escalation_process.desk()

        assert process.escalation is not None
        expected = attrs.evolve(
            portal,
            escalation=attrs.evolve(support_portal.ESCALATION, tiers=process.escalation.tiers),
            roles=(*portal.roles, *escalation_process.ROLES),
        )
        assert (expected, ["supervisor"]) == (process, [r.name for r in escalation_process.ROLES])

    def test_every_preset_has_its_desk_file(self) -> None:
        """Every preset of ``ticketflow.presets`` ships a desk file named after it."""
        assert set() == set(ticketflow.presets.__all__) - set(FILES)

    def test_every_recorded_desk_has_its_file(self) -> None:
        """Every desk recorded from a Python definition has its file in the package."""
        assert set() == set(NAMES) - set(FILES)


_RULE: Final = re.compile(r"^\[\[(?P<table>[a-z_.]+)\]\]$")


def uncommented_rules(text: str) -> list[str]:
    """The ``[[...]]`` tables of ``text`` with no comment directly above or inside them
    (the comments that end a table, just above the next one, are the next one's)."""
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if _RULE.match(line)]
    bare = []
    for number, start in enumerate(headers):
        end = headers[number + 1] if number + 1 < len(headers) else len(lines)
        body = lines[start + 1 : end]
        while number + 1 < len(headers) and body and (body[-1].startswith("#") or not body[-1]):
            body.pop()
        above = next((line for line in reversed(lines[:start]) if line.strip()), "")
        if not above.startswith("#") and not any(line.lstrip().startswith("#") for line in body):
            bare.append(f"line {start + 1}: {lines[start]}")
    return bare


class TestTheFilesSayWhy:
    @pytest.mark.parametrize("name", FILES)
    def test_every_rule_has_its_reason_beside_it(self, name: str) -> None:
        """Every rule of a desk file (a status, transition, reaction, timer, role, metric,
        auto-close or notification rule) has a comment beside it: the seed's sentence or
        the log's finding behind it."""
        assert [] == uncommented_rules(text_of(name))

    def test_the_comment_check_finds_a_bare_rule(self) -> None:
        """The check sees a rule with no comment, and only that one (so its silence
        means something)."""
        text = '# why\n[[roles]]\nname = "a"\n\n[[roles]]\nname = "b"\n# why\n[[roles]]\n'

        assert ["line 5: [[roles]]"] == uncommented_rules(text)


class TestCheckingTheFiles:
    @pytest.mark.parametrize("name", FILES)
    def test_ticketflow_check_passes_on_every_preset_file(self, name: str, tmp_path: Path) -> None:
        """``ticketflow check`` on a copy of a preset file exits 0."""
        path = tmp_path / f"{name}.toml"
        path.write_text(text_of(name), encoding="utf-8")

        done = run_cli("check", str(path))

        assert (0, "") == (done.returncode, done.stderr)

    @staticmethod
    def check_broken(tmp_path: Path, edits: dict[str, str]) -> tuple[int, dict[str, bool], str]:
        """``ticketflow check`` on the portal's file with each edit made once: its exit
        status, each problem's path mapped to whether its line says the fix, and the
        summary it prints on stderr."""
        text = text_of("support_portal")
        broken = text
        for old, new in edits.items():
            assert 1 == broken.count(old)
            broken = broken.replace(old, new)
        path = tmp_path / "broken.toml"
        path.write_text(broken, encoding="utf-8")

        done = run_cli("check", str(path))

        lines = [line.removeprefix(f"{path}: ") for line in done.stdout.splitlines()]
        fixes = {line.partition(": ")[0]: "(fix: " in line for line in lines}
        return done.returncode, fixes, done.stderr.removeprefix(f"{path}: ").strip()

    def test_check_lists_every_mistake_of_a_broken_copy_with_its_path_and_fix(
        self, tmp_path: Path
    ) -> None:
        """Given a copy of the portal's file with five mistakes in five parts (a key, a
        staff power, a duration unit, a time zone, an SLA target), then ``ticketflow
        check`` exits 1 and lists all five, each at its path with its fix."""
        edits = {
            'then = ["closed"]': 'thne = ["closed"]',
            'may = ["internal_notes"]': 'may = ["internal_note"]',
            "cooldown = {business_hours = 4}": "cooldown = {business_hour = 4}",
            'tz = "Europe/Moscow"': 'tz = "Europe/Moskow"',
            "critical = {business_hours = 1}": "critical = {business_days = 1}",
        }

        found = self.check_broken(tmp_path, edits)

        paths = [
            "workflow.transitions[2].thne",
            "roles[0].may[0]",
            "escalation.cooldown",
            "calendar.tz",
            "sla.metrics[0].targets.critical",
        ]
        assert (1, dict.fromkeys(paths, True), "5 problems") == found

    def test_check_lists_every_cross_check_of_a_broken_copy_with_its_path_and_fix(
        self, tmp_path: Path
    ) -> None:
        """Given a copy whose parts are each well formed but name what the desk does not
        have (a role, a category to pause in, an auto-close status, an event kind), then
        ``ticketflow check`` exits 1 and lists all four, each at its path with its fix."""
        edits = {
            'roles = ["agent", "system"]': 'roles = ["agent", "sytem"]',
            'pauses_in = ["waiting_on_customer"]': 'pauses_in = ["waiting_on_customr"]',
            'when = "resolved"': 'when = "resolvd"',
            'on = "ReminderSent"': 'on = "reminder_sent"',
        }

        found = self.check_broken(tmp_path, edits)

        paths = [
            "auto_close.rules[0].when",
            "sla.metrics[2]",
            "notifications.rules[3].on",
            "workflow.transitions[9].roles",
        ]
        assert (1, dict.fromkeys(paths, True), "4 problems") == found

    def test_check_places_a_status_problem_at_its_path(self, tmp_path: Path) -> None:
        """A status's unknown category is reported at its path in the document."""
        found = self.check_broken(tmp_path, {'category = "on_hold"': 'category = "onhold"'})

        assert (1, {"workflow.statuses[2].category": True}, "1 problem") == found

    @pytest.mark.parametrize("name", FILES)
    def test_the_json_schema_validates_every_preset_file(self, name: str) -> None:
        """Every preset file, parsed by ``tomllib``, is valid against the published JSON
        Schema of a desk document."""
        schema = json.loads(files("ticketflow").joinpath("desk.schema.json").read_text())

        jsonschema.Draft202012Validator(schema).validate(tomllib.loads(text_of(name)))

    def test_the_schema_check_refuses_a_broken_preset_file(self) -> None:
        """A preset file with an unknown key fails the schema (so the check above can fail)."""
        schema = Desk.json_schema()
        document = tomllib.loads(text_of("hosting_portal") + '\n[intake]\nfeilds = ["x"]\n')

        with pytest.raises(jsonschema.ValidationError, match="feilds"):
            jsonschema.Draft202012Validator(schema).validate(document)


class TestCopyingAPresetFile:
    def test_the_documented_one_liner_copies_a_preset_file(self, tmp_path: Path) -> None:
        """``python -c "<the one-liner>" support_portal`` prints the preset's file, byte
        for byte, ready to be redirected into a file of one's own."""
        done = subprocess.run(
            [sys.executable, "-c", COPY_COMMAND, "support_portal"],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )

        assert text_of("support_portal") == done.stdout

    def test_an_edited_copy_loads_with_the_edit(self, tmp_path: Path) -> None:
        """Given a copy of the portal's file with the critical first-response target
        raised to 2 business hours, when loaded, then that target is 2 hours and the rest
        of the desk is the preset's."""
        source = Path(str(files("ticketflow.presets").joinpath("support_portal.toml")))
        copy = tmp_path / "my_desk.toml"
        shutil.copyfile(source, copy)
        text = copy.read_text(encoding="utf-8")
        edited = text.replace("critical = {business_hours = 1}", "critical = {business_hours = 2}")
        assert 1 == text.count("critical = {business_hours = 1}")
        copy.write_text(edited, encoding="utf-8")

        desk = Desk.from_toml(copy.read_text(encoding="utf-8"))

        preset = support_portal.desk()
        target = desk.sla.metrics[0].target("critical")
        assert (BusinessTime(timedelta(hours=2)), preset.workflow, preset.sla.metrics[1:]) == (
            target,
            desk.workflow,
            desk.sla.metrics[1:],
        )

    def test_the_docs_give_the_one_liner_tested_here(self) -> None:
        """``docs/desks.md`` ("Start from a preset") gives the copy command this module
        runs, word for word."""
        page = Path(__file__).resolve().parents[1] / "docs" / "desks.md"

        assert f'python -c "{COPY_COMMAND}" support_portal' in page.read_text(encoding="utf-8")
