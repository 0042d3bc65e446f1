"""The mode registry: every management mode, its labels, colour and structure.

One entry per mode holds everything the code and the documents need to know about it:
its key, Chinese and English names, the colour every chart draws it in, and what the
provincial account reports about its organisation (who leads, departments, dispatched
agencies, whether an operating company runs the zone). The mode's effects on approval
capacity, attraction effort, services and capital are assumptions: no study measures or
compares them, so each is a registry parameter (``<mode>_approval``, ...) with the same
range and default for every reform mode, explored by the sensitivity analysis.

Of the structure, two features enter an outcome, each through a parameter whose range is
symmetric around "no effect" because no source gives the direction of its effect: the
departments (``overhead_per_department``: coordination overhead or specialised capacity)
and the company that runs a corporate zone (``corporate_operator_effect``: professional
services or a focus on land revenue). Who leads and the dispatched agencies enter no
outcome (their effects, if any, are part of the mode's own effect parameters). With both
structural parameters at 0, exchanging two modes' effect parameters exchanges their
outcomes exactly (``tests/core/test_mode_symmetry.py``).

Adding a mode means one :class:`Mode` entry here plus its effect parameters in
``sim/core/data/parameters.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """One management mode.

    Attributes:
        name: Mode key, used in scenario files, the zone registry and output columns.
        label_zh: Chinese name.
        label_en: English name.
        colour: Colour of the mode in every chart (hex).
        leader: Who leads the zone.
        departments: Typical range of internal departments (inclusive).
        dispatched_agencies: Whether the zone keeps its own dispatched agencies.
        operator_runs_zone: Whether an operating company develops and runs the zone.
        registrable: Whether a zone of the zone registry may hold the mode (the modes
            chosen in the reform; ``legacy`` is only the state before it).
        departments_2018: Range (inclusive) the zone generator draws a registered zone's
            2018 departments from (``sim.core.zonegen``; an assumption within
            ``departments``), or ``None`` for a mode no zone is registered in.
        staff_2018: Range (inclusive) the zone generator draws a registered zone's 2018
            staff establishment from (an assumption), or ``None``.
        zones_2018: Zones the zone generator registers in the mode at end-2018 (an
            assumption of the generated fill).
    """

    name: str
    label_zh: str
    label_en: str
    colour: str
    leader: str
    departments: tuple[int, int]
    dispatched_agencies: bool
    operator_runs_zone: bool
    registrable: bool = True
    departments_2018: tuple[int, int] | None = None
    staff_2018: tuple[int, int] | None = None
    zones_2018: int = 0


#: The reference mode: the state before the reform, against which effects are measured.
REFERENCE = "legacy"

#: The mode of the demonstration zone: its own committee with delegated powers.
DEMONSTRATION_MODE = "sanheyi"
#: The mode of a county zone approved during a run (区政合一: the county's government
#: runs it), and whose 2018 staffing (the lower ends of its ranges) it starts with.
NEW_ZONE_MODE = "quzheng"
#: Every mode, in display order (the reference first).
MODES: dict[str, Mode] = {
    m.name: m
    for m in (
        Mode(
            name="legacy",
            label_zh="传统模式",
            label_en="Legacy",
            colour="#9e9e9e",
            leader="separate management bodies with social duties",
            departments=(8, 14),
            dispatched_agencies=True,
            operator_runs_zone=False,
            registrable=False,
        ),
        Mode(
            name="sanheyi",
            label_zh="三合一管委会",
            label_en="Three-in-one committee",
            colour="#1f77b4",
            leader="the zone's own committee with delegated powers",
            departments=(6, 8),
            dispatched_agencies=False,
            operator_runs_zone=False,
            departments_2018=(6, 8),
            staff_2018=(55, 119),
            zones_2018=40,
        ),
        Mode(
            name="quzheng",
            label_zh="区政合一",
            label_en="Zone-government merged",
            colour="#ff7f0e",
            leader="local government leaders; one team, two signs",
            departments=(3, 3),
            dispatched_agencies=False,
            operator_runs_zone=False,
            departments_2018=(3, 3),
            staff_2018=(25, 44),
            zones_2018=19,
        ),
        Mode(
            name="corporate",
            label_zh="企业化管理",
            label_en="Corporate",
            colour="#2ca02c",
            leader="an operating company; a lean government agency",
            departments=(1, 3),
            dispatched_agencies=False,
            operator_runs_zone=True,
            departments_2018=(2, 3),
            staff_2018=(15, 34),
            zones_2018=8,
        ),
    )
}

#: The mode in which an operating company runs the zone (企业化管理).
OPERATOR_MODE = next(m.name for m in MODES.values() if m.operator_runs_zone)
#: Mode keys, in display order.
MODE_NAMES: tuple[str, ...] = tuple(MODES)
#: Modes a zone of the zone registry may hold.
REGISTRABLE_MODES: tuple[str, ...] = tuple(n for n, m in MODES.items() if m.registrable)

#: A reform mode's effect parameters: ``<mode>_<effect>`` in the parameter registry.
EFFECT_NAMES: tuple[str, ...] = ("approval", "attraction", "services", "capital")
#: Parameters through which the modes' structure enters outcomes; each has a range
#: symmetric around 0, "no effect" (no source gives the direction of the effect).
STRUCTURE_PARAMETERS: tuple[str, ...] = ("overhead_per_department", "corporate_operator_effect")

#: Service quality of a legacy zone (the scale's reference point).
LEGACY_SERVICES = 0.3


@dataclass(frozen=True)
class ModeEffects:
    """A mode's effects, relative to legacy.

    Attributes:
        approval: Approval capacity multiplier (divides approval time).
        attraction: Investment-attraction effort multiplier.
        services: Service quality index (legacy = :data:`LEGACY_SERVICES`).
        capital: Land-development capital multiplier (expansion size).
    """

    approval: float
    attraction: float
    services: float
    capital: float


def effects(params: Mapping[str, float]) -> dict[str, ModeEffects]:
    """Return every mode's effects from a resolved parameter mapping.

    The reference mode has unit multipliers and :data:`LEGACY_SERVICES`; every other
    mode ``m`` reads ``m_approval``, ``m_attraction``, ``m_services`` and
    ``m_capital``. No study compares the modes, so the registry gives each effect the
    same prior range and default for every reform mode; what tells the modes apart by
    construction is their structure (departments, an operator that runs the zone), whose
    effects have ranges symmetric around none.
    """
    out = {}
    for m in MODE_NAMES:
        if m == REFERENCE:
            out[m] = ModeEffects(1.0, 1.0, LEGACY_SERVICES, 1.0)
            continue
        out[m] = ModeEffects(
            approval=params[f"{m}_approval"],
            attraction=params[f"{m}_attraction"],
            services=params[f"{m}_services"],
            capital=params[f"{m}_capital"],
        )
    return out


def overhead(mode: str, departments: int, params: Mapping[str, float]) -> float:
    """Share of a zone's staff time on internal administration.

    A legacy zone has ``legacy_overhead``; a reformed zone ``overhead_base`` plus
    ``overhead_per_department`` for each internal department, the structural
    difference between the modes that the provincial account reports. The
    per-department term may be negative (departments as specialised capacity), so the
    share may fall below 0: staff time beyond that of a zone without departments.
    """
    if mode == REFERENCE:
        return params["legacy_overhead"]
    return params["overhead_base"] + params["overhead_per_department"] * departments


def departments_for(mode: str, registered: int) -> int:
    """Clamp a registered department count to the mode's structural range."""
    lo, hi = MODES[mode].departments
    return min(max(registered, lo), hi)
