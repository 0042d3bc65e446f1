"""What a run was computed with: the model version and the code identity of a process.

Two identities, built from the same normalised hashing of the package's files:

* the **model version** (:func:`model_version`, e.g. ``1.0+3f2a9c1e``): the model's
  version number (:data:`sim.core.version.NUMBER`) plus a hash of everything that computes
  a run from its specification: the model (``sim/core``, its code and data) and the run
  boundary (``sim/experiments/runs.py``). It is part of every run id, so a batch folder
  holds runs of one model version only;
* the **code identity** (:func:`code_identity`): the model version, a hash of the whole
  ``sim`` package (:func:`package_digest`), and the Python and package versions that
  change what a run computes. Every task of a batch carries the client's identity and a
  worker whose own differs refuses it (:func:`check_identity`), on every backend. A batch
  folder records the identity without the package hash (:func:`run_identity`) and
  refuses to be resumed under other package versions.

Hashes read source files *normalised*: Python as the syntax tree with docstrings removed,
written back as text (:func:`normalised_python`), so comments, docstrings and formatting
do not count; the registry's TOML files as their parsed content without the
documentation entries (``meaning``, ``source`` and their Chinese twins); other data files
byte for byte. A change of documentation therefore keeps every identity.

The identities are computed once per process, from the files the process imported its
code from (a worker's own installation).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import platform
import socket
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.core import version
from sim.errors import ZonesimError
from sim.experiments.fileio import atomic_write_text

#: The ``sim`` package's folder.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Files that compute a run, relative to :data:`PACKAGE_DIR`: the model and the run boundary.
MODEL_PARTS = ("core", "experiments/runs.py")
#: Entries of TOML files that document rather than compute (left out of the hashes).
DOC_KEYS = frozenset({"meaning", "meaning_zh", "source", "source_zh"})
#: Packages whose versions change what a run computes.
MODEL_PACKAGES = ("numpy", "numba", "pandas", "pyarrow", "scipy", "mesa")
#: Length of the code hash shown in the model version.
SHORT = 8


class CodeMismatchError(ZonesimError, ValueError):
    """A worker's model code or packages differ from the client's (message names the worker)."""


class _StripDocstrings(ast.NodeTransformer):
    def _strip(self, node: Any) -> Any:
        self.generic_visit(node)
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
        return node

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _strip


def normalised_python(source: str) -> str:
    """Python source without docstrings, comments or formatting (its syntax tree as text).

    Raises:
        SyntaxError: If ``source`` is not valid Python.
    """
    return ast.unparse(_StripDocstrings().visit(ast.parse(source)))


def _without_docs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_docs(v) for k, v in value.items() if k not in DOC_KEYS}
    if isinstance(value, list):
        return [_without_docs(v) for v in value]
    return value


def normalised_bytes(path: Path) -> bytes:
    """A file's content as hashed: normalised Python or TOML, other files as they are."""
    data = path.read_bytes()
    if path.suffix == ".py":
        return normalised_python(data.decode("utf-8")).encode("utf-8")
    if path.suffix == ".toml":
        doc = _without_docs(tomllib.loads(data.decode("utf-8")))
        return json.dumps(doc, sort_keys=True, default=str).encode("utf-8")
    return data


