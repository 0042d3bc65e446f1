"""Management modes: structure from the sources, effects as registry parameters.

The structure (who leads, departments, dispatched agencies) is what the provincial
account reports. The effects on approval capacity, attraction effort, services,
overhead and capital are assumptions: no study measures them, so each is a
registry parameter with a range that the sensitivity analysis explores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sim.core.params import MODE_NAMES


@dataclass(frozen=True)
class ModeStructure:
    """What the sources say about a mode's organisation.

    Attributes:
        name: Mode key.
        label: Chinese name.
        leader: Who leads the zone.
        departments: Typical range of internal departments (inclusive).
        dispatched_agencies: Whether the zone keeps its own dispatched agencies.
        operator_runs_zone: Whether an operating company develops and runs the zone.
    """

    name: str
    label: str
    leader: str
    departments: tuple[int, int]
    dispatched_agencies: bool
    operator_runs_zone: bool


STRUCTURE: dict[str, ModeStructure] = {
    "legacy": ModeStructure(
        "legacy", "改革前", "separate management bodies with social duties", (8, 14), True, False
    ),
    "sanheyi": ModeStructure(
        "sanheyi",
        "三合一管委会",
        "the zone's own committee with delegated powers",
        (6, 8),
        False,
        False,
    ),
    "quzheng": ModeStructure(
        "quzheng",
        "区政合一",
        "local government leaders; one team, two signs",
        (3, 3),
        False,
        False,
    ),
    "corporate": ModeStructure(
        "corporate",
        "企业化管理",
        "an operating company; a lean government agency",
        (1, 3),
        False,
        True,
    ),
}
assert tuple(STRUCTURE) == MODE_NAMES

#: Service quality of a legacy zone (the scale's reference point).
LEGACY_SERVICES = 0.3


@dataclass(frozen=True)
class ModeEffects:
    """A mode's effects, relative to legacy.

    Attributes:
        approval: Approval capacity multiplier (divides approval time).
        attraction: Investment-attraction effort multiplier.
        services: Service quality index (legacy = :data:`LEGACY_SERVICES`).
        overhead: Share of staff time on internal administration.
        capital: Land-development capital multiplier (expansion size).
    """

    approval: float
    attraction: float
    services: float
    overhead: float
    capital: float


def effects(params: Mapping[str, float]) -> dict[str, ModeEffects]:
    """Return every mode's effects from a resolved parameter mapping."""
    out = {"legacy": ModeEffects(1.0, 1.0, LEGACY_SERVICES, params["legacy_overhead"], 1.0)}
    for m in MODE_NAMES[1:]:
        out[m] = ModeEffects(
            approval=params[f"{m}_approval"],
            attraction=params[f"{m}_attraction"],
            services=params[f"{m}_services"],
            overhead=params[f"{m}_overhead"],
            capital=params.get(f"{m}_capital", 1.0),
        )
    return out


def departments_for(mode: str, registered: int) -> int:
    """Clamp a registered department count to the mode's structural range."""
    lo, hi = STRUCTURE[mode].departments
    return min(max(registered, lo), hi)
