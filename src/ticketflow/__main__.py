"""``python -m ticketflow``: the command-line tool (:mod:`ticketflow.cli`)."""

from ticketflow.cli import main

raise SystemExit(main())
