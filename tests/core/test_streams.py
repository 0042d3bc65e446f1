"""The model's stream seeds equal NumPy's SeedSequence word for word (sim.core.streams)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.model import ZoneReformModel
from sim.core.streams import StreamSeed, root_words, words


def cases(n: int = 2_000):
    rng = np.random.default_rng(0)
    for t in range(n):
        small = t % 4 == 0
        root = int(rng.integers(0, 5 if small else 2**63))
        high = 2**40 if t % 3 == 0 else 10**6  # keys beyond one 32-bit word, too
        key = tuple(int(k) for k in rng.integers(0, high, rng.integers(1, 5)))
        yield root, key


def test_stream_seeds_equal_numpys_seed_sequence() -> None:
    for root, key in cases():
        ref = np.random.SeedSequence(root, spawn_key=key)
        seed = StreamSeed(root_words(root), key)
        np.testing.assert_array_equal(seed.pool, ref.pool)
        np.testing.assert_array_equal(seed.generate_state(7), ref.generate_state(7))
        np.testing.assert_array_equal(
            seed.generate_state(3, np.uint64), ref.generate_state(3, np.uint64)
        )


def test_a_generator_seeded_so_draws_numpys_numbers() -> None:
    for root, key in list(cases(50)):
        ref = np.random.default_rng(np.random.SeedSequence(root, spawn_key=key))
        ours = np.random.Generator(np.random.PCG64(StreamSeed(root_words(root), key)))
        np.testing.assert_array_equal(ours.random(5), ref.random(5))
        np.testing.assert_array_equal(ours.poisson(3.0, 5), ref.poisson(3.0, 5))


def test_the_models_streams_are_seed_sequences_of_its_root() -> None:
    model = ZoneReformModel(rng=4)
    for _ in range(3):
        model.step()
    root = model._stream_root
    ref = np.random.SeedSequence(root, spawn_key=(1, model.quarter))
    np.testing.assert_array_equal(
        model.stream("entry").random(4), np.random.default_rng(ref).random(4)
    )
    ref = np.random.SeedSequence(root, spawn_key=(2, model.quarter))
    np.testing.assert_array_equal(model.keys("dynamics", 2), ref.generate_state(2, np.uint64))
    ref = np.random.SeedSequence(root, spawn_key=(5, model.quarter, 17))
    np.testing.assert_array_equal(
        model.stream("designation", 17).random(3), np.random.default_rng(ref).random(3)
    )


def test_words_and_bad_input() -> None:
    assert words(0) == [0]
    assert words(2**32 + 5) == [5, 1]
    with pytest.raises(ValueError, match="non-negative"):
        words(-1)
    with pytest.raises(ValueError, match="uint32 or uint64"):
        StreamSeed(root_words(1), (1,)).generate_state(2, np.float64)
