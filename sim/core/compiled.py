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
"""

from __future__ import annotations

from typing import Literal, TypedDict

from numba.core import codegen, config


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

__all__ = ["CACHED", "JIT", "WIDE_VECTORS", "Options", "features"]
