"""Zones, governments and operating companies: few, rich Mesa agents.

Enterprises live in :mod:`sim.core.firms`. The decisions here follow the model
brief and ``docs/ODD.md``; every numerical effect is a registry parameter.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from operator import attrgetter, neg
from typing import TYPE_CHECKING, Any

import mesa

from sim.core.modes import LEGACY_SERVICES, MODES, REFERENCE, departments_for, overhead

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: Service lines an operating company can provide (管运分离).
SERVICE_LINES = ("infrastructure", "attraction", "finance", "operations")
#: Operators beyond this number in one zone add nothing further.
OPERATOR_CAP = 3
_UNIT_ID = attrgetter("unit")


def _unit(x: float) -> float:
    """``x`` clipped to [0, 1] (as ``min(max(x, 0.0), 1.0)``, a NaN passing through)."""
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def ranked(score: Mapping[Zone, float], best_first: bool = True) -> list[Zone]:
    """The zones of ``score`` by their score, the best (or the worst) first.

    Ties go by unit id, then by their order in ``score`` (as ``sorted`` with the key
    ``(-score, unit)``, or ``(score, unit)``, would order them).
    """
    keys = map(neg, score.values()) if best_first else score.values()
    return [z for *_, z in sorted(zip(keys, map(_UNIT_ID, score), itertools.count(), score))]


class OperatingCompany(mesa.Agent):
    """A market entity that develops or runs services for a zone (管运分离).

    Attributes:
        zone: The zone it serves.
        lines: Service lines it provides.
        since: Decimal year it started.
        runs_zone: Whether it runs the whole zone (corporate mode).
    """

    def __init__(
        self, model: ZoneReformModel, zone: Zone, since: float, runs_zone: bool = False
    ) -> None:
        """Create an operator serving ``zone`` from ``since``."""
        super().__init__(model)
        self.zone = zone
        self.since = since
        self.runs_zone = runs_zone
        k = len(zone.service_operators)
        # Operators take service lines in turn; one that runs the zone does all four.
        self.lines = (
            SERVICE_LINES if runs_zone else (SERVICE_LINES[(k + 1) % 4], SERVICE_LINES[k % 4])
        )
        zone.operators.append(self)


class Zone(mesa.Agent):
    """A development zone, or before integration one of the units that merge into it.

    Attributes:
        unit: Identifier of this agent (the 2016 unit id, or the zone id once
            integrated).
        zone_id: The integrated zone it belongs to.
        status: ``active``, ``merged`` (absorbed by integration) or ``delisted``
            (lost its provincial status).
        level: ``national``, ``provincial`` or ``park`` (a sub-provincial unit).
        mode: Current management mode.
        approval_days: Approval time for an investment project, days.
        effort: Investment-attraction effort (legacy = 1).
        services: Service quality index (legacy = 0.3).
        environment: Business-environment index in [0, 1] (legacy = 0).
    """

    def __init__(self, model: ZoneReformModel, unit: dict[str, Any], zone: dict[str, Any]) -> None:
        """Create a zone agent from a 2016 unit row and its integrated zone's row."""
        super().__init__(model)
        self.index = len(model.zone_list)
        model.zone_list.append(self)
        self.unit = str(unit["unit_id"])
        self.zone_id = str(zone["zone_id"])
        self.name = str(unit["name"])
        self.name_zh = str(unit["name_zh"])
        self.synthetic = bool(unit["synthetic"])
        self.city = str(zone["city"])
        model.cities[self.city].units.append(self)
        self.level = str(unit["level"])
        self.type = str(zone["type"])
        self.demonstration = bool(zone["demonstration"])
        self.in_statistics = bool(zone["in_statistics"])
        self.planned_area = float(unit["planned_area_km2"])
        self.land_used = 0.0
        self.staff = int(unit["staff"])
        self.departments = int(unit["departments"])
        self.bodies = 1 if self.staff > 0 else 0
        self.registered = zone
        self.local_powers = int(zone["local_powers"])
        self.status = "active"
        self.mode = REFERENCE
        self.powers = 0.0
        self.three_systems = False
        self.one_seal = False
        self.operators: list[OperatingCompany] = []
        self.unqualified_streak = 0
        self.leadership_changes = 0
        self.leadership_bonus_until = -math.inf
        self.delisted_year: int | None = None
        self.approval_days = model.p["approval_days_legacy"]
        self.effort = 1.0
        self.services = LEGACY_SERVICES
        self.marketing = 0.0
        self.environment = 0.0
        #: What the last :meth:`step` computed the zone's state from.
        self._inputs: tuple[Any, ...] | None = None

    @property
    def counted(self) -> bool:
        """Whether this is an active national or provincial zone."""
        return self.status == "active" and self.level in ("national", "provincial")

    @property
    def service_operators(self) -> list[OperatingCompany]:
        """Operators that serve the zone without running it (管运分离)."""
        return [o for o in self.operators if not o.runs_zone]

    @property
    def run_by_operator(self) -> bool:
        """Whether an operating company runs the zone (corporate mode)."""
        return any(o.runs_zone for o in self.operators)

    @property
    def located(self) -> bool:
        """Whether firms can be located here (not absorbed by integration)."""
        return self.status != "merged"

    def set_mode(self, mode: str) -> None:
        """Adopt a management mode; a corporate zone gets an operator that runs it.

        The operator comes with ``corporate_operator`` and leaves when the zone leaves
        the corporate mode; its effect is ``corporate_operator_effect`` (see
        :meth:`step`). Operators that only serve the zone stay whatever the mode.
        """
        self.mode = mode
        if mode != REFERENCE:
            self.departments = departments_for(mode, int(self.registered["departments"]))
        runs = MODES[mode].operator_runs_zone and self.model.p["corporate_operator"]
        if runs and not self.run_by_operator:
            OperatingCompany(self.model, self, self.model.now, runs_zone=True)
        elif not runs:
            for op in [o for o in self.operators if o.runs_zone]:
                self.operators.remove(op)
                op.remove()

    def step(self) -> None:
        """Set approval time, attraction effort, services and the environment index."""
        m = self.model
        p = m.p
        mode = self.mode
        if self.status == "active" and self.level in ("national", "provincial"):  # reformed
            deleg, seal = m.delegation_progress, m.seal_maturity
            commit = 1.0 if m.commitment_active else 0.0
        else:
            deleg = seal = commit = 0.0
        # Service operators (the first OPERATOR_CAP count) and whether a company runs
        # the zone (corporate mode).
        n_ops: float = 0
        runs = False
        for o in self.operators:
            if o.runs_zone:
                runs = True
            else:
                n_ops += 1
        bonus_on = m.start_year + m.quarter / 4 < self.leadership_bonus_until
        # Everything the zone's state depends on: unchanged since the last step, it is too.
        inputs = (
            mode, deleg, seal, commit, m.regulation_active, self.departments,
            self.local_powers, self.three_systems, bonus_on, n_ops, runs,
        )  # fmt: skip
        if inputs == self._inputs:
            return
        self._inputs = inputs
        m.zones_changed()
        eff = m.mode_effects[mode]
        legacy_days = p["approval_days_legacy"]
        self.one_seal = seal > 0
        self.powers = deleg * (p["provincial_powers"] + self.local_powers)
        days = self.approval_days = (
            legacy_days
            * (1 - p["delegation_time_cut"] * deleg)
            * (1 - p["seal_time_cut"] * seal)
            * (1 - p["commitment_time_cut"] * commit)
            / eff.approval
        )
        social_share = p["social_management_share"]
        social = 0.0 if m.regulation_active else social_share
        own = overhead(mode, self.departments, p)
        free_time = (1 - own - social) / (1 - p["legacy_overhead"] - social_share)
        floor = p["min_free_time"]
        bonus = p["leadership_change_effect"] if bonus_on else 0.0
        self.effort = (
            eff.attraction
            * (floor if floor > free_time else free_time)
            * (1 + p["three_systems_effort"] * self.three_systems)
            * (1 + bonus)
        )
        # The service operators that count and the company that runs a corporate zone, in
        # units of one service operator (its sign is open).
        n_ops = min(n_ops, OPERATOR_CAP)
        if runs:
            n_ops += p["corporate_operator_effect"]
        self.services = _unit(eff.services + p["operator_services"] * n_ops)
        self.marketing = p["operator_marketing"] * n_ops
        speed = 1 - days / legacy_days
        service_gain = (self.services - LEGACY_SERVICES) / (1 - LEGACY_SERVICES)
        w = p["environment_speed_weight"]
        self.environment = _unit(w * speed + (1 - w) * service_gain)

    def __repr__(self) -> str:
        return f"Zone({self.unit}, {self.level}, {self.mode}, {self.status})"


