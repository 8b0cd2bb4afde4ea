"""The policy base: actions named by an enum, deny by default, 404 before 403."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ochag.access.policies import calendar_overrides
from ochag.cases.policies import CasePolicyAction
from ochag.conftest import Cast
from ochag.core.models import CalendarOverride
from ochag.core.policies import Action, ActionBase, Policy
from ochag.core.tests.factories import TerritoryFactory


class NothingPolicy(Policy[CalendarOverride]):
    """A policy that declares nothing: the base must deny everything."""

    model = CalendarOverride


def _override(region: object) -> CalendarOverride:
    return CalendarOverride.objects.create(
        region=region, date=dt.date(2026, 4, 21), is_working=False, reason="Радоница"
    )


def test_every_app_action_shares_the_base_and_no_value_repeats() -> None:
    from ochag.registry.policies import RegistryPolicyAction
    from ochag.signals.policies import SignalPolicyAction

    enums = [Action, CasePolicyAction, RegistryPolicyAction, SignalPolicyAction]
    assert all(issubclass(enum, ActionBase) for enum in enums)
    values = [member.value for enum in enums for member in enum]
    assert len(values) == len(set(values))


def test_a_policy_that_says_nothing_denies_everything(cast: Cast) -> None:
    override = _override(cast.region)
    policy = NothingPolicy()
    assert not policy.visible(cast.admin).exists()
    for action in (*Action, *CasePolicyAction):
        assert not policy.allows(cast.admin, action)
        assert not policy.allows(cast.admin, action, override)
    with pytest.raises(Http404):
        policy.get_visible(cast.admin, pk=override.pk)
    with pytest.raises(PermissionDenied):
        policy.require(cast.admin, Action.VIEW)


def test_visible_for_an_action_the_user_may_not_do_is_empty(cast: Cast) -> None:
    _override(cast.region)
    assert calendar_overrides.visible(cast.worker_a).count() == 1
    assert calendar_overrides.visible(cast.worker_a, Action.VIEW).count() == 1
    assert calendar_overrides.visible(cast.worker_a, Action.CHANGE).count() == 0
    assert calendar_overrides.visible(cast.coordinator, Action.CHANGE).count() == 1
    # An action this policy never grants.
    assert calendar_overrides.visible(cast.coordinator, Action.APPROVE).count() == 0


def test_get_allowed_is_404_outside_visible_and_403_when_only_visible(cast: Cast) -> None:
    mine = _override(cast.region)
    other = _override(TerritoryFactory.create(level="region", name="Другая"))
    assert calendar_overrides.get_allowed(cast.coordinator, Action.CHANGE, pk=mine.pk) == mine
    with pytest.raises(Http404):
        calendar_overrides.get_allowed(cast.coordinator, Action.CHANGE, pk=other.pk)
    with pytest.raises(PermissionDenied):
        calendar_overrides.get_allowed(cast.worker_a, Action.CHANGE, pk=mine.pk)
    with pytest.raises(Http404):
        calendar_overrides.get_visible(cast.coordinator, pk="not-a-number")


def _every_policy() -> list[Policy[Any]]:
    found: list[Policy[Any]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ochag."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.policies")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, Policy)]
    return found


def test_no_policy_grants_a_verb_it_does_not_name(cast: Cast) -> None:
    """Deny by default holds for actions no app decides yet (a case's or a signal's policy
    once answered any action without a record with its "is staff" gate)."""
    policies = _every_policy()
    assert len(policies) >= 15
    unnamed = (Action.APPROVE, Action.CONFIRM, Action.TRANSFER)
    for user in (cast.worker_a, cast.supervisor_a, cast.coordinator, cast.admin, cast.analyst):
        for policy in policies:
            for action in unnamed:
                assert not policy.allows(user, action), (type(policy).__name__, action, user)
