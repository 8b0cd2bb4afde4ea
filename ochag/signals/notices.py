"""Who is told of a new signal: the body's staff in the app, the duty mailbox of a red
signal, the coordinators of an unrouted one, and the staff on the family's earlier signals.
Notifications and e-mail go through access's one mechanism (ochag.access.notifications): the
e-mail is queued in the signal's own transaction (the outbox)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access import notifications
from ochag.access.models import Notification, Role, User
from ochag.core.inserts import insert_many
from ochag.signals.inputs import Prepared
from ochag.signals.models import Colour, Signal, Track

# The kind and subject type of the notifications about a signal.
KIND = "signal"
SIGNAL = "signals.signal"


def notice(signal: Signal, user_id: int, text: str) -> Notification:
    """An unsaved in-app notification about a signal, linking to its page."""
    return notifications.build(
        kind=KIND,
        text=text,
        recipient=user_id,
        subject=notifications.Subject(SIGNAL, signal.pk, signal.number),
        url=reverse("signals:detail", args=[signal.pk]),
    )


def share_with_watchers(items: list[Prepared]) -> None:
    """Staff on a family's earlier signals (assigned to one, or shared on one) are told of the
    new one and can see it. Looked up by the families' children and households — short
    lists — rather than by the families' whole signal history."""
    if not items:
        return
    watchers: dict[int, dict[int, str]] = defaultdict(dict)  # earlier signal -> {user: email}
    assignees = {e.assignee_id for item in items for e in item.earlier if e.assignee_id}
    if assignees:
        active = dict(
            User.objects.filter(pk__in=assignees, is_active=True).values_list("pk", "email")
        )
        for item in items:
            for e in item.earlier:
                if e.assignee_id in active:
                    watchers[e.pk][e.assignee_id] = active[e.assignee_id]
    through = Signal.shared_with.through
    children = {pk for item in items for pk in item.children()}
    households = {item.signal.household_id for item in items if item.signal.household_id}
    shared = through.objects.filter(user__is_active=True).values_list(
        "signal_id", "user_id", "user__email"
    )
    found = list(shared.filter(signal__subjects__person_id__in=children)) if children else []
    if households:
        found += shared.filter(signal__household_id__in=households)
    for pk, user_id, email in found:
        watchers[pk][user_id] = email
    shares, notices = [], []
    for item in items:
        users: dict[int, str] = {}
        for e in item.earlier:
            users.update(watchers.get(e.pk, {}))
        if not users:
            continue
        signal = item.signal
        text = _("New signal %(number)s about a family you work with.") % {"number": signal.number}
        shares += [through(signal_id=signal.pk, user_id=u) for u in users]
        notices += [notice(signal, u, text) for u in users]
        mail_queue(signal, [e for e in users.values() if e], text)
    insert_many(shares)
    notifications.notify_many(notices)


def _new_signal_text(signal: Signal) -> str:
    if signal.routed_to is None:
        return _("Signal %(number)s matched no routing rule: choose the body to send it to.") % {
            "number": signal.number
        }
    if signal.colour != Colour.RED:
        return _("New signal %(number)s in your queue.") % {"number": signal.number}
    if signal.track == Track.SUPPORT:
        return _("Red signal %(number)s: urgent support needed today.") % {"number": signal.number}
    return _("Red signal %(number)s: immediate danger, safety check today.") % {
        "number": signal.number
    }


def notify_new(signals: Sequence[Signal]) -> None:
    """Tell the staff of each signal's body (the region's coordinators when no rule matched)
    in the app; a red signal also by e-mail, to the agency mailbox the duty officer reads."""
    if not signals:
        return
    agencies = {s.routed_to_id for s in signals if s.routed_to_id is not None}
    staff: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in User.objects.filter(agency_id__in=agencies, is_active=True).values_list(
        "pk", "agency_id"
    ):
        staff[agency_id].append(pk)
    # Unrouted signals are rare: walking up to their region costs a query or two.
    region_of = {s.pk: (s.territory.region or s.territory).pk for s in signals if not s.routed_to}
    regions = set(region_of.values())
    coordinators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if regions:
        for pk, email, region_id in User.objects.filter(
            role=Role.REGIONAL_COORDINATOR, agency__territory_id__in=regions, is_active=True
        ).values_list("pk", "email", "agency__territory_id"):
            coordinators[region_id].append((pk, email))
    notices = []
    for signal in signals:
        text = _new_signal_text(signal)
        if signal.routed_to is None:
            people = coordinators.get(region_of[signal.pk], [])
            notices += [notice(signal, pk, text) for pk, _e in people]
            if signal.colour == Colour.RED:
                mail_queue(signal, [email for _pk, email in people if email], text)
            continue
        notices += [notice(signal, u, text) for u in staff.get(signal.routed_to.pk, [])]
        if signal.colour == Colour.RED and signal.routed_to.email:
            mail_queue(signal, [signal.routed_to.email], text)
    notifications.notify_many(notices)


def mail_queue(signal: Signal, recipients: list[str], text: str) -> None:
    """Queue an e-mail notice in the current transaction (access's outbox)."""
    if not recipients:
        return
    path = reverse("signals:detail", args=[signal.pk])
    # No personal data in e-mail: only the number and a link to sign in.
    body = _("%(text)s\n\nOpen it in Ochag: %(path)s") % {"text": text, "path": path}
    notifications.mail_queue(recipients=recipients, subject=text, body=body)
