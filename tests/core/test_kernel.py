"""The compiled firm kernel against its NumPy reference (sim.core.firms.kernel)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.core.firms import kernel, log_exit_hazard, startup_intensity
from sim.core.model import ZoneReformModel
from sim.core.run import simulate

#: Annual outputs compared between the implementations.
KEY_OUTPUTS = (
    "firms", "firm_entries", "firm_exits", "stat_zone_gdp", "stat_zone_gdp_growth",
    "zone_gdp", "province_gdp", "top1_share", "exit_rate_age_0_1", "exit_rate_age_7_up",
    "land_used_km2", "zones_delisted",
)  # fmt: skip


@pytest.fixture
def numpy_reference():
    with kernel.using("numpy"):
        yield


def both(fn, *args):
    """``fn(*args)`` with the kernel and with the reference, on copies of the arrays."""
    out = {}
    for impl in kernel.IMPLEMENTATIONS:
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        with kernel.using(impl):
            out[impl] = (fn(*copies), copies)
    return out["numba"], out["numpy"]


def test_use_rejects_an_unknown_implementation() -> None:
    with pytest.raises(ValueError, match="numba"):
        kernel.use("fortran")
    assert kernel.current() == "numba"


def test_exp_and_log_match_the_c_library_to_three_ulps() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-700, 700, 50_000), rng.uniform(-1, 1, 50_000)])
    e, _ = kernel.exp_log(x)
    assert np.max(np.abs(e - np.exp(x)) / np.spacing(np.exp(x))) <= 2.0
    y = np.concatenate([rng.lognormal(0, 3, 50_000), 1 + rng.uniform(-1e-3, 1e-3, 50_000)])
    _, lg = kernel.exp_log(y)
    ulp = np.spacing(np.abs(np.log(y)))
    assert np.max(np.abs(lg - np.log(y)) / ulp) <= 3.0
    assert kernel.exp_log(np.array([1.0]))[1][0] == 0.0


def test_sine_and_cosine_of_turns_match_the_c_library() -> None:
    rng = np.random.default_rng(1)
    u = np.concatenate([rng.random(200_000), np.linspace(0, 1, 4097)])
    s, c = kernel.sincos_turns(u)
    # NumPy's own error here is its argument's rounding, 2 pi u: up to about 7e-16.
    assert np.max(np.abs(s - np.sin(2 * np.pi * u))) < 1e-15
    assert np.max(np.abs(c - np.cos(2 * np.pi * u))) < 1e-15
    quarter = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    s, c = kernel.sincos_turns(quarter)
    np.testing.assert_array_equal(np.abs(s), [0, 1, 0, 1, 0])
    np.testing.assert_array_equal(c, [1, 0, -1, 0, 1])


DRAWS = kernel.Draws(land_per_firm=0.03, land_sd=0.5, size_sd=0.7, tail_alpha=1.3)
KEYS = np.array([11, 22, 33, 44], dtype=np.uint64)


def test_entrant_draws_kernel_equals_the_reference() -> None:
    (k_out, _), (r_out, _) = both(kernel.entrant_draws, KEYS, 50_000, 7_000, DRAWS)
    for a, b in zip(k_out, r_out, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    assert [len(a) for a in k_out] == [50_000, 50_000, 7_000]


def test_a_candidates_draws_depend_on_its_place_only() -> None:
    """Counter-based: candidate j's draws are the same whatever the others."""
    few = kernel.entrant_draws(KEYS, 10, 3, DRAWS)
    many = kernel.entrant_draws(KEYS, 1_000, 300, DRAWS)
    for a, b in zip(few, many, strict=True):
        np.testing.assert_array_equal(a, b[: len(a)])
    other = kernel.entrant_draws(KEYS + np.uint64(1), 10, 3, DRAWS)
    assert not any(np.array_equal(a, b) for a, b in zip(few, other, strict=True))


