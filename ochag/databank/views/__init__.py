"""The data bank's screens (bank: lists, pages, contacts, federal; edit: profile, family and
sibling group; photos: the photo with consent)."""

from ochag.databank.views.bank import (
    child_create,
    child_detail,
    child_list,
    child_place,
    contact_add,
    family_conclude,
    family_create,
    family_detail,
    family_inspect,
    family_list,
    federal_queue,
    federal_send,
)
from ochag.databank.views.edit import (
    child_edit,
    family_edit,
    sibling_add,
    sibling_group,
    sibling_group_update,
    sibling_remove,
    siblings_join,
)
from ochag.databank.views.photos import anonymised_photo, child_photo, photo_remove, photo_upload

__all__ = [
    "anonymised_photo",
    "child_create",
    "child_detail",
    "child_edit",
    "child_list",
    "child_photo",
    "child_place",
    "contact_add",
    "family_conclude",
    "family_create",
    "family_detail",
    "family_edit",
    "family_inspect",
    "family_list",
    "federal_queue",
    "federal_send",
    "photo_remove",
    "photo_upload",
    "sibling_add",
    "sibling_group",
    "sibling_group_update",
    "sibling_remove",
    "siblings_join",
]
