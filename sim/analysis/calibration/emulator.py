"""Gaussian-process emulators of the patterns over the parameter space.

:class:`Emulator` fits one scikit-learn :class:`~sklearn.gaussian_process.GaussianProcessRegressor`
per pattern on a design (unit-scaled parameters, replicate runs per point): a constant
times an anisotropic squared-exponential kernel (one length-scale per parameter, ARD)
plus a white-noise term that absorbs the seed noise of single runs. Linear algebra runs
on one thread (the runs of the model use the cores; threads contending for two cores
slow a fit tenfold). Its predictions
give each pattern's mean and the emulator's own variance (the white noise left out);
:meth:`Emulator.main_effects` gives the share of each pattern's emulated variance that
each parameter explains alone (first-order Sobol indices of the emulator mean), the
table that says which pattern constrains which parameter.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_limits

from sim.experiments.seeds import branch_state32


@dataclass
class Emulator:
    """Emulators of ``k`` patterns over ``d`` unit-scaled parameters.

    Attributes:
        models: One fitted regressor per pattern.
        noise_var: Seed-noise variance of one run of each pattern (from replicates).
        names: Pattern names.
        center: Mean of each pattern over the design (standardisation).
        scale: Standard deviation of each pattern over the design.
    """

    models: list[GaussianProcessRegressor]
    noise_var: np.ndarray
    names: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, names: tuple[str, ...], *, seed: int) -> Emulator:
        """Fit the emulators.

        Args:
            x: Design in unit coordinates, shape ``(points, d)``.
            y: Moments, shape ``(points, replicates, k)``; the emulator is fitted to
                the mean over replicates.
            names: Pattern names (``k``).
            seed: Seed of the optimiser restarts (from the master seed).

        Returns:
            The fitted emulators.
        """
        _, reps, k = y.shape
        d = x.shape[1]
        mean = y.mean(axis=1)
        # One run's seed-noise variance: from replicates, else from the fitted white noise.
        noise = y.var(axis=1, ddof=1).mean(axis=0) if reps > 1 else np.zeros(k)
        models = []
        center = mean.mean(axis=0)
        scale = np.where(mean.std(axis=0) > 0, mean.std(axis=0), 1.0)
        for j in range(k):
            nugget = max(noise[j] / reps / scale[j] ** 2, 1e-6)
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
                np.full(d, 0.5), (1e-2, 1e2)
            ) + WhiteKernel(min(nugget, 0.5), (1e-8, 1.0))
            gp = GaussianProcessRegressor(
                kernel=kernel,
                n_restarts_optimizer=1,
                random_state=branch_state32(seed, j),  # output j's branch of the seed
            )
            with warnings.catch_warnings(), threadpool_limits(1):
                warnings.simplefilter("ignore", ConvergenceWarning)
                gp.fit(x, (mean[:, j] - center[j]) / scale[j])
            if reps == 1:  # no replicates: the fitted white noise is the seed noise
                noise[j] = _white_level(gp) * scale[j] ** 2
            models.append(gp)
        return cls(models, noise, tuple(names), center, scale)

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Emulated mean and emulator variance (seed noise excluded), each ``(n, k)``."""
        x = np.atleast_2d(x)
        means, variances = [], []
        for j, gp in enumerate(self.models):
            with threadpool_limits(1):
                m, sd = gp.predict(x, return_std=True)
            means.append(self.center[j] + self.scale[j] * m)
            variances.append(np.maximum(sd**2 - _white_level(gp), 0.0) * self.scale[j] ** 2)
        return np.column_stack(means), np.column_stack(variances)

    def length_scales(self) -> np.ndarray:
        """Fitted ARD length-scales (unit coordinates), shape ``(k, d)``."""
        return np.array([np.atleast_1d(gp.kernel_.k1.k2.length_scale) for gp in self.models])

    def main_effects(
        self, rng: np.random.Generator, *, base: int = 256, grid: int = 16
    ) -> np.ndarray:
        """First-order Sobol indices of each pattern's emulated mean, shape ``(k, d)``.

        For parameter ``i``: the variance over ``grid`` values of ``x_i`` of the mean
        emulated pattern over ``base`` random values of the other parameters, divided by
        the pattern's emulated variance (uniform over the unit box).
        """
        d = self.models[0].n_features_in_
        others = rng.random((base, d))
        levels = (np.arange(grid) + 0.5) / grid
        total = self.predict(others)[0].var(axis=0)
        out = np.zeros((len(self.models), d))
        for i in range(d):
            xs = np.repeat(others[None], grid, axis=0)
            xs[:, :, i] = levels[:, None]
            m = self.predict(xs.reshape(-1, d))[0].reshape(grid, base, -1).mean(axis=1)
            out[:, i] = m.var(axis=0) / np.maximum(total, 1e-300)
        return np.clip(out, 0.0, 1.0)


def _white_level(gp: GaussianProcessRegressor) -> float:
    """The fitted white-noise level (normalised units) of a regressor's kernel."""
    return float(gp.kernel_.k2.noise_level)
