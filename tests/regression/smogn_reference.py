"""smogn 0.1.2, the reference of the regression tests, made to run under numpy 2.

smogn still passes numpy 1's ``quantile(interpolation=)`` and takes ``int()`` of the
one-element arrays ``np.random.choice(size=1)`` / ``normal(size=1)`` return. The tests swap
the ``np`` of its modules (with ``monkeypatch``, so the swap ends with the test) for these
stand-ins, which change neither what it computes nor what it draws.
"""

import sys

import numpy as np
import pytest


class NumpyShim:
    """numpy with quantile's ``interpolation`` keyword (numpy 1's name of ``method``)."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def quantile(a, q, interpolation):
        return np.quantile(a, q, method=interpolation)


class _Numpy2Random:
    """numpy.random whose ``size=1`` draws are scalars, as ``int()`` / ``float()`` of them need."""

    def __getattr__(self, name):
        return getattr(np.random, name)

    def choice(self, a, size=None, **kw):
        out = np.random.choice(a, size=size, **kw)
        return out[0] if size == 1 else out

    def normal(self, loc=0.0, scale=1.0, size=None):
        out = np.random.normal(loc, scale, size)
        return out[0] if size == 1 else out


class Numpy2(NumpyShim):
    """The stand-in for the ``np`` of smogn's ``over_sampling``: both fixes."""

    random = _Numpy2Random()


def patch_box_plot_stats(monkeypatch):
    """Import smogn (skip the test without it) and give its box-plot statistics the shim."""
    smogn = pytest.importorskip("smogn")
    monkeypatch.setattr(sys.modules["smogn.box_plot_stats"], "np", NumpyShim())
    return smogn