def _files(root: Path, parts: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for part in parts:
        path = root / part
        found = sorted(path.rglob("*")) if path.is_dir() else [path]
        out += [
            p
            for p in found
            if p.is_file()
            and "__pycache__" not in p.parts
            and not p.name.startswith(".")
            and p.suffix not in (".pyc", ".pyo")
        ]
    return sorted(set(out))


def tree_digest(root: Path, parts: Iterable[str] = ("",)) -> str:
    """sha256 over the normalised files under ``root / part`` for each part (names included).

    Each file counts by its name and the sha256 of its normalised content. Normalising
    the package's Python takes about half a second, so the digests are kept between
    processes in ``root/__pycache__`` (:data:`DIGEST_CACHE`), by the digest of the
    file's bytes: a file whose bytes changed is normalised again.
    """
    files = _files(root, parts)
    digests = _normalised_digests(root, files)
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(digests[path])
        h.update(b"\0")
    return h.hexdigest()


#: The cache of :func:`tree_digest`, under the hashed folder: one entry per file content
#: (``"<normaliser> <suffix> <sha256 of the bytes>"``) mapping to the sha256 of the
#: normalised content. The normaliser is this module's code and the Python version
#: (which writes the syntax tree back as text): a change of either starts afresh.
DIGEST_CACHE = Path("__pycache__") / "normalised-digests.json"
#: Beyond this many entries, the cache keeps only the files of the latest digest.
_CACHE_LIMIT = 1000


@functools.cache
def _normaliser() -> str:
    own = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"{platform.python_version()}-{own}"


def _normalised_digests(root: Path, files: list[Path]) -> dict[Path, bytes]:
    """The sha256 of each file's normalised content, through the cache under ``root``."""
    cache_path = root / DIGEST_CACHE
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    out, seen, missed = {}, {}, False
    for path in files:
        key = f"{_normaliser()} {path.suffix} {hashlib.sha256(path.read_bytes()).hexdigest()}"
        try:
            digest = bytes.fromhex(cache[key])
        except (KeyError, TypeError, ValueError):  # not cached, or not a digest
            digest = hashlib.sha256(normalised_bytes(path)).digest()
            missed = True
        seen[key] = digest.hex()
        out[path] = digest
    if missed:
        kept = cache if len(cache) <= _CACHE_LIMIT else {}
        with contextlib.suppress(OSError):  # read-only: normalise again next time
            cache_path.parent.mkdir(exist_ok=True)
            atomic_write_text(cache_path, json.dumps({**kept, **seen}, sort_keys=True))
    return out


@functools.cache
def model_version() -> str:
    """The model version: :data:`sim.core.version.NUMBER` plus the hash of what computes a run.

    The hash covers :data:`MODEL_PARTS` (the model's code, zone registry, parameter
    registry and calibrated defaults, and the run boundary), normalised, so a change of
    behaviour changes the version and a change of docstrings, comments or formatting
    does not.
    """
    return f"{version.NUMBER}+{tree_digest(PACKAGE_DIR, MODEL_PARTS)[:SHORT]}"


@functools.cache
def package_digest() -> str:
    """Hash of the whole ``sim`` package (code and data files, normalised)."""
    return tree_digest(PACKAGE_DIR)[:16]


def run_identity() -> dict[str, str | None]:
    """The model version plus the Python and model package versions of this process.

    A batch folder records it and holds runs of one run identity only.
    """
    out: dict[str, str | None] = {"model": model_version(), "python": platform.python_version()}
    for name in MODEL_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def code_identity() -> dict[str, str | None]:
    """:func:`run_identity` plus the hash of the whole ``sim`` package (``code``).

    Two processes with the same identity compute the same run bit for bit; every task of
    a batch carries the client's identity and a worker with another one refuses it.
    """
    return {**run_identity(), "code": package_digest()}


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return f"Dask worker {get_worker().address}"
    except (ImportError, ValueError):
        return f"worker {socket.gethostname()} (pid {os.getpid()})"


def check_identity(expected: dict[str, str | None]) -> None:
    """Refuse to run if this process's :func:`code_identity` differs from ``expected``.

    Raises:
        CodeMismatchError: Naming the worker and the first difference.
    """
    mine = code_identity()
    if mine == expected:
        return
    keys = [*expected, *(k for k in mine if k not in expected)]  # the model first, code last
    key = next(k for k in keys if mine.get(k) != expected.get(k))
    raise CodeMismatchError(
        f"{_worker_name()}: {key}: expected the client's {expected.get(key)}, got "
        f"{mine.get(key)}; install the same model code and packages on every worker "
        "(no run of this task was stored)"
    )


def identity_difference(stored: dict[str, Any], mine: dict[str, Any]) -> str | None:
    """The first entry of :func:`run_identity` that differs, as ``"key stored -> mine"``."""
    for key in mine:
        if key in stored and stored[key] != mine[key]:
            return f"{key} {stored[key]} -> {mine[key]}"
    return None


__all__ = [
    "CodeMismatchError",
    "check_identity",
    "code_identity",
    "model_version",
    "normalised_python",
    "package_digest",
    "run_identity",
]
