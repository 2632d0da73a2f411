"""Each real log's command stream (``real_logs.streams``): written as JSON lines, read
back by ``ticketflow.whatif.read_stream``, it replays as the log's own commands do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from command_line import ticketflow
from real_logs import streams
from real_logs.hosting import host_replay
from replaying import log_file, without_cyclic_gc
from ticketflow import whatif
from ticketflow.presets import italian_helpdesk

LOG = log_file(streams.LOGS["italian_helpdesk"].file)


class Written:
    """The Italian help desk's stream, written once for the module: its file and lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = streams.write("italian_helpdesk", path, LOG)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return Written(tmp_path_factory.mktemp("streams") / "helpdesk.jsonl")


class TestStreams:
    def test_a_written_stream_replays_as_the_logs_commands(self, written: Written) -> None:
        """Given the Italian help desk's stream written to a file and read back, when the
        host loop replays it, then every case ends as the log's own commands make it,
        with the same events, refusals and compared closes."""
        out, lines = written.path, written.lines
        desk = italian_helpdesk.desk()

        with out.open(encoding="utf-8") as file:
            hosted = without_cyclic_gc(lambda: whatif.host(desk, whatif.read_stream(file)))
        cases = streams.LOGS["italian_helpdesk"].cases(LOG)
        direct = without_cyclic_gc(
            lambda: [host_replay(desk, c, is_close=streams.is_close) for c in cases]
        )

        assert lines == sum(h.accepted + len(h.refusals) for h in hosted)
        assert [(d.ticket, d.events, d.closes) for d in direct] == [
            (h.ticket, h.events, h.closes) for h in hosted
        ]

    def test_only_the_logs_closes_are_marked(self, written: Written) -> None:
        """Given the Italian help desk's stream, when its lines are read as JSON, then
        exactly the close actions carry "logged": "close"."""
        out = written.path

        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

        marked = [line.get("logged") == "close" for line in lines]
        closes = [line["command"].get("action") == "close" for line in lines]
        assert closes == marked
        assert any(marked)


class TestCommandLine:
    def test_ticketflow_replay_runs_on_the_logs_stream(self, written: Written) -> None:
        """Given the Italian help desk's stream in a file, when ``ticketflow replay`` runs
        on it with --json at the log's sweep, then it reports the 4,580 cases and the
        figures the module reports for the same stream."""
        out = written.path
        log = streams.LOGS["italian_helpdesk"]

        command = ["replay", str(out), "--desk", log.desk, "--sweep", log.sweep, "--json"]

        result = ticketflow(*command)

        with out.open(encoding="utf-8") as file:
            expected = without_cyclic_gc(
                lambda: whatif.replay(italian_helpdesk.desk(), whatif.read_stream(file))
            )
        document = json.loads(result.stdout)["report"]
        assert (0, 4_580) == (result.returncode, document["tickets"])
        assert json.loads(json.dumps(expected.to_document())) == document
