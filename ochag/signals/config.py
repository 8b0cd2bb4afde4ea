"""The per-process cache of a region's intake configuration.

What changes only when an administrator changes it (the region's settings, municipalities,
indicators, routing decisions, deadlines from the calendar) is cached per process in a
:class:`RegionConfig`, checked against the configuration generation on every intake (one
query). Every service that changes what it caches (agencies, the calendar, routing rules)
starts a new generation in its own transaction (``config_generation_bump``); a receiver on
model saves would miss ``update()`` and ``bulk_create``. Territories, indicators and the
region's settings have no service: they change only with a migration or the demo loader,
which starts a new generation itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ochag.access.models import Agency
from ochag.core.generation import config_generation
from ochag.core.models import Territory
from ochag.registry import candidates
from ochag.signals.models import Indicator
from ochag.signals.routing import due_date_for, region_settings, route


class RegionConfig:
    """A region's intake configuration. Built on demand; decisions are memoised."""

    def __init__(self, territory: Territory, generation: str) -> None:
        self.generation = generation
        self.region = territory.region or territory
        self.conf = region_settings(self.region)
        municipalities = list(
            Territory.objects.filter(
                path__startswith=self.region.path, level=Territory.Level.MUNICIPALITY
            )
        )
        self.municipalities = municipalities
        self.scope = [t.pk for t in municipalities]
        # Only ever filtered further (cloned), never evaluated: safe to share between threads.
        self.persons = candidates.search_scope(self.scope)
        self._by_name = {t.name: t for t in municipalities}
        self._by_oktmo = {t.oktmo: t for t in municipalities if t.oktmo}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self._routes: dict[tuple[int, str], Agency | None] = {}
        self._due: dict[tuple[int, str, str, dt.date], dt.date] = {}

    def municipality(self, value: str) -> Territory | None:
        """A municipality of the region by its OKTMO code or exact name."""
        return self._by_oktmo.get(value) or self._by_name.get(value)

    def indicators_for(self, codes: Sequence[str]) -> list[Indicator]:
        return [self.indicators[c] for c in dict.fromkeys(codes) if c in self.indicators]

    def due_date(self, territory: Territory, track: str, colour: str, today: dt.date) -> dt.date:
        key = (territory.pk, track, colour, today)
        if key not in self._due:
            self._due[key] = due_date_for(
                track=track, colour=colour, territory=territory, today=today, conf=self.conf
            )
        return self._due[key]

    def route(self, territory: Territory, track: str) -> Agency | None:
        key = (territory.pk, track)
        if key not in self._routes:
            self._routes[key] = route(territory=territory, track=track)
        return self._routes[key]


_CONFIGS: dict[int, RegionConfig] = {}
_MAX_CONFIGS = 64


def region_config(territory: Territory, generation: str | None = None) -> RegionConfig:
    """The cached configuration of the territory's region (one query when it is current).

    Keyed by the territory asked about (an agency's or a signal's), not by the region, so a
    hit needs no walk up the tree. Threads of one process share it: a race computes the same
    value twice, nothing worse. A caller that has just read the generation passes it.
    """
    generation = generation or config_generation()
    found = _CONFIGS.get(territory.pk)
    if found is None or found.generation != generation:
        if len(_CONFIGS) >= _MAX_CONFIGS:
            _CONFIGS.clear()
        found = _CONFIGS[territory.pk] = RegionConfig(territory, generation)
    return found


_AGENCIES: dict[int, tuple[str, Agency]] = {}


def agency_cached(agency_id: int, generation: str | None = None) -> Agency:
    """An agency with its territory, cached per process like the region configuration."""
    generation = generation or config_generation()
    found = _AGENCIES.get(agency_id)
    if found is None or found[0] != generation:
        if len(_AGENCIES) >= 4 * _MAX_CONFIGS:
            _AGENCIES.clear()
        agency = Agency.objects.select_related("territory").get(pk=agency_id)
        found = _AGENCIES[agency_id] = (generation, agency)
    return found[1]


class IntakeContext:
    """One intake call or import batch: the region's configuration and one linker whose
    scorer holds the candidates of all the call's reported people."""

    def __init__(self, territory: Territory, config: RegionConfig | None = None) -> None:
        self.config = config or region_config(territory)
        self.linker: candidates.Linker
        self.fresh_linker()

    def fresh_linker(self) -> None:
        """Forget candidates and pending persons, e.g. after a batch was rolled back."""
        self.linker = candidates.Linker(
            self.config.persons, self.config.scope, region=self.config.region.pk
        )
