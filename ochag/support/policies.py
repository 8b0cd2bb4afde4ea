"""Who sees and changes the directory, referrals and family links.

The directory (catalogue, providers, services) is public in its plain form; among staff,
everyone who works in the region sees it, the coordinator edits the catalogue and every
provider, and a provider's own agency keeps its services up to date (capacity, hours).
A referral is seen by those who see its case (the cases policy decides) and by the staff of
the provider it was sent to, who see only what the referral shares; the provider answers
it, the case's managers send and withdraw it. The federal analyst sees no referral.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ochag.access.models import User
from ochag.access.policies import is_agency_staff as _staff
from ochag.access.policies import is_personal_staff as _personal_staff
from ochag.access.policies import is_region_coordinator as is_coordinator
from ochag.access.policies import region_q
from ochag.cases.models import Case
from ochag.cases.policies import cases as case_policy
from ochag.core.policies import Action, ActionBase, Policy
from ochag.signals.models import Signal
from ochag.signals.policies import SignalPolicyAction
from ochag.signals.policies import signals as signal_policy
from ochag.support.models import FamilyLink, Provider, Referral, Service, ServiceType


class SupportPolicyAction(ActionBase):
    """What a referral knows beyond the shared verbs (REFER is the shared one)."""

    # The provider's answers: accept, waiting list, decline, start, complete, deliveries.
    ANSWER = "answer"
    WITHDRAW = "withdraw"
    # Health details the family consented to share.
    SEE_HEALTH = "see_health"


class ServiceTypePolicy(Policy[ServiceType]):
    model = ServiceType

    def scope(self, user: User) -> models.QuerySet[ServiceType]:
        if not _staff(user):
            return ServiceType.objects.none()
        return ServiceType.objects.all()

    def allows(self, user: User, action: ActionBase, obj: ServiceType | None = None) -> bool:
        return action in (Action.CHANGE, Action.CREATE, Action.EXPORT) and is_coordinator(user)


class ProviderPolicy(Policy[Provider]):
    model = Provider

    def scope(self, user: User) -> models.QuerySet[Provider]:
        if not _staff(user):
            return Provider.objects.none()
        return Provider.objects.filter(region_q(user, "region")).select_related(
            "territory", "agency"
        )

    def allows(self, user: User, action: ActionBase, obj: Provider | None = None) -> bool:
        if action in (Action.CREATE, Action.EXPORT):
            return is_coordinator(user)
        if action != Action.CHANGE or not _personal_staff(user):
            return False
        if is_coordinator(user):
            return True
        # The provider's own agency keeps its record up to date (its supervisors).
        if obj is None:
            return user.is_supervisor
        return user.is_supervisor and obj.agency_id is not None and obj.agency_id == user.agency_id


class ServicePolicy(Policy[Service]):
    model = Service

    def scope(self, user: User) -> models.QuerySet[Service]:
        if not _staff(user):
            return Service.objects.none()
        return Service.objects.filter(region_q(user, "provider__region")).select_related(
            "provider", "type"
        )

    def allows(self, user: User, action: ActionBase, obj: Service | None = None) -> bool:
        if action == Action.CREATE:
            # Within a provider the user may change (the view asks the provider policy).
            return is_coordinator(user) or (_personal_staff(user) and user.is_supervisor)
        if action != Action.CHANGE or not _personal_staff(user):
            return False
        if obj is None:
            return is_coordinator(user) or user.is_supervisor
        return providers.allows(user, Action.CHANGE, obj.provider)


class ReferralPolicy(Policy[Referral]):
    model = Referral

    def scope(self, user: User) -> models.QuerySet[Referral]:
        if not _personal_staff(user):
            return Referral.objects.none()
        cases = case_policy.visible(user).values("pk")
        return Referral.objects.filter(
            Q(case__in=cases)
            | Q(signal__in=_signals_worked_on(user).values("pk"))
            | Q(service__provider__agency_id=user.agency_id)
        ).select_related("service", "service__provider", "service__type", "consent", "territory")

    def allows(self, user: User, action: ActionBase, obj: Referral | None = None) -> bool:
        if not _personal_staff(user):
            return False
        if obj is None:
            return action in (Action.VIEW, Action.REFER)
        is_provider = obj.service.provider.agency_id == user.agency_id
        match action:
            case Action.VIEW:
                return True
            case SupportPolicyAction.ANSWER:
                return is_provider and obj.is_open
            case SupportPolicyAction.WITHDRAW:
                if obj.signal is not None:
                    return obj.is_open and signal_policy.allows(user, Action.CHANGE, obj.signal)
                return obj.is_open and case_policy.allows(user, Action.CHANGE, obj.case)
            case SupportPolicyAction.SEE_HEALTH:
                if self.sees_source(user, obj):
                    return True
                return is_provider and obj.consent.shares_health
        return False

    def sees_source(self, user: User, referral: Referral) -> bool:
        """Whether the user sees the referral as one working on its case or signal (not only
        as its provider)."""
        if referral.signal_id is not None:
            return _signals_worked_on(user).filter(pk=referral.signal_id).exists()
        return (
            referral.case_id is not None
            and case_policy.visible(user).filter(pk=referral.case_id).exists()
        )


def _signals_worked_on(user: User) -> models.QuerySet[Signal]:
    """Signals whose referrals the user sees: those the user sees whole (VIEW_FULL). The
    agency that only reported a signal sees its status, never where the family was sent."""
    return signal_policy.visible(user, SignalPolicyAction.VIEW_FULL)


def may_refer_from_signal(user: User, signal: Signal) -> bool:
    """A signal's handler refers the family while the signal is being worked on."""
    return _personal_staff(user) and signal_policy.allows(user, Action.CHANGE, signal)


def may_refer(user: User, case: Case) -> bool:
    """Sending a referral is changing the case: its managers do it, while it is open."""
    return _personal_staff(user) and case_policy.allows(user, Action.CHANGE, case)


def may_view_coverage(user: User) -> bool:
    """The coverage table and the services list hold no personal data: staff of the region
    see them; the counts of families in them come from the case and referral policies."""
    return _staff(user)


class FamilyLinkPolicy(Policy[FamilyLink]):
    model = FamilyLink

    def scope(self, user: User) -> models.QuerySet[FamilyLink]:
        if not _personal_staff(user):
            return FamilyLink.objects.none()
        return FamilyLink.objects.filter(case__in=case_policy.visible(user).values("pk"))

    def allows(self, user: User, action: ActionBase, obj: FamilyLink | None = None) -> bool:
        if action not in (Action.CREATE, Action.CHANGE) or not _personal_staff(user):
            return False
        return obj is None or case_policy.allows(user, Action.CHANGE, obj.case)


service_types = ServiceTypePolicy()
providers = ProviderPolicy()
services = ServicePolicy()
referrals = ReferralPolicy()
family_links = FamilyLinkPolicy()