class CityGovernment(mesa.Agent):
    """A prefecture city government (with its counties).

    It delegates its local powers to its zones and is the unit in which the province
    pursues "one national zone per city, one provincial zone per county".

    Attributes:
        name: City name.
        counties: County-level divisions in the city.
    """

    def __init__(self, model: ZoneReformModel, name: str, counties: int) -> None:
        """Create the government of city ``name`` with ``counties`` counties."""
        super().__init__(model)
        self.name = name
        self.counties = counties
        #: The city's zones and units, whatever their status, in creation order.
        self.units: list[Zone] = []

    @property
    def zones(self) -> list[Zone]:
        """The city's counted zones."""
        return [z for z in self.units if z.counted]

    @property
    def delegated_powers(self) -> float:
        """Local powers delegated to the city's zones so far."""
        return sum(z.powers for z in self.zones)

    @property
    def has_national_zone(self) -> bool:
        """Whether a counted national zone lies in the city."""
        return any(z.level == "national" and z.status == "active" for z in self.units)

    @property
    def counties_without_zone(self) -> int:
        """Counties not yet holding a provincial zone (one zone per county assumed)."""
        provincial = sum(z.level == "provincial" and z.status == "active" for z in self.units)
        return max(self.counties - provincial, 0)


class ProvincialGovernment(mesa.Agent):
    """The provincial government: reform timeline, assessment, exit, land.

    Attributes:
        land_area: Province land area, km2.
        delisted: Zones that lost provincial status, with the year.
        leadership_changes: National zones whose leadership was replaced, with the year.
    """

    def __init__(self, model: ZoneReformModel, land_area: float) -> None:
        """Create the provincial government of a province of ``land_area`` km2."""
        super().__init__(model)
        self.land_area = land_area
        self.delisted: list[tuple[str, int]] = []
        self.leadership_changes: list[tuple[str, int]] = []
        self.expanded_km2 = 0.0
        self.planned_km2 = 0.0

    @property
    def land_cap(self) -> float:
        """Cap on the land designated for industrial zones (the land ledger), km2."""
        return float(self.model.p["land_cap_share"] * self.land_area)

    def assess(self, year: int, score: dict[Zone, float]) -> None:
        """Rank counted zones and apply dynamic exit.

        The bottom ``unqualified_share`` of zones (at least one when the share is
        positive) are unqualified. A provincial zone unqualified for
        ``exit_consecutive_years`` years in a row loses its status; a national one has
        its leadership replaced and its streak reset.
        """
        p = self.model.p
        zones = ranked(score, best_first=False)
        k = math.ceil(p["unqualified_share"] * len(zones) - 1e-9)
        bottom = set(zones[:k])
        for z in zones:
            z.unqualified_streak = z.unqualified_streak + 1 if z in bottom else 0
            if z.unqualified_streak < p["exit_consecutive_years"]:
                continue
            if z.level == "national":
                z.leadership_changes += 1
                z.leadership_bonus_until = year + p["leadership_bonus_years"]
                z.unqualified_streak = 0
                self.leadership_changes.append((z.unit, year))
            else:
                z.status = "delisted"
                z.delisted_year = year
                self.delisted.append((z.unit, year))
                # Its firms stay, outside the statistics; a share of its unused land is
                # released from the ledger.
                unused = max(z.planned_area - z.land_used, 0.0)
                z.planned_area -= p["delisted_land_release"] * unused

    def plan_expansions(self, room: float, best: list[Zone]) -> float:
        """Designate planned area ahead of use: ``planned_expansion_km2`` a year, in phases.

        "Planned once, built in phases": whatever their land use, the best-ranked
        industrial zones receive a phase of ``expansion_step`` times their planned area
        (times their mode's capital factor) in turn until the year's amount or the
        land room is spent.

        Args:
            room: Land still free under the cap in the ledger, km2.
            best: The counted zones, the best assessment score first.

        Returns:
            The room left, km2.
        """
        p = self.model.p
        budget = p["planned_expansion_km2"]
        for z in [z for z in best if z.type == "industrial"]:
            capital = self.model.mode_effects[z.mode].capital
            inc = min(p["expansion_step"] * z.planned_area * capital, budget, room)
            if inc <= 0:
                break
            z.planned_area += inc
            budget -= inc
            room -= inc
            self.planned_km2 += inc
        return room

    def approve_expansions(self, room: float, best: list[Zone]) -> float:
        """Approve expansions of crowded zones within the yearly budget and the land room.

        Args:
            room: Land still free under the cap in the ledger, km2.
            best: The counted zones, the best assessment score first.

        Returns:
            The room left, km2.
        """
        p = self.model.p
        budget = p["expansion_max_km2"]
        applicants = [
            z
            for z in best
            if z.type == "industrial" and z.land_used >= p["expansion_trigger"] * z.planned_area
        ]
        for z in applicants:
            capital = self.model.mode_effects[z.mode].capital
            inc = min(p["expansion_step"] * z.planned_area * capital, budget, room)
            if inc <= 0:
                break
            z.planned_area += inc
            budget -= inc
            room -= inc
            self.expanded_km2 += inc
        return room
