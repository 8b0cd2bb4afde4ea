"""Every write to the registry, one module per sub-aggregate: persons, households,
relationships, the duplicates queue, merges.

Each function is atomic and records its audit event in the same transaction. Other apps
import from this package, so the split stays an internal matter of the registry.
"""

from ochag.core.services import ConflictError
from ochag.registry.services.breakglass import break_glass_open, break_glass_target
from ochag.registry.services.deletion import person_mark_for_deletion, person_unmark
from ochag.registry.services.disability import (
    DisabilityData,
    person_disability_record,
    person_edit,
)
from ochag.registry.services.duplicates import demo_duplicates, duplicate_dismiss, duplicates_find
from ochag.registry.services.households import (
    household_create,
    household_update,
    membership_add,
    membership_remove,
)
from ochag.registry.services.merges import (
    EDITED,
    LATER,
    REVERT,
    FieldOutcome,
    MergeBlocked,
    UnmergePlan,
    UnmergeResult,
    merge_blockers,
    person_merge,
    person_unmerge,
    unmerge_plan,
)
from ochag.registry.services.persons import (
    PERSON_FIELDS,
    NewPerson,
    PersonData,
    Resolution,
    ResolvedCandidate,
    known_lookup_record,
    parse_birth,
    person_create,
    person_create_many,
    person_former_name_add,
    person_keys_backfill,
    person_prepare,
    person_resolve,
    person_snapshot,
    person_update,
    record_from_data,
    search_log_record,
)
from ochag.registry.services.relationships import relationship_add, relationship_remove
from ochag.registry.services.schooling import schooling_add, schooling_end

__all__ = [
    "EDITED",
    "LATER",
    "PERSON_FIELDS",
    "REVERT",
    "ConflictError",
    "DisabilityData",
    "FieldOutcome",
    "MergeBlocked",
    "NewPerson",
    "PersonData",
    "Resolution",
    "ResolvedCandidate",
    "UnmergePlan",
    "UnmergeResult",
    "break_glass_open",
    "break_glass_target",
    "demo_duplicates",
    "duplicate_dismiss",
    "duplicates_find",
    "household_create",
    "household_update",
    "known_lookup_record",
    "membership_add",
    "membership_remove",
    "merge_blockers",
    "parse_birth",
    "person_create",
    "person_create_many",
    "person_disability_record",
    "person_edit",
    "person_former_name_add",
    "person_keys_backfill",
    "person_mark_for_deletion",
    "person_merge",
    "person_prepare",
    "person_resolve",
    "person_snapshot",
    "person_unmark",
    "person_unmerge",
    "person_update",
    "record_from_data",
    "relationship_add",
    "relationship_remove",
    "schooling_add",
    "schooling_end",
    "search_log_record",
    "unmerge_plan",
]
