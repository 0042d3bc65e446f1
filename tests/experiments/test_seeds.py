from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.experiments import seeds
from sim.experiments.posterior import _draw_index
from sim.experiments.seeds import replicate_seed, replicate_seeds


def test_seeds_come_from_spawned_children_of_the_master() -> None:
    children = np.random.SeedSequence(42).spawn(4)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert replicate_seeds(42, 4) == expected


def test_seed_of_a_replicate_does_not_depend_on_batch_size() -> None:
    assert replicate_seeds(7, 3) == replicate_seeds(7, 10)[:3]


def test_seeds_differ_between_replicates_and_masters() -> None:
    seeds = replicate_seeds(1, 50)
    assert len(set(seeds)) == 50
    assert replicate_seed(2, 0) != replicate_seed(1, 0)
    assert all(0 <= s < 2**63 for s in seeds)


@pytest.mark.parametrize(("master", "rep"), [(-1, 0), (0, -1)])
def test_negative_master_or_replicate_is_rejected(master: int, rep: int) -> None:
    with pytest.raises(ValueError, match="seed"):
        replicate_seed(master, rep)


def test_derived_seeds_are_pinned() -> None:
    """Stored calibration outputs, batches and analyses depend on these exact values."""
    assert seeds.replicate_seeds(42, 2) == [8069173719269958482, 67091864417934941]
    assert seeds.crn_seeds(20181231, 3) == [
        5773713045734865017,
        8415021723536526499,
        7170318670243432573,
    ]
    assert seeds.validation_seeds(20181231, 2) == [3847698424964809657, 3999623161360754894]
    assert seeds.branch_seed(20181231, seeds.ABC_SIMULATION, 1, 2, 3) == 8945773894389974074
    assert seeds.branch_seed(20181231, seeds.PREDICTIVE) == 3472266153671299483
    assert seeds.branch_seed(20181231, seeds.PREDICTIVE, 4) == 2329286042541720338
    assert seeds.branch_rng(20181231, seeds.SEARCH).random() == 0.43389048069298086
    assert seeds.branch_rng(20181231, seeds.ABC_PROPOSAL, 1, 0).random() == 0.6442277253238642
    assert seeds.branch_seed(20181231, seeds.HISTORY, 1, 0) == 4769012161204893711
    assert seeds.salib_seed(0, 0) == 728363086 and seeds.salib_seed(7, 3) == 1211875410
    assert seeds.branch_rng(20181231, seeds.EXPLORE_STATES).random() == 0.8928613833296305
    assert seeds.branch_rng(20181231, seeds.EXPLORE_DRAW, 3).random() == 0.37887344614079344
    assert seeds.branch_state32(20181231, seeds.DISCOVERY, 1, 2) == 359905100


def test_branches_are_distinct_and_posterior_draws_use_theirs() -> None:
    branches = [seeds.CRN, seeds.ABC_SIMULATION, seeds.ABC_PROPOSAL, seeds.SEARCH,
                seeds.PREDICTIVE, seeds.VALIDATION, seeds.POSTERIOR_DRAW, seeds.HISTORY,
                seeds.SWEEP, seeds.SALIB, seeds.EXPLORE_STATES, seeds.EXPLORE_DRAW,
                seeds.DISCOVERY]  # fmt: skip
    assert len(set(branches)) == len(branches)
    weights = np.full(1000, 1 / 1000)
    assert _draw_index(weights, 11, 5) == 267
    u = seeds.branch_rng(11, seeds.POSTERIOR_DRAW, 5).random()
    assert _draw_index(weights, 11, 5) == int(u * 1000)


def test_negative_branch_is_rejected() -> None:
    with pytest.raises(ValueError, match="seed"):
        seeds.branch_seed(1, seeds.CRN, -1)


def test_every_seed_branch_outside_the_model_is_in_the_seeds_module() -> None:
    """Branches of a master seed live in sim/experiments/seeds.py (the model's own streams,
    which derive from the run's one seed, live in sim/core)."""
    import sim

    root = Path(sim.__file__).parent
    found = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "spawn_key" in p.read_text(encoding="utf-8")
        and p.relative_to(root).parts[0] != "core"
        and p.name != "seeds.py"
    ]
    assert found == []


def test_no_seed_is_made_by_arithmetic_outside_the_seeds_module() -> None:
    """A generator seeded with ``seed + j`` (or a legacy ``RandomState``) is a branch that
    bypasses SeedSequence: its streams may overlap another branch's."""
    import sim

    root = Path(sim.__file__).parent
    arithmetic = re.compile(r"(RandomState|default_rng|SeedSequence)\([^()]*[-+*][^()]*\)")
    found = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if p.name != "seeds.py"
        and ("RandomState(" in (text := p.read_text(encoding="utf-8")) or arithmetic.search(text))
    ]
    assert found == []
