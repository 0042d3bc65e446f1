"""How the model's compiled functions (numba) are compiled; every compiled module imports it.

numba compiles for the processor it runs on. On processors with 512-bit vector
registers (AVX-512), LLVM nevertheless prefers 256-bit vectors (a tuning for the clock
slow-down of early AVX-512 parts). The firm kernel's loops are bound by arithmetic, not
memory, and run about a fifth faster at the full width, so importing this module lifts
that preference for the process before the first function is compiled (numba's
``CPU_FEATURES`` setting: the host's features and ``-prefer-256-bit``). Results do not
depend on it: every lane of a vector computes what the scalar loop would (no
reassociation is allowed; ``tests/core/test_compiled.py`` compares whole runs at both
widths bit for bit).

The setting is left alone when ``NUMBA_CPU_FEATURES`` is set, and it has no effect if
the process compiled a numba function before importing the model (numba then has its
target machine already): the model is then as exact, only slower.

Compiled functions are cached on disk, and numba takes a cached function to be current
while *its own* source file is unchanged; but the model's compiled functions inline
helpers from other files (``exp``, ``log`` and the random numbers of
``sim/core/firms/kernel/base.py`` in every kernel), so editing a helper would leave its
callers' cached code stale, computing with the old helper. Importing this module
therefore registers cache locators that stamp the model's cached functions with one
digest of every compiled module (:data:`SOURCES`, :func:`sources_digest`): a change to
any of them recompiles them all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal, TypedDict

from numba.core import caching, codegen, config


class Options(TypedDict, total=False):
    """Keyword options of ``numba.njit`` that the model sets."""

    cache: bool
    nogil: bool
    boundscheck: bool
    error_model: Literal["python", "numpy"]
    fastmath: set[str]


#: Options of the functions that only need caching (integer work).
CACHED: Options = {"cache": True, "nogil": True, "boundscheck": False}
#: Options of the firm kernel: compiled once per machine and cached on disk; IEEE
#: arithmetic except that a multiply and an add may fuse (FMA), which the kernel's
#: polynomials need to be fast.
JIT: Options = {**CACHED, "error_model": "numpy", "fastmath": {"contract"}}

#: Appended to the host's features where it has 512-bit vectors.
WIDE_VECTORS = "-prefer-256-bit"


def features(host: str, wide: bool = True) -> str:
    """The features to compile for on a host with features ``host`` (LLVM's ``+x,-y`` list).

    Args:
        host: The host's features, as numba finds them.
        wide: Whether to prefer the widest vectors the host has.
    """
    if wide and "+avx512f" in host.split(","):
        return f"{host},{WIDE_VECTORS}"
    return host


def _configure() -> None:
    # numba's settings are module attributes made from the environment at import.
    if getattr(config, "CPU_FEATURES", None) is None:
        host: str = codegen.get_host_cpu_features()  # type: ignore[no-untyped-call]
        setattr(config, "CPU_FEATURES", features(host))  # noqa: B010


_configure()

_CORE = Path(__file__).resolve().parent
#: The modules that define compiled functions (which inline each other's helpers).
SOURCES = (
    _CORE / "compiled.py",
    _CORE / "streams.py",
    *sorted((_CORE / "firms" / "kernel").glob("*.py")),
)


def sources_digest(paths: tuple[Path, ...] = SOURCES) -> str:
    """The sha256 of the files ``paths``: each one's own sha256, in order."""
    h = hashlib.sha256()
    for path in paths:
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


_DIGEST = sources_digest()
_OURS = {str(p) for p in SOURCES}


class _Stamped:
    """A cache locator for the model's compiled functions: stamped with :func:`sources_digest`.

    numba tries its locators in turn; this one declines functions defined elsewhere.
    """

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        """The locator of ``py_func`` if it is one of the model's, else ``None``."""
        if str(Path(py_file).resolve()) not in _OURS:
            return None
        return super().from_function(py_func, py_file)  # type: ignore[misc]

    def get_source_stamp(self) -> str:
        """The digest of every compiled module (numba's own is the function's file alone)."""
        return _DIGEST


class _StampedUserProvided(_Stamped, caching.UserProvidedCacheLocator):
    """In the folder ``NUMBA_CACHE_DIR`` names."""


class _StampedInTree(_Stamped, caching.InTreeCacheLocator):
    """Next to the source (``__pycache__``)."""


class _StampedUserWide(_Stamped, caching.UserWideCacheLocator):
    """In the user's cache folder (a source folder that cannot be written)."""


# Before numba's own, in its order.
caching.CacheImpl._locator_classes[:0] = [_StampedUserProvided, _StampedInTree, _StampedUserWide]

__all__ = ["CACHED", "JIT", "SOURCES", "WIDE_VECTORS", "Options", "features", "sources_digest"]
