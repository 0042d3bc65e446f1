"""One base for every error a user can fix, carrying its file, key and advice as data."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import sim
from sim.errors import InputError, MissingFileError, ZonesimError
from sim.experiments.errors import ArgumentError
from sim.experiments.store import StoreError


def _sim_exception_classes() -> list[type[Exception]]:
    found = {}
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        if info.name == "sim.cli.__main__":
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, Exception)
                and not issubclass(obj, Warning)  # warnings are not errors
                and obj.__module__.startswith("sim.")
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_every_exception_class_of_the_package_derives_from_the_base() -> None:
    """Interruptions (KeyboardInterrupt and its kin) are not errors and are left out."""
    classes = _sim_exception_classes()
    assert len(classes) >= 16
    assert [c for c in classes if not issubclass(c, ZonesimError)] == []


def test_message_is_built_from_file_key_problem_and_advice() -> None:
    err = InputError("expected a number, got 'x'", file="s.toml", key="run.end", advice="fix it")
    assert str(err) == "s.toml: run.end: expected a number, got 'x'; fix it"
    assert (err.file, err.key, err.problem, err.advice) == (
        "s.toml",
        "run.end",
        "expected a number, got 'x'",
        "fix it",
    )
    assert str(InputError("expected a batch")) == "expected a batch"
    assert isinstance(err, ValueError)
    assert isinstance(MissingFileError("x: not found"), FileNotFoundError)


def test_advice_names_arguments_in_the_callers_words() -> None:
    err = StoreError(
        "it holds 'a'", file="out", advice="choose another {out_dir}, or pass {allow_foreign}"
    )
    assert str(err) == "out: it holds 'a'; choose another out_dir, or pass allow_foreign=True"
    assert err.message({"out_dir": "--out", "allow_foreign": "--force-into-nonempty"}) == (
        "out: it holds 'a'; choose another --out, or pass --force-into-nonempty"
    )
    # only placeholders are replaced: the same word elsewhere stays as it is
    err = StoreError("out_dir holds {x}", advice="see out_dir")
    assert err.message({"out_dir": "--out"}) == "out_dir holds {x}; see out_dir"


def test_argument_error_renames_its_argument() -> None:
    err = ArgumentError("outputs", " 'x': expected metric@year")
    assert err.key == "outputs" and str(err) == "outputs 'x': expected metric@year"
    assert err.message({"outputs": "--outputs"}) == "--outputs 'x': expected metric@year"
    assert err.message({}) == str(err)


@pytest.mark.parametrize("cls", [InputError, StoreError, MissingFileError])
def test_errors_pickle_with_their_data(cls: type[ZonesimError]) -> None:
    """Errors raised in a worker process reach the client whole."""
    import pickle

    err = cls("expected x", file="f", key="k", advice="do y")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls and str(back) == str(err) and back.key == "k"
