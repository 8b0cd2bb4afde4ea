"""Every write to a case: one transaction each, an audit entry inside it, e-mail on commit.

One module per sub-aggregate; this package is the cases app's public write interface, so
callers import from ``ochag.cases.services`` and never from the modules.
"""

from ochag.cases.services.assessments import (
    emergency_removal_record,
    risk_assessment_record,
    safety_assessment_record,
)
from ochag.cases.services.case import (
    case_close,
    case_curator_change,
    case_open,
    case_participant_add,
    case_reopen,
    note_add,
)
from ochag.cases.services.commission import (
    commission_member_add,
    commission_member_update,
    commission_update,
)
from ochag.cases.services.common import (
    COURT_CLAIM_DAYS,
    COURT_CLAIM_SOURCE,
    MONITORING_SOURCE,
    add_months,
    children_of,
    monitoring_months,
    signal_label,
)
from ochag.cases.services.deadlines import deadlines_check
from ochag.cases.services.kdn import PointData, kdn_session_record
from ochag.cases.services.monitoring import monitoring_report_add
from ochag.cases.services.plan import plan_update, task_add, task_share, task_update
from ochag.cases.services.sitting import (
    MemberData,
    commission_set_up,
    sitting_attendance_record,
    sitting_case_add,
    sitting_decision_record,
    sitting_schedule,
)
from ochag.core.services import ConflictError

__all__ = [
    "COURT_CLAIM_DAYS",
    "COURT_CLAIM_SOURCE",
    "MONITORING_SOURCE",
    "ConflictError",
    "MemberData",
    "PointData",
    "add_months",
    "case_close",
    "case_curator_change",
    "case_open",
    "case_participant_add",
    "case_reopen",
    "children_of",
    "commission_member_add",
    "commission_member_update",
    "commission_set_up",
    "commission_update",
    "deadlines_check",
    "emergency_removal_record",
    "kdn_session_record",
    "monitoring_months",
    "monitoring_report_add",
    "note_add",
    "plan_update",
    "risk_assessment_record",
    "safety_assessment_record",
    "signal_label",
    "sitting_attendance_record",
    "sitting_case_add",
    "sitting_decision_record",
    "sitting_schedule",
    "task_add",
    "task_share",
    "task_update",
]
