"""The brief's prefectures and zones: output by prefecture, and the zones ranked.

Output by prefecture in the last year, in the baseline, with each what-if's effect and
its interval (paired on shared seeds); and the zones with the largest generated output.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis import plotting
from sim.analysis.brief.data import BriefData, zone_cell
from sim.analysis.brief.formatting import fmt_number
from sim.analysis.brief.text import text, vocab
from sim.core.cities import CITIES, city_label
from sim.errors import InputError

#: Zones shown in the ranking.
RANKED_ZONES = 15


def _prefecture_output(data: BriefData) -> pd.DataFrame:
    """Summed output of the zones with status by prefecture in the last year, per run.

    Index ``scenario, seed``; one column per prefecture (0 where none has status).
    """
    if data.zones is None:
        raise InputError(f"{data.paths[0]}: expected zone tables (a batch run with zone tables)")
    z = data.zones
    rows = z[(z["year"] == data.years[1]) & (z["status"] == "active")]
    per = rows.groupby(["scenario", "seed", "city"], sort=False)["gdp"].sum().unstack("city")
    return per.reindex(columns=list(CITIES)).fillna(0.0)


def prefecture_table(data: BriefData) -> pd.DataFrame:
    """Zone output by prefecture in the last year: baseline mean and each what-if's effect.

    Returns:
        One row per prefecture (index ``city``) with a ``baseline`` column (mean over
        replicates of the summed output of zones with status) and one column per
        what-if (mean paired difference, replicate by replicate on shared seeds).
    """
    per = _prefecture_output(data)
    base = per.loc[data.baseline]
    out = pd.DataFrame({"baseline": base.mean()})
    for scen in data.whatifs:
        if scen not in per.index.get_level_values(0):
            continue
        other = per.loc[scen]
        seeds = base.index.intersection(other.index)
        out[scen] = (other.loc[seeds] - base.loc[seeds]).mean()
    out.index.name = "city"
    return out


def prefecture_intervals(data: BriefData) -> dict[str, pd.DataFrame]:
    """95 % intervals of the mean effects of :func:`prefecture_table` (Student t, paired).

    Returns:
        Per what-if, one row per prefecture (index ``city``): ``ci_low, ci_high``.
    """
    from sim.experiments.summary import paired_differences

    per = _prefecture_output(data).reset_index()
    per = per.assign(replicate=0, year=data.years[1])  # paired on the seed alone
    diffs = paired_differences(per, data.baseline, metrics=list(CITIES))
    return {
        str(scen): d.set_index("metric")[["ci_low", "ci_high"]].rename_axis("city")
        for scen, d in diffs.groupby("scenario", sort=False)
    }


def zone_ranking(data: BriefData, n: int = RANKED_ZONES) -> pd.DataFrame:
    """The ``n`` zones with the largest mean output in the baseline's last year."""
    if data.zones is None:
        raise InputError(f"{data.paths[0]}: expected zone tables (a batch run with zone tables)")
    z = data.zones
    last = data.years[1]
    rows = z[(z["scenario"] == data.baseline) & (z["year"] == last) & (z["status"] == "active")]
    reps = max(data.replicates(data.baseline), 1)
    sums = rows.groupby("zone_id")[["gdp", "firms"]].sum() / reps
    meta = rows.drop_duplicates("zone_id").set_index("zone_id")
    keep = [c for c in ("name", "name_zh", "synthetic", "city", "level", "mode") if c in meta]
    out = sums.join(meta[keep]).sort_values(["gdp", "firms"], ascending=False).head(n)
    return out.reset_index()


def ranking_rows(table: pd.DataFrame, lang: str) -> list[list[str]]:
    """Rows of the zone ranking as the brief shows them."""
    rows = []
    for i, r in enumerate(table.to_dict("records"), start=1):
        synthetic = bool(int(r.get("synthetic", 1) or 0))
        rows.append(
            [
                str(i),
                zone_cell(r, lang),
                city_label(r["city"], lang),
                vocab("levels", r.get("level", ""), lang),
                plotting.mode_label(r["mode"], lang) if r.get("mode") else "–",
                text("seeded_synthetic" if synthetic else "seeded_registry", lang),
                fmt_number(r["gdp"]),
                fmt_number(round(r["firms"])),
            ]
        )
    return rows
