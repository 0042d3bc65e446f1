from __future__ import annotations

import numpy as np
import pytest

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
