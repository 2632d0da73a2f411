"""Ready-made desks, one module per real support desk described in the project's seeds.

- :mod:`ticketflow.presets.support_portal`: the technical support portal (seeds 000/001).
- :mod:`ticketflow.presets.hosting_portal`: a hosting provider's customer portal (seed 002).
- :mod:`ticketflow.presets.escalation_process`: support tiers L1-L3 and the linked
  engineering task (seed 003).
- :mod:`ticketflow.presets.servicenow`: ServiceNow incidents, as a real instance's audit
  log shows them (``shared/data/servicenow_incidents``), with the log's reader.
- :mod:`ticketflow.presets.italian_helpdesk`: an Italian software company's help desk,
  as its event log shows it (``shared/data/helpdesk_italian``), with the log's reader.
- :mod:`ticketflow.presets.volvo_it`: Volvo IT Belgium's incidents with support lines
  L1-L3, as the BPI Challenge 2013 log shows them (``shared/data/bpi2013_incidents``).
"""

from ticketflow.presets import (
    escalation_process,
    hosting_portal,
    italian_helpdesk,
    servicenow,
    support_portal,
    volvo_it,
)

__all__ = [
    "escalation_process",
    "hosting_portal",
    "italian_helpdesk",
    "servicenow",
    "support_portal",
    "volvo_it",
]
