"""Value of information (EVPPI by regression) against cases with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.robustness.design import Outcome
from sim.analysis.robustness.voi import (
    break_evens,
    decisions,
    evppi,
    smoother,
    value_of_information,
)

N = 2000


def test_two_policies_linear_benefit_has_the_textbook_evppi():
    """INB = θ - 1/2 with θ ~ U(0, 1): EVPPI = E[max(0, θ - 1/2)] = 1/8, break-even 1/2.

    A second parameter that does not enter the benefit has (almost) no value.
    """
    rng = np.random.default_rng(1)
    theta, other = rng.random(N), rng.random(N)
    inb = theta - 0.5 + rng.normal(0, 0.5, N)
    fitted = smoother(theta).fit(inb[:, None])
    assert evppi(fitted) == pytest.approx(0.125, abs=0.015)
    ((value, below, above, _),) = break_evens(theta, fitted)
    assert value == pytest.approx(0.5, abs=0.05) and (below, above) == (0, 1)
    assert evppi(smoother(other).fit(inb[:, None])) < 0.015


def test_three_policies_evppi_and_the_switches():
    """NB = (θ, 1/2, 1 - θ): knowing θ gains E[max(θ, 1 - θ)] - 1/2 = 1/4."""
    rng = np.random.default_rng(2)
    theta = rng.random(N)
    nb = np.column_stack([theta, np.full(N, 0.5), 1 - theta]) + rng.normal(0, 0.3, (N, 3))
    fitted = smoother(theta).fit(nb[:, 1:] - nb[:, [0]])
    assert evppi(fitted) == pytest.approx(0.25, abs=0.02)
    switches = break_evens(theta, fitted)
    assert switches[0][1] == 2 and switches[-1][2] == 0  # 1 - θ below, θ above
    assert all(abs(v - 0.5) < 0.05 for v, _, _, _ in switches)


def test_no_information_where_one_policy_always_wins():
    rng = np.random.default_rng(3)
    theta = rng.random(500)
    inb = 5 + theta + rng.normal(0, 0.1, 500)  # the second policy is better everywhere
    fitted = smoother(theta).fit(inb[:, None])
    assert evppi(fitted) == 0 and break_evens(theta, fitted) == []


def test_discrete_parameter_is_regressed_on_its_values():
    rng = np.random.default_rng(4)
    level = rng.integers(0, 3, 900).astype(float)  # three values
    inb = np.where(level == 1, 1.0, -1.0) + rng.normal(0, 0.2, 900)
    fitted = smoother(level).fit(inb)
    for v, mean in ((0, -1), (1, 1), (2, -1)):
        assert fitted[level == v] == pytest.approx(np.full((level == v).sum(), mean), abs=0.05)
    # E[max(0, g)] - max(0, E g): 1/3 - 0 (E g = -1/3)
    assert evppi(fitted[:, None]) == pytest.approx(1 / 3, abs=0.04)


def test_table_ranks_parameters_and_names_the_break_even_policies():
    rng = np.random.default_rng(5)
    n = 400
    x = rng.random((n, 2))
    states = pd.DataFrame({"state": np.arange(n), "seed": 0, "draw": -1,
                           "key": x[:, 0], "noise": x[:, 1]})  # fmt: skip
    values = {"A": 10 * x[:, 0] + rng.normal(0, 1, n), "B": np.full(n, 5.0), "C": np.zeros(n)}
    outcomes = pd.concat(
        [pd.DataFrame({"policy": p, "state": np.arange(n), "firms@2030": v})
         for p, v in values.items()],
        ignore_index=True,
    )  # fmt: skip
    table = value_of_information(
        states, outcomes, [Outcome("firms", 2030)], ["key", "noise"], seed=0
    )
    assert sorted(set(table["comparison"])) == sorted(["A|B", "A|C", "B|C", "A|B|C"])
    top = table[(table["comparison"] == "A|B|C") & (table["rank"] == 1)].iloc[0]
    assert top["parameter"] == "key" and bool(top["above_floor"])
    assert top["evppi"] == pytest.approx(1.25, abs=0.3)  # E[max(10x, 5)] - 5 = 1.25
    assert top["break_even"] == pytest.approx(0.5, abs=0.08)
    assert (top["best_below"], top["best_above"]) == ("B", "A")
    noise = table[(table["comparison"] == "A|B|C") & (table["parameter"] == "noise")].iloc[0]
    assert not bool(noise["above_floor"])
    bc = table[table["comparison"] == "B|C"]
    assert (bc["evppi"] == 0).all()  # B always beats C: nothing to learn
    # fewer states, lower outcomes better: the same answer with the sign turned
    flipped = outcomes.assign(**{"zones_delisted@2030": -outcomes["firms@2030"]})
    again = value_of_information(
        states, flipped, [Outcome("zones_delisted", 2030)], ["key", "noise"], seed=0
    )
    np.testing.assert_allclose(
        again["evppi"].to_numpy(), table["evppi"].to_numpy(), rtol=1e-9, atol=1e-12
    )


def test_decisions_are_every_pair_then_all():
    assert decisions(["a", "b"]) == [("a", "b")]
    assert decisions(["a", "b", "c"])[-1] == ("a", "b", "c") and len(decisions("abc")) == 4
