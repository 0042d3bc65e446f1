from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments.posterior import (
    PosteriorError,
    load_posterior,
    posterior_draw,
    posterior_draws,
    replicate_params,
)


def _write(tmp_path: Path, df: pd.DataFrame, name: str = "post.parquet") -> Path:
    path = tmp_path / name
    if path.suffix == ".parquet":
        df.to_parquet(path)
    else:
        df.to_csv(path, index=False)
    return path


@pytest.fixture
def posterior(tmp_path: Path) -> Path:
    df = pd.DataFrame(
        {
            "exit_hazard": [0.02, 0.05, 0.08, 0.11],
            "entrant_size": [0.2, 0.3, 0.4, 0.5],
            "weight": [0.1, 0.0, 0.6, 0.3],
            "distance": [0.4, 0.3, 0.2, 0.1],
        }
    )
    return _write(tmp_path, df)


def test_load_normalises_weights(posterior: Path) -> None:
    df = load_posterior(posterior)
    assert df["weight"].sum() == pytest.approx(1.0)
    assert list(df.columns[:2]) == ["exit_hazard", "entrant_size"]


def test_draws_are_rows_of_the_file(posterior: Path) -> None:
    draws = posterior_draws(posterior, 50, seed=3)
    rows = {tuple(r) for r in pd.read_parquet(posterior)[["exit_hazard", "entrant_size"]].values}
    assert all((d["exit_hazard"], d["entrant_size"]) in rows for d in draws)


def test_zero_weight_never_drawn_and_weights_respected(posterior: Path) -> None:
    draws = posterior_draws(posterior, 2000, seed=11)
    hz = np.array([d["exit_hazard"] for d in draws])
    assert not np.any(hz == 0.05)
    share = np.mean(hz == 0.08)
    assert 0.55 < share < 0.65


def test_draw_k_independent_of_count(posterior: Path) -> None:
    few = posterior_draws(posterior, 5, seed=7)
    many = posterior_draws(posterior, 40, seed=7)
    assert many[:5] == few
    assert posterior_draw(posterior, 7, 3) == few[3]


def test_draws_depend_on_seed(posterior: Path) -> None:
    a = posterior_draws(posterior, 30, seed=1)
    b = posterior_draws(posterior, 30, seed=2)
    assert a != b


def test_csv_and_parquet_agree(tmp_path: Path, posterior: Path) -> None:
    csv = _write(tmp_path, pd.read_parquet(posterior), "post.csv")
    assert posterior_draws(csv, 20, seed=5) == posterior_draws(posterior, 20, seed=5)


def test_missing_weight_means_equal_weights(tmp_path: Path) -> None:
    path = _write(tmp_path, pd.DataFrame({"exit_hazard": [0.02, 0.04]}))
    assert load_posterior(path)["weight"].tolist() == [0.5, 0.5]


@pytest.mark.parametrize(
    ("frame", "needle"),
    [
        (pd.DataFrame({"no_such_param": [1.0]}), "no_such_param"),
        (pd.DataFrame({"exit_hazard": [0.9]}), "exit_hazard (row 0)"),
        (pd.DataFrame({"exit_hazard": [0.02], "weight": [-1.0]}), "weight"),
        (pd.DataFrame({"weight": [1.0]}), "parameter column"),
    ],
)
def test_invalid_files_name_file_and_key(tmp_path: Path, frame: pd.DataFrame, needle: str) -> None:
    path = _write(tmp_path, frame)
    with pytest.raises(PosteriorError, match=r"post\.parquet") as info:
        load_posterior(path)
    assert needle in str(info.value)


def test_missing_file_and_bad_suffix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.parquet"):
        load_posterior(tmp_path / "nope.parquet")
    bad = tmp_path / "post.json"
    bad.write_text("{}")
    with pytest.raises(PosteriorError, match=r"post.json: expected a \.parquet or \.csv"):
        load_posterior(bad)


def test_negative_count_rejected(posterior: Path) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        posterior_draws(posterior, -1, seed=0)


def test_replicate_params_scenario_overrides_win(posterior: Path) -> None:
    draw = posterior_draw(posterior, 9, 2)
    p = replicate_params(posterior, 9, 2, {"entrant_size": 0.9, "delegation_years": 6.0})
    assert p["exit_hazard"] == draw["exit_hazard"]
    assert p["entrant_size"] == 0.9 and p["delegation_years"] == 6.0
    assert "mode_assignments" in p  # fully resolved
