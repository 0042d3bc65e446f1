"""The development-zone reform model: ``ZoneReformModel(mesa.Model)``.

One step is a quarter. The schedule (see ``docs/ODD.md``, "Process overview"):

1. provincial government: reform timeline (integration, delegation, approval
   bureaus, commitment system, the regulation, modes, three systems, operators);
2. zones: approval time, attraction effort, services, environment;
3. investment projects (discrete choice of zone) and start-ups (a province-wide pool
   on free zone land), in blocks;
4. enterprises: growth (province trend + zone premium + level adjustment + young-firm
   catch-up + heavy-tailed shocks shrinking with size) and exit by a size-, age- and
   environment-dependent hazard, in one compiled pass (:mod:`sim.core.firms`);
5. accounting; at year end: statistics (as published and at fixed boundaries), the
   province and its rest, assessment and exit, the land ledger (expansions, delisting,
   new zones), roll-outs and upgrades.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim.core import firms, modes, streams, zonedata
from sim.core import params as registry
from sim.core.agents import (
    CityGovernment,
    OperatingCompany,
    ProvincialGovernment,
    Zone,
    ranked,
)
from sim.core.cities import city_label
from sim.core.firms import kernel
from sim.core.firms.population import ORIGINS, SECTOR_PREFIX, SECTORS, FirmPopulation
from sim.core.recording import Accounts, Recorder
from sim.core.timeline import Timeline

#: Random streams, one per mechanism (see ``ZoneReformModel.stream``).
STREAMS = {
    "init": 0, "entry": 1, "dynamics": 2, "assessment": 4, "designation": 5, "entrants": 6,
}  # fmt: skip


class ZoneReformModel(mesa.Model):
    """Zones, enterprises and governments under Shanxi's development-zone reform.

    Args:
        params: Parameter overrides (validated against :data:`sim.core.params.REGISTRY`).
        rng: Seed or generator; the model's only source of randomness.
        data: Zone registry (default: the shipped synthetic registry).
        start_year: First simulated year (the registry's year, 2016).
    """

    def __init__(
        self,
        params: Mapping[str, Any] | None = None,
        *,
        rng: int | np.random.SeedSequence | np.random.Generator | None = None,
        data: zonedata.ZoneData | None = None,
        start_year: int = 2016,
    ) -> None:
        """Build the initial 2016 state."""
        super().__init__(rng=rng)
        # Common random numbers: each mechanism draws from its own stream, restarted every
        # quarter from (root, mechanism, quarter). A parameter that changes how many draws
        # one mechanism takes then leaves every other mechanism's, and later quarters',
        # draws as they were, so paired runs differ only where the parameter acts.
        self._stream_root = int(self.rng.integers(2**63))
        self._root_words = streams.root_words(self._stream_root)
        self.p = registry.resolve(params)
        self.mode_effects = modes.effects(self.p)
        weights = np.array([self.p[SECTOR_PREFIX + s] for s in SECTORS])
        #: Each sector's share of the investment flow and of the 2016 firms.
        self.sector_shares = weights / weights.sum()
        self.data = data if data is not None else zonedata.default()
        self.start_year = start_year
        self.quarter = 0  # quarters since start
        self.zone_list: list[Zone] = []
        self.delegation_progress = 0.0
        self.seal_maturity = 0.0
        self.commitment_active = False
        self.regulation_active = False
        self.integrated = False
        self.province = ProvincialGovernment(self, zonedata.PROVINCE_LAND_KM2)
        self.cities = {
            c: CityGovernment(self, c, zonedata.COUNTIES.get(c, 1)) for c in self.data.cities
        }
        zones_by_id = {r["zone_id"]: r for r in self.data.zone_records}
        for unit in self.data.unit_records:
            Zone(self, unit, zones_by_id[unit["zone_id"]])
        self.firms = FirmPopulation(self)
        #: Each zone's sums over the year, starting from its 2016 value added.
        self.accounts = Accounts(self._initial_value_added())
        units = self.data.unit_columns
        firms.add_established(
            self,
            self.stream("init"),
            np.arange(len(units["firms"]), dtype=np.intp),
            units["firms"].astype(np.int64),
            self._initial_value_added(),
            units["planned_area_km2"].astype(float),
            origin=0,
        )
        #: Median firms and value added (2016) of the registry's sub-provincial parks: the
        #: template of a park outside the zones that is designated as a new zone.
        parks = units["level"] == "park"
        self._park_template = (
            (float(np.median(units["firms"][parks])), float(np.median(units["value_added"][parks])))
            if parks.any()
            else (float(units["firms"].min()), float(units["value_added"].min()))
        )
        self.new_zones = 0  # new zones approved so far (designated and greenfield)
        #: Designated zones whose parks join at the start of the next quarter.
        self._pending_parks: list[Zone] = []
        #: The mean firm's size in 2016 (entrants' sizes scale with it).
        self.size_2016 = float(self.firms.size.mean())
        #: The median firm's size at the start of the last quarter's firm dynamics.
        self.median_size: float | None = None
        #: The firm kernels' scratch arrays, kept between quarters.
        self.workspace = kernel.Workspace()
        #: :meth:`zone_arrays` as last read (``None`` once a zone may have changed).
        self._zone_arrays: kernel.ZoneArrays | None = None
        self.gdp_index = 1.0  # province real GDP relative to the start of 2016
        #: Rest of the province's GDP (set at the end of the first year), 亿元.
        self.rest_gdp = math.nan
        self._prev_zone_gdp = math.nan
        #: Land designated for industrial zones in 2016, km2 (the ledger's floor for the cap).
        self.designated_2016 = self.designated()
        self.timeline = Timeline(self)
        self.recorder = Recorder()
        #: The annual and zone tables' rows (see :class:`sim.core.recording.Recorder`).
        self.annual = self.recorder.annual
        self.running = True

    # ------------------------------------------------------------------ set-up
    def _initial_value_added(self) -> np.ndarray:
        """Each unit's 2016 value added: the registry's, times ``value_added_scale``."""
        registered: np.ndarray = self.data.unit_columns["value_added"].astype(float)
        scaled: np.ndarray = registered * self.p["value_added_scale"]
        return scaled

    def _seed_of(self, mechanism: str, *key: int) -> streams.StreamSeed:
        """The seed of ``mechanism``'s random numbers in the current quarter.

        ``SeedSequence(root, spawn_key=(mechanism, quarter, *key))``'s.
        """
        return streams.StreamSeed(self._root_words, (STREAMS[mechanism], self.quarter, *key))

    def stream(self, mechanism: str, *key: int) -> np.random.Generator:
        """The random stream of ``mechanism`` (a key of :data:`STREAMS`) this quarter.

        ``key``: further integers that tell streams of the same quarter apart.
        """
        return self._seed_of(mechanism, *key).generator()

    def keys(self, mechanism: str, k: int) -> np.ndarray:
        """``k`` keys of ``mechanism``'s counter-based draws in the current quarter."""
        return self._seed_of(mechanism).generate_state(k, np.uint64)

    # ------------------------------------------------------------------ time
    @property
    def year(self) -> int:
        """Calendar year of the current quarter."""
        return self.start_year + self.quarter // 4

    @property
    def now(self) -> float:
        """Decimal year at the start of the current quarter."""
        return self.start_year + self.quarter / 4

    def due(self, date: float) -> bool:
        """Whether a dated event falls in or before the current quarter."""
        return date < self.now + 0.25 - 1e-9

    # ------------------------------------------------------------------ step
    def step(self) -> None:
        """Advance one quarter."""
        self._join_parks()
        self.timeline.advance()
        # Located zones, in creation order: merged units leave the model (Agent.remove).
        self.agents_by_type[Zone].do("step")
        za = self.zone_arrays()
        firms.enter(self, za)
        firms.grow_and_exit(self, za)
        if self.quarter % 4 == 3:
            self._year_end()
        self.quarter += 1

    def zones_changed(self) -> None:
        """Note that a zone's state may have changed: :meth:`zone_arrays` reads it again.

        Zones change in their step (when what they depend on changed), through the
        timeline's events and at the year end; each of these calls it.
        """
        self._zone_arrays = None

    def zone_arrays(self) -> kernel.ZoneArrays:
        """Zone state as arrays indexed like ``zone_list`` (read again after :meth:`zones_changed`).

        The arrays are shared until then: read them, do not write them.
        """
        if self._zone_arrays is None:
            self._zone_arrays = self._read_zone_arrays()
        return self._zone_arrays

    def _read_zone_arrays(self) -> kernel.ZoneArrays:
        fields = 9
        values = itertools.chain.from_iterable(
            (
                z.approval_days,
                z.services,
                z.effort,
                z.level == "national" and z.counted,
                z.marketing,
                z.environment,
                z.status != "merged",
                z.planned_area,
                z.status == "delisted",
            )
            for z in self.zone_list
        )
        n = len(self.zone_list)
        cols = np.fromiter(values, float, n * fields).reshape(n, fields).T.copy()  # rows contiguous
        days, services, effort, national, marketing, environment = cols[:6]
        return kernel.ZoneArrays(
            days, services, effort, national, marketing, environment, cols[6] > 0, cols[7], cols[8]
        )

    def premium_pp(self) -> float:
        """The zones' growth premium over the province this quarter, pp/year.

        ``zone_premium_pp`` at the start, fading at the speed of level adjustment
        (``level_convergence``): zones raise output by a level, not by a permanently
        steeper path (Alder, Shao & Zilibotti 2016).
        """
        fade = math.exp(-self.p["level_convergence"] * (self.now - self.start_year))
        premium: float = self.p["zone_premium_pp"] * fade
        return premium

    # ------------------------------------------------------------------ year end
    def _year_end(self) -> None:
        """Statistics, the province, assessment and exit, land, roll-outs; record the year."""
        p, year = self.p, self.year
        pop, zl, acc = self.firms, self.zone_list, self.accounts
        nz = len(zl)
        if pop.census is not None and len(pop.census[0]) == nz:  # as the dynamics left it
            used, counts = pop.census
            firms_z = counts.sum(axis=1).astype(np.int64)
        else:
            firms_z = np.bincount(pop.zone, minlength=nz)
            used = np.bincount(pop.zone, weights=pop.land, minlength=nz)
        for z, u in zip(zl, used.tolist(), strict=True):
            z.land_used = u
        zone_growth = np.where(
            acc.prev_va > 0, acc.year_va / np.maximum(acc.prev_va, 1e-12) - 1, 0.0
        )
        self._update_province(float(acc.year_va.sum()))
        self.recorder.record(self, year, firms_z, zone_growth)
        counted = [z for z in zl if z.counted]
        score = self._scores(counted, zone_growth)
        if p["exit_rule_on"] and year >= p["assessment_year"]:
            self.province.assess(year, score)
            score = {z: s for z, s in score.items() if z.counted}
        # The ledger's order: new zones (the programme's one zone per county), then the
        # area planned ahead, then expansions applied for by crowded zones; while new
        # zones are being approved, expansions leave room for the counties still without.
        room, best = self._land_room(), ranked(score)
        if year >= p["rollout_year"]:
            room = self._roll_out(best, room)
        if p["expansion_on"] and year >= p["expansion_year"]:
            reserve = self._county_reserve()
            room = self.province.plan_expansions(room - reserve, best)
            self.province.approve_expansions(room, best)
        acc.close_year()
        self.zones_changed()

    def _update_province(self, zone_gdp: float) -> None:
        """Rest of the province: on the province's path, less the displaced activity.

        ``R_y = max(R_{y-1} (1 + g_y) - displacement * max(Z_y - Z_{y-1} (1 + g_y), 0), 0)``
        from ``R_2016 = P_2016 - Z_2016``; provincial GDP is ``R + Z``, so zone GDP never
        exceeds it.
        """
        g = registry.province_growth(self.year, self.p) / 100
        if math.isnan(self.rest_gdp):
            self.rest_gdp = max(registry.PROVINCE_GDP_2016 - zone_gdp, 0.0)
        else:
            excess = max(zone_gdp - self._prev_zone_gdp * (1 + g), 0.0)
            self.rest_gdp = max(self.rest_gdp * (1 + g) - self.p["displacement"] * excess, 0.0)
        self._prev_zone_gdp = zone_gdp

    # ------------------------------------------------------------------ land ledger
    def designated(self) -> float:
        """Land designated for industrial zones: every located unit, delisted ones too."""
        return sum(z.planned_area for z in self.zone_list if z.located and z.type == "industrial")

    def _land_room(self) -> float:
        """Land the ledger can still designate: ``max(cap, designated_2016) - designated``."""
        return max(self.province.land_cap, self.designated_2016) - self.designated()

    def _county_reserve(self) -> float:
        """Land kept for the new zones of the coming years, km2.

        ``new_zone_area_km2`` for each new zone due within ``county_reserve_years`` at
        the pace ``new_zones_per_year``, at most one per county still without a zone:
        the programme's one provincial zone per county comes before enlarging zones.
        """
        p = self.p
        missing = sum(c.counties_without_zone for c in self.cities.values())
        due = min(missing, math.ceil(p["new_zones_per_year"] * p["county_reserve_years"] - 1e-9))
        reserve: float = due * p["new_zone_area_km2"]
        return reserve

    def _scores(self, zones: list[Zone], zone_growth: np.ndarray) -> dict[Zone, float]:
        """Assessment score: mean rank of value-added growth and entries per km2."""
        if not zones:
            return {}
        idx = np.array([z.index for z in zones])
        g = zone_growth[idx]
        e = self.accounts.entries[idx] / np.maximum([z.planned_area for z in zones], 1e-9)
        ranks = np.argsort(np.argsort(g, kind="stable"), kind="stable") + np.argsort(
            np.argsort(e, kind="stable"), kind="stable"
        )
        jitter = self.stream("assessment").random(len(zones)) * 0.5  # breaks ties at random
        return {
            z: float(r + j) / (2 * len(zones)) for z, r, j in zip(zones, ranks, jitter, strict=True)
        }

    def _due_count(self, pace: float) -> int:
        """Events due this year at a fractional yearly ``pace`` from ``rollout_year``.

        ``floor(pace * years) - floor(pace * (years - 1))`` with ``years`` the roll-outs
        so far, this one included: paces accumulate deterministically.
        """
        years = self.year - math.ceil(self.p["rollout_year"] - 1e-9) + 1
        due: int = math.floor(pace * years + 1e-9) - math.floor(pace * (years - 1) + 1e-9)
        return due

    def _roll_out(self, best: list[Zone], room: float) -> float:
        """From ``rollout_year``: three systems, operators, upgrades and new zones, best first.

        Upgrades (in cities without a national zone) and new county zones (in cities
        with counties without one) follow their paces; a new zone needs room in the
        land ledger. A share ``designation_share`` of new zones are existing parks
        designated with their firms (:meth:`_designate_park`), the rest greenfield.

        Args:
            best: The counted zones, the best assessment score first.
            room: Land still free under the cap in the ledger, km2.

        Returns:
            The room left in the land ledger, km2.
        """
        p, now = self.p, self.now + 0.25
        if p["three_systems_on"]:
            for z in [z for z in best if not z.three_systems][: int(p["three_systems_rollout"])]:
                z.three_systems = True
        if p["operators_on"]:
            for z in [z for z in best if not z.service_operators][: int(p["operator_rollout"])]:
                OperatingCompany(self, z, now)
        upgrades = self._due_count(p["upgrades_per_year"])
        for _, city in sorted(self.cities.items()):
            if upgrades == 0:
                break
            if city.has_national_zone:
                continue
            cands = [z for z in best if z.city == city.name and z.type == "industrial"]
            if cands:
                cands[0].level = "national"
                upgrades -= 1
        new, area = self._due_count(p["new_zones_per_year"]), p["new_zone_area_km2"]
        for city in sorted(self.cities.values(), key=lambda c: (-c.counties_without_zone, c.name)):
            if new == 0 or room < area:
                break
            if city.counties_without_zone > 0:
                self._new_zone(city.name, now, park=self._next_is_park())
                new -= 1
                room -= area
        return room

    def _next_is_park(self) -> bool:
        """Whether the next new zone is a designated park: shares accumulate zone by zone.

        The ``k``-th new zone is a park when ``floor(share * k)`` exceeds
        ``floor(share * (k - 1))``, so ``designation_share`` of every run of new zones
        are parks, deterministically.
        """
        share, k = self.p["designation_share"], self.new_zones + 1
        park: bool = math.floor(share * k + 1e-9) > math.floor(share * (k - 1) + 1e-9)
        return park

    def _new_zone(self, city: str, since: float, park: bool = False) -> Zone:
        """Approve a new county-level provincial zone (in :data:`sim.core.modes.NEW_ZONE_MODE`).

        Args:
            city: The city of the county.
            since: Decimal year of approval.
            park: Whether the zone is an existing park designated with its firms
                (:meth:`_designate_park`; it enters the zone statistics) rather than
                greenfield land with no firms yet (outside the statistics).
        """
        k = len(self.zone_list) + 1
        zid = f"N{k:03d}"
        kind_en, kind_zh = (
            ("designated park", "认定园区") if park else ("new county zone", "新设县级开发区")
        )
        staffing = modes.MODES[modes.NEW_ZONE_MODE]
        assert staffing.staff_2018 is not None and staffing.departments_2018 is not None
        row, unit = zonedata.new_zone_rows(
            zid,
            name=f"{kind_en.capitalize()} {zid}, {city_label(city, 'en')}",
            name_zh=f"{kind_zh}{zid}（{city_label(city, 'zh')}）",
            synthetic=1,
            city=city,
            level="provincial",
            type="industrial",
            in_statistics=int(park),
            planned_area_km2=self.p["new_zone_area_km2"],
            staff=staffing.staff_2018[0],
            departments=staffing.departments_2018[0],
            mode=modes.NEW_ZONE_MODE,
            mode_year=since,
            local_powers=int(self.p["new_zone_local_powers"]),
        )
        z = Zone(self, unit, row)
        mode = self.timeline.mode_of_new_zone(z)
        if mode is not None:
            z.set_mode(mode)
        self.accounts.add_zone()
        self.new_zones += 1
        if park:
            self._pending_parks.append(z)
        return z

    def _join_parks(self) -> None:
        """Designated parks approved at the last year end join their zones with their firms."""
        for z in self._pending_parks:
            self._designate_park(z)
        self._pending_parks = []

    def _designate_park(self, z: Zone) -> np.ndarray:
        """Bring an existing park's firms and output into zone ``z`` from the rest of the province.

        The park joins at the start of the first quarter after its approval. It has
        ``designated_park_scale`` times the firms and 2016 value added of the
        registry's median sub-provincial park, its value added grown with the province
        since 2016. That output leaves the rest of the province (``rest_gdp``) as it
        enters the zones, so provincial output does not change; it also counts as the
        zone's output of the year before, so neither the zone's growth nor
        displacement sees a jump. Each designation draws from its own stream
        (quarter, zone).

        Returns:
            The park's firm ids.
        """
        park_firms, va = self._park_template
        scale = self.p["designated_park_scale"]
        va = scale * va * self.p["value_added_scale"] * self.gdp_index
        if not math.isnan(self.rest_gdp):
            va = min(va, self.rest_gdp)
            self.rest_gdp -= va
            self._prev_zone_gdp += va
        self.accounts.prev_va[z.index] = va
        n = max(round(scale * park_firms), 1)
        self.accounts.designated_firms += n
        return firms.add_established(
            self,
            self.stream("designation", z.index),
            np.array([z.index], dtype=np.intp),
            np.array([n]),
            np.array([va]),
            np.array([z.planned_area]),
            origin=ORIGINS.index("designated"),
        )

    @property
    def zone_rows(self) -> list[dict[str, Any]]:
        """The zone table's rows so far (see :class:`sim.core.recording.Recorder`)."""
        return self.recorder.zone_rows

    def enterprise_agents(self) -> AgentSet:
        """Return the living firms as Mesa agents, one ``Enterprise`` view per firm.

        ``model.firms`` (struct of arrays) is the model's interface to firms; this set is
        built on each call from it, in ``firm_id`` order, and its views read and write
        the arrays (see :mod:`sim.core.firms`).
        """
        return self.firms.agent_set()
