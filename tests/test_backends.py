"""The core and its backends: arrows point down, and in-memory input never looks for a backend."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import smotekit
from smotekit import _backends
from smotekit.over_sampling import SMOTE

SRC = pathlib.Path(smotekit.__file__).parent


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_base_never_names_a_backend():
    assert "dask" not in (SRC / "base.py").read_text().lower()


def test_core_imports_without_the_dask_backend():
    # Every module but the backend's own is imported with smotekit.dask, dask and distributed
    # made unimportable: none of them may need it, directly or through a cycle. The error is
    # not an ImportError, so that no optional import swallows it.
    out = _run("""
        import importlib, pkgutil, sys

        class Blocked(RuntimeError):
            pass

        class Block:
            def find_spec(self, name, path=None, target=None):
                top = name.partition(".")[0]
                if top in ("dask", "distributed") or name.startswith("smotekit.dask"):
                    raise Blocked(name)
                if top in ("keras", "tensorflow", "torch"):  # seconds to import, and beside the point
                    raise ModuleNotFoundError(name, name=name)

        sys.meta_path.insert(0, Block())
        OWN = ("smotekit.dask", "smotekit.cli._dask")
        imported, skipped = [], []

        def walk(path, prefix):
            for info in pkgutil.iter_modules(path, prefix):
                if info.name.startswith(OWN):
                    continue
                try:
                    module = importlib.import_module(info.name)
                except ImportError as exc:  # an optional extra that is not installed
                    if (exc.name or "").startswith("smotekit"):
                        raise
                    skipped.append(info.name)
                    continue
                imported.append(info.name)
                if info.ispkg:
                    walk(module.__path__, info.name + ".")

        import smotekit
        walk(smotekit.__path__, "smotekit.")
        assert not [m for m in sys.modules if m.partition(".")[0] in ("dask", "distributed")
                    or m.startswith("smotekit.dask")]
        print(len(imported), *skipped)
    """)
    assert int(out.split()[0]) > 50, out


def test_in_memory_input_never_reads_the_entry_points():
    out = _run("""
        import numpy as np
        from smotekit import _backends
        from smotekit.over_sampling import SMOTE

        X = np.random.default_rng(0).normal(size=(60, 3))
        y = np.array([0] * 50 + [1] * 10)
        SMOTE(random_state=0).fit_resample(X, y)
        SMOTE(random_state=0).fit_resample(X.tolist(), y.tolist())
        print(_backends._entry_points_read)
    """)
    assert out.split() == ["False"]


class _Lazy:
    """A stand-in for a lazy collection of a library without a smotekit backend."""

    def __init__(self, values):
        self.values = np.asarray(values)

    def collect(self):
        return self.values


class _Backend:
    def __init__(self):
        self.calls = []

    def handles(self, X, y):
        return isinstance(X, _Lazy)

    def fit(self, sampler, X, y):
        self.calls.append("fit")
        return sampler

    def fit_resample(self, sampler, X, y):
        self.calls.append("fit_resample")
        return sampler.fit_resample(X.collect(), y)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(_backends, "_registered", list(_backends._registered))
    return _backends


def _data():
    X = np.random.default_rng(1).normal(size=(60, 3))
    return X, np.array([0] * 48 + [1] * 12)


def test_a_lazy_collection_without_backend_names_the_fix(registry):
    X, y = _data()
    with pytest.raises(TypeError, match=r"No smotekit backend resamples .*_Lazy collections.*compute"):
        SMOTE().fit_resample(_Lazy(X), y)


def test_a_registered_backend_takes_its_collections(registry):
    X, y = _data()
    backend = _Backend()
    registry.register(backend)
    registry.register(backend)
    assert sum(b is backend for b in registry._registered) == 1
    X_res, y_res = SMOTE(random_state=0).fit_resample(_Lazy(X), y)
    X_ref, y_ref = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    est = SMOTE()
    assert est.fit(_Lazy(X), y) is est
    assert backend.calls == ["fit_resample", "fit"]


def test_tags_say_which_samplers_a_backend_runs():
    from smotekit.base import PartitionedSupport
    from smotekit.over_sampling import BorderlineSMOTE, KMeansSMOTE

    class MySMOTE(SMOTE):
        pass

    assert isinstance(MySMOTE().__sklearn_tags__().sampler_tags.partitioned, PartitionedSupport)
    assert KMeansSMOTE().__sklearn_tags__().sampler_tags.partitioned is None
    two = BorderlineSMOTE(kind="borderline-2").__sklearn_tags__().sampler_tags.partitioned
    assert set(two.neighbours) == {"k_neighbors", "m_neighbors"}

    class OldStyle(SMOTE):  # imbalanced-learn's kernel: no backend runs it
        def _fit_resample(self, X, y):
            return X, y

    assert OldStyle().__sklearn_tags__().sampler_tags.partitioned is None


def test_dask_input_needs_no_import_of_the_backend():
    # The installed package names the Dask backend in its entry points.
    pytest.importorskip("distributed")
    pytest.importorskip("dask.dataframe")
    out = _run("""
        import sys

        import dask.dataframe as dd
        import distributed
        import numpy as np
        import pandas as pd

        from smotekit.over_sampling import SMOTE

        rng = np.random.default_rng(0)
        X = pd.DataFrame(rng.normal(size=(80, 2)), columns=["a", "b"])
        y = pd.Series([0] * 64 + [1] * 16, name="label")
        with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"):
            before = "smotekit.dask" in sys.modules
            Xd, yd = SMOTE(random_state=0).fit_resample(dd.from_pandas(X, npartitions=2),
                                                        dd.from_pandas(y, npartitions=2))
            X_ref, _ = SMOTE(random_state=0).fit_resample(X, y)
            print(before, type(Xd).__module__.partition(".")[0], len(Xd.compute()) == len(X_ref))
    """)
    assert out.split() == ["False", "dask", "True"]


def test_overriding_the_kernel_leaves_the_backends_unless_declared():
    from smotekit.base import PartitionedSupport
    from smotekit.combine import SMOTEENN
    from smotekit.under_sampling import RandomUnderSampler

    class Own(SMOTE):  # a backend would run SMOTE's kernel, not this one
        def _fit_resample(self, X, codes, plan, seed):
            return super()._fit_resample(X, codes, plan, seed)

    class OwnDeclared(Own):
        _partitioned = PartitionedSupport("kernel")

    class Inherits(OwnDeclared):
        pass

    class OwnPicks(RandomUnderSampler):
        def _picks(self, cls, code, seed):
            return super()._picks(cls, code, seed)

    class OwnSteps(SMOTEENN):
        def _steps(self, seed):
            return super()._steps(seed)

    def support(cls):
        return cls().__sklearn_tags__().sampler_tags.partitioned

    assert support(Own) is None and support(OwnPicks) is None and support(OwnSteps) is None
    assert support(OwnDeclared) == PartitionedSupport("kernel") == support(Inherits)


def test_in_memory_subclasses_never_read_the_entry_points():
    # Containers of unlisted modules that are not lazy (a user's DataFrame or ndarray
    # subclass) are read in memory at once: no entry point, no import of Dask.
    out = _run("""
        import sys

        import numpy as np
        import pandas as pd

        from smotekit import _backends
        from smotekit.over_sampling import SMOTE

        class Frame(pd.DataFrame):
            @property
            def _constructor(self):
                return Frame

        class Array(np.ndarray):
            pass

        X = np.random.default_rng(0).normal(size=(60, 3))
        y = np.array([0] * 50 + [1] * 10)
        SMOTE(random_state=0).fit_resample(Frame(X, columns=list("abc")), y)
        SMOTE(random_state=0).fit_resample(X.view(Array), y.view(Array))
        print(_backends._entry_points_read, "dask" in sys.modules)
    """)
    assert out.split() == ["False", "False"]


class _Entry:
    """A stand-in for an entry point of the ``smotekit.backends`` group."""

    def __init__(self, name, load):
        self.name, self.value, self.loads, self._load = name, f"tests:{name}", 0, load

    def load(self):
        self.loads += 1
        return self._load()


@pytest.fixture
def entry_points(registry, monkeypatch):
    """Install fake entry points; entry points are unread and no backend is registered."""
    import importlib.metadata

    monkeypatch.setattr(registry, "_registered", [])
    monkeypatch.setattr(registry, "_entry_points_read", False)

    def install(*entries):
        monkeypatch.setattr(importlib.metadata, "entry_points",
                            lambda group: list(entries) if group == registry.ENTRY_POINT_GROUP else [])
    return install


def test_a_broken_backend_is_logged_and_not_retried(entry_points, caplog):
    def broken():
        raise RuntimeError("its import failed")

    bad = _Entry("broken", broken)
    good = _Entry("good", _Backend)
    entry_points(bad, good)
    X, y = _data()
    with caplog.at_level("WARNING", logger="smotekit._backends"):
        X_res, _ = SMOTE(random_state=0).fit_resample(_Lazy(X), y)
        SMOTE(random_state=0).fit_resample(_Lazy(X), y)
    assert len(X_res) == 96
    assert (bad.loads, good.loads) == (1, 1)
    [record] = caplog.records
    assert "'broken'" in record.getMessage() and "its import failed" in record.getMessage()


def test_a_backend_whose_import_resamples_lazy_input_does_not_deadlock(entry_points):
    import threading

    X, y = _data()
    seen = []

    def resamples_on_import():
        # Lazy input while the entry points load, on the same thread: no backend yet.
        try:
            SMOTE().fit_resample(_Lazy(X), y)
        except TypeError as exc:
            seen.append(str(exc))
        return _Backend()

    entry_points(_Entry("reentrant", resamples_on_import))
    done = []
    worker = threading.Thread(target=lambda: done.append(SMOTE(random_state=0).fit_resample(_Lazy(X), y)),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the re-entrant look-up of the entry points waits on itself"
    assert len(done) == 1 and len(seen) == 1 and "No smotekit backend" in seen[0]
