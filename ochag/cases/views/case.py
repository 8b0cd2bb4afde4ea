"""The case page, its timeline, the print view and the summary PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.cases import extensions, policies, scoring, selectors
from ochag.cases.views.common import can_remove, case_context, stamp
from ochag.core import pdf
from ochag.core.exports import pdf_export
from ochag.core.services import access_log_record
from ochag.registry import selectors as registry_selectors


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    tasks = list(selectors.case_tasks(user, case))
    today = timezone.localdate()
    changeable = policies.tasks.changeable_in_case(user, case, tasks)
    links = extensions.task_links(user, case, tasks)
    for task in tasks:
        task.can_update = task.pk in changeable  # type: ignore[attr-defined]
        task.overdue_now = task.is_overdue_on(today)  # type: ignore[attr-defined]
        task.links = links.get(task.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "cases/case_detail.html",
        case_context(
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
            # Each member links to their person card, as far as the registry lets the user.
            members=registry_selectors.household_members(user, case.household),
            criteria_labels={c.code: c.label for c in scoring.SAFETY_CRITERIA},
            can_remove=can_remove(user, case),
        ),
    )


def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    return render(
        request,
        "cases/timeline.html",
        case_context(request, case, events=selectors.timeline(user, case)),
    )


def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    case = policies.cases.get_visible(user, pk=pk)
    return render(
        request,
        "cases/print.html",
        case_context(
            request,
            case,
            tasks=selectors.case_tasks(user, case),
            plan=case.plan,
            events=selectors.timeline(user, case),
            printed_at=timezone.localtime(),
        ),
    )


def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
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
    tasks = list(selectors.case_tasks(user, case))
    for task in tasks:
        story.append(
            pdf.p(
                f"• {task.title} — {task.owner_agency}; "
                f"{_('deadline')} {task.due_on:%d.%m.%Y}; {task.get_status_display()}"
            )
        )
    story.append(pdf.p(_("Case history"), "h2"))
    for event in selectors.timeline(user, case):
        story.append(
            pdf.p(f"{timezone.localtime(event.at):%d.%m.%Y} — {event.title} ({event.actor})")
        )
    content = pdf.render(
        title=_("Case summary %(number)s") % {"number": case.number},
        stamp=stamp(user, case),
        story=story,
    )
    return pdf_export(
        actor=user,
        what="case_summary",
        filename=f"case-{case.pk}.pdf",
        content=content,
        rows=len(tasks),
        obj=case,
    )