def test_entrant_draws_have_their_distributions() -> None:
    """Land lognormal with mean land_per_firm; size a lognormal body times Pareto(alpha)."""
    n = 200_000
    land, raw, u_sector = kernel.entrant_draws(KEYS, n, n, DRAWS._replace(tail_alpha=1e300))
    z_land = (np.log(land / DRAWS.land_per_firm) + DRAWS.land_sd**2 / 2) / DRAWS.land_sd
    z_size = np.log(raw) / DRAWS.size_sd  # no Pareto factor with an infinite exponent
    for z in (z_land, z_size):
        assert stats.kstest(z, "norm").pvalue > 1e-3
    assert abs(np.corrcoef(z_land, z_size)[0, 1]) < 4 / np.sqrt(n)  # a Box-Muller pair
    assert abs(land.mean() / DRAWS.land_per_firm - 1) < 4 * np.sqrt(np.expm1(0.25) / n)
    assert stats.kstest(u_sector, "uniform").pvalue > 1e-3
    _, pareto, _ = kernel.entrant_draws(KEYS, n, 0, DRAWS._replace(size_sd=0.0))
    assert stats.kstest(pareto, stats.pareto(b=DRAWS.tail_alpha).cdf).pvalue > 1e-3


#: Means of the Poisson tests: both sides of the switch to rejection, and large ones.
POISSON_MEANS = (0.05, 1.0, 9.99, 10.0, 30.0, 250.0, 5_000.0)


def test_poisson_counts_kernel_equals_the_reference() -> None:
    lam = np.random.default_rng(4).lognormal(-1, 2.5, 3_000)  # from 1e-5 to thousands
    (k_out, _), (r_out, _) = both(kernel.poisson_counts, 11, lam)
    np.testing.assert_array_equal(k_out, r_out)
    assert (lam >= 10).sum() > 100 and k_out.dtype == np.int64


@pytest.mark.parametrize("lam", POISSON_MEANS)
def test_poisson_counts_have_the_poisson_distribution(lam: float) -> None:
    """Chi-square of 100,000 counts against the Poisson probabilities (cells expecting 5+)."""
    n = 100_000
    x = kernel.poisson_counts(3, np.full(n, lam))
    values = np.arange(int(lam + 10 * np.sqrt(lam) + 10))
    expected = stats.poisson.pmf(values, lam) * n
    keep = expected >= 5
    observed = np.bincount(x, minlength=len(values))[: len(values)]
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    assert stats.chi2.sf(chi2, keep.sum() - 1) > 1e-3
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / n)


def test_a_poisson_count_depends_on_its_cell_only() -> None:
    lam = np.array([0.3, 12.0, 2.0, 80.0])
    few = kernel.poisson_counts(5, lam)
    more = kernel.poisson_counts(5, np.concatenate([lam, np.full(500, 40.0)]))
    np.testing.assert_array_equal(few, more[:4])
    assert kernel.poisson_counts(5, np.zeros(3)).tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="means >= 0"):
        kernel.poisson_counts(5, np.array([1.0, np.nan]))


def test_uniforms_depend_on_key_and_counter_only() -> None:
    ids = np.arange(200_000)
    u = kernel.uniforms(7, ids)
    assert u.min() > 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 3 * np.sqrt(1 / 12 / len(u))
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    # The same counter gives the same draw whatever else is drawn, in any order.
    np.testing.assert_array_equal(kernel.uniforms(7, ids[::-7]), u[::-7])
    assert np.corrcoef(u, kernel.uniforms(8, ids))[0, 1] < 0.01
    assert np.corrcoef(u[:-1], u[1:])[0, 1] < 0.01


