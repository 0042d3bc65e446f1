"""The provincial government's reform timeline: dated events applied quarter by quarter.

Integration (every zone's units merged into its lead unit), the registry's and the
scenario's mode assignments, the three systems and operating companies of named zones
are dated events; delegation, the approval bureaus' seals, the commitment system and
the regulation switch on at their dates (see ``docs/ODD.md``, "Process overview").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core import params as registry
from sim.core import selectors
from sim.core.agents import OperatingCompany, Zone

if TYPE_CHECKING:
    from sim.core.model import ZoneReformModel

#: A dated event: (date, order on the date, kind, payload).
Event = tuple[float, int, str, Any]


class Timeline:
    """The reform's dated events for one model, applied as they fall due.

    Args:
        model: The model the events act on; its scenario's mode assignments are
            checked against the zone registry here.

    Raises:
        sim.core.params.ParameterError: If a mode assignment's selector names no zone.
    """

    def __init__(self, model: ZoneReformModel) -> None:
        """Schedule the registry's and the scenario's events."""
        self.model = model
        self.events = self._schedule()

    def _schedule(self) -> list[Event]:
        """Dated reform events, sorted: (date, order, kind, payload)."""
        model = self.model
        p = model.p
        ev: list[Event] = []
        if p["integration_on"]:
            ev.append((p["integration_year"], 0, "integrate", None))
        for z in model.data.zone_records:
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

    def _check_selector(self, selector: str | list[str], key: str) -> None:
        """Raise if a mode-assignment selector names no zone of the registry."""
        try:
            selectors.check(selector, self.model.data)
        except selectors.SelectorError as exc:
            raise registry.ParameterError(key, exc.expected, exc.got, hint=exc.hint) from None

    def select(self, selector: str | list[str]) -> list[Zone]:
        """Zones (not merged) matching a mode-assignment selector."""
        located = [z for z in self.model.zone_list if z.status != "merged"]
        if isinstance(selector, list):  # zone or unit ids: no parsing needed
            ids = set(selector)
            return [z for z in located if z.zone_id in ids or z.unit in ids]
        return selectors.select(selector, located)

    def advance(self) -> None:
        """Apply the events due this quarter and set the reforms' progress."""
        model = self.model
        p, now = model.p, model.now
        while self.events and model.due(self.events[0][0]):
            _, _, kind, payload = self.events.pop(0)
            model.zones_changed()
            if kind == "integrate":
                integrate(model)
            elif kind == "mode":
                selector, mode = payload
                for z in self.select(selector):
                    z.set_mode(mode)
            elif kind == "three_systems":
                for z in self.select([payload]):
                    z.three_systems = True
            elif kind == "operators":
                zid, k = payload
                lead = self.select([zid])[0]
                for _ in range(k - len(lead.operators)):
                    OperatingCompany(model, lead, now)
        if p["delegation_on"] and model.due(p["delegation_year"]):
            ramp = (now + 0.25 - p["delegation_year"]) / p["delegation_years"]
            model.delegation_progress = p["delegation_share"] * min(max(ramp, 0.0), 1.0)
        if p["approval_bureau_on"] and model.due(p["approval_bureau_year"]):
            lag = max(p["seal_lag_years"], 0.25)
            model.seal_maturity = min((now + 0.25 - p["approval_bureau_year"]) / lag, 1.0)
        model.commitment_active = bool(p["commitment_on"]) and model.due(p["commitment_year"])
        model.regulation_active = bool(p["regulation_on"]) and model.due(p["regulation_year"])

    def mode_of_new_zone(self, zone: Zone) -> str | None:
        """A new zone's mode: the last due mode assignment that selects it, else its own.

        A scenario that puts every zone (or every provincial zone, ...) in one mode puts
        the zones approved later in it too. With the registered modes off
        (``modes_on`` false) a zone no assignment selects stays legacy (``None``).
        """
        p = self.model.p
        mode = str(zone.registered["mode"]) if p["modes_on"] else None
        for a in sorted(p[registry.MODE_ASSIGNMENTS], key=lambda a: a["year"]):
            if self.model.due(a["year"]) and selectors.select(a["zones"], [zone]):
                mode = a["mode"]
        return mode


def integrate(model: ZoneReformModel) -> None:
    """Merge every zone's units into its lead unit: one body, one plan."""
    remap = np.arange(len(model.zone_list), dtype=np.intp)
    for row in model.data.zone_records:
        zid = row["zone_id"]
        members = [z for z in model.zone_list if z.zone_id == zid and z.status == "active"]
        if not members:
            continue
        lead = members[0]
        for other in members[1:]:
            remap[other.index] = lead.index
            lead.planned_area += other.planned_area
            model.accounts.merge(lead.index, other.index)
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
    model.firms.zone[:] = remap[model.firms.zone]
    model.firms.census = model.firms.counts = None
    model.integrated = True
