from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.core import version
from sim.experiments import identity
from sim.experiments.identity import (
    MODEL_PARTS,
    code_identity,
    model_version,
    normalised_python,
    tree_digest,
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_model_version_is_the_number_and_a_short_code_hash() -> None:
    number, digest = model_version().split("+")
    assert number == version.NUMBER and re.fullmatch(r"[0-9a-f]{8}", digest)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", version.DATE)


def test_normalised_python_drops_docstrings_comments_and_layout() -> None:
    a = 'def f(x):\n    """Doc."""\n    return x+1  # one\n'
    b = "def f(x):\n\n    # other comment\n    return (x + 1)\n"
    assert normalised_python(a) == normalised_python(b)
    assert normalised_python(a) != normalised_python(a.replace("x+1", "x+2"))
    only_doc = 'class C:\n    """Only a docstring."""\n'
    assert normalised_python(only_doc) == normalised_python("class C:\n    pass\n")


def test_docstring_only_change_to_the_model_keeps_the_version(
    tmp_path: Path, copy_package: Callable
) -> None:
    pkg = copy_package(tmp_path)
    before = tree_digest(pkg, MODEL_PARTS), tree_digest(pkg)
    assert before[0][: identity.SHORT] == model_version().split("+")[1]
    model = pkg / "core" / "model.py"
    text = model.read_text(encoding="utf-8")
    doc = re.search(r'"""(.+?)"""', text, re.S)
    assert doc is not None
    model.write_text(
        text.replace(doc.group(1), "A reworded docstring.\n\nWith a second paragraph.", 1)
        + "\n# a trailing comment\n",
        encoding="utf-8",
    )
    edit(pkg / "core" / "data" / "parameters.toml", 'meaning = "', 'meaning = "Reworded: ')
    assert (tree_digest(pkg, MODEL_PARTS), tree_digest(pkg)) == before


def test_a_change_of_the_run_boundary_changes_the_model_version(
    tmp_path: Path, copy_package: Callable
) -> None:
    pkg = copy_package(tmp_path)
    before = tree_digest(pkg, MODEL_PARTS)
    edit(pkg / "experiments" / "runs.py", "int(spec.seed)", "int(spec.seed) + 1")
    assert tree_digest(pkg, MODEL_PARTS) != before


def test_a_change_anywhere_in_the_package_changes_the_code_identity(
    tmp_path: Path, copy_package: Callable
) -> None:
    pkg = copy_package(tmp_path)
    model, code = tree_digest(pkg, MODEL_PARTS), tree_digest(pkg)
    edit(pkg / "experiments" / "summary.py", "QUANTILES = (0.05, 0.5, 0.95)",
         "QUANTILES = (0.05, 0.5, 0.9)")  # fmt: skip
    assert tree_digest(pkg, MODEL_PARTS) == model and tree_digest(pkg) != code


def _identity_in(path: Path) -> dict[str, str]:
    """The code identity a process importing ``sim`` from ``path`` computes."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    out = subprocess.run(
        [sys.executable, "-c", "import json, sim.experiments.identity as i; "
         "print(json.dumps(i.code_identity()))"],
        env=env, cwd=path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_a_worker_with_other_code_has_another_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy_package: Callable
) -> None:
    pkg = copy_package(tmp_path)
    assert _identity_in(tmp_path) == code_identity()  # a copy of the same code: the same
    edit(pkg / "experiments" / "summary.py", "QUANTILES = (0.05, 0.5, 0.95)",
         "QUANTILES = (0.05, 0.5, 0.9)")  # fmt: skip
    worker = _identity_in(tmp_path)
    client = code_identity()
    assert worker["model"] == client["model"] and worker["code"] != client["code"]
    monkeypatch.setattr(identity, "code_identity", lambda: worker)
    with pytest.raises(identity.CodeMismatchError, match=r"code: expected the client's"):
        identity.check_identity(client)


def test_normalised_digests_are_kept_between_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy_package: Callable
) -> None:
    pkg = copy_package(tmp_path)
    cache = pkg / identity.DIGEST_CACHE
    cache.unlink(missing_ok=True)
    fresh = tree_digest(pkg)
    assert cache.exists()

    def no_normalising(path: Path) -> bytes:
        raise AssertionError(f"normalised {path} again")

    monkeypatch.setattr(identity, "normalised_bytes", no_normalising)
    assert tree_digest(pkg) == fresh  # every file from the cache
    monkeypatch.undo()
    cache.write_text("not json", encoding="utf-8")
    assert tree_digest(pkg) == fresh  # a broken cache is rebuilt
    edit(pkg / "experiments" / "summary.py", "QUANTILES = (0.05, 0.5, 0.95)",
         "QUANTILES = (0.05, 0.5, 0.9)")  # fmt: skip
    assert tree_digest(pkg) != fresh  # the cache holds contents, not names


def test_a_new_normaliser_does_not_read_the_old_ones_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy_package: Callable
) -> None:
    """Digests cached by other normalising code (or another Python) are not reused."""
    pkg = copy_package(tmp_path)
    fresh = tree_digest(pkg)
    normalised: list[Path] = []
    real = identity.normalised_bytes

    def counting(path: Path) -> bytes:
        normalised.append(path)
        return real(path)

    monkeypatch.setattr(identity, "normalised_bytes", counting)
    monkeypatch.setattr(identity, "_normaliser", lambda: "another normaliser")
    assert tree_digest(pkg) == fresh
    assert len(normalised) == len(identity._files(pkg, ("",)))
