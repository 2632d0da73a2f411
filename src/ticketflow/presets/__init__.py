"""Ready-made desks, one module per real support desk described in the project's seeds.

- :mod:`ticketflow.presets.support_portal`: the technical support portal (seeds 000/001).
- :mod:`ticketflow.presets.hosting_portal`: a hosting provider's customer portal (seed 002).
- :mod:`ticketflow.presets.case_portal`: a client portal's cases, monitored by their
  requesters, with comments and files (seed 004).
- :mod:`ticketflow.presets.escalation_process`: support tiers L1-L3 and the linked
  engineering task (seed 003).
- :mod:`ticketflow.presets.servicenow`: ServiceNow incidents, as a real instance's audit
  log shows them (``shared/data/servicenow_incidents``).
- :mod:`ticketflow.presets.italian_helpdesk`: an Italian software company's help desk,
  as its event log shows it (``shared/data/helpdesk_italian``).
- :mod:`ticketflow.presets.volvo_it`: Volvo IT Belgium's incidents with support lines
  L1-L3, as the BPI Challenge 2013 log shows them (``shared/data/bpi2013_incidents``).

Each preset is a desk built from the public ``ticketflow`` namespace alone, so it reads
as a template for a desk of your own. A preset is imported when first used
(``from ticketflow.presets import servicenow`` or ``ticketflow.presets.servicenow``), so
importing this package builds no workflow. Every preset but ``servicenow`` reads its
desk file when one of its constants or its desk is first asked for, so importing it
builds no desk either, nor imports the holidays package (which a desk's country
calendar needs). The logs' readers are not part of the package: they live beside the
tests that replay the logs.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ticketflow.presets import (
        case_portal,
        escalation_process,
        hosting_portal,
        italian_helpdesk,
        servicenow,
        support_portal,
        volvo_it,
    )

__all__ = [
    "case_portal",
    "escalation_process",
    "hosting_portal",
    "italian_helpdesk",
    "servicenow",
    "support_portal",
    "volvo_it",
]


def __getattr__(name: str) -> ModuleType:
    """The preset ``name``, imported on first use (PEP 562)."""
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
