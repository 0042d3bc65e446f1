"""The run boundary: horizon, determinism, finite outputs, Enterprise agents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mesa.agentset import AgentSet

from sim.core.agents import Zone
from sim.core.firms import Enterprise
from sim.core.firms.population import FIELDS, SIZE_FLOOR
from sim.core.run import FIRST_YEAR, LAST_YEAR, METRICS, SimulationResult, simulate

ZONE_COLUMNS = [
    "year", "unit", "zone_id", "name", "name_zh", "synthetic", "city", "level", "type", "status",
    "mode", "in_statistics",
    "firms", "entries", "exits", "gdp", "gdp_growth", "planned_area_km2", "land_used_km2",
    "staff", "bodies", "departments", "approval_days", "effort", "services", "environment",
    "powers", "three_systems", "operators", "unqualified_streak",
]  # fmt: skip


@pytest.fixture(scope="module")
def full_a() -> SimulationResult:
    return simulate(seed=11)


@pytest.fixture(scope="module")
def full_a_again() -> SimulationResult:
    return simulate(seed=11)


@pytest.fixture(scope="module")
def full_b() -> SimulationResult:
    return simulate(seed=12)


def _numeric(df: pd.DataFrame) -> np.ndarray:
    return df.select_dtypes(include=["number", "bool"]).to_numpy(dtype=float)


def test_default_horizon_is_2016_to_2035(full_a: SimulationResult) -> None:
    assert full_a.annual["year"].tolist() == list(range(2016, 2036))
    assert sorted(full_a.zones["year"].unique()) == list(range(2016, 2036))


def test_tables_have_the_documented_columns(full_a: SimulationResult) -> None:
    assert list(full_a.annual.columns) == ["year", *METRICS]
    assert list(full_a.zones.columns) == ZONE_COLUMNS


def test_same_seed_gives_bit_identical_tables(
    full_a: SimulationResult, full_a_again: SimulationResult
) -> None:
    pd.testing.assert_frame_equal(full_a.annual, full_a_again.annual, check_exact=True)
    pd.testing.assert_frame_equal(full_a.zones, full_a_again.zones, check_exact=True)


def test_different_seeds_differ(full_a: SimulationResult, full_b: SimulationResult) -> None:
    assert not full_a.annual.equals(full_b.annual)
    assert not full_a.annual["firms"].equals(full_b.annual["firms"])
    assert not full_a.zones["gdp"].equals(full_b.zones["gdp"])


@pytest.mark.parametrize("table", ["annual", "zones"])
def test_no_nan_or_infinity(full_a: SimulationResult, table: str) -> None:
    df = getattr(full_a, table)
    assert not df.isna().any().any(), df.columns[df.isna().any()].tolist()
    values = _numeric(df)
    assert values.size > 0
    assert np.isfinite(values).all()


def test_seed_sequence_accepted_and_deterministic() -> None:
    child, sibling = np.random.SeedSequence(2024).spawn(2)
    a = simulate(seed=child, end=2017)
    b = simulate(seed=np.random.SeedSequence(2024).spawn(2)[0], end=2017)
    c = simulate(seed=sibling, end=2017)
    pd.testing.assert_frame_equal(a.annual, b.annual, check_exact=True)
    pd.testing.assert_frame_equal(a.zones, b.zones, check_exact=True)
    assert not a.annual.equals(c.annual)


def test_seed_sequence_of_an_integer_equals_the_integer() -> None:
    a = simulate(seed=5, end=2016)
    b = simulate(seed=np.random.SeedSequence(5), end=2016)
    pd.testing.assert_frame_equal(a.annual, b.annual, check_exact=True)


def test_start_trims_reported_years_without_changing_them(full_a: SimulationResult) -> None:
    short = simulate(seed=11, start=2018, end=2019)
    assert short.annual["year"].tolist() == [2018, 2019]
    assert set(short.zones["year"]) == {2018, 2019}
    expected = full_a.annual[full_a.annual["year"].between(2018, 2019)].reset_index(drop=True)
    pd.testing.assert_frame_equal(short.annual, expected, check_exact=True)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (FIRST_YEAR - 1, 2020),  # before the registry year
        (2020, 2019),  # end before start
        (FIRST_YEAR, FIRST_YEAR - 1),
        (FIRST_YEAR, LAST_YEAR + 1),  # beyond the supported horizon
    ],
)
def test_bad_horizon_raises_value_error(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="horizon"):
        simulate(seed=1, start=start, end=end)


def test_unknown_parameter_raises_before_running() -> None:
    with pytest.raises(ValueError, match="no_such_parameter"):
        simulate({"no_such_parameter": 1.0}, seed=1, end=2016)


def test_enterprise_agents_equal_the_arrays(full_a: SimulationResult) -> None:
    model = full_a.model
    firms_end = int(full_a.annual["firms"].iloc[-1])
    agents = model.enterprise_agents()
    assert isinstance(agents, AgentSet)
    assert len(agents) == len(model.firms) == firms_end
    # one view per living firm, in firm_id order, each reading its own row
    assert [a.firm_id for a in agents] == sorted(model.firms.firm_id.tolist())
    pop = model.firms
    rows = pop.row_of[np.array([a.firm_id for a in agents])]
    np.testing.assert_array_equal(agents.get("size"), pop.size[rows])
    np.testing.assert_array_equal(agents.get("land"), pop.land[rows])
    np.testing.assert_array_equal(agents.get("sector"), pop.sector[rows])
    # the views are not registered with the model: its containers hold the rich agents
    assert Enterprise not in model.agents_by_type
    assert not any(isinstance(a, Enterprise) for a in model.agents)


def test_zones_step_through_the_agent_set_of_located_zones(full_a: SimulationResult) -> None:
    model = full_a.model
    registered = list(model.agents_by_type[Zone])
    assert registered == [z for z in model.zone_list if z.located]


def test_enterprise_properties_read_their_row(full_a: SimulationResult) -> None:
    model = full_a.model
    pop = model.firms
    agents = list(model.enterprise_agents())
    picks = [agents[i] for i in np.linspace(0, len(agents) - 1, 25).astype(int)]
    for a in picks:
        row = int(pop.row_of[a.firm_id])
        assert row >= 0
        assert pop.arrays["agent"][row] is a
        assert a.size == pop.size[row]
        assert a.zone is model.zone_list[int(pop.zone[row])]
        assert a.sector == int(pop.sector[row])
        assert a.level == pop.level[row]
        assert a.land == pop.land[row]
        assert a.age == pytest.approx(model.now - pop.birth[row])
        assert a.age >= 0
        assert a.zone.located


def test_enterprise_size_setter_writes_the_array_and_the_log() -> None:
    model = simulate(seed=3, end=2016).model
    a = next(iter(model.enterprise_agents()))
    a.size = 123.5
    row = int(model.firms.row_of[a.firm_id])
    assert model.firms.size[row] == 123.5
    assert model.firms.log_size[row] == np.log(123.5)


def test_the_log_size_stays_the_log_of_the_size() -> None:
    """Every firm's log size is its size's log: at entry (``add``) and after each quarter."""
    pop = simulate(seed=3, end=2019).model.firms
    assert pop.n > 10_000 and (pop.birth > 2019).any()  # entrants of the last quarter too
    np.testing.assert_allclose(pop.log_size, np.log(pop.size), rtol=0, atol=1e-13)


def test_a_firm_of_size_zero_gets_a_finite_log_size_and_leaves_no_nan() -> None:
    """A park designated when the rest of the province has no output has firms of size 0."""
    model = simulate(seed=3, end=2016).model
    pop = model.firms
    n = pop.n
    ids = pop.add(
        zone=np.array([0, 0]), sector=np.array([0, 1], dtype=np.int8), size=np.array([0.0, 2.0]),
        level=0.0, birth=model.now, land=np.array([0.0, 0.0]), origin=np.int8(3),
    )  # fmt: skip
    assert ids.tolist() == [pop.next_id - 2, pop.next_id - 1]
    assert pop.log_size[n:].tolist() == [np.log(SIZE_FLOOR), np.log(2.0)]
    for _ in range(4):
        model.step()
    assert np.isfinite(pop.log_size).all() and np.isfinite(pop.size).all()
    assert np.isfinite(model.annual[-1]["stat_zone_gdp"])


def test_enterprises_that_exited_are_gone() -> None:
    model = simulate(seed=3, end=2017).model
    alive = set(model.firms.firm_id.tolist())
    dead_ids = np.setdiff1d(np.arange(model.firms.next_id), list(alive))
    assert dead_ids.size > 0
    assert (model.firms.row_of[dead_ids] == -1).all()


def test_agents_made_mid_run_stay_in_step_and_change_nothing() -> None:
    from sim.core.model import ZoneReformModel

    plain = ZoneReformModel(rng=np.random.default_rng(21))
    watched = ZoneReformModel(rng=np.random.default_rng(21))
    for quarter in range(12):
        plain.step()
        watched.step()
        if quarter == 2:
            early = watched.enterprise_agents()
            assert len(early) == len(watched.firms)
    # making the views consumed no randomness and changed no state
    pd.testing.assert_frame_equal(pd.DataFrame(plain.annual), pd.DataFrame(watched.annual))
    pd.testing.assert_frame_equal(pd.DataFrame(plain.zone_rows), pd.DataFrame(watched.zone_rows))
    pop = watched.firms
    live = set(pop.firm_id.tolist())
    # an agent set taken earlier has lost the firms that exited since
    assert {a.firm_id for a in early} <= live
    agents = list(watched.enterprise_agents())
    assert {a.firm_id for a in agents} == live
    for a in agents[:: max(len(agents) // 50, 1)]:
        row = int(pop.row_of[a.firm_id])
        assert pop.arrays["agent"][row] is a
        assert a.size == pop.size[row]
        assert a.age == pytest.approx(watched.now - pop.birth[row])
    unique_ids = [a.unique_id for a in [*watched.agents, *agents]]
    assert len(unique_ids) == len(set(unique_ids))
    with pytest.raises(TypeError, match="view"):
        agents[0].remove()


def test_city_selectors_in_chinese_or_any_case_select_the_same_zones() -> None:
    def run(selector: str) -> pd.DataFrame:
        assignment = {"year": 2018, "mode": "corporate", "zones": selector}
        return simulate({"mode_assignments": [assignment]}, seed=2, end=2018).zones

    pinyin = run("city:Datong")
    z = pinyin[(pinyin["year"] == 2018) & (pinyin["status"] == "active")]
    assert (z.loc[z["city"] == "Datong", "mode"] == "corporate").all()
    for selector in ("city:大同", "city:datong", "city:大同市"):
        pd.testing.assert_frame_equal(run(selector), pinyin)
    assert not run("city:吕梁").equals(pinyin)


@pytest.mark.parametrize(
    ("selector", "message"),
    [(["Z99"], "zone ids"), ("city:Beijing", "city present"), ("type:harbour", "type present")],
)
def test_mode_assignment_naming_no_registry_zone_is_rejected(selector, message) -> None:
    from sim.core.params import ParameterError

    assignment = {"year": 2018, "mode": "corporate", "zones": selector}
    with pytest.raises(ParameterError, match=rf"mode_assignments\[0\]\.zones.*{message}"):
        simulate({"mode_assignments": [assignment]}, seed=1, end=2016)


def test_common_random_numbers_pair_runs_of_nearby_parameters() -> None:
    # Per-mechanism, per-quarter streams: changing one parameter leaves the other
    # mechanisms' draws alone, so paired differences vary far less than unpaired ones.
    base, alt = [], []
    for seed in range(8):  # 6 seeds estimate the unpaired spread too noisily
        base.append(simulate(seed=seed, end=2018).annual["firms"].iloc[-1])
        alt.append(
            simulate({"sanheyi_attraction": 1.3}, seed=seed, end=2018).annual["firms"].iloc[-1]
        )
    base, alt = np.array(base, float), np.array(alt, float)
    paired = np.std(alt - base, ddof=1)
    unpaired = np.sqrt(np.var(base, ddof=1) + np.var(alt, ddof=1))
    assert paired < 0.75 * unpaired


def test_every_field_reads_as_a_view_of_the_living_firms() -> None:
    pop = simulate(seed=3, end=2016).model.firms
    for name in FIELDS:
        view = getattr(pop, name)
        assert len(view) == pop.n and np.shares_memory(view, pop.arrays[name])
        with pytest.raises(AttributeError, match="is a view"):
            setattr(pop, name, view)
    assert not hasattr(pop, "agent")  # no views made yet


def test_a_run_without_its_zone_table_reports_the_same_years() -> None:
    full = simulate(seed=4, end=2018)
    lean = simulate(seed=4, end=2018, zones=False)
    pd.testing.assert_frame_equal(lean.annual, full.annual)
    assert lean.zones.empty and list(lean.zones.columns) == list(full.zones.columns)
    assert len(full.zones) > 0
