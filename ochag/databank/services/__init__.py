"""Writes on the data bank (HackSoft style: keyword-only ``<entity>_<action>`` functions,
each one transaction with its audit entry)."""

from ochag.core.services import ConflictError
from ochag.databank.services.bank import (
    HOME_INSPECTION_DAYS,
    PROFILE_TERM_WORKING_DAYS,
    add_month,
    bank_generation_bump,
    child_create,
    child_place,
    child_update,
    contact_record,
    family_conclude,
    family_create,
    family_inspect,
    family_update,
    federal_transfer_record,
)
from ochag.databank.services.deadlines import federal_overdue_escalate, inspection_overdue_escalate
from ochag.databank.services.photos import photo_remove, photo_save
from ochag.databank.services.siblings import (
    sibling_add,
    sibling_group_update,
    sibling_remove,
    siblings_join,
)

__all__ = [
    "HOME_INSPECTION_DAYS",
    "PROFILE_TERM_WORKING_DAYS",
    "ConflictError",
    "add_month",
    "bank_generation_bump",
    "child_create",
    "child_place",
    "child_update",
    "contact_record",
    "family_conclude",
    "family_create",
    "family_inspect",
    "family_update",
    "federal_overdue_escalate",
    "federal_transfer_record",
    "inspection_overdue_escalate",
    "photo_remove",
    "photo_save",
    "sibling_add",
    "sibling_group_update",
    "sibling_remove",
    "siblings_join",
]
