"""Helpers shared by the benchmark scripts: data, machine description, memory probes."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"


# --------------------------------------------------------------------------- data

def informative(n_features: int) -> int:
    """n_informative used everywhere: all of them for D <= 10, else 10."""
    return min(n_features, 2 if n_features == 2 else 10)


def make_data(n_samples: int, n_features: int, n_informative: int | None = None, *,
              majority: float = 0.99, flip_y: float = 0.0):
    """``make_classification`` data as used by every benchmark, cached on disk.

    By default 1 % minority (weights=[0.99]) and no label noise (flip_y=0);
    issue 14's speed table uses ``majority=0.985, flip_y=0.01``. Every
    non-informative feature is pure noise (n_redundant=0, n_repeated=0), two
    Gaussian clusters per class (the default), random_state=0, float64.
    Cached in benchmarks/.cache/ as .npy files (generating 1M x 100 takes
    ~10 s); the key includes every parameter and scikit-learn's version.
    """
    from sklearn import __version__ as skv
    from sklearn.datasets import make_classification

    n_inf = informative(n_features) if n_informative is None else n_informative
    params = dict(n_samples=n_samples, n_features=n_features, n_informative=n_inf,
                  n_redundant=0, n_repeated=0, n_classes=2, n_clusters_per_class=2,
                  weights=[majority], flip_y=flip_y, random_state=0)
    key = hashlib.sha1(json.dumps([params, skv], sort_keys=True).encode()).hexdigest()[:12]
    stem = CACHE / f"mc_{n_samples}x{n_features}_inf{n_inf}_{key}"
    fx, fy = stem.with_suffix(".X.npy"), stem.with_suffix(".y.npy")
    if fx.exists() and fy.exists():
        return np.load(fx), np.load(fy)
    X, y = make_classification(**params)
    CACHE.mkdir(parents=True, exist_ok=True)
    for f, a in ((fx, X), (fy, y)):
        tmp = f.with_name(f.name + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, a)
        os.replace(tmp, f)
    return X, y


def small_like(X, y, n=3000):
    """A small slice with both classes (>= 30 minority rows), for warm-up runs."""
    minority = np.flatnonzero(y == 1)[:max(30, n // 100)]
    majority = np.flatnonzero(y == 0)[: n - minority.size]
    rows = np.sort(np.concatenate([minority, majority]))
    return np.ascontiguousarray(X[rows]), y[rows]


# --------------------------------------------------------------------------- memory

def proc_status_kb(*fields):
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            name, _, rest = line.partition(":")
            if name in fields:
                out[name] = int(rest.split()[0])
    return out


def malloc_trim():
    """Return the C heap's free memory to the OS (glibc), so that a baseline RSS
    read afterwards does not include memory freed by a warm-up run and reused later."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------- machine

def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict:
    try:
        ncpu = len(os.sched_getaffinity(0))
    except AttributeError:
        ncpu = os.cpu_count()
    mem_gib = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"nproc": ncpu, "cpu": cpu_model(), "mem_gib": mem_gib,
            "platform": platform.platform(), "loadavg": os.getloadavg()}


def versions() -> dict:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for dist in ("smotekit", "imbalanced-learn", "scikit-learn", "numpy", "scipy", "faiss-cpu"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = None
    try:
        root = HERE.parent
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        out["smotekit git"] = rev + ("+dirty src" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return out


SNAPSHOT_ENV = "SMOTEKIT_BENCH_SNAPSHOT"


def src_hash(root: Path) -> str:
    h = hashlib.sha1()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def snapshot_smotekit() -> tuple[str, str]:
    """Copy src/smotekit to a temporary directory and import it from there.

    src/ may be edited while a long run is going on; the main process and every
    memory subprocess then all measure the same code. Returns (dir, hash); the
    directory is removed at exit. Subprocesses find it through SNAPSHOT_ENV.
    """
    import atexit
    import shutil
    import tempfile

    src = HERE.parent / "src" / "smotekit"
    tmp = tempfile.mkdtemp(prefix="smotekit-bench-")
    shutil.copytree(src, Path(tmp) / "smotekit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    atexit.register(shutil.rmtree, tmp, True)
    use_snapshot(tmp)
    return tmp, src_hash(Path(tmp) / "smotekit")


def use_snapshot(path: str | None = None):
    path = path or os.environ.get(SNAPSHOT_ENV)
    if path:
        os.environ[SNAPSHOT_ENV] = path
        sys.path.insert(0, path)


def command_line() -> str:
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(argv)


def now() -> str:
    return _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def median(xs):
    return float(np.median(xs)) if xs else float("nan")


def atomic_write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def cell(x, spec=".2f"):
    """A number for a results table: ``format(x, spec)``, or '-' when missing or not finite."""
    return "-" if x is None or (isinstance(x, float) and not np.isfinite(x)) else format(x, spec)


def meta_lines(meta):
    """The header lines of a results section: date, command and wall time, machine and load, versions."""
    m = meta["machine"]
    return [f"- date: {meta['date']}; command: `{meta['command']}`; wall time {meta['wall_min']:.1f} min",
            f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM; load average (1, 5, 15 min) "
            f"at start {', '.join(f'{x:.2f}' for x in m['loadavg'])}, at the end "
            + ", ".join(f"{x:.2f}" for x in meta["load_end"]),
            "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())]
