"""Zones, planned area, firms and output share of the baseline and the hindcast, 10 seeds."""

import numpy as np

from sim.core.run import simulate
from sim.experiments.scenarios import load_scenario

for name in ("baseline", "hindcast_2019_2023"):
    sc = load_scenario(f"scenarios/{name}.toml")
    rows = [
        simulate(dict(sc.overrides), seed=s, end=2023).annual.set_index("year") for s in range(10)
    ]
    for col in ("zones_active", "industrial_area_km2", "firms_in_active_zones", "zone_gdp_share"):
        for y in (2018, 2020, 2022):
            v = np.array([r.loc[y, col] for r in rows])
            print(f"{name} {col} {y}: mean {v.mean():.4g} range {v.min():.4g}-{v.max():.4g}")
