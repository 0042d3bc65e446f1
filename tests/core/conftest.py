"""Shared helpers for the core model tests: cached short runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import pytest

from sim.core.run import simulate

Tables = tuple[pd.DataFrame, pd.DataFrame]


@pytest.fixture(scope="session")
def run_tables() -> Callable[..., Tables]:
    """Return ``run(params=None, *, seed=1, end=2019) -> (annual, zones)``, cached.

    Only the two tables are kept (not the model), so many cached runs stay cheap in
    memory. Callers must not modify the returned frames.
    """
    cache: dict[str, Tables] = {}

    def run(params: Mapping[str, Any] | None = None, *, seed: int = 1, end: int = 2019) -> Tables:
        key = json.dumps([params or {}, seed, end], sort_keys=True)
        if key not in cache:
            result = simulate(params, seed=seed, end=end)
            cache[key] = (result.annual, result.zones)
        return cache[key]

    return run
