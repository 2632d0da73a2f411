"""Readers of the real event logs the log-based presets were built from, for the tests.

The installed package does no I/O, so the readers of the workspace's logs and the
translation of their rows into commands live here, beside the tests that replay them
(and ``benchmarks/bench_real_data.py``), one module per log:

- :mod:`real_logs.servicenow`: the ServiceNow incident log, for
  :mod:`ticketflow.presets.servicenow`;
- :mod:`real_logs.italian_helpdesk`: the Italian help desk's log, for
  :mod:`ticketflow.presets.italian_helpdesk`;
- :mod:`real_logs.volvo_it`: the BPI Challenge 2013 incident log, for
  :mod:`ticketflow.presets.volvo_it`;
- :mod:`real_logs.reader`: the gzipped-CSV reading they share (standard library only).
- :mod:`real_logs.hosting`: one case replayed as a host runs its desk, on
  :func:`ticketflow.whatif.host` (the one host loop);
- :mod:`real_logs.streams`: each log's command stream, written as the JSON lines
  ``ticketflow replay`` reads (a function and a script).

Each translator says what the log says, in its order; whether ticketflow accepts each
command is for :func:`ticketflow.handle` to decide.
"""
