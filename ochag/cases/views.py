"""Case screens: thin adapters over policies, selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.policies import agencies as agency_policy
from ochag.access.policies import territory_scope_q
from ochag.cases import forms, pdf, policies, scoring, selectors, services
from ochag.cases.models import (
    Case,
    CaseStatus,
    KdnSession,
    Level,
    NotificationKind,
    Plan,
    RiskAssessment,
    SafetyAssessment,
    Task,
    TaskStatus,
)
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table
from ochag.registry.models import Household, MemberRole, Person
from ochag.signals import policies as signal_policies
from ochag.signals.models import Signal

YES = [("yes", "")]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _staff_only(user: User) -> None:
    """The federal analyst and accounts without an agency see no personal records."""
    if not user.sees_personal_data or user.agency is None:
        raise PermissionDenied


def _context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    """What every case page shows; rendering one is a read of the family's record, so it is
    logged here, once, for every case page."""
    user = _user(request)
    match = request.resolver_match
    access_log_record(actor=user, obj=case, purpose=f"case {match.url_name if match else ''}")
    return {
        "case": case,
        "identity": selectors.identity(case, user),
        "can_manage": policies.cases.can_change(user, case),
        "can_note": policies.cases.can_add_note(user, case),
        "can_reopen": policies.cases.can_reopen(user, case),
        **extra,
    }


def _form_page(
    request: HttpRequest, case: Case, form: Any, *, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "cases/form.html",
        _context(
            request,
            case,
            form=form,
            title=title,
            submit=submit,
            cancel_url=reverse("cases:detail", args=[case.pk]),
            **extra,
        ),
    )


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", case.pk)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# Lists ---------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_only(user)
    table = Table(
        request=request,
        queryset=selectors.cases_for(user),
        columns=[
            Column(_("Case"), "number"),
            Column(_("Family"), "household__name", key="family"),
            Column(_("Municipality"), "territory__name", key="territory"),
            Column(_("Curator"), "curator__last_name", key="curator"),
            Column(_("Level"), "level"),
            Column(_("Status"), "status"),
            Column(_("Open tasks"), "open_tasks"),
            Column(_("Overdue"), "overdue_tasks"),
            Column(_("Opened"), "opened_at"),
        ],
        default_sort="-opened_at",
        search_fields=("number", "household__name"),
        filters=[
            Filter("status", _("Status"), CaseStatus.choices, lambda qs, v: qs.filter(status=v)),
            Filter("level", _("Level"), Level.choices, lambda qs, v: qs.filter(level=v)),
            Filter(
                "overdue",
                _("Overdue tasks"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(overdue_tasks__gt=0),
            ),
            Filter(
                "mine", _("My cases"), [("yes", _("Yes"))], lambda qs, v: qs.filter(curator=user)
            ),
            Filter(
                "curator",
                _("Curator"),
                selectors.curator_choices(policies.cases.visible(user)),
                lambda qs, v: qs.filter(curator_id=v),
            ),
            Filter(
                "flagged",
                _("Removal flagged for the justification panel"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(pk__in=selectors.flagged_case_ids()),
            ),
        ],
        caption=_("Cases"),
    )
    return render(
        request,
        "cases/case_list.html",
        {"table": table, "can_create": policies.cases.can_create(user)},
    )


def _agency_choices(tasks: QuerySet[Task]) -> list[tuple[str, str]]:
    ids = tasks.values_list("owner_agency", flat=True).distinct()
    return [(str(a.pk), str(a)) for a in Agency.objects.filter(pk__in=ids).order_by("name")]


def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks the user may see; the board links here with the same filters and counts."""
    user = _user(request)
    _staff_only(user)
    base = selectors.tasks_for(user)
    table = Table(
        request=request,
        queryset=base,
        columns=[
            Column(_("Task"), "title"),
            Column(_("Case"), "case__number", key="case"),
            Column(_("Agency"), "owner_agency__name", key="agency"),
            Column(_("Deadline"), "deadline"),
            Column(_("Status"), "status"),
            Column(_("Overdue since"), "overdue_since"),
        ],
        default_sort="deadline",
        search_fields=("title", "case__number"),
        filters=[
            Filter(
                "overdue",
                _("Overdue"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(selectors.OPEN_TASK, overdue_since__isnull=False),
            ),
            Filter(
                "agency",
                _("Agency"),
                _agency_choices(base),
                lambda qs, v: qs.filter(owner_agency_id=v),
            ),
            Filter("status", _("Status"), TaskStatus.choices, lambda qs, v: qs.filter(status=v)),
            Filter(
                "mine",
                _("My agency"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(owner_agency_id=user.agency_id),
            ),
            Filter(
                "open",
                _("Open work"),
                [("yes", _("Yes"))],
                lambda qs, v: qs.filter(selectors.OPEN_TASK),
            ),
            Filter(
                "curator",
                _("Curator"),
                selectors.curator_choices(policies.cases.visible(user)),
                lambda qs, v: qs.filter(case__curator_id=v),
            ),
        ],
        caption=_("Tasks"),
    )
    return render(request, "cases/task_list.html", {"table": table})


def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_only(user)
    table = Table(
        request=request,
        queryset=selectors.notifications_for(user),
        columns=[
            Column(_("Date"), "created_at"),
            Column(_("Case"), "case__number", key="case"),
            Column(_("Kind"), "kind"),
            Column(_("Message")),
        ],
        default_sort="-created_at",
        filters=[
            Filter("kind", _("Kind"), NotificationKind.choices, lambda qs, v: qs.filter(kind=v))
        ],
        caption=_("Case notifications"),
    )
    return render(request, "cases/notification_list.html", {"table": table})


def board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_only(user)
    rows = selectors.board(user)
    return render(
        request,
        "cases/board.html",
        {
            "rows": rows,
            "total": selectors.overdue_tasks_for(user).count(),
            "flagged": selectors.cases_for(user)
            .filter(pk__in=selectors.flagged_case_ids())
            .count(),
        },
    )


def workload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_only(user)
    return render(request, "cases/workload.html", {"rows": selectors.workload(user)})


# Opening -------------------------------------------------------------------------------


def _households(user: User) -> QuerySet[Household]:
    return Household.objects.filter(territory_scope_q(user)).select_related("territory")


def case_open_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.cases.require_create(user)
    form = forms.HouseholdSearchForm(request.GET or None)
    results: list[Household] = []
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        results = list(
            _households(user)
            .filter(Q(name__icontains=q) | Q(address__icontains=q))
            .order_by("name", "pk")[:25]
        )
    return render(
        request,
        "cases/open_search.html",
        {"form": form, "results": results, "searched": form.is_bound},
    )


def _signal(request: HttpRequest, user: User) -> Signal | None:
    """The source signal named in the request, only if the user may see it."""
    raw = request.GET.get("signal") or request.POST.get("signal") or ""
    if not raw:
        return None
    return signal_policies.signals.get_visible(user, pk=raw)


def case_from_signal(request: HttpRequest, signal_pk: int) -> HttpResponse:
    """Open a case from a signal about a family (the entry point from a signal's page)."""
    user = _user(request)
    signal = signal_policies.signals.get_visible(user, pk=signal_pk)
    policies.cases.require_create(user)
    if signal.household_id is None:
        messages.warning(
            request, _("Link the signal to a family first; a case is opened on a family.")
        )
        return redirect("signals:detail", signal.pk)
    existing = (
        policies.cases.visible(user)
        .filter(household_id=signal.household_id, status=CaseStatus.OPEN)
        .first()
    )
    if existing is not None:
        messages.info(request, _("This family already has an open case."))
        return redirect("cases:detail", existing.pk)
    return redirect(
        reverse("cases:open_household", args=[signal.household_id]) + f"?signal={signal.pk}"
    )


def case_open(request: HttpRequest, household_pk: int) -> HttpResponse:
    user = _user(request)
    policies.cases.require_create(user)
    try:
        household = _households(user).get(pk=household_pk)
    except Household.DoesNotExist as exc:
        raise Http404 from exc
    scope_agencies = (
        agency_policy.visible(user)
        .filter(is_active=True)
        .exclude(type__in=[AgencyType.MINISTRY, AgencyType.HELPLINE])
    )
    form = forms.CaseOpenForm(
        request.POST or None,
        curators=selectors.curators_for(user),
        agencies=scope_agencies,
        initial={"curator": user.pk} if user.role == Role.CASE_CURATOR else {},
    )
    signal = _signal(request, user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=user,
                household=household,
                curator=form.cleaned_data["curator"],
                legal_basis=form.cleaned_data["legal_basis"],
                agencies=form.cleaned_data["agencies"],
                source_signal=signal,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Case %(number)s is opened.") % {"number": case.number})
            return redirect("cases:detail", case.pk)
    children = [
        m.person
        for m in household.memberships.filter(role=MemberRole.CHILD).select_related("person")
    ]
    return render(
        request,
        "cases/open_form.html",
        {
            "form": form,
            "household": household,
            "children": children,
            "signal": signal,
            "signal_label": services.signal_label(signal) if signal else "",
        },
    )


# The case ------------------------------------------------------------------------------


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    tasks = list(selectors.case_tasks(user, case))
    today = timezone.localdate()
    for task in tasks:
        task.can_update = policies.tasks.can_change(user, task)  # type: ignore[attr-defined]
        task.overdue_now = task.is_overdue_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/case_detail.html",
        _context(
            request,
            case,
            tasks=tasks,
            notes=selectors.case_notes(user, case),
            safety=case.safety_assessments.all(),
            risks=case.risk_assessments.all(),
            removals=case.removals.prefetch_related("children"),
            sessions=case.sessions.all(),
            reports=case.monitoring_reports.all()[:5],
            plan=case.plan,
            participants=case.participants.select_related("agency"),
            criteria_labels={c.code: c.label for c in scoring.SAFETY_CRITERIA},
            can_remove=_can_remove(user, case),
        ),
    )


def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    return render(
        request,
        "cases/timeline.html",
        _context(request, case, events=selectors.timeline(user, case)),
    )


def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    return render(
        request,
        "cases/print.html",
        _context(
            request,
            case,
            tasks=selectors.case_tasks(user, case),
            plan=case.plan,
            events=selectors.timeline(user, case),
            printed_at=timezone.localtime(),
        ),
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _stamp(user: User, case: Case) -> pdf.Stamp:
    return pdf.Stamp(
        case.number,
        f"{user.get_full_name() or user.username} ({user.username})",
        timezone.localtime(),
    )


def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=case, purpose="case summary PDF")
    ident = selectors.identity(case, user)
    story: list[Any] = [
        pdf.facts_table(
            [(str(k), str(v)) for k, v in ident["facts"]]
            + [
                (_("Status"), ", ".join(str(b["label"]) for b in ident["badges"])),
                (_("Legal basis"), case.legal_basis or "—"),
                (_("Opened"), timezone.localtime(case.opened_at).strftime("%d.%m.%Y")),
            ]
        )
    ]
    story.append(pdf.p(_("Interagency plan"), "h2"))
    story.append(pdf.p(case.plan.goals or "—"))
    for task in selectors.case_tasks(user, case):
        story.append(
            pdf.p(
                f"• {task.title} — {task.owner_agency}; "
                f"{_('deadline')} {task.deadline:%d.%m.%Y}; {task.get_status_display()}"
            )
        )
    story.append(pdf.p(_("Case history"), "h2"))
    for event in selectors.timeline(user, case):
        story.append(
            pdf.p(f"{timezone.localtime(event.at):%d.%m.%Y} — {event.title} ({event.actor})")
        )
    content = pdf.render(
        title=_("Case summary %(number)s") % {"number": case.number},
        stamp=_stamp(user, case),
        story=story,
    )
    return _pdf_response(content, f"case-{case.pk}.pdf")


def session_pdf(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    try:
        session = case.sessions.select_related("recorded_by").get(pk=session_pk)
    except KdnSession.DoesNotExist as exc:
        raise Http404 from exc
    access_log_record(actor=user, obj=case, purpose="KDN resolution PDF")
    children = ", ".join(
        f"{p.full_name}, {p.birth_display}" for p in services.children_of(case.household)
    )
    story: list[Any] = [
        pdf.facts_table(
            [
                (_("Session date"), session.date.strftime("%d.%m.%Y")),
                (_("Case"), case.number),
                (_("Family"), str(case.household)),
                (_("Children"), children or "—"),
                (_("Address"), case.household.address or "—"),
                (_("Resolution"), session.get_resolution_display()),
            ]
        ),
        pdf.p(_("Agenda"), "h2"),
        pdf.p(session.agenda),
        pdf.p(_("The commission resolved"), "h2"),
        pdf.p(session.resolution_text),
    ]
    title = _("Resolution of the commission on minors' affairs No. %(number)s") % {
        "number": session.resolution_number
    }
    return _pdf_response(
        pdf.render(title=title, stamp=_stamp(user, case), story=story),
        f"resolution-{session.pk}.pdf",
    )


# Assessments ---------------------------------------------------------------------------


def safety_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.SafetyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.safety_assessment_record(
                actor=user,
                case=case,
                criteria=form.cleaned_data["criteria"],
                immediate_threat=form.cleaned_data["immediate_threat"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if assessment.immediate_threat:
                messages.warning(
                    request,
                    _(
                        "Immediate threat recorded. Help that removes the threat comes first; a "
                        "removal is recorded only by the guardianship body."
                    ),
                )
            return _done(request, case, _("Safety assessment recorded."))
    return _form_page(
        request,
        case,
        form,
        title=_("Safety assessment"),
        submit=_("Save"),
        intro=_(
            "Safety comes first: answer whether the child faces an immediate "
            "threat now, against the listed criteria."
        ),
    )


def _can_remove(user: User, case: Case) -> bool:
    return (
        policies.cases.can_change(user, case)
        and user.agency is not None
        and user.agency.type == AgencyType.GUARDIANSHIP
    )


def removal_new(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    try:
        assessment = case.safety_assessments.get(pk=assessment_pk)
    except SafetyAssessment.DoesNotExist as exc:
        raise Http404 from exc
    if not _can_remove(user, case):
        raise PermissionDenied
    children = Person.objects.filter(
        memberships__household=case.household, memberships__role=MemberRole.CHILD
    )
    form = forms.RemovalForm(
        request.POST or None, children=children, poverty_only=assessment.poverty_only
    )
    if not assessment.immediate_threat:
        form.add_error(
            None,
            _("This safety assessment found no immediate threat: a removal cannot be recorded."),
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            removal = services.emergency_removal_record(
                actor=user,
                assessment=assessment,
                children=list(data["children"]),
                act_number=data["act_number"],
                act_date=data["act_date"],
                prosecutor_notified_on=data["prosecutor_notified_on"],
                placement=data["placement"],
                reason=data["reason"],
                poverty_justification=data["poverty_justification"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(
                request,
                case,
                _(
                    "Emergency removal recorded. The court claim is due by %(date)s (7 calendar "
                    "days, Family Code Art. 77)."
                )
                % {"date": removal.claim_deadline.strftime("%d.%m.%Y")},
            )
    return _form_page(
        request,
        case,
        form,
        title=_("Emergency removal (Family Code Art. 77)"),
        submit=_("Record the removal"),
        poverty_only=assessment.poverty_only,
        intro=_(
            "Only when help in the family cannot remove an immediate threat. "
            "Notify the prosecutor at once; the claim to the court is due "
            "within 7 calendar days."
        ),
    )


def risk_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    if not case.safety_assessments.exists():
        messages.warning(request, _("Record a safety assessment before the risk assessment."))
        return redirect("cases:safety", case.pk)
    form = forms.RiskForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = form.result()
        if "save" not in request.POST and not form.cleaned_data["level"]:
            # The proposal is the starting point; the specialist may change it with a reason.
            rebound = request.POST.copy()
            rebound["level"] = result.proposed_level
            form = forms.RiskForm(rebound)
            form.is_valid()
        if "save" in request.POST and form.cleaned_data["level"]:
            data = form.cleaned_data
            try:
                services.risk_assessment_record(
                    actor=user,
                    case=case,
                    answers=form.answers(),
                    strengths=data["strengths"],
                    strengths_note=data["strengths_note"],
                    level=data["level"],
                    override_reason=data["override_reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _done(request, case, _("Risk assessment recorded."))
        elif "save" in request.POST:
            form.add_error("level", _("Choose the level you decide on."))
    return render(
        request,
        "cases/risk_form.html",
        _context(request, case, form=form, result=result, contributions=_contributions(result)),
    )


def _contributions(result: scoring.ScoreResult | None) -> list[dict[str, Any]]:
    if result is None:
        return []
    return [
        {
            "label": c.label,
            "domain": scoring.DOMAIN_LABELS[c.domain],
            "answer": scoring.ANSWER_LABELS[c.answer],
            "points": c.points,
            "poverty": c.poverty,
        }
        for c in result.contributions
    ]


def risk_detail(request: HttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    try:
        risk = case.risk_assessments.select_related("assessed_by").get(pk=risk_pk)
    except RiskAssessment.DoesNotExist as exc:
        raise Http404 from exc
    rows = [
        {
            "label": scoring.INDICATOR_BY_CODE[c["code"]].label,
            "domain": scoring.DOMAIN_LABELS[c["domain"]],
            "answer": scoring.ANSWER_LABELS[c["answer"]],
            "points": c["points"],
            "poverty": c["poverty"],
        }
        for c in risk.contributions
    ]
    strengths = [
        scoring.STRENGTH_BY_CODE[s].label for s in risk.strengths if s in scoring.STRENGTH_BY_CODE
    ]
    return render(
        request,
        "cases/risk_detail.html",
        _context(request, case, risk=risk, contributions=rows, strengths=strengths),
    )


# КДН, plan, tasks ----------------------------------------------------------------------


def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.SessionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.kdn_session_record(
                actor=user,
                case=case,
                date=data["date"],
                resolution_number=data["resolution_number"],
                agenda=data["agenda"],
                resolution=data["resolution"],
                resolution_text=data["resolution_text"],
                closure_ground=data["closure_ground"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(request, case, _("KDN session recorded."))
    return _form_page(
        request, case, form, title=_("KDN session and resolution"), submit=_("Save the resolution")
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    plan = case.plan
    form = forms.PlanForm(
        request.POST or None,
        initial={
            "version": plan.version,
            "goals": plan.goals,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
        },
    )
    conflict: Plan | None = None
    if request.method == "POST" and form.is_valid():
        form, conflict, saved = _versioned_save(
            request,
            form,
            lambda data: services.plan_update(
                actor=user,
                plan=plan,
                expected_version=data["version"],
                goals=data["goals"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
            _(
                "Someone else saved this plan while you were editing it. Nothing is lost: "
                "your text is kept below and the version now saved is shown above it. Merge "
                "them and save again."
            ),
        )
        if saved:
            return _done(request, case, _("Plan saved."))
    return _form_page(
        request, case, form, title=_("Interagency plan"), submit=_("Save"), conflict_plan=conflict
    )


def _rebind_version(form_class: Any, request: HttpRequest, version: int, **kwargs: Any) -> Any:
    """The user's input again, bound to the current version so a second save can succeed."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _versioned_save(
    request: HttpRequest, form: Any, save: Callable[[dict[str, Any]], object], conflict_message: str
) -> tuple[Any, Any, bool]:
    """Run an optimistic-locking save: (form to show, the record as now saved on conflict, saved?).

    On a conflict the user's input is re-bound to the current version, so nothing typed is lost
    and a second save can succeed after checking the saved state.
    """
    try:
        save(form.cleaned_data)
    except services.ConflictError as exc:
        form = _rebind_version(type(form), request, exc.current.version)
        form.add_error(None, conflict_message)
        return form, exc.current, False
    except ValidationError as exc:
        _add_errors(form, exc)
        return form, None, False
    return form, None, True


def _case_agencies(user: User, case: Case) -> QuerySet[Agency]:
    return (
        agency_policy.visible(user)
        .filter(is_active=True)
        .exclude(type__in=[AgencyType.MINISTRY, AgencyType.HELPLINE])
    )


def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.TaskForm(
        request.POST or None,
        agencies=_case_agencies(user, case),
        initial={"start_date": timezone.localdate(), "deadline_days": 10},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_add(
                actor=user,
                case=case,
                title=data["title"],
                description=data["description"],
                owner_agency=data["owner_agency"],
                start_date=data["start_date"],
                deadline_days=data["deadline_days"],
                deadline_kind=data["deadline_kind"],
                legal_source=data["legal_source"],
                is_medical=data["is_medical"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(
                request,
                case,
                _("Task added; deadline %(date)s.") % {"date": task.deadline.strftime("%d.%m.%Y")},
            )
    return _form_page(request, case, form, title=_("New plan task"), submit=_("Add the task"))


def task_update(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    task = policies.tasks.get_changeable(user, pk=task_pk, case=case)
    form = forms.TaskUpdateForm(
        request.POST or None,
        initial={
            "version": task.version,
            "status": task.status,
            "status_reason": task.status_reason,
            "evidence": task.evidence,
            "notes": task.notes,
        },
    )
    conflict: Task | None = None
    if request.method == "POST" and form.is_valid():
        form, conflict, saved = _versioned_save(
            request,
            form,
            lambda data: services.task_update(
                actor=user,
                task=task,
                expected_version=data["version"],
                status=data["status"],
                status_reason=data["status_reason"],
                evidence=data["evidence"],
                notes=data["notes"],
            ),
            _(
                "Someone else updated this task while you were editing it. Nothing is lost: "
                "your entries are kept below and the saved state is shown above them. Check "
                "and save again."
            ),
        )
        if saved:
            return _done(request, case, _("Task updated."))
    return _form_page(
        request, case, form, title=task.title, submit=_("Save"), task=task, conflict_task=conflict
    )


def monitoring_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.MonitoringForm(request.POST or None, initial={"period_end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.monitoring_report_add(
                actor=user,
                case=case,
                period_end=data["period_end"],
                summary=data["summary"],
                next_review=data["next_review"],
                reassessment_needed=data["reassessment_needed"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(
                request,
                case,
                _("Monitoring report saved; next review %(date)s.")
                % {"date": report.next_review.strftime("%d.%m.%Y")},
            )
    return _form_page(
        request,
        case,
        form,
        title=_("Monitoring report"),
        submit=_("Save"),
        intro=ngettext(
            "Reports follow the regional cadence: every month.",
            "Reports follow the regional cadence: every %(n)s months.",
            services.monitoring_months(),
        )
        % {"n": services.monitoring_months()},
    )


def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    if not policies.cases.can_add_note(user, case):
        raise PermissionDenied
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.note_add(
            actor=user,
            case=case,
            text=form.cleaned_data["text"],
            is_medical=form.cleaned_data["is_medical"],
        )
        return _done(request, case, _("Note added."))
    return _form_page(request, case, form, title=_("New note"), submit=_("Add the note"))


def curator_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.CuratorForm(
        request.POST or None,
        curators=selectors.curators_for(user),
        initial={"curator": case.curator_id},
    )
    if request.method == "POST" and form.is_valid():
        services.case_curator_change(actor=user, case=case, curator=form.cleaned_data["curator"])
        return _done(request, case, _("Curator changed."))
    return _form_page(request, case, form, title=_("Change the curator"), submit=_("Save"))


def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.ParticipantForm(request.POST or None, agencies=_case_agencies(user, case))
    if request.method == "POST" and form.is_valid():
        services.case_participant_add(actor=user, case=case, agency=form.cleaned_data["agency"])
        return _done(request, case, _("Agency added to the case."))
    return _form_page(request, case, form, title=_("Add an agency to the case"), submit=_("Add"))


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_changeable(user, pk=pk)
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                actor=user,
                case=case,
                ground=form.cleaned_data["ground"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _done(request, case, _("Case closed; every agency taking part is informed."))
    return _form_page(
        request, case, form, title=_("Close the case"), submit=_("Close the case"), warning=True
    )


def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = policies.cases.get_visible(user, pk=pk)
    if not policies.cases.can_reopen(user, case):
        raise PermissionDenied
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_reopen(actor=user, case=case, reason=form.cleaned_data["reason"])
        return _done(request, case, _("Case re-opened; its history is kept."))
    return _form_page(request, case, form, title=_("Re-open the case"), submit=_("Re-open"))
