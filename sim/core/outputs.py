"""The output registry: every metric of the annual and the zone tables.

Each :class:`Output` names one column of a run's tables (:mod:`sim.core.run`) with
its unit, kind, English and Chinese labels and meaning. The annual table's columns
and their order, the plots' labels and the output tables of ``docs/ODD.md`` all come
from here; ``tests/core/test_outputs.py`` fails if the model records a column that is
not registered or misses a registered one.

Adding a metric means one entry here and the line of :meth:`ZoneReformModel._record
<sim.core.model.ZoneReformModel._record>` that computes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.core.modes import MODES

Kind = Literal["stock", "flow", "rate", "share", "index", "attribute"]

#: What each kind of output measures.
KINDS: dict[str, str] = {
    "stock": "an amount or count at year end",
    "flow": "an amount over the year",
    "rate": "a change per year, or a time per task",
    "share": "a part of a whole, between 0 and 1",
    "index": "a dimensionless score",
    "attribute": "an identifier, category or flag",
}


@dataclass(frozen=True)
class Output:
    """One column of a run's annual or zone table.

    Attributes:
        name: Column name.
        unit: Unit (``"-"`` for a pure number or a category).
        kind: One of :data:`KINDS`.
        label_en: English display name (with the unit where it has one).
        label_zh: Chinese display name.
        meaning: Definition, in one sentence.
        better: The direction a reader counts as better: ``+1`` more, ``-1`` less, ``0``
            neither (an input, a count the reform changes by design, a share or a
            structure). It is a reading of the reform's aims (more output and firms, faster
            approval, fewer delisted zones and, for lean administration, fewer staff posts),
            not a finding; every table, figure and comparison that marks a better direction
            reads it here.
    """

    name: str
    unit: str
    kind: Kind
    label_en: str
    label_zh: str
    meaning: str
    better: Literal[-1, 0, 1] = 0

    def label(self, lang: str = "en") -> str:
        """Return the display name in ``"en"`` or ``"zh"``."""
        return self.label_zh if lang == "zh" else self.label_en


#: Columns of the annual table after ``year``, in order.
ANNUAL: tuple[Output, ...] = (
    Output(
        name="firms",
        unit="firms",
        kind="stock",
        better=+1,
        label_en="Firms in zones",
        label_zh="入区企业数",
        meaning="Living firms at year end (all zones, including delisted ones).",
    ),
    Output(
        name="firm_entries",
        unit="firms/year",
        kind="flow",
        better=+1,
        label_en="Firm entries per year",
        label_zh="年新进入企业数",
        meaning="Entries during the year: projects located plus start-ups that found land.",
    ),
    Output(
        name="firm_exits",
        unit="firms/year",
        kind="flow",
        better=-1,
        label_en="Firm exits per year",
        label_zh="年退出企业数",
        meaning="Exits during the year.",
    ),
    Output(
        name="firms_designated",
        unit="firms/year",
        kind="flow",
        label_en="Firms joining with designated parks per year",
        label_zh="年随认定园区进入开发区的企业数",
        meaning="Firms of existing parks designated as new zones that joined the zones "
        "during the year, from the rest of the province.",
    ),
    Output(
        name="zones_active",
        unit="zones",
        kind="stock",
        label_en="Zones with status",
        label_zh="在册开发区数",
        meaning="Counted zones: active national or provincial (before integration: units).",
    ),
    Output(
        name="stat_zone_gdp",
        unit="亿元/year",
        kind="flow",
        better=+1,
        label_en="GDP of zones in the statistics (100 m yuan)",
        label_zh="统计内开发区GDP（亿元）",
        meaning="Value added of counted zones in the statistics (mean over the year's "
        "quarters of the sum of firm sizes).",
    ),
    Output(
        name="stat_zone_gdp_growth",
        unit="%",
        kind="rate",
        better=+1,
        label_en="Their GDP growth, as reported (%)",
        label_zh="统计内开发区GDP增速，按公布口径（%）",
        meaning="Growth of `stat_zone_gdp` over the previous year's `stat_zone_gdp`, as "
        "published: the zones in the statistics change (integration, delisting) between the "
        "two years.",
    ),
    Output(
        name="stat_zone_gdp_same_coverage_growth",
        unit="%",
        kind="rate",
        better=+1,
        label_en="Their GDP growth, same coverage (%)",
        label_zh="统计内开发区GDP增速，同口径（%）",
        meaning="Growth of the GDP of the zones in the statistics in both years, at this year's "
        "boundaries (equals the as-reported growth when coverage does not change).",
    ),
    Output(
        name="province_gdp_growth",
        unit="%",
        kind="rate",
        label_en="Province GDP growth (%)",
        label_zh="全省GDP增速（%）",
        meaning="The province's real growth, an input path (7.2).",
    ),
    Output(
        name="growth_gap_pp",
        unit="pp",
        kind="rate",
        better=+1,
        label_en="Growth margin over the province (pp)",
        label_zh="高于全省增速（百分点）",
        meaning="`stat_zone_gdp_growth` less `province_gdp_growth` (as reported).",
    ),
    Output(
        name="stat_zone_gdp_same_zones",
        unit="亿元/year",
        kind="flow",
        better=+1,
        label_en="GDP of the statistics zones, fixed boundaries (100 m yuan)",
        label_zh="统计内开发区GDP，固定边界（亿元）",
        meaning="Value added of every unit of the zones in the statistics, whatever its level "
        "or status (the same zones and firms at fixed boundaries).",
    ),
    Output(
        name="stat_zone_gdp_same_zones_growth",
        unit="%",
        kind="rate",
        better=+1,
        label_en="Their GDP growth, fixed boundaries (%)",
        label_zh="固定边界GDP增速（%）",
        meaning="Growth of `stat_zone_gdp_same_zones` over the previous year.",
    ),
    Output(
        name="zone_gdp",
        unit="亿元/year",
        kind="flow",
        better=+1,
        label_en="GDP of all zones (100 m yuan)",
        label_zh="全部开发区GDP（亿元）",
        meaning="Value added of every unit that is part of a zone (parks, merged units and "
        "delisted zones included): the fixed territory of `stat_zone_gdp`.",
    ),
    Output(
        name="zone_gdp_growth",
        unit="%",
        kind="rate",
        better=+1,
        label_en="GDP growth of all zones (%)",
        label_zh="全部开发区GDP增速（%）",
        meaning="Growth of `zone_gdp` over the previous year's: the fixed-territory growth (new "
        "zones add their first year's output).",
    ),
    Output(
        name="zone_gdp_same_coverage_growth",
        unit="%",
        kind="rate",
        better=+1,
        label_en="GDP growth of all zones, same coverage (%)",
        label_zh="全部开发区GDP增速，同口径（%）",
        meaning="Growth of the GDP of the units that were in the model in both years (zones "
        "approved during the year left out).",
    ),
    Output(
        name="zone_growth_gap_pp",
        unit="pp",
        kind="rate",
        better=+1,
        label_en="Growth margin of all zones over the province (pp)",
        label_zh="全部开发区高于全省增速（百分点）",
        meaning="`zone_gdp_growth` less `province_gdp_growth`: the fixed-territory version of "
        "`growth_gap_pp`.",
    ),
    Output(
        name="province_gdp",
        unit="亿元/year",
        kind="flow",
        better=+1,
        label_en="Provincial GDP (100 m yuan)",
        label_zh="全省GDP（亿元）",
        meaning="All zones plus the rest of the province (7.11).",
    ),
    Output(
        name="rest_gdp",
        unit="亿元/year",
        kind="flow",
        better=+1,
        label_en="GDP outside zones (100 m yuan)",
        label_zh="开发区以外GDP（亿元）",
        meaning="The rest of the province: on the province's path, less the activity zones "
        "displace (7.11).",
    ),
    Output(
        name="zone_gdp_share",
        unit="-",
        kind="share",
        label_en="Zones' share of provincial GDP",
        label_zh="开发区GDP占全省比重",
        meaning="`zone_gdp` over `province_gdp`.",
    ),
    Output(
        name="firms_in_active_zones",
        unit="firms",
        kind="stock",
        better=+1,
        label_en="Firms in zones with status",
        label_zh="在册开发区企业数",
        meaning="Firms in counted zones.",
    ),
    Output(
        name="industrial_area_km2",
        unit="km2",
        kind="stock",
        label_en="Planned industrial area (km²)",
        label_zh="工业类开发区规划面积（km²）",
        meaning="Planned area of counted industrial zones.",
    ),
    Output(
        name="land_used_km2",
        unit="km2",
        kind="stock",
        label_en="Land in use (km²)",
        label_zh="已用土地（km²）",
        meaning="Land held by all living firms.",
    ),
    Output(
        name="land_designated_km2",
        unit="km2",
        kind="stock",
        label_en="Land designated for industrial zones (km²)",
        label_zh="工业类开发区规划用地台账（km²）",
        meaning="Planned area of every located industrial unit (zones, parks and delisted "
        "zones) until released: the land ledger.",
    ),
    Output(
        name="land_cap_km2",
        unit="km2",
        kind="stock",
        label_en="Land cap (km²)",
        label_zh="用地上限（km²）",
        meaning="The ledger's cap: `land_cap_share` of the province's land, or the 2016 "
        "designation if larger.",
    ),
    Output(
        name="zones_three_systems",
        unit="zones",
        kind="stock",
        label_en="Zones with the three systems",
        label_zh="实行三制的开发区数",
        meaning="Counted zones with the three systems.",
    ),
    Output(
        name="operators",
        unit="companies",
        kind="stock",
        label_en="Operating companies",
        label_zh="运营主体数",
        meaning="Operating companies serving counted zones.",
    ),
    Output(
        name="zones_with_operators",
        unit="zones",
        kind="stock",
        label_en="Zones with an operator",
        label_zh="引入运营主体的开发区数",
        meaning="Counted zones with at least one operator.",
    ),
    Output(
        name="staff",
        unit="posts",
        kind="stock",
        better=-1,
        label_en="Staff establishment",
        label_zh="编制人数",
        meaning="Staff establishment of active (not delisted) zones and units.",
    ),
    Output(
        name="bodies",
        unit="bodies",
        kind="stock",
        label_en="Management bodies",
        label_zh="管理机构数",
        meaning="Management bodies of active (not delisted) zones and units.",
    ),
    Output(
        name="approval_days",
        unit="days",
        kind="rate",
        better=-1,
        label_en="Approval time (days)",
        label_zh="审批时间（天）",
        meaning="Mean approval time of an investment project over counted zones.",
    ),
    Output(
        name="approval_days_territory",
        unit="days",
        kind="rate",
        better=-1,
        label_en="Approval time over all zone land (days)",
        label_zh="全部开发区用地的平均审批时间（天）",
        meaning="Approval time averaged over every located unit (parks and delisted zones "
        "included), weighted by planned area: the fixed-territory version of `approval_days`.",
    ),
    Output(
        name="delegated_powers",
        unit="powers",
        kind="stock",
        label_en="Delegated powers",
        label_zh="下放权限数",
        meaning="Powers delegated to counted zones so far.",
    ),
    Output(
        name="zones_delisted",
        unit="zones",
        kind="stock",
        better=-1,
        label_en="Zones that lost status (cumulative)",
        label_zh="被撤销资格的开发区（累计）",
        meaning="Zones delisted since 2016 (cumulative).",
    ),
    Output(
        name="leadership_changes",
        unit="changes",
        kind="stock",
        better=-1,
        label_en="Leadership changes (cumulative)",
        label_zh="领导班子调整（累计）",
        meaning="Leadership replacements in national zones since 2016 (cumulative).",
    ),
    Output(
        name="national_zones",
        unit="zones",
        kind="stock",
        label_en="National zones",
        label_zh="国家级开发区数",
        meaning="Counted national zones.",
    ),
    Output(
        name="top1_share",
        unit="-",
        kind="share",
        label_en="Top 1 % firms' share of output",
        label_zh="前1%企业产出占比",
        meaning="Share of the largest 1 % of living firms (at least one) in the sum of firm "
        "sizes at year end.",
    ),
    Output(
        name="largest_firm_share",
        unit="-",
        kind="share",
        label_en="Largest firm's share of output",
        label_zh="最大企业产出占比",
        meaning="Share of the largest living firm in the sum of firm sizes at year end.",
    ),
    Output(
        name="exit_rate_age_0_1",
        unit="1/year",
        kind="rate",
        label_en="Exit rate, firms under 1 year old",
        label_zh="成立不满1年企业的退出率",
        meaning="Exits during the year of firms younger than 1 year over their firm-years at risk.",
    ),
    Output(
        name="exit_rate_age_2_7",
        unit="1/year",
        kind="rate",
        label_en="Exit rate, firms 2 to 7 years old",
        label_zh="成立2至7年企业的退出率",
        meaning="Exits during the year of firms aged 2 to 7 years over their firm-years at risk.",
    ),
    Output(
        name="exit_rate_age_7_up",
        unit="1/year",
        kind="rate",
        label_en="Exit rate, firms 7 years old or more",
        label_zh="成立7年及以上企业的退出率",
        meaning="Exits during the year of firms aged 7 or more over their firm-years at risk.",
    ),
    *(
        Output(
            name=f"zones_{m.name}",
            unit="zones",
            kind="stock",
            label_en=f"Zones: {m.label_en}",
            label_zh=f"{m.label_zh}开发区数",
            meaning=f"Counted zones in the {m.name} mode ({m.label_zh}).",
        )
        for m in MODES.values()
    ),
)

#: Columns of the zone table after ``year``, in order (one row per located zone).
ZONES: tuple[Output, ...] = (
    Output(
        name="unit",
        unit="-",
        kind="attribute",
        label_en="Unit",
        label_zh="单元",
        meaning="Agent identifier: the 2016 unit id, the zone id once integrated.",
    ),
    Output(
        name="zone_id",
        unit="-",
        kind="attribute",
        label_en="Zone",
        label_zh="开发区",
        meaning="The integrated zone the agent belongs to.",
    ),
    Output(
        name="name",
        unit="-",
        kind="attribute",
        label_en="Name",
        label_zh="英文名称",
        meaning="English name (real where a public source names the zone, else a synthetic label).",
    ),
    Output(
        name="name_zh",
        unit="-",
        kind="attribute",
        label_en="Chinese name",
        label_zh="名称",
        meaning="Chinese name (real where a public source names the zone, else a synthetic label).",
    ),
    Output(
        name="synthetic",
        unit="-",
        kind="attribute",
        label_en="Synthetic",
        label_zh="合成",
        meaning="Whether no public source names the zone (its row is generated).",
    ),
    Output(
        name="city",
        unit="-",
        kind="attribute",
        label_en="City",
        label_zh="城市",
        meaning="Prefecture city.",
    ),
    Output(
        name="level",
        unit="-",
        kind="attribute",
        label_en="Level",
        label_zh="级别",
        meaning="national, provincial or park (a sub-provincial unit before integration).",
    ),
    Output(
        name="type",
        unit="-",
        kind="attribute",
        label_en="Type",
        label_zh="类型",
        meaning="industrial, eco_tourism or agri_hitech.",
    ),
    Output(
        name="status",
        unit="-",
        kind="attribute",
        label_en="Status",
        label_zh="状态",
        meaning="active, merged (absorbed by integration) or delisted (lost its status).",
    ),
    Output(
        name="mode",
        unit="-",
        kind="attribute",
        label_en="Management mode",
        label_zh="管理模式",
        meaning="Current management mode (see the mode registry).",
    ),
    Output(
        name="in_statistics",
        unit="-",
        kind="attribute",
        label_en="In the statistics",
        label_zh="纳入统计",
        meaning="Whether the zone is one of the 37 in the provincial GDP statistics.",
    ),
    Output(
        name="firms",
        unit="firms",
        kind="stock",
        label_en="Firms per zone",
        label_zh="每区企业数",
        meaning="Living firms in the zone at year end.",
    ),
    Output(
        name="entries",
        unit="firms/year",
        kind="flow",
        label_en="Entries per zone",
        label_zh="每区新进入企业数",
        meaning="Entries into the zone during the year.",
    ),
    Output(
        name="exits",
        unit="firms/year",
        kind="flow",
        label_en="Exits per zone",
        label_zh="每区退出企业数",
        meaning="Exits from the zone during the year.",
    ),
    Output(
        name="gdp",
        unit="亿元/year",
        kind="flow",
        label_en="GDP per zone (100 m yuan)",
        label_zh="每区GDP（亿元）",
        meaning="Value added of the zone's firms over the year.",
    ),
    Output(
        name="gdp_growth",
        unit="%",
        kind="rate",
        label_en="GDP growth (%)",
        label_zh="GDP增速（%）",
        meaning="Growth of `gdp` over the previous year (0 where there was none).",
    ),
    Output(
        name="planned_area_km2",
        unit="km2",
        kind="stock",
        label_en="Planned area per zone (km²)",
        label_zh="每区规划面积（km²）",
        meaning="Planned area, after integration and expansions.",
    ),
    Output(
        name="land_used_km2",
        unit="km2",
        kind="stock",
        label_en="Land in use per zone (km²)",
        label_zh="每区已用土地（km²）",
        meaning="Land held by the zone's firms at year end.",
    ),
    Output(
        name="staff",
        unit="posts",
        kind="stock",
        label_en="Staff per zone",
        label_zh="每区编制人数",
        meaning="Staff establishment.",
    ),
    Output(
        name="bodies",
        unit="bodies",
        kind="stock",
        label_en="Management bodies per zone",
        label_zh="每区管理机构数",
        meaning="Management bodies (0 or 1 per agent).",
    ),
    Output(
        name="departments",
        unit="departments",
        kind="stock",
        label_en="Departments per zone",
        label_zh="每区内设部门数",
        meaning="Internal departments.",
    ),
    Output(
        name="approval_days",
        unit="days",
        kind="rate",
        label_en="Approval time (days)",
        label_zh="审批时间（天）",
        meaning="Approval time of an investment project in the zone's last quarter.",
    ),
    Output(
        name="effort",
        unit="-",
        kind="index",
        label_en="Attraction effort (index)",
        label_zh="招商力度（指数）",
        meaning="Investment-attraction effort (legacy = 1).",
    ),
    Output(
        name="services",
        unit="-",
        kind="index",
        label_en="Service quality (index)",
        label_zh="服务质量（指数）",
        meaning="Service quality (legacy = 0.3, at most 1).",
    ),
    Output(
        name="environment",
        unit="-",
        kind="index",
        label_en="Business environment (index)",
        label_zh="营商环境（指数）",
        meaning="Business-environment index in [0, 1] (legacy = 0).",
    ),
    Output(
        name="powers",
        unit="powers",
        kind="stock",
        label_en="Delegated powers per zone",
        label_zh="每区下放权限数",
        meaning="Powers delegated to the zone so far.",
    ),
    Output(
        name="three_systems",
        unit="-",
        kind="attribute",
        label_en="Three systems",
        label_zh="实行三制",
        meaning="Whether the zone has adopted the three systems.",
    ),
    Output(
        name="operators",
        unit="companies",
        kind="stock",
        label_en="Operators per zone",
        label_zh="每区运营主体数",
        meaning="Operating companies serving the zone.",
    ),
    Output(
        name="unqualified_streak",
        unit="years",
        kind="stock",
        label_en="Unqualified years in a row",
        label_zh="连续不合格年数",
        meaning="Consecutive years the zone was rated unqualified.",
    ),
)

#: As-reported outputs (the zones in the statistics or with status, whose coverage and
#: boundaries change with integration, delisting and new zones) and their fixed-territory
#: versions (every unit that is part of a zone, whatever its status). ``zones_active`` is a
#: count of zones, not of a territory, and has none.
FIXED_TERRITORY: dict[str, str] = {
    "stat_zone_gdp": "zone_gdp",
    "stat_zone_gdp_growth": "zone_gdp_growth",
    "growth_gap_pp": "zone_growth_gap_pp",
    "firms_in_active_zones": "firms",
    "approval_days": "approval_days_territory",
}
#: Each zone output growth series (as reported: ratio of this year's total to last
#: year's) and its same-coverage growth (only the zones covered in both years).
SAME_COVERAGE: dict[str, str] = {
    "stat_zone_gdp_growth": "stat_zone_gdp_same_coverage_growth",
    "zone_gdp_growth": "zone_gdp_same_coverage_growth",
    "stat_zone_gdp_same_zones_growth": "stat_zone_gdp_same_zones_growth",
}

#: Annual metric names, in column order after ``year``.
ANNUAL_NAMES: tuple[str, ...] = tuple(o.name for o in ANNUAL)
#: Zone-table column names, in order after ``year``.
ZONE_NAMES: tuple[str, ...] = tuple(o.name for o in ZONES)
#: Outputs by name.
ANNUAL_BY_NAME: dict[str, Output] = {o.name: o for o in ANNUAL}
ZONES_BY_NAME: dict[str, Output] = {o.name: o for o in ZONES}


def better(metric: str) -> int:
    """The better direction of an annual metric (:attr:`Output.better`).

    Raises:
        KeyError: If ``metric`` is not an annual metric.
    """
    return ANNUAL_BY_NAME[metric].better
