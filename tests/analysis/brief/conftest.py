"""Fixtures of the brief tests: one real batch, an exploration and the briefs, built once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis import brief
from sim.analysis.robustness.experiment import analyse
from sim.analysis.robustness.report import write_exploration
from sim.core.lang import LANGS

from .helpers import make_batch

#: Policies of the exploration, with their (known) chance of beating the next one.
POLICIES = ("all_corporate", "all_sanheyi", "all_quzheng")
STATES = 60


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="session")
def exploration(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exploration folder with known answers, two seeds per state.

    Corporate wins where the first parameter exceeds 0.5 (about half the states);
    quzheng, listed after sanheyi, beats it where the second parameter is at most 0.5
    and ties with it elsewhere.
    """
    rng = np.random.default_rng(0)
    x = rng.random((STATES, 2))
    states = pd.DataFrame(x, columns=["sanheyi_approval", "corporate_approval"])
    states.insert(0, "state", np.arange(STATES))
    states.insert(1, "seed", np.arange(STATES))
    states.insert(2, "draw", -1)
    values = {
        "all_corporate": np.where(x[:, 0] > 0.5, 10.0, 0.0),
        "all_sanheyi": np.full(STATES, 6.0),
        "all_quzheng": np.where(x[:, 1] > 0.5, 6.0, 7.0),
    }
    noise = rng.normal(0, 0.1, STATES)  # seed noise that averages out in each state
    runs = pd.concat(
        [
            pd.DataFrame({"policy": p, "state": np.arange(STATES), "replicate": k,
                          "seed": k, "firms@2035": v + (noise if k else -noise)})
            for p, v in values.items()
            for k in (0, 1)
        ],
        ignore_index=True,
    )  # fmt: skip
    outcomes = runs.groupby(["policy", "state"], sort=False)[["firms@2035"]].mean().reset_index()
    settings = {
        "outcomes": ["firms@2035"],
        "discover": ["firms@2035"],
        "seed": 0,
        "states": STATES,
        "seeds_per_state": 2,
        "lhs_parameters": ["sanheyi_approval", "corporate_approval"],
        "posterior_parameters": [],
        "posterior": "none",
        "policy_overrides": {},
        "start": 2035,
        "end": 2035,
        "command": "zonesim explore all_corporate all_sanheyi all_quzheng --states 60",
    }
    folder = tmp_path_factory.mktemp("explore")
    write_exploration(analyse(states, outcomes, settings, runs=runs), folder)
    return folder


@pytest.fixture(scope="session")
def briefs(batch: Path, exploration: Path) -> dict[str, brief.Brief]:
    """The briefs in both languages, with the exploration's findings."""
    return {lang: brief.build_brief([batch], lang=lang, robustness=exploration) for lang in LANGS}


@pytest.fixture(scope="session")
def plain_brief(batch: Path) -> brief.Brief:
    """The English brief without an exploration."""
    return brief.build_brief([batch], lang="en")
