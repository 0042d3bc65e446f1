"""The parameter registry: the single source of truth for every model parameter.

Each :class:`Parameter` carries its default, bounds, unit, meaning and source. The
registry feeds the model defaults (:func:`defaults`), scenario validation
(:func:`resolve`), calibration priors and SALib problems (:func:`salib_problem`).

A source is a citation, a figure from the project's fact sheet ("facts: ..."), or
``"assumption"``. Assumptions are never findings: their bounds are the range the
sensitivity analysis explores.

Structured policy inputs that are not numbers (mode assignments by zone, group or
year) travel in the same parameter mapping under the key ``mode_assignments`` and are
validated by :func:`resolve` too.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

Kind = Literal["real", "int", "bool", "year"]

#: Management modes that a zone can be assigned (see :mod:`sim.modes`).
MODE_NAMES = ("legacy", "sanheyi", "quzheng", "corporate")

#: Reserved key for structured mode assignments in a parameter mapping.
MODE_ASSIGNMENTS = "mode_assignments"


class ParameterError(ValueError):
    """A parameter value or key is invalid.

    Attributes:
        key: The offending key (dotted path where nested).
        expected: What was expected, in words.
    """

    def __init__(self, key: str, expected: str, got: Any = None) -> None:
        self.key = key
        self.expected = expected
        self.got = got
        got_text = "" if got is None else f", got {got!r}"
        super().__init__(f"{key}: expected {expected}{got_text}")


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: Identifier used in scenario files, the command line and code.
        default: Value used when a scenario does not set it.
        lower: Smallest admissible value (inclusive).
        upper: Largest admissible value (inclusive).
        unit: Physical or accounting unit, or ``"-"`` for a pure number.
        description: What the parameter means in the model.
        source: Citation, fact-sheet figure, or ``"assumption"``.
        kind: ``real``, ``int``, ``bool`` (0/1) or ``year`` (decimal year).
        group: Thematic group, used for grouped sensitivity analysis.
        prior: Value before calibration (equals ``default`` unless calibrated).
    """

    name: str
    default: float
    lower: float
    upper: float
    unit: str
    description: str
    source: str
    kind: Kind = "real"
    group: str = "other"
    prior: float | None = None

    @property
    def is_assumption(self) -> bool:
        """Whether the value is a modelling assumption rather than data."""
        return self.source.startswith("assumption")

    def as_dict(self) -> dict[str, Any]:
        """Return the parameter as a plain dictionary (for JSON output)."""
        out = asdict(self)
        out["prior"] = self.prior if self.prior is not None else self.default
        return out

    def check(self, value: Any, key: str | None = None) -> float:
        """Validate and coerce a value for this parameter.

        Args:
            value: Candidate value.
            key: Name to report in errors (defaults to the parameter name).

        Returns:
            The value as a float (ints and bools are integral floats).

        Raises:
            ParameterError: If the value has the wrong type, is not finite or is out
                of bounds.
        """
        key = key or self.name
        if self.kind == "bool":
            if isinstance(value, bool) or value in (0, 1):
                return float(bool(value))
            raise ParameterError(key, "true or false", value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(key, f"a number ({self.kind})", value)
        if not math.isfinite(value):
            raise ParameterError(key, "a finite number", value)
        if self.kind == "int" and float(value) != int(value):
            raise ParameterError(key, "an integer", value)
        if not self.lower <= value <= self.upper:
            raise ParameterError(
                key, f"a value between {self.lower:g} and {self.upper:g} {self.unit}", value
            )
        return float(value)


def _p(*args: Any, **kwargs: Any) -> Parameter:
    return Parameter(*args, **kwargs)


_A = "assumption"
_PARAMS: tuple[Parameter, ...] = (
    # --- Reform timeline and levers -------------------------------------------------
    _p(
        "integration_on",
        1,
        0,
        1,
        "-",
        "Merge pre-2017 units into their integrated zones (整合).",
        "facts: 8 units -> 1 demonstration zone; others absorbed parks",
        "bool",
        "timeline",
    ),
    _p(
        "integration_year",
        2017.0,
        2016.25,
        2035.0,
        "year",
        "Date at which integration takes effect.",
        "facts: integration 2017",
        "year",
        "timeline",
    ),
    _p(
        "modes_on",
        1,
        0,
        1,
        "-",
        "Zones adopt their registered modes (三合一, 区政合一, 企业化) at the registered date.",
        "facts: three modes, chosen to fit the place",
        "bool",
        "timeline",
    ),
    _p(
        "delegation_on",
        1,
        0,
        1,
        "-",
        "Delegate provincial and local powers to zones.",
        "facts: 33 provincial powers; 8,384 local powers",
        "bool",
        "timeline",
    ),
    _p(
        "delegation_year",
        2017.25,
        2016.25,
        2035.0,
        "year",
        "Date at which delegation starts.",
        "facts: delegation 2017-2018",
        "year",
        "timeline",
    ),
    _p(
        "delegation_years",
        1.5,
        0.25,
        10.0,
        "years",
        "Time to delegate the full list (linear ramp); larger is slower.",
        "facts: lists in place by end-2018",
        "real",
        "timeline",
    ),
    _p(
        "delegation_share",
        1.0,
        0.0,
        1.0,
        "-",
        "Share of the registered power lists actually delegated.",
        "facts: 能放尽放",
        "real",
        "timeline",
    ),
    _p(
        "provincial_powers",
        33,
        0,
        66,
        "powers",
        "Provincial powers delegated to every provincial-and-above zone.",
        "facts: 33 provincial powers",
        "int",
        "timeline",
    ),
    _p(
        "approval_bureau_on",
        1,
        0,
        1,
        "-",
        "Administrative approval bureau and one seal (一枚印章管审批).",
        "facts: approval bureau in each zone",
        "bool",
        "timeline",
    ),
    _p(
        "approval_bureau_year",
        2018.0,
        2016.25,
        2035.0,
        "year",
        "Date at which approval bureaus open.",
        "facts: in place by end-2018",
        "year",
        "timeline",
    ),
    _p(
        "commitment_on",
        1,
        0,
        1,
        "-",
        "Investment commitment system and 'at most one trip' (承诺制, 最多跑一次).",
        "facts: commitment system",
        "bool",
        "timeline",
    ),
    _p(
        "commitment_year",
        2018.0,
        2016.25,
        2035.0,
        "year",
        "Date at which the commitment system starts.",
        "facts: in place by end-2018",
        "year",
        "timeline",
    ),
    _p(
        "three_systems_on",
        1,
        0,
        1,
        "-",
        "Tenure, appointment and performance-pay systems (三制) as registered.",
        "facts: 38 zones by 2018",
        "bool",
        "timeline",
    ),
    _p(
        "three_systems_rollout",
        6,
        0,
        30,
        "zones/year",
        "Further zones adopting the three systems each year after 2018.",
        _A,
        "int",
        "timeline",
    ),
    _p(
        "operators_on",
        1,
        0,
        1,
        "-",
        "Operating companies (管运分离) as registered.",
        "facts: 74 operators in 35 zones by 2018",
        "bool",
        "timeline",
    ),
    _p(
        "operator_rollout",
        4,
        0,
        30,
        "zones/year",
        "Further zones bringing in an operator each year after 2018.",
        _A,
        "int",
        "timeline",
    ),
    _p(
        "regulation_on",
        1,
        0,
        1,
        "-",
        "Provincial zone regulation stripping social management from zones.",
        "facts: 《山西省开发区条例》",
        "bool",
        "timeline",
    ),
    _p(
        "regulation_year",
        2019.16,
        2016.25,
        2035.0,
        "year",
        "Date the regulation takes effect.",
        "facts: in force 1 March 2019",
        "year",
        "timeline",
    ),
    _p(
        "exit_rule_on",
        1,
        0,
        1,
        "-",
        "Annual assessment with dynamic exit.",
        "facts: two consecutive unqualified years",
        "bool",
        "timeline",
    ),
    _p(
        "assessment_year",
        2018.0,
        2016.0,
        2035.0,
        "year",
        "First year-end assessment.",
        "assumption: assessments from 2018",
        "year",
        "timeline",
    ),
    _p(
        "exit_consecutive_years",
        2,
        1,
        5,
        "years",
        "Consecutive unqualified ratings before a provincial zone loses status.",
        "facts: two years in a row",
        "int",
        "assessment",
    ),
    _p(
        "unqualified_share",
        0.05,
        0.0,
        0.25,
        "-",
        "Share of zones rated unqualified each year (bottom of the ranking).",
        "assumption: cf. bottom five of ~200 national zones (Jiuquan 2020)",
        "real",
        "assessment",
    ),
    _p(
        "leadership_change_effect",
        0.10,
        0.0,
        0.5,
        "-",
        "Relative rise in attraction effort after a national zone's leadership is replaced.",
        _A,
        "real",
        "assessment",
    ),
    _p(
        "delisting_tfp_loss",
        0.01,
        0.0,
        0.065,
        "-",
        "Level loss of firm productivity in a zone that loses its status.",
        "Chen et al. 2019: -6.5 % on average, not significant inland",
        "real",
        "assessment",
    ),
    _p(
        "expansion_on",
        1,
        0,
        1,
        "-",
        "Province approves zone expansions within the land cap.",
        "facts: 扩区",
        "bool",
        "land",
    ),
    _p(
        "expansion_year",
        2019.0,
        2016.25,
        2035.0,
        "year",
        "First year in which expansions are approved.",
        _A,
        "year",
        "land",
    ),
    _p(
        "land_cap_share",
        0.02,
        0.0175,
        0.04,
        "-",
        "Cap on zones' planned area as a share of the province's land.",
        "facts: about 2 % of provincial land",
        "real",
        "land",
    ),
    _p(
        "expansion_max_km2",
        40.0,
        0.0,
        400.0,
        "km2/year",
        "Most planned area the province approves in a year.",
        _A,
        "real",
        "land",
    ),
    _p(
        "expansion_trigger",
        0.7,
        0.3,
        0.95,
        "-",
        "Land-use ratio at which a zone applies for expansion.",
        _A,
        "real",
        "land",
    ),
    _p(
        "expansion_step",
        0.25,
        0.05,
        1.0,
        "-",
        "Expansion granted as a share of the zone's planned area.",
        _A,
        "real",
        "land",
    ),
    _p(
        "upgrades_per_year",
        0,
        0,
        5,
        "zones/year",
        "Provincial zones upgraded to national in cities that lack one.",
        "facts: goal one national zone per city in 15-20 years",
        "int",
        "land",
    ),
    _p(
        "new_zones_per_year",
        0,
        0,
        20,
        "zones/year",
        "New provincial zones approved in counties that lack one.",
        "facts: goal one provincial zone per county in 15-20 years",
        "int",
        "land",
    ),
    # --- Management modes (effects relative to legacy = 1) -------------------------
    _p(
        "sanheyi_approval",
        1.30,
        1.0,
        2.0,
        "x legacy",
        "Approval capacity of a 三合一 committee relative to legacy.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "quzheng_approval",
        1.15,
        0.8,
        1.8,
        "x legacy",
        "Approval capacity of a 区政合一 zone relative to legacy.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "corporate_approval",
        1.10,
        0.7,
        1.8,
        "x legacy",
        "Approval capacity of a corporate zone relative to legacy.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "sanheyi_attraction",
        1.25,
        1.0,
        1.8,
        "x legacy",
        "Investment-attraction effort of a 三合一 committee.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "quzheng_attraction",
        1.05,
        0.8,
        1.5,
        "x legacy",
        "Attraction effort of a 区政合一 zone (attention split with general government).",
        _A,
        "real",
        "modes",
    ),
    _p(
        "corporate_attraction",
        1.40,
        1.0,
        2.2,
        "x legacy",
        "Attraction effort of a corporate zone (market incentives).",
        _A,
        "real",
        "modes",
    ),
    _p(
        "sanheyi_services",
        0.60,
        0.2,
        1.0,
        "index",
        "Service quality of a 三合一 committee (legacy = 0.3).",
        _A,
        "real",
        "modes",
    ),
    _p(
        "quzheng_services",
        0.50,
        0.2,
        1.0,
        "index",
        "Service quality of a 区政合一 zone (relies on government departments).",
        _A,
        "real",
        "modes",
    ),
    _p(
        "corporate_services",
        0.70,
        0.2,
        1.0,
        "index",
        "Service quality of a corporate zone.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "sanheyi_overhead",
        0.30,
        0.1,
        0.5,
        "-",
        "Share of staff time on internal administration (6-8 departments).",
        "assumption: structure from facts",
        "real",
        "modes",
    ),
    _p(
        "quzheng_overhead",
        0.15,
        0.05,
        0.4,
        "-",
        "Internal-administration share (about 3 departments).",
        "assumption: structure from facts",
        "real",
        "modes",
    ),
    _p(
        "corporate_overhead",
        0.12,
        0.05,
        0.4,
        "-",
        "Internal-administration share (at most 3 departments).",
        "assumption: structure from facts",
        "real",
        "modes",
    ),
    _p(
        "corporate_capital",
        1.5,
        1.0,
        3.0,
        "x legacy",
        "Land-development capital of a corporate zone relative to legacy.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "legacy_overhead",
        0.35,
        0.2,
        0.5,
        "-",
        "Internal-administration share of a legacy zone.",
        _A,
        "real",
        "modes",
    ),
    _p(
        "social_management_share",
        0.20,
        0.0,
        0.4,
        "-",
        "Staff time on social management until the regulation strips it.",
        _A,
        "real",
        "modes",
    ),
    # --- Business environment --------------------------------------------------------
    _p(
        "approval_days_legacy",
        120.0,
        60.0,
        240.0,
        "days",
        "Approval time for an investment project in a legacy zone.",
        _A,
        "real",
        "environment",
    ),
    _p(
        "delegation_time_cut",
        0.35,
        0.0,
        0.7,
        "-",
        "Share of approval time removed when the full power list is delegated.",
        _A,
        "real",
        "environment",
    ),
    _p(
        "seal_time_cut",
        0.30,
        0.0,
        0.6,
        "-",
        "Share of approval time removed by the approval bureau once mature.",
        _A,
        "real",
        "environment",
    ),
    _p(
        "seal_lag_years",
        3.0,
        0.0,
        5.0,
        "years",
        "Years for an approval bureau to reach full effect.",
        "Liu & Zhu 2021: about 3 years",
        "real",
        "environment",
    ),
    _p(
        "commitment_time_cut",
        0.25,
        0.0,
        0.5,
        "-",
        "Share of approval time removed by the commitment system.",
        _A,
        "real",
        "environment",
    ),
    _p(
        "three_systems_effort",
        0.20,
        0.0,
        0.6,
        "-",
        "Rise in attraction effort from performance pay and appointment systems.",
        _A,
        "real",
        "environment",
    ),
    _p(
        "operator_marketing",
        0.25,
        0.0,
        1.0,
        "utility/operator",
        "Marketing pull of each operator (first three count).",
        _A,
        "real",
        "environment",
    ),
    _p(
        "operator_services",
        0.08,
        0.0,
        0.3,
        "index/operator",
        "Service quality added by each operator (first three count).",
        _A,
        "real",
        "environment",
    ),
    # --- Investment flow and zone choice ---------------------------------------------
    _p(
        "projects_per_year",
        6500.0,
        2000.0,
        30000.0,
        "projects/year",
        "Potential investment projects a year at the 2016-2018 mean province growth; the flow "
        "scales with province growth (accelerator).",
        _A,
        "real",
        "entry",
    ),
    _p(
        "outside_utility",
        5.5,
        2.0,
        9.0,
        "utility",
        "Utility of locating outside any zone (the no-zone option).",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_approval",
        0.4,
        0.0,
        2.0,
        "utility/log-day",
        "Disutility of log approval time in zone choice.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_services",
        1.0,
        0.0,
        3.0,
        "utility/index",
        "Utility of service quality in zone choice.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_effort",
        0.7,
        0.0,
        3.0,
        "utility/log-effort",
        "Utility of the zone's attraction effort (log).",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_national",
        0.5,
        0.0,
        1.5,
        "utility",
        "Premium of a national zone.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_agglomeration",
        0.35,
        0.0,
        1.0,
        "utility/log-firm",
        "Utility of same-sector neighbours, log(1 + n).",
        _A,
        "real",
        "entry",
    ),
    _p(
        "beta_land",
        1.0,
        0.0,
        3.0,
        "utility/log-share",
        "Utility of free land, log of the free share of planned area.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "startup_rate",
        0.01,
        0.0,
        0.1,
        "1/year",
        "Local start-ups per incumbent firm per year at legacy effort.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "entrant_size",
        0.35,
        0.1,
        1.0,
        "x mean",
        "Entrant value added relative to the 2016 mean firm, grown with province GDP.",
        _A,
        "real",
        "entry",
    ),
    _p(
        "land_per_firm",
        0.02,
        0.005,
        0.06,
        "km2",
        "Mean land a firm takes on entry (lognormal, kept for its life).",
        _A,
        "real",
        "entry",
    ),
    # --- Firm growth and exit ---------------------------------------------------------
    _p(
        "reform_level_effect",
        0.20,
        0.0,
        0.4,
        "log points",
        "Long-run productivity level gain of firms in a fully reformed zone.",
        "Alder, Shao & Zilibotti 2016: about 20 % in level",
        "real",
        "growth",
    ),
    _p(
        "level_convergence",
        0.45,
        0.1,
        1.0,
        "1/year",
        "Speed at which firms close the gap to the zone's productivity level.",
        _A,
        "real",
        "growth",
    ),
    _p(
        "young_growth",
        0.12,
        0.0,
        0.3,
        "1/year",
        "Extra growth of firms in their first three years.",
        "Brandt et al. 2012 (entrants' catch-up); assumption",
        "real",
        "growth",
    ),
    _p(
        "shock_scale",
        0.12,
        0.02,
        0.3,
        "log/year",
        "Scale of heavy-tailed (Laplace) annual growth shocks.",
        _A,
        "real",
        "growth",
    ),
    _p(
        "exit_hazard",
        0.05,
        0.01,
        0.15,
        "1/year",
        "Exit hazard of a mature firm of mean size in a legacy environment.",
        _A,
        "real",
        "growth",
    ),
    _p(
        "exit_size_elasticity",
        0.25,
        0.0,
        0.6,
        "-",
        "Fall of the exit hazard per log unit of relative size.",
        _A,
        "real",
        "growth",
    ),
    _p(
        "exit_young_factor",
        1.8,
        1.0,
        3.0,
        "x",
        "Exit hazard multiplier in a firm's first three years.",
        _A,
        "real",
        "growth",
    ),
    _p(
        "exit_environment_effect",
        0.3,
        0.0,
        0.8,
        "-",
        "Fall of the exit hazard in a fully reformed zone.",
        "Barwick et al. 2024 (entry and exit respond to reform); assumption",
        "real",
        "growth",
    ),
    # --- Province path ----------------------------------------------------------------
    _p(
        "province_growth_2019",
        6.2,
        2.0,
        9.0,
        "%",
        "Province growth in 2019, start of the default path after 2018.",
        _A,
        "real",
        "province",
    ),
    _p(
        "province_growth_2035",
        4.0,
        1.0,
        7.0,
        "%",
        "Province growth in 2035 (linear path from 2019).",
        _A,
        "real",
        "province",
    ),
)

#: Calibrated defaults written by ``zonesim calibrate`` (``name = value`` in
#: ``[defaults]``); the registry keeps the prior value beside each.
CALIBRATED_FILE = Path(__file__).parent / "data" / "calibrated.toml"


def _with_calibration(params: tuple[Parameter, ...], path: Path) -> dict[str, Parameter]:
    """Apply calibrated defaults from ``path`` (if present) over the priors."""
    calibrated: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as f:
            calibrated = tomllib.load(f).get("defaults", {})
    out = {}
    for p in params:
        if p.name in calibrated:
            value = p.check(calibrated[p.name], f"{path}: defaults.{p.name}")
            p = replace(p, default=value, prior=p.default)
        out[p.name] = p
    unknown = set(calibrated) - set(out)
    if unknown:
        raise ParameterError(f"{path}: defaults.{sorted(unknown)[0]}", "a registered parameter")
    return out


REGISTRY: dict[str, Parameter] = _with_calibration(_PARAMS, CALIBRATED_FILE)

#: Province growth path given by data (%, real, year on year).
PROVINCE_GROWTH_DATA: dict[int, float] = {2016: 4.5, 2017: 7.0, 2018: 6.7}
#: Mean province growth 2016-2018 (%): the investment flow's reference pace.
REFERENCE_GROWTH = sum(PROVINCE_GROWTH_DATA.values()) / len(PROVINCE_GROWTH_DATA)


def defaults() -> dict[str, float]:
    """Return the default value of every registered parameter."""
    return {name: float(p.default) for name, p in REGISTRY.items()}


def _check_assignments(items: Any, key: str = MODE_ASSIGNMENTS) -> list[dict[str, Any]]:
    """Validate structured mode assignments.

    Each assignment is a mapping with ``year`` (decimal year), ``mode`` (one of
    :data:`MODE_NAMES`) and ``zones``: ``"all"``, ``"level:national"``,
    ``"level:provincial"``, ``"type:<zone type>"``, ``"city:<city>"``,
    ``"mode:<registered mode>"`` or a list of zone ids.
    """
    if not isinstance(items, list | tuple):
        raise ParameterError(key, "a list of {year, mode, zones} tables", items)
    out = []
    for i, item in enumerate(items):
        k = f"{key}[{i}]"
        if not isinstance(item, Mapping):
            raise ParameterError(k, "a table with year, mode and zones", item)
        extra = set(item) - {"year", "mode", "zones"}
        if extra:
            raise ParameterError(f"{k}.{sorted(extra)[0]}", "only year, mode and zones")
        for field in ("year", "mode", "zones"):
            if field not in item:
                raise ParameterError(f"{k}.{field}", "a value (missing)")
        year = item["year"]
        if isinstance(year, bool) or not isinstance(year, int | float) or not math.isfinite(year):
            raise ParameterError(f"{k}.year", "a year number", year)
        if item["mode"] not in MODE_NAMES:
            raise ParameterError(f"{k}.mode", f"one of {', '.join(MODE_NAMES)}", item["mode"])
        zones = item["zones"]
        if isinstance(zones, str):
            if zones != "all" and zones.split(":", 1)[0] not in ("level", "type", "city", "mode"):
                raise ParameterError(
                    f"{k}.zones", "'all', 'level:..', 'type:..', 'city:..', 'mode:..' or ids", zones
                )
        elif not (isinstance(zones, list | tuple) and all(isinstance(z, str) for z in zones)):
            raise ParameterError(f"{k}.zones", "a selector string or a list of zone ids", zones)
        out.append(
            {
                "year": float(year),
                "mode": item["mode"],
                "zones": zones if isinstance(zones, str) else list(zones),
            }
        )
    return out


def resolve(overrides: Mapping[str, Any] | None = None, *, prefix: str = "") -> dict[str, Any]:
    """Return a full, validated parameter mapping.

    Args:
        overrides: Values that replace defaults; keys must be registered parameter
            names or ``mode_assignments``.
        prefix: Prepended to keys in error messages (e.g. ``"parameters."``).

    Returns:
        Every registered parameter as a float, plus ``mode_assignments`` (a list,
        possibly empty), in registry order.

    Raises:
        ParameterError: On an unknown key or an invalid value.
    """
    params: dict[str, Any] = defaults()
    params[MODE_ASSIGNMENTS] = []
    for key, value in (overrides or {}).items():
        if key == MODE_ASSIGNMENTS:
            params[key] = _check_assignments(value, prefix + key)
            continue
        if key not in REGISTRY:
            raise ParameterError(prefix + key, "a registered parameter name (see `zonesim params`)")
        params[key] = REGISTRY[key].check(value, prefix + key)
    return params


def groups() -> dict[str, list[str]]:
    """Return parameter names by group, in registry order."""
    out: dict[str, list[str]] = {}
    for p in REGISTRY.values():
        out.setdefault(p.group, []).append(p.name)
    return out


def salib_problem(names: list[str] | None = None, *, grouped: bool = False) -> dict[str, Any]:
    """Build a SALib problem from registry bounds.

    Args:
        names: Parameters to vary (default: every non-boolean parameter whose bounds
            differ).
        grouped: Whether to attach each parameter's registry group.

    Returns:
        A SALib problem dictionary (``num_vars``, ``names``, ``bounds`` and
        optionally ``groups``).

    Raises:
        ParameterError: If a name is unknown or has equal bounds.
    """
    if names is None:
        names = [n for n, p in REGISTRY.items() if p.kind != "bool" and p.lower < p.upper]
    for n in names:
        if n not in REGISTRY:
            raise ParameterError(n, "a registered parameter name")
        if not REGISTRY[n].lower < REGISTRY[n].upper:
            raise ParameterError(n, "a parameter whose lower bound is below its upper bound")
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[REGISTRY[n].lower, REGISTRY[n].upper] for n in names],
    }
    if grouped:
        problem["groups"] = [REGISTRY[n].group for n in names]
    return problem


def province_growth(year: int, params: Mapping[str, float]) -> float:
    """Return the province's real GDP growth (%) in a year.

    Data for 2016-2018; after 2018 a linear path from ``province_growth_2019`` to
    ``province_growth_2035``, flat beyond 2035 and at the 2016 figure before 2016.
    """
    if year in PROVINCE_GROWTH_DATA:
        return PROVINCE_GROWTH_DATA[year]
    if year < 2016:
        return PROVINCE_GROWTH_DATA[2016]
    g0, g1 = params["province_growth_2019"], params["province_growth_2035"]
    w = min(max((year - 2019) / (2035 - 2019), 0.0), 1.0)
    return g0 + w * (g1 - g0)