def firm_state(n: int = 20_000, nz: int = 30, seed: int = 1):
    rng = np.random.default_rng(seed)
    zone = np.sort(rng.integers(0, nz, n)).astype(np.intp)
    size = rng.lognormal(-3, 1.5, n)
    level = rng.normal(0, 0.05, n)
    birth = 2018 - np.concatenate([rng.exponential(8, n // 2), np.arange(n - n // 2) % 12 / 4])
    firm_id = rng.permutation(3 * n)[:n].astype(np.int64)
    sector = rng.integers(0, 4, n).astype(np.int8)
    land = rng.lognormal(-4, 0.8, n)
    target = rng.uniform(-0.1, 0.3, nz)
    hazard0 = rng.uniform(0.005, 0.05, nz)
    q = kernel.Quarter(
        now=2018.25, incumbent_before=2017.0, incumbent_share=0.4, kappa=0.1,
        log_median=float(np.log(np.median(size))), shock_elasticity=0.3, shock_k=0.1,
        young_years=3.0, young_step=0.02, drift=0.015, size_elasticity=0.3,
        inv_age_scale=0.4, young_excess=2.0, growth_key=np.uint64(11), exit_key=np.uint64(12),
    )  # fmt: skip
    return zone, size, level, birth, firm_id, target, hazard0, q, sector, land


def test_firm_dynamics_kernel_equals_the_reference() -> None:
    args = firm_state()
    zone, sector, land = args[0], args[8], args[9]

    def run(zone, size, log_size, level, birth, firm_id, target, hazard0, q, sector, land):
        w = kernel.Workspace()
        counts = kernel.zone_census(zone, sector, land, len(target), 4)[1]
        return kernel.firm_dynamics(
            zone, size, log_size, level, birth, firm_id, target, hazard0, q, w, sector, land,
            counts,
        )  # fmt: skip

    state = (args[0], args[1], np.log(args[1]), *args[2:])
    (k, (_, size_k, log_k, level_k, *_)), (r, (_, size_r, log_r, level_r, *_)) = both(run, *state)
    dead_k, va_k, exits_k, bands_k, census_k = k
    dead_r, va_r, exits_r, bands_r, census_r = r
    assert 200 < len(dead_k) < 2_000  # exits happen, and not everywhere
    assert (np.diff(dead_k) > 0).all()  # rows, ascending
    np.testing.assert_array_equal(dead_k, dead_r)
    np.testing.assert_array_equal(exits_k, exits_r)
    np.testing.assert_array_equal(bands_k, bands_r)
    np.testing.assert_allclose(size_k, size_r, rtol=1e-13)
    np.testing.assert_allclose(log_k, log_r, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(size_k, np.exp(log_k), rtol=1e-15)  # the size and its log
    assert not np.array_equal(log_k, state[2])  # they grew
    np.testing.assert_allclose(level_k, level_r, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(va_k, va_r, rtol=1e-13)
    assert bands_k[0].sum() == len(size_k) and bands_k[1].sum() == len(dead_k)
    # The survivors' census equals a fresh count of them.
    alive = np.ones(len(size_k), dtype=bool)
    alive[dead_k] = False
    fresh = kernel.zone_census(zone[alive], sector[alive], land[alive], len(va_k), 4)
    for got, ref, want in zip(census_k, census_r, fresh, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-13)
        np.testing.assert_allclose(ref, want, rtol=1e-13)


def test_exits_follow_the_documented_hazard() -> None:
    """A firm exits when its exit draw is below 1 - exp(-h), h from log_exit_hazard."""
    zone, size, level, birth, firm_id, _, _, q, sector, land = firm_state()
    p = {"exit_hazard": 0.3, "exit_churn": 0.5, "exit_size_elasticity": 0.3,
         "exit_age_scale": 2.5, "exit_young_factor": 3.0}  # fmt: skip
    env = np.random.default_rng(3).uniform(0, 1, 30)
    hazard0 = p["exit_hazard"] / 4 * (1 + p["exit_churn"] * env)
    q = q._replace(size_elasticity=0.3, inv_age_scale=1 / 2.5, young_excess=2.0)
    after = size.copy()
    dead, *_ = kernel.firm_dynamics(
        zone, after, np.log(size), level.copy(), birth, firm_id, np.zeros(30), hazard0, q,
        kernel.Workspace(), sector, land, np.zeros((30, 4)),
    )  # fmt: skip
    h = np.exp(log_exit_hazard(np.log(after) - q.log_median, q.now - birth, env[zone], p))
    expected = kernel.uniforms(q.exit_key, firm_id) < 1 - np.exp(-h)
    np.testing.assert_array_equal(dead, np.flatnonzero(expected))
    assert 0.01 < expected.mean() < 0.3


def test_firm_dynamics_draws_are_tied_to_the_firm_not_its_row() -> None:
    zone, size, level, birth, firm_id, target, hazard0, q, sector, land = firm_state()
    order = np.random.default_rng(5).permutation(len(size))
    runs = []
    for rows in (np.arange(len(size)), order):
        s, lv = size[rows].copy(), level[rows].copy()
        dead, *_ = kernel.firm_dynamics(
            zone[rows], s, np.log(s), lv, birth[rows], firm_id[rows], target, hazard0, q,
            kernel.Workspace(), sector[rows], land[rows], np.zeros((30, 4)),
        )  # fmt: skip
        back = np.argsort(rows)
        runs.append((np.sort(rows[dead]), s[back]))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


@pytest.mark.parametrize("near", [None, 1.0, 1.04, 1.5, 0.2])
def test_order_statistics_equal_numpys(near: float | None) -> None:
    rng = np.random.default_rng(2)
    x = np.round(rng.lognormal(0, 1, 9_999), 2)  # ties
    for k in (0, 17, len(x) // 2, len(x) - 1):
        want = np.partition(x, k)[k]
        guess = None if near is None else near * want
        assert kernel.order_statistic(x, k, guess) == want
        top = np.sort(x)[k:]
        total, smallest = kernel.largest(x, len(x) - k, guess)
        assert smallest == top[0] and total == pytest.approx(top.sum(), rel=1e-13)
    assert kernel.order_statistic(np.array([3.0]), 0, 1.0) == 3.0


def test_entry_choice_and_placement_equal_the_reference() -> None:
    model = ZoneReformModel(rng=3)
    for _ in range(6):
        model.step()
    pop, za = model.firms, model.zone_arrays()
    c = kernel.Choice(*(model.p[f] for f in kernel.Choice._fields))
    nz, ns = len(model.zone_list), len(model.sector_shares)
    (census_k, _), (census_r, _) = both(kernel.zone_census, pop.zone, pop.sector, pop.land, nz, ns)
    for a, b in zip(census_k, census_r, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    # The census the firm dynamics left is that of the firms entry sees.
    for a, b in zip(pop.census, census_k, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13)
    (k, _), (r, _) = both(
        kernel.entry_choice, pop.zone, pop.sector, pop.land, None, za, c, model.sector_shares
    )
    given = kernel.entry_choice(
        pop.zone, pop.sector, pop.land, census_k, za, c, model.sector_shares
    )
    for a, b in zip(k, given, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(k, r, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    free, prob, lam, cdf, _, counts = k
    np.testing.assert_array_equal(counts, census_k[1])  # the counts the choice saw
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)
    expected = np.where(za.located, startup_intensity(free, za.environment, model.p), 0.0)
    np.testing.assert_allclose(lam, expected, rtol=1e-13)
    rng = np.random.default_rng(4)
    alloc = rng.poisson(0.5 * (prob[:, 1:] > 0))  # projects in every zone firms can enter
    starts = rng.poisson(lam)
    u = rng.random(starts.sum())
    land = rng.lognormal(np.log(model.p["land_per_firm"]), 1.0, alloc.sum() + starts.sum())
    tight = free * rng.uniform(0, 1, len(free))  # some entrants must be turned away
    size = rng.lognormal(0, 1, len(land))
    gain = 2.0 ** rng.integers(1, 3, len(free))  # powers of 2: a project's size / gain is exact
    stock = census_k[1]
    args = alloc, starts, cdf, u, land, tight, size, gain, stock
    (k2, (*_, stock_k)), (r2, (*_, stock_r)) = both(kernel.place_entrants, *args)
    for a, b in zip(k2, r2, strict=True):
        np.testing.assert_array_equal(a, b)
    # The entrants that fit join the firms by zone and sector.
    added = np.zeros_like(stock)
    np.add.at(added, (k2.zone, k2.sector), 1)
    np.testing.assert_array_equal(stock_k, stock + added)
    np.testing.assert_array_equal(stock_r, stock + added)
    assert 0 < len(k2.zone) < len(land)
    assert 0 < k2.projects < alloc.sum()
    np.testing.assert_array_equal(k2.entries, np.bincount(k2.zone, minlength=len(free)))
    # Projects come first, by zone and sector, each with its zone's gain; start-ups keep
    # their size.
    assert (np.diff(k2.zone[: k2.projects]) >= 0).all()
    assert np.isin(k2.size[: k2.projects] / gain[k2.zone[: k2.projects]], size).all()
    assert np.isin(k2.size[k2.projects :], size).all()


def test_compaction_equals_the_reference() -> None:
    model = ZoneReformModel(rng=5)
    pop = model.firms
    dead = np.random.default_rng(6).random(pop.n) < 0.1
    dead[-3:] = True
    out = {}
    for impl in kernel.IMPLEMENTATIONS:
        arrays = {k: v.copy() for k, v in pop.arrays.items() if k != "agent"}
        row_of = pop.row_of.copy()
        with kernel.using(impl):
            n_keep = kernel.compact(np.flatnonzero(dead), pop.n, arrays, row_of)
            out[impl] = (n_keep, arrays, row_of)
    (nk, a_k, row_k), (nr, a_r, row_r) = out["numba"], out["numpy"]
    assert nk == nr == pop.n - dead.sum()
    for name in a_k:
        np.testing.assert_array_equal(a_k[name][:nk], a_r[name][:nr])
    np.testing.assert_array_equal(row_k, row_r)
    alive = a_k["firm_id"][:nk]
    np.testing.assert_array_equal(row_k[alive], np.arange(nk))
    assert (row_k[pop.firm_id[dead]] == -1).all()


def test_a_run_with_the_kernel_equals_the_reference_run() -> None:
    """Both consume the same random numbers: the tables agree to rounding."""
    for seed in (0, 1):
        fast = simulate(seed=seed, end=2019)
        with kernel.using("numpy"):
            ref = simulate(seed=seed, end=2019)
        for table in ("annual", "zones"):
            a, b = getattr(fast, table), getattr(ref, table)
            num = a.select_dtypes("number").columns
            np.testing.assert_allclose(a[num], b[num], rtol=1e-9, atol=1e-12)
            other = a.columns.difference(num)
            assert a[other].equals(b[other])


@pytest.mark.slow
def test_kernel_outputs_have_the_reference_distribution() -> None:
    """50 runs of each on different seeds: same means (Monte Carlo error), same laws."""
    n, end = 50, 2017
    fast = [simulate(seed=s, end=end).annual.iloc[-1] for s in range(n)]
    with kernel.using("numpy"):
        ref = [simulate(seed=1_000 + s, end=end).annual.iloc[-1] for s in range(n)]
    for name in KEY_OUTPUTS:
        a = np.array([row[name] for row in fast], dtype=float)
        b = np.array([row[name] for row in ref], dtype=float)
        if a.std() == b.std() == 0:
            assert a[0] == b[0], name
            continue
        se = np.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
        assert abs(a.mean() - b.mean()) < 4 * se, name
        assert stats.ks_2samp(a, b).pvalue > 1e-3, name


def test_a_log_term_weighted_zero_adds_nothing() -> None:
    """A full zone or a zone without effort under a zero weight: finite choice, no NaN.

    ``0 * log(0)`` would be NaN and poison every zone's probabilities (a Morris design
    reaches ``beta_land = 0`` while a zone is full).
    """
    model = ZoneReformModel(rng=3)
    for _ in range(6):
        model.step()
    pop = model.firms
    full = int(np.flatnonzero(model.zone_arrays().located)[0])
    c = kernel.Choice(*(model.p[f] for f in kernel.Choice._fields))
    zero = c._replace(beta_land=0.0, beta_effort=0.0)
    for impl in kernel.IMPLEMENTATIONS:
        with kernel.using(impl):
            # The zone's land in use as this implementation sums it (the sums' order differs).
            used, _ = kernel.zone_census(
                pop.zone, pop.sector, pop.land, len(model.zone_list), len(model.sector_shares)
            )
            za = model.zone_arrays()
            planned, effort = za.planned.copy(), za.effort.copy()
            planned[full], effort[full] = used[full], 0.0  # no free land, no effort
            za = za._replace(planned=planned, effort=effort)
            free, prob, *_ = kernel.entry_choice(
                pop.zone, pop.sector, pop.land, None, za, zero, model.sector_shares
            )
            assert free[full] == 0.0
            assert np.isfinite(prob).all() and (prob[:, 1 + full] > 0).all()
            np.testing.assert_allclose(prob.sum(axis=1), 1.0)
            # A positive weight on no land still closes the zone to choice.
            _, closed, *_ = kernel.entry_choice(
                pop.zone, pop.sector, pop.land, None, za, c, model.sector_shares
            )
            assert (closed[:, 1 + full] == 0).all() and np.isfinite(closed).all()


def test_a_run_with_zero_weight_on_land_survives_a_delisted_zone_without_land() -> None:
    """A delisted zone that releases all its unused land has none free from 2020."""
    params = {"beta_land": 0.0, "delisted_land_release": 1.0}
    result = simulate(params, seed=0, end=2020, zones=False)
    assert not result.annual.isna().any().any()
    assert result.annual["zones_delisted"].iloc[-1] > 0


def test_categories_are_those_choice_draws() -> None:
    shares = np.array([0.3, 0.0, 0.25, 0.45])
    cdf = shares.cumsum()
    cdf /= cdf[-1]
    for seed in range(3):
        want = np.random.default_rng(seed).choice(len(shares), 5_000, p=shares)
        u = np.random.default_rng(seed).random(5_000)
        for impl in kernel.IMPLEMENTATIONS:
            with kernel.using(impl):
                np.testing.assert_array_equal(kernel.categories(u, cdf), want)
