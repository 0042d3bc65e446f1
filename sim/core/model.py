"""The development-zone reform model: ``ZoneReformModel(mesa.Model)``.

One step is a quarter. The schedule (see ``docs/ODD.md``, "Process overview"):

1. provincial government: reform timeline (integration, delegation, approval
   bureaus, commitment system, the regulation, modes, three systems, operators);
2. zones: approval time, attraction effort, services, environment;
3. investment projects (discrete choice of zone) and start-ups (a province-wide pool
   on free zone land), in blocks;
4. enterprises: growth (province trend + zone premium + level adjustment + young-firm
   catch-up + heavy-tailed shocks shrinking with size) and exit by a size-, age- and
   environment-dependent hazard, in one compiled pass (:mod:`sim.core.kernel`);
5. accounting; at year end: statistics (as published and at fixed boundaries), the
   province and its rest, assessment and exit, the land ledger (expansions, delisting,
   new zones), roll-outs and upgrades.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim.core import kernel, modes, selectors, zonedata
from sim.core import params as registry
from sim.core.agents import (
    CityGovernment,
    OperatingCompany,
    ProvincialGovernment,
    Zone,
)
from sim.core.cities import city_label
from sim.core.enterprises import ORIGINS, FirmPopulation

#: Sectors of investment projects: one ``sector_weight_<sector>`` registry parameter each.
SECTOR_PREFIX = "sector_weight_"
SECTORS = tuple(
    n.removeprefix(SECTOR_PREFIX) for n in registry.REGISTRY if n.startswith(SECTOR_PREFIX)
)
#: Random streams, one per mechanism (see ``ZoneReformModel._stream``).
STREAMS = {"init": 0, "entry": 1, "dynamics": 2, "assessment": 4, "designation": 5}
#: Largest share of a unit's planned area its initial firms may occupy.
INITIAL_LAND_MAX = 0.85
#: Age bands of the recorded exit rates, years: [0, 1), [1, 2), [2, 7) and 7 or more (the
#: founding year, the second, the peak years 3-7 and later, as in SAIC 2013).
EXIT_AGE_EDGES = kernel.AGE_EDGES
#: Largest factor by which a small firm's shock scale exceeds the median firm's.
SHOCK_SCALE_MAX = kernel.SHOCK_SCALE_MAX


def _growth(now: float, before: float) -> float:
    """Growth in percent from ``before`` to ``now`` (0 when there was nothing before)."""
    return 100 * (now / before - 1) if before > 0 else 0.0


def reed_sizes(rng: np.random.Generator, n: int, body_sd: float, alpha: float) -> np.ndarray:
    """Firm sizes with a lognormal body and a Pareto upper tail (Reed's product).

    ``LogNormal(0, body_sd) * (1 + Lomax(alpha))``: the product keeps the Pareto
    factor's counter-cumulative tail exponent ``alpha``.
    """
    return rng.lognormal(0.0, body_sd, n) * (1.0 + rng.pareto(alpha, n))


def reed_mean(body_sd: float, alpha: float) -> float:
    """Mean of :func:`reed_sizes` (``alpha`` > 1)."""
    return math.exp(0.5 * body_sd**2) * alpha / (alpha - 1.0)


def startup_intensity(
    free_km2: np.ndarray, environment: np.ndarray, params: Mapping[str, float]
) -> np.ndarray:
    """Expected start-ups per quarter in each zone: a pool on free land, by environment.

    ``startup_density / 4 * free * exp(beta_env_startup * environment)``: no term in a
    zone's own firm stock, so entry does not compound.
    """
    return (
        params["startup_density"] / 4 * free_km2 * np.exp(params["beta_env_startup"] * environment)
    )


def log_exit_hazard(
    log_rel_size: np.ndarray,
    age: np.ndarray,
    environment: np.ndarray,
    params: Mapping[str, float],
) -> np.ndarray:
    """Log of the quarterly exit hazard of firms.

    ``h = exit_hazard/4 * (1 + exit_churn * env) * rel_size^(-exit_size_elasticity)
    * (1 + (exit_young_factor - 1) * (age / a) * exp(1 - age / a))`` with
    ``a = exit_age_scale`` and ``rel_size`` the size relative to the median firm: the
    hazard falls with size; with age it rises from the mature level at birth to
    ``exit_young_factor`` times it at age ``a`` and falls back (the liability of
    adolescence: a new firm's initial endowment carries it through its first years;
    SAIC 2013 finds Chinese firms' hazard highest in their third year); a better
    environment raises it (churn: selection at the bottom).

    Args:
        log_rel_size: Log of each firm's size relative to the median firm.
        age: Each firm's age, years.
        environment: Business-environment index of each firm's zone.
        params: Resolved parameters.
    """
    rel_age = age / params["exit_age_scale"]
    young = rel_age * np.exp(1 - rel_age)
    young *= params["exit_young_factor"] - 1
    out = np.log1p(young, out=young)
    out -= params["exit_size_elasticity"] * log_rel_size
    out += np.log(params["exit_hazard"] / 4 * (1 + params["exit_churn"] * environment))
    return out


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
            c: CityGovernment(self, c, zonedata.COUNTIES.get(c, 1))
            for c in sorted(set(self.data.zones["city"]))
        }
        zones_by_id = {r["zone_id"]: r for r in self.data.zone_records}
        for unit in self.data.unit_records:
            Zone(self, unit, zones_by_id[unit["zone_id"]])
        self.firms = FirmPopulation(self)
        self._init_firms()
        #: Median firms and value added (2016) of the registry's sub-provincial parks: the
        #: template of a park outside the zones that is designated as a new zone.
        parks = self.data.units[self.data.units["level"] == "park"]
        self._park_template = (
            (float(parks["firms"].median()), float(parks["value_added"].median()))
            if len(parks)
            else (
                float(self.data.units["firms"].min()),
                float(self.data.units["value_added"].min()),
            )
        )
        self.new_zones = 0  # new zones approved so far (designated and greenfield)
        #: Designated zones whose parks join at the start of the next quarter.
        self._pending_parks: list[Zone] = []
        self._designated_firms = 0  # firms that joined with designated parks this year
        self._size_2016 = float(self.firms.size.mean())
        #: The median firm's size at the start of the last quarter's firm dynamics.
        self._median: float | None = None
        #: The size of the smallest of last year's largest 1 % of firms.
        self._top_size: float | None = None
        self._work = kernel.Workspace()
        self.gdp_index = 1.0  # province real GDP relative to the start of 2016
        #: Rest of the province's GDP (set at the end of the first year), 亿元.
        self.rest_gdp = math.nan
        self._prev_zone_gdp = math.nan
        #: Land designated for industrial zones in 2016, km2 (the ledger's floor for the cap).
        self.designated_2016 = self._designated()
        self._events = self._schedule_events()
        n = len(self.zone_list)
        self._year_va = np.zeros(n)
        self._prev_va = self._initial_value_added()
        self._entries = np.zeros(n, dtype=np.int64)
        self._exits = np.zeros(n, dtype=np.int64)
        #: Exits and exposure (firm-years at risk) by age band (:data:`EXIT_AGE_EDGES`).
        self._band_exits = np.zeros(len(EXIT_AGE_EDGES) + 1)
        self._band_exposure = np.zeros(len(EXIT_AGE_EDGES) + 1)
        self.annual: list[dict[str, float]] = []
        #: Zones in the statistics, and the number of units, at the last year end.
        self._covered = np.zeros(0, dtype=np.intp)
        self._units_recorded = 0
        self.zone_rows: list[dict[str, Any]] = []
        self.running = True

    # ------------------------------------------------------------------ set-up
    def _init_firms(self) -> None:
        """Draw the 2016 firms of every unit: sizes match the registry's value added.

        Sizes are Reed draws (lognormal body, Pareto tail ``size_tail_alpha``) scaled so
        that each unit's firms add up to its registered value added exactly.
        """
        units = self.data.units
        self._add_established_firms(
            self._stream("init"),
            np.arange(len(units), dtype=np.intp),
            units["firms"].to_numpy(dtype=np.int64),
            self._initial_value_added(),
            units["planned_area_km2"].to_numpy(dtype=float),
            origin=0,
        )

    def _add_established_firms(
        self,
        rng: np.random.Generator,
        zones: np.ndarray,
        counts: np.ndarray,
        value_added: np.ndarray,
        area: np.ndarray,
        origin: int,
    ) -> np.ndarray:
        """Add the established firms of some zones, sized to their value added exactly.

        Sizes are Reed draws (lognormal body, Pareto tail ``size_tail_alpha``) scaled so
        that each zone's firms add up to its value added; their land fills at most
        :data:`INITIAL_LAND_MAX` of the zone's planned area; ages are exponential (mean
        8 years).

        Args:
            rng: Random stream.
            zones: Zone indices.
            counts: Firms in each zone.
            value_added: Each zone's value added, 亿元 per year.
            area: Each zone's planned area, km2.
            origin: Index into :data:`sim.core.enterprises.ORIGINS`.

        Returns:
            The new firms' ids.
        """
        k = len(zones)
        local = np.repeat(np.arange(k, dtype=np.intp), counts)
        n = len(local)
        raw = reed_sizes(rng, n, self.p["entrant_size_sd"], self.p["size_tail_alpha"])
        unit_raw = np.bincount(local, weights=raw, minlength=k)
        size = raw * (value_added / np.maximum(unit_raw, 1e-300))[local]
        land_sd = self.p["land_sd"]
        land = self.p["land_per_firm"] * rng.lognormal(-0.5 * land_sd**2, land_sd, n)
        unit_land = np.bincount(local, weights=land, minlength=k)
        cap = INITIAL_LAND_MAX * area
        land *= np.minimum(1.0, cap / np.maximum(unit_land, 1e-12))[local]
        age = rng.exponential(8.0, n)
        return self.firms.add(
            zone=zones[local],
            sector=rng.choice(len(SECTORS), n, p=self.sector_shares).astype(np.int8),
            size=size,
            level=np.zeros(n),
            birth=self.now - age,
            land=land,
            origin=np.full(n, origin, dtype=np.int8),
        )

    def _initial_value_added(self) -> np.ndarray:
        """Each unit's 2016 value added: the registry's, times ``value_added_scale``."""
        return self.data.units["value_added"].to_numpy(dtype=float) * self.p["value_added_scale"]

    def _select(self, selector: str | list[str]) -> list[Zone]:
        """Zones (not merged) matching a mode-assignment selector."""
        located = [z for z in self.zone_list if z.status != "merged"]
        if isinstance(selector, list):  # zone or unit ids: no parsing needed
            ids = set(selector)
            return [z for z in located if z.zone_id in ids or z.unit in ids]
        return selectors.select(selector, located)

    def _check_selector(self, selector: str | list[str], key: str) -> None:
        """Raise if a mode-assignment selector names no zone of the registry."""
        try:
            selectors.check(selector, self.data)
        except selectors.SelectorError as exc:
            raise registry.ParameterError(key, exc.expected, exc.got, hint=exc.hint) from None

    def _schedule_events(self) -> list[tuple[float, int, str, Any]]:
        """Dated reform events, sorted: (date, order, kind, payload)."""
        p = self.p
        ev: list[tuple[float, int, str, Any]] = []
        if p["integration_on"]:
            ev.append((p["integration_year"], 0, "integrate", None))
        for z in self.data.zone_records:
            zid = z["zone_id"]
            if p["modes_on"]:
                ev.append((float(z["mode_year"]), 1, "mode", ([zid], z["mode"])))
            if p["three_systems_on"] and not math.isnan(z["three_systems_year"]):
                ev.append((float(z["three_systems_year"]), 2, "three_systems", zid))
            if p["operators_on"] and z["operators"] > 0:
                ev.append((float(z["operators_year"]), 2, "operators", (zid, int(z["operators"]))))
        for i, a in enumerate(p[registry.MODE_ASSIGNMENTS]):
            self._check_selector(a["zones"], f"{registry.MODE_ASSIGNMENTS}[{i}].zones")
            ev.append((a["year"], 3, "mode", (a["zones"], a["mode"])))
        # An undated event (a blank date in a registry built in code) never happens; it
        # must not sit in the queue, where it would block every later event.
        return sorted((e for e in ev if not math.isnan(e[0])), key=lambda e: (e[0], e[1]))

    def _seed_of(self, mechanism: str) -> np.random.SeedSequence:
        """The seed of ``mechanism``'s random numbers in the current quarter."""
        key = (STREAMS[mechanism], self.quarter)
        return np.random.SeedSequence(self._stream_root, spawn_key=key)

    def _stream(self, mechanism: str) -> np.random.Generator:
        """The random stream of ``mechanism`` for the current quarter."""
        return np.random.default_rng(self._seed_of(mechanism))

    def _keys(self, mechanism: str, k: int) -> np.ndarray:
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

    def _due(self, date: float) -> bool:
        """Whether a dated event falls in or before the current quarter."""
        return date < self.now + 0.25 - 1e-9

    # ------------------------------------------------------------------ step
    def step(self) -> None:
        """Advance one quarter."""
        self._join_parks()
        self._apply_timeline()
        # Located zones, in creation order: merged units leave the model (Agent.remove).
        self.agents_by_type[Zone].do("step")
        za = self._zone_arrays()
        self._entry(za)
        self._firm_dynamics(za)
        if self.quarter % 4 == 3:
            self._year_end()
        self.quarter += 1

    def _apply_timeline(self) -> None:
        p, now = self.p, self.now
        while self._events and self._due(self._events[0][0]):
            _, _, kind, payload = self._events.pop(0)
            if kind == "integrate":
                self._integrate()
            elif kind == "mode":
                selector, mode = payload
                for z in self._select(selector):
                    z.set_mode(mode)
            elif kind == "three_systems":
                for z in self._select([payload]):
                    z.three_systems = True
            elif kind == "operators":
                zid, k = payload
                lead = self._select([zid])[0]
                for _ in range(k - len(lead.operators)):
                    OperatingCompany(self, lead, now)
        if p["delegation_on"] and self._due(p["delegation_year"]):
            ramp = (now + 0.25 - p["delegation_year"]) / p["delegation_years"]
            self.delegation_progress = p["delegation_share"] * min(max(ramp, 0.0), 1.0)
        if p["approval_bureau_on"] and self._due(p["approval_bureau_year"]):
            lag = max(p["seal_lag_years"], 0.25)
            self.seal_maturity = min((now + 0.25 - p["approval_bureau_year"]) / lag, 1.0)
        self.commitment_active = bool(p["commitment_on"]) and self._due(p["commitment_year"])
        self.regulation_active = bool(p["regulation_on"]) and self._due(p["regulation_year"])

    def _integrate(self) -> None:
        """Merge every zone's units into its lead unit: one body, one plan."""
        remap = np.arange(len(self.zone_list), dtype=np.intp)
        for row in self.data.zone_records:
            zid = row["zone_id"]
            members = [z for z in self.zone_list if z.zone_id == zid and z.status == "active"]
            if not members:
                continue
            lead = members[0]
            for other in members[1:]:
                remap[other.index] = lead.index
                lead.planned_area += other.planned_area
                for acc in (self._year_va, self._prev_va, self._entries, self._exits):
                    acc[lead.index] += acc[other.index]
                    acc[other.index] = 0
                for op in other.operators:
                    op.zone = lead
                    lead.operators.append(op)
                other.operators = []
                other.status = "merged"
                other.staff = other.bodies = 0
                other.remove()
            lead.unit, lead.name, lead.level = zid, str(row["name"]), str(row["level"])
            lead.name_zh, lead.synthetic = str(row["name_zh"]), bool(row["synthetic"])
            lead.staff, lead.bodies = int(row["staff"]), 1
            lead.departments = int(row["departments"])
        self.firms.zone[:] = remap[self.firms.zone]
        self.firms.census = None
        self.integrated = True

    def _zone_arrays(self) -> kernel.ZoneArrays:
        """Zone state as arrays indexed like ``zone_list``, read once per quarter."""
        rows = [
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
        ]
        cols = np.array(rows, dtype=float).T.copy()  # rows contiguous
        days, services, effort, national, marketing, environment = cols[:6]
        return kernel.ZoneArrays(
            days, services, effort, national, marketing, environment, cols[6] > 0, cols[7], cols[8]
        )

    def _entry(self, za: kernel.ZoneArrays) -> None:
        """Investment projects choose a zone (or none); start-ups; land check.

        Projects: a discrete choice in which reforms act through services, effort,
        marketing and (weakly) approval time; a faster approval raises a project's size
        (investment realised) rather than the count, by ``approval_investment`` times the
        share of the legacy approval time removed, in logs. Start-ups: a province-wide pool on
        free zone land, drawn by the business environment (:func:`startup_intensity`).
        """
        p, rng, pop = self.p, self._stream("entry"), self.firms
        nz = len(self.zone_list)
        choice = kernel.Choice(*(p[f] for f in kernel.Choice._fields))
        census = pop.census if pop.census is not None and len(pop.census[0]) == nz else None
        free, prob, lam, cdf, speed = kernel.entry_choice(
            pop.zone, pop.sector, pop.land, census, za, choice, self.sector_shares
        )
        # Start-ups by zone and projects by zone and sector: independent Poisson counts
        # (a Poisson number of projects per sector, each choosing a zone with `prob`).
        pace = registry.province_growth(self.year, p) / registry.REFERENCE_GROWTH
        flow = p["projects_per_year"] / 4 * pace * self.sector_shares
        counts = rng.poisson(np.concatenate([lam, (flow[:, None] * prob[:, 1:]).ravel()]))
        starts, alloc = counts[:nz], counts[nz:].reshape(len(flow), nz)
        # A start-up's sector follows the zone's mix (the province's in an empty zone).
        u_sector = rng.random(int(starts.sum()))
        n_projects = int(alloc.sum())
        k = n_projects + len(u_sector)
        if k == 0:
            return
        # Land (lognormal, mean land_per_firm) and the body of the size (lognormal) from
        # one block of normal draws; the size's Pareto factor after them.
        z = rng.standard_normal(2 * k)
        sd_land, sd, alpha = p["land_sd"], p["entrant_size_sd"], p["entrant_tail_alpha"]
        land = p["land_per_firm"] * np.exp(-0.5 * sd_land**2 + sd_land * z[:k])
        # Land check: entrants take free land in order; those that do not fit leave.
        new_zone, new_sector, keep = kernel.place_entrants(alloc, starts, cdf, u_sector, land, free)
        # Entrant size follows the economy, not the incumbents: 2016's mean firm scaled by
        # the province's real GDP since, times a Reed draw (mean 1) truncated at
        # `entrant_size_cap` times the mean. Projects gain from faster approvals in
        # proportion to the share of the legacy wait removed (a wait costs a project in
        # proportion to its length): at most `approval_investment` in logs, reached
        # only if the whole wait goes, however the cuts compound.
        mean_raw = reed_mean(sd, alpha)
        raw = np.exp(sd * z[k:]) * (1.0 + rng.pareto(alpha, k))
        np.minimum(raw, p["entrant_size_cap"] * mean_raw, out=raw)
        size = p["entrant_size"] * self._size_2016 * self.gdp_index / mean_raw * raw
        time_cut = 1 - 1 / speed[new_zone[:n_projects]]  # 1 - days / approval_days_legacy
        size[:n_projects] *= np.exp(p["approval_investment"] * time_cut)
        origin = np.full(k, ORIGINS.index("startup"), dtype=np.int8)
        origin[:n_projects] = ORIGINS.index("project")
        zone = new_zone[keep]
        pop.add(
            zone=zone,
            sector=new_sector[keep],
            size=size[keep],
            level=np.zeros(len(zone)),
            birth=np.full(len(zone), self.now),
            land=land[keep],
            origin=origin[keep],
        )
        self._entries += np.bincount(zone, minlength=nz)

    def _firm_dynamics(self, za: kernel.ZoneArrays) -> None:
        """Growth and exit of every firm: one pass of :func:`sim.core.kernel.firm_dynamics`."""
        p, pop = self.p, self.firms
        n = pop.n
        g_prov = registry.province_growth(self.year, p)
        if n:
            # Productivity level: partial adjustment towards a level target. Firms already
            # in place when the reform starts get `incumbent_level_share` of it (levels,
            # not a permanent growth premium; net entry carries most of the reform).
            env = za.environment
            target = p["reform_level_effect"] * env - p["delisting_tfp_loss"] * za.delisted
            # Gibrat with Laplace shocks whose scale falls with size relative to the median
            # firm (one O(n) selection per quarter); exit by an Exp(1) clock below the
            # quarter's hazard (see `log_exit_hazard`).
            self._median = kernel.order_statistic(pop.size, n // 2, self._median, self._work)
            growth_key, exit_key = self._keys("dynamics", 2)
            q = kernel.Quarter(
                now=self.now,
                incumbent_before=p["integration_year"],
                incumbent_share=p["incumbent_level_share"],
                kappa=1 - math.exp(-p["level_convergence"] / 4),
                log_median=math.log(self._median),
                shock_elasticity=p["shock_size_elasticity"],
                shock_k=p["shock_scale"] / (2 * math.sqrt(2)),
                young_years=p["young_years"],
                young_step=p["young_growth"] / 4,
                drift=(math.log1p(g_prov / 100) + math.log1p(self.premium_pp() / 100)) / 4,
                size_elasticity=p["exit_size_elasticity"],
                inv_age_scale=1 / p["exit_age_scale"],
                young_excess=p["exit_young_factor"] - 1,
                growth_key=growth_key,
                exit_key=exit_key,
            )
            hazard0 = p["exit_hazard"] / 4 * (1 + p["exit_churn"] * env)
            dead, va, exits, bands, census = kernel.firm_dynamics(
                pop.zone,
                pop.size,
                pop.level,
                pop.birth,
                pop.firm_id,
                target,
                hazard0,
                q,
                self._work,
                pop.sector,
                pop.land,
                len(SECTORS),
            )
            self._exits += exits
            self._band_exposure += bands[0] / 4
            self._band_exits += bands[1]
            self._year_va += va / 4
            pop.remove(dead)
            pop.census = census
        self.gdp_index *= (1 + g_prov / 100) ** 0.25

    def premium_pp(self) -> float:
        """The zones' growth premium over the province this quarter, pp/year.

        ``zone_premium_pp`` at the start, fading at the speed of level adjustment
        (``level_convergence``): zones raise output by a level, not by a permanently
        steeper path (Alder, Shao & Zilibotti 2016).
        """
        fade = math.exp(-self.p["level_convergence"] * (self.now - self.start_year))
        return self.p["zone_premium_pp"] * fade

    # ------------------------------------------------------------------ year end
    def _year_end(self) -> None:
        """Statistics, the province, assessment and exit, land, roll-outs; record the year."""
        p, year = self.p, self.year
        pop, zl = self.firms, self.zone_list
        nz = len(zl)
        if pop.census is not None and len(pop.census[0]) == nz:  # as the dynamics left it
            used, counts = pop.census
            firms_z = counts.sum(axis=1).astype(np.int64)
        else:
            firms_z = np.bincount(pop.zone, minlength=nz)
            used = np.bincount(pop.zone, weights=pop.land, minlength=nz)
        for z in zl:
            z.land_used = float(used[z.index])
        zone_growth = np.where(
            self._prev_va > 0, self._year_va / np.maximum(self._prev_va, 1e-12) - 1, 0.0
        )
        self._update_province(float(self._year_va.sum()))
        self._record(year, firms_z, zone_growth)
        counted = [z for z in zl if z.counted]
        score = self._scores(counted, zone_growth)
        if p["exit_rule_on"] and year >= p["assessment_year"]:
            self.province.assess(year, score)
            score = {z: s for z, s in score.items() if z.counted}
        # The ledger's order: new zones (the programme's one zone per county), then the
        # area planned ahead, then expansions applied for by crowded zones; while new
        # zones are being approved, expansions leave room for the counties still without.
        room = self._land_room()
        if year >= p["rollout_year"]:
            room = self._roll_out(score, room)
        if p["expansion_on"] and year >= p["expansion_year"]:
            reserve = self._county_reserve()
            room = self.province.plan_expansions(room - reserve, score)
            self.province.approve_expansions(room, score)
        self._prev_va = self._year_va.copy()
        self._year_va[:] = 0
        self._entries[:] = 0
        self._exits[:] = 0
        self._designated_firms = 0
        self._band_exits[:] = 0
        self._band_exposure[:] = 0

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
    def _designated(self) -> float:
        """Land designated for industrial zones: every located unit, delisted ones too."""
        return sum(z.planned_area for z in self.zone_list if z.located and z.type == "industrial")

    def _land_room(self) -> float:
        """Land the ledger can still designate: ``max(cap, designated_2016) - designated``."""
        return max(self.province.land_cap, self.designated_2016) - self._designated()

    def _county_reserve(self) -> float:
        """Land kept for the new zones of the coming years, km2.

        ``new_zone_area_km2`` for each new zone due within ``county_reserve_years`` at
        the pace ``new_zones_per_year``, at most one per county still without a zone:
        the programme's one provincial zone per county comes before enlarging zones.
        """
        p = self.p
        missing = sum(c.counties_without_zone for c in self.cities.values())
        due = min(missing, math.ceil(p["new_zones_per_year"] * p["county_reserve_years"] - 1e-9))
        return due * p["new_zone_area_km2"]

    def _scores(self, zones: list[Zone], zone_growth: np.ndarray) -> dict[Zone, float]:
        """Assessment score: mean rank of value-added growth and entries per km2."""
        if not zones:
            return {}
        idx = np.array([z.index for z in zones])
        g = zone_growth[idx]
        e = self._entries[idx] / np.maximum([z.planned_area for z in zones], 1e-9)
        ranks = np.argsort(np.argsort(g, kind="stable"), kind="stable") + np.argsort(
            np.argsort(e, kind="stable"), kind="stable"
        )
        jitter = self._stream("assessment").random(len(zones)) * 0.5  # breaks ties at random
        return {
            z: float(r + j) / (2 * len(zones)) for z, r, j in zip(zones, ranks, jitter, strict=True)
        }

    def _industrial_area(self) -> float:
        return sum(z.planned_area for z in self.zone_list if z.counted and z.type == "industrial")

    def _due_count(self, pace: float) -> int:
        """Events due this year at a fractional yearly ``pace`` from ``rollout_year``.

        ``floor(pace * years) - floor(pace * (years - 1))`` with ``years`` the roll-outs
        so far, this one included: paces accumulate deterministically.
        """
        years = self.year - math.ceil(self.p["rollout_year"] - 1e-9) + 1
        return math.floor(pace * years + 1e-9) - math.floor(pace * (years - 1) + 1e-9)

    def _roll_out(self, score: dict[Zone, float], room: float) -> float:
        """From ``rollout_year``: three systems, operators, upgrades and new zones, best first.

        Upgrades (in cities without a national zone) and new county zones (in cities
        with counties without one) follow their paces; a new zone needs room in the
        land ledger. A share ``designation_share`` of new zones are existing parks
        designated with their firms (:meth:`_designate_park`), the rest greenfield.

        Returns:
            The room left in the land ledger, km2.
        """
        p, now = self.p, self.now + 0.25
        ranked = sorted(score, key=lambda z: (-score[z], z.unit))
        if p["three_systems_on"]:
            for z in [z for z in ranked if not z.three_systems][: int(p["three_systems_rollout"])]:
                z.three_systems = True
        if p["operators_on"]:
            for z in [z for z in ranked if not z.service_operators][: int(p["operator_rollout"])]:
                OperatingCompany(self, z, now)
        upgrades = self._due_count(p["upgrades_per_year"])
        for city in sorted(self.cities.values(), key=lambda c: c.name):
            if upgrades == 0:
                break
            if city.has_national_zone:
                continue
            cands = [z for z in ranked if z.city == city.name and z.type == "industrial"]
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
        return math.floor(share * k + 1e-9) > math.floor(share * (k - 1) + 1e-9)

    def _new_zone(self, city: str, since: float, park: bool = False) -> Zone:
        """Approve a new county-level provincial zone (区政合一 while modes are on).

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
        row = {
            "zone_id": zid,
            "name": f"{kind_en.capitalize()} {zid}, {city_label(city, 'en')}",
            "name_zh": f"{kind_zh}{zid}（{city_label(city, 'zh')}）",
            "synthetic": 1,
            "city": city,
            "level": "provincial",
            "type": "industrial",
            "demonstration": 0,
            "in_statistics": int(park),
            "planned_area_km2": self.p["new_zone_area_km2"],
            "staff": 25,
            "departments": 3,
            "mode": "quzheng",
            "mode_year": since,
            "local_powers": int(self.p["new_zone_local_powers"]),
            "three_systems_year": math.nan,
            "operators": 0,
            "operators_year": math.nan,
        }
        unit = {
            "unit_id": zid,
            "name": row["name"],
            "name_zh": row["name_zh"],
            "synthetic": 1,
            "level": "provincial",
            "planned_area_km2": self.p["new_zone_area_km2"],
            "staff": 25,
            "departments": 3,
        }
        z = Zone(self, unit, row)
        mode = self._new_zone_mode(z)
        if mode is not None:
            z.set_mode(mode)
        for acc in ("_year_va", "_prev_va"):
            setattr(self, acc, np.append(getattr(self, acc), 0.0))
        for acc in ("_entries", "_exits"):
            setattr(self, acc, np.append(getattr(self, acc), 0))
        self.new_zones += 1
        if park:
            self._pending_parks.append(z)
        return z

    def _new_zone_mode(self, zone: Zone) -> str | None:
        """A new zone's mode: the last due mode assignment that selects it, else 区政合一.

        A scenario that puts every zone (or every provincial zone, ...) in one mode puts
        the zones approved later in it too. With the registered modes off
        (``modes_on`` false) a zone no assignment selects stays legacy (``None``).
        """
        mode = str(zone.registered["mode"]) if self.p["modes_on"] else None
        for a in sorted(self.p[registry.MODE_ASSIGNMENTS], key=lambda a: a["year"]):
            if self._due(a["year"]) and selectors.select(a["zones"], [zone]):
                mode = a["mode"]
        return mode

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
        firms, va = self._park_template
        scale = self.p["designated_park_scale"]
        va = scale * va * self.p["value_added_scale"] * self.gdp_index
        if not math.isnan(self.rest_gdp):
            va = min(va, self.rest_gdp)
            self.rest_gdp -= va
            self._prev_zone_gdp += va
        self._prev_va[z.index] = va
        n = max(round(scale * firms), 1)
        self._designated_firms += n
        key = (STREAMS["designation"], self.quarter, z.index)
        rng = np.random.default_rng(np.random.SeedSequence(self._stream_root, spawn_key=key))
        return self._add_established_firms(
            rng,
            np.array([z.index], dtype=np.intp),
            np.array([n]),
            np.array([va]),
            np.array([z.planned_area]),
            origin=ORIGINS.index("designated"),
        )

    def _record(self, year: int, firms_z: np.ndarray, zone_growth: np.ndarray) -> None:
        zl = self.zone_list
        va, prev = self._year_va, self._prev_va
        # Statistics as published: counted zones in the statistics (boundaries change as
        # parks merge in); and the same zones at fixed boundaries: every unit of a zone
        # in the statistics, whatever its level or status.
        stats = np.array([z.in_statistics and z.counted for z in zl])
        same = np.array([z.in_statistics for z in zl])
        gdp, same_gdp = float(va[stats].sum()), float(va[same].sum())
        zone_gdp = float(va.sum())
        # As reported: this year's total over last year's. Same coverage: the zones in the
        # statistics (the units in the model) in both years, at this year's boundaries.
        if self.annual:
            last = self.annual[-1]
            covered = np.zeros(len(zl), dtype=bool)
            covered[self._covered] = True
            covered &= stats
            existed = np.arange(len(zl)) < self._units_recorded
            reported, zone_reported = last["stat_zone_gdp"], last["zone_gdp"]
        else:
            covered, existed = stats, np.ones(len(zl), dtype=bool)
            reported, zone_reported = float(prev[stats].sum()), float(prev.sum())
        self._covered, self._units_recorded = np.flatnonzero(stats), len(zl)
        growth = _growth(gdp, reported)
        same_growth = _growth(same_gdp, float(prev[same].sum()))
        province_gdp = self.rest_gdp + zone_gdp
        size = self.firms.size
        n, total = len(size), float(size.sum())
        top = max(n // 100, 1)
        if n:
            top_sum, self._top_size = kernel.largest(size, top, self._top_size, self._work)
            top1 = top_sum / total
        else:
            top1 = 0.0
        largest = float(size.max()) / total if n else 0.0
        counted = [z for z in zl if z.counted]
        active = [z for z in zl if z.status == "active"]
        g_prov = registry.province_growth(year, self.p)
        ops = [o for z in counted for o in z.operators]
        row: dict[str, float] = {
            "year": year,
            "firms": self.firms.n,
            "firm_entries": int(self._entries.sum()),
            "firm_exits": int(self._exits.sum()),
            "firms_designated": self._designated_firms,
            "zones_active": len(counted),
            "stat_zone_gdp": gdp,
            "stat_zone_gdp_growth": growth,
            "stat_zone_gdp_same_coverage_growth": _growth(
                float(va[covered].sum()), float(prev[covered].sum())
            ),
            "province_gdp_growth": g_prov,
            "growth_gap_pp": growth - g_prov,
            "stat_zone_gdp_same_zones": same_gdp,
            "stat_zone_gdp_same_zones_growth": same_growth,
            "zone_gdp": zone_gdp,
            "zone_gdp_growth": _growth(zone_gdp, zone_reported),
            "zone_gdp_same_coverage_growth": _growth(
                float(va[existed].sum()), float(prev[existed].sum())
            ),
            "zone_growth_gap_pp": _growth(zone_gdp, zone_reported) - g_prov,
            "province_gdp": province_gdp,
            "rest_gdp": self.rest_gdp,
            "zone_gdp_share": zone_gdp / province_gdp if province_gdp > 0 else 0.0,
            "firms_in_active_zones": int(sum(firms_z[z.index] for z in counted)),
            "industrial_area_km2": self._industrial_area(),
            "land_used_km2": float(self.firms.land.sum()),
            "land_designated_km2": self._designated(),
            "land_cap_km2": max(self.province.land_cap, self.designated_2016),
            "zones_three_systems": sum(z.three_systems for z in counted),
            "operators": len(ops),
            "zones_with_operators": sum(bool(z.operators) for z in counted),
            "staff": sum(z.staff for z in active),
            "bodies": sum(z.bodies for z in active),
            "approval_days": float(np.mean([z.approval_days for z in counted])),
            "approval_days_territory": float(
                np.average(
                    [z.approval_days for z in zl if z.located],
                    weights=[z.planned_area for z in zl if z.located],
                )
            ),
            "delegated_powers": float(sum(z.powers for z in counted)),
            "zones_delisted": len(self.province.delisted),
            "leadership_changes": len(self.province.leadership_changes),
            "national_zones": sum(z.level == "national" for z in counted),
            "top1_share": top1,
            "largest_firm_share": largest,
        }
        rates = self._band_exits / np.maximum(self._band_exposure, 1e-12)
        for name, k in (("0_1", 0), ("2_7", 2), ("7_up", 3)):
            row[f"exit_rate_age_{name}"] = float(rates[k]) if self._band_exposure[k] else 0.0
        for m in modes.MODE_NAMES:
            row[f"zones_{m}"] = sum(z.mode == m for z in counted)
        self.annual.append(row)
        for z in zl:
            if not z.located:
                continue
            self.zone_rows.append(
                {
                    "year": year,
                    "unit": z.unit,
                    "zone_id": z.zone_id,
                    "name": z.name,
                    "name_zh": z.name_zh,
                    "synthetic": z.synthetic,
                    "city": z.city,
                    "level": z.level,
                    "type": z.type,
                    "status": z.status,
                    "mode": z.mode,
                    "in_statistics": bool(z.in_statistics),
                    "firms": int(firms_z[z.index]),
                    "entries": int(self._entries[z.index]),
                    "exits": int(self._exits[z.index]),
                    "gdp": float(self._year_va[z.index]),
                    "gdp_growth": float(100 * zone_growth[z.index]),
                    "planned_area_km2": z.planned_area,
                    "land_used_km2": z.land_used,
                    "staff": z.staff,
                    "bodies": z.bodies,
                    "departments": z.departments,
                    "approval_days": z.approval_days,
                    "effort": z.effort,
                    "services": z.services,
                    "environment": z.environment,
                    "powers": z.powers,
                    "three_systems": z.three_systems,
                    "operators": len(z.operators),
                    "unqualified_streak": z.unqualified_streak,
                }
            )

    def enterprise_agents(self) -> AgentSet:
        """Return the living firms as Mesa agents, one ``Enterprise`` view per firm.

        ``model.firms`` (struct of arrays) is the model's interface to firms; this set is
        built on each call from it, in ``firm_id`` order, and its views read and write
        the arrays (see :mod:`sim.core.enterprises`).
        """
        return self.firms.agent_set()
