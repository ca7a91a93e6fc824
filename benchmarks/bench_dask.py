"""Out-of-core resampling on Dask: a Parquet folder to a Parquet folder, workers capped.

Usage::

    .venv/bin/python benchmarks/bench_dask.py                  # SMOTE, 20M x 20 (~3 GB in, ~6 GB out)
    .venv/bin/python benchmarks/bench_dask.py --rows 2000000 --sampler BorderlineSMOTE --sampler TomekLinks
    .venv/bin/python benchmarks/bench_dask.py --rows 2000000 --sampler SMOTE --in-memory

Each run merges its figures into benchmarks/results/dask.{md,json} (keyed by
sampler, rows and cluster shape), so the big and the small runs share one table.

Data: a Parquet folder of ``--rows`` rows x 20 float64 features (``f0``..``f19``)
plus an int8 ``label``, generated file by file (``--rows-per-file``, 500k) with
``dask.delayed`` from ``numpy.random.default_rng([seed, file])``: majority rows
N(0, 1); in every file exactly 1 % minority rows (label 1) at random positions,
drawn from N(mu, 0.6^2) with mu = 1.5 on the first five features, 0 elsewhere,
so that the classes overlap (danger rows for Borderline, links for Tomek). The
folder is cached in benchmarks/.cache/ and reused while its parameters match.

Run: a fresh ``distributed.LocalCluster(n_workers=2, threads_per_worker=1,
memory_limit='2GB')`` (4 GB in total; ``--workers``, ``--memory-limit``);
``dd.read_parquet(folder)``, ``sampler.fit_resample(df.drop(columns='label'),
df['label'])`` with ``random_state=0`` where the sampler has one and otherwise
default parameters, then ``X_res.assign(label=y_res).to_parquet(out,
write_index=False)``. The output is read back (label column only) to check its
row count and class counts against the plan, then deleted (``--keep-output``).

Figures:

- fit / write / total: wall seconds of ``fit_resample`` (one pass to count and
  validate, the gathers, neighbour searches and the kernel) and of the write
  (the second pass over the input, plus the synthetic rows); rows/s = output
  rows / total.
- peak cluster: the largest sum of the workers' process memory seen by the
  scheduler (``distributed.diagnostics.MemorySampler``, every 0.5 s).
- peak worker: the largest RSS of any one worker process, sampled every
  0.2 s with psutil from this process (the scheduler's figure lags by a heartbeat).
- client peak: this process's VmHWM over fit + write (the scheduler runs in
  it too: LocalCluster starts it in-process), reset before the run.
- spilled: bytes the workers wrote to their spill directories (their
  ``disk-write`` metrics); memory warnings: the worker log lines about memory.
- sizes: on disk, the Parquet folders; in memory, rows x 21 columns x 8 bytes.

``--in-memory`` also runs the same sampler on the whole folder read with
pandas, in a fresh process (only when that fits: at most 2 GB of features),
for its time, peak memory and class counts. A run that fails (e.g. a worker
killed past its memory limit) is recorded with the phase, the time until the
error and its first line. Absolute times are noisy on a shared machine: the header and every run
record the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import threading
import time
from pathlib import Path

import numpy as np

import _common as C

N_FEATURES = 20
SHIFTED = 5
SHIFT = 1.5
MINORITY_SCALE = 0.6
# Bumped whenever the generator changes, so that a stale cached folder is rebuilt.
GENERATOR = 1
# Parameters of a cached folder; the leading underscore makes Parquet readers skip the file.
META_FILE = "_bench_dask.json"
SAMPLERS = ("SMOTE", "BorderlineSMOTE", "ADASYN", "RandomOverSampler", "TomekLinks",
            "EditedNearestNeighbours", "RandomUnderSampler", "SMOTEENN", "SMOTETomek")
OUT = C.RESULTS / "dask"


# --------------------------------------------------------------------------- data

def _fmt_rows(n):
    for unit, size in (("M", 1_000_000), ("k", 1000)):
        if n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def _make_file(path, index, n_rows, seed, minority):
    """One Parquet file of the data set; returns (rows, minority rows)."""
    import pandas as pd

    rng = np.random.default_rng([seed, index])
    X = rng.standard_normal((n_rows, N_FEATURES))
    n_min = int(round(n_rows * minority))
    pos = np.sort(rng.choice(n_rows, size=n_min, replace=False))
    X[pos] *= MINORITY_SCALE
    X[pos, :SHIFTED] += SHIFT
    y = np.zeros(n_rows, dtype=np.int8)
    y[pos] = 1
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(N_FEATURES)])
    frame["label"] = y
    frame.to_parquet(path, index=False)
    return n_rows, n_min


def dataset(rows, per_file, seed, minority):
    """The cached input folder for these parameters, generated if missing or stale."""
    import dask

    params = {"generator": GENERATOR, "rows": rows, "features": N_FEATURES, "rows_per_file": per_file,
              "seed": seed, "minority": minority, "shift": SHIFT, "shifted": SHIFTED,
              "minority_scale": MINORITY_SCALE, "numpy": np.__version__.split(".")[0]}
    folder = C.CACHE / f"dask_{_fmt_rows(rows)}x{N_FEATURES}_seed{seed}"
    meta = folder / META_FILE
    if meta.exists():
        stored = json.loads(meta.read_text())
        if stored["params"] == params and all((folder / f).exists() for f in stored["files"]):
            return folder, stored, False
    shutil.rmtree(folder, ignore_errors=True)
    tmp = folder.with_name(folder.name + f".{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sizes = [min(per_file, rows - a) for a in range(0, rows, per_file)]
    names = [f"part.{i:05d}.parquet" for i in range(len(sizes))]
    t0 = time.perf_counter()
    tasks = [dask.delayed(_make_file)(str(tmp / name), i, n, seed, minority)
             for i, (name, n) in enumerate(zip(names, sizes))]
    done = dask.compute(*tasks, scheduler="threads", num_workers=2)
    stored = {"params": params, "files": names, "n_rows": int(sum(d[0] for d in done)),
              "n_minority": int(sum(d[1] for d in done)),
              "generation_s": round(time.perf_counter() - t0, 1)}
    (tmp / META_FILE).write_text(json.dumps(stored, indent=1))
    os.replace(tmp, folder)
    return folder, stored, True


def folder_bytes(folder):
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())


# --------------------------------------------------------------------------- memory probes

class RssSampler(threading.Thread):
    """Polls the RSS of the worker processes (by pid) and of this process."""

    def __init__(self, pids, interval=0.2):
        super().__init__(daemon=True)
        import psutil

        self.procs = {addr: psutil.Process(pid) for addr, pid in pids.items()}
        self.me = psutil.Process()
        self.interval = interval
        self.peak = {addr: 0 for addr in pids}
        self.peak_sum = 0
        self.peak_client = 0
        self.lost = set()
        self.samples = 0
        self._halt = threading.Event()

    def run(self):
        import psutil

        while not self._halt.is_set():
            total = 0
            for addr, proc in self.procs.items():
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    self.lost.add(addr)
                    continue
                self.peak[addr] = max(self.peak[addr], rss)
                total += rss
            self.peak_sum = max(self.peak_sum, total)
            self.peak_client = max(self.peak_client, self.me.memory_info().rss)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


def _run_on_workers(client, fn):
    """``client.run(fn)``, tolerating a worker that is restarting (after a memory kill)."""
    for _ in range(3):
        try:
            return client.run(fn)
        except OSError:
            time.sleep(2)
    return {}


def _worker_pid():
    return os.getpid()


def _worker_rss():
    import psutil

    return psutil.Process().memory_info().rss


def _worker_metrics(dask_worker):
    """Bytes spilled to and read back from disk, from the worker's own metrics."""
    out = {"spill_write_bytes": 0, "spill_read_bytes": 0}
    for key, value in dask_worker.digests_total.items():
        if isinstance(key, tuple) and key and key[-1] == "bytes":
            if "disk-write" in key:
                out["spill_write_bytes"] += value
            elif "disk-read" in key:
                out["spill_read_bytes"] += value
    out["spilled_now_bytes"] = int(getattr(getattr(dask_worker, "data", None), "spilled_total", (0, 0))[1])
    return out


def _label_counts(labels):
    values, counts = np.unique(labels.to_numpy(), return_counts=True)
    return {int(v): int(c) for v, c in zip(values, counts)}


def failure(phase, seconds, exc):
    """One line saying where a run failed, after how long, and why."""
    return (f"{phase} failed after {seconds:.0f} s: {type(exc).__name__}: "
            + (str(exc).splitlines() or [""])[0][:400])


def task_seconds(stream):
    """Worker seconds per task kind (the function's name) and per action (compute,
    transfer, disk-read/write), largest first: where the time went."""
    from dask.utils import key_split

    out = {}
    for task in stream:
        name = key_split(task["key"])
        for ss in task["startstops"]:
            what = name if ss["action"] == "compute" else f"{name} ({ss['action']})"
            out[what] = out.get(what, 0.0) + ss["stop"] - ss["start"]
    return dict(sorted(((k, round(v, 2)) for k, v in out.items()), key=lambda kv: -kv[1]))


def _memory_log_lines(client):
    """Worker warnings about memory (spilling, pausing, unmanaged memory, restarts)."""
    lines = []
    for addr, logs in client.get_worker_logs().items():
        for level, msg in logs:
            low = msg.lower()
            if level in ("INFO", "DEBUG"):
                continue
            if "memory" in low or "spill" in low or "paus" in low or "restart" in low:
                lines.append(f"{addr}: {level} {msg.strip()[:300]}")
    return lines


# --------------------------------------------------------------------------- one run

def make_sampler(name):
    import smotekit.combine as comb
    import smotekit.over_sampling as over
    import smotekit.under_sampling as under

    for mod in (over, under, comb):
        cls = getattr(mod, name, None)
        if cls is not None:
            break
    else:
        raise SystemExit(f"unknown sampler {name!r}; choose from {', '.join(SAMPLERS)}")
    params = cls().get_params(deep=False)
    return cls(random_state=0) if "random_state" in params else cls()


def expected_counts(sampler):
    """Output class counts the plan fixes, or None for classes a cleaner may shrink."""
    out = {}
    for c in sampler.sampling_plan_.classes:
        if sampler._sampling_type == "clean-sampling":
            out[int(c.label)] = None if c.targeted else int(c.n_before)
        else:
            out[int(c.label)] = int(c.n_target)
    return out


def run_case(name, folder, info, args):
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, get_task_stream
    from distributed.diagnostics import MemorySampler

    out_dir = C.CACHE / f"dask_out_{name}_{_fmt_rows(info['n_rows'])}"
    shutil.rmtree(out_dir, ignore_errors=True)
    rec = {"sampler": name, "rows": info["n_rows"], "features": N_FEATURES,
           "workers": args.workers, "threads_per_worker": 1, "memory_limit": args.memory_limit,
           "date": C.now(), "loadavg_start": os.getloadavg(), "command": C.command_line()}
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           memory_limit=args.memory_limit, dashboard_address=":0")
    client = Client(cluster, set_as_default=True)
    try:
        rec["memory_config"] = {k: dask.config.get(f"distributed.worker.memory.{k}")
                                for k in ("target", "spill", "pause", "terminate")}
        rec["worker_memory_limit_bytes"] = sum(w["memory_limit"] for w in
                                               client.scheduler_info()["workers"].values())
        where = client.run(lambda: __import__("smotekit").__file__)
        rec["smotekit_on_workers"] = sorted(set(where.values()))
        pids = client.run(_worker_pid)
        df = dd.read_parquet(str(folder))
        rec["npartitions"] = df.npartitions
        X, y = df.drop(columns="label"), df["label"]
        sampler = make_sampler(name)

        rec["worker_rss_idle_mb"] = [v / 2**20 for v in client.run(_worker_rss).values()]
        C.malloc_trim()
        rec["client_rss_before_mb"] = C.proc_status_kb("VmRSS")["VmRSS"] / 1024
        hwm_reset = C.reset_peak_rss()
        probe = RssSampler(pids)
        probe.start()
        ms = MemorySampler()
        streams, times, phase = {}, {}, "fit"
        t0 = time.perf_counter()
        try:
            with ms.sample("fit"), get_task_stream(client) as streams["fit"]:
                X_res, y_res = sampler.fit_resample(X, y)
            times["fit"] = time.perf_counter() - t0
            phase = "write"
            with ms.sample("write"), get_task_stream(client) as streams["write"]:
                X_res.assign(label=y_res).to_parquet(str(out_dir), write_index=False)
            times["write"] = time.perf_counter() - t0 - times["fit"]
        except Exception as exc:  # a failed run is a result too: where, after how long, why
            times[phase] = time.perf_counter() - t0 - times.get("fit", 0.0)
            rec["error"] = failure(phase, times[phase], exc)
            print(rec["error"], flush=True)
        finally:
            probe.stop()
        hwm = C.proc_status_kb("VmHWM")["VmHWM"] / 1024
        rec.update(fit_s=times.get("fit"), write_s=times.get("write"),
                   total_s=None if "error" in rec else times["fit"] + times["write"],
                   loadavg_end=os.getloadavg())
        samples = ms.to_pandas()
        rec["peak_cluster_mb"] = float(samples.max().max()) / 2**20
        for ph in ("fit", "write"):
            rec[f"peak_cluster_{ph}_mb"] = float(samples[ph].max()) / 2**20 if ph in samples else None
        rec["peak_worker_mb"] = max(probe.peak.values()) / 2**20
        rec["peak_workers_mb"] = {a: v / 2**20 for a, v in probe.peak.items()}
        rec["peak_workers_sum_mb"] = probe.peak_sum / 2**20
        rec["rss_samples"] = probe.samples
        rec["task_seconds"] = {ph: task_seconds(ts.data) for ph, ts in streams.items()}
        rec["client_peak_mb"] = max(hwm, probe.peak_client / 2**20) if hwm_reset else probe.peak_client / 2**20
        rec["client_hwm_reset"] = hwm_reset
        pids_after = _run_on_workers(client, _worker_pid)
        rec["worker_restarts"] = len(probe.lost) + sum(pids_after.get(a) != p for a, p in pids.items())
        metrics = _run_on_workers(client, _worker_metrics)
        rec["spill_write_mb"] = sum(m["spill_write_bytes"] for m in metrics.values()) / 2**20
        rec["spill_read_mb"] = sum(m["spill_read_bytes"] for m in metrics.values()) / 2**20
        rec["memory_log"] = _memory_log_lines(client)
        if "error" in rec:
            rec.update(check="failed", out_rows=None, out_counts=None, out_disk_bytes=None, out_files=0,
                       out_mem_bytes=None, rows_per_s=None, plan=None)
            return rec
        plan = {int(c.label): (int(c.n_before), None if c.n_target is None else int(c.n_target))
                for c in sampler.sampling_plan_.classes}
        rec["plan"] = {str(k): v for k, v in plan.items()}
        # Counted file by file and summed here: Dask's value_counts would start a shuffle.
        labels = dd.read_parquet(str(out_dir), columns=["label"])["label"].to_delayed()
        got = {}
        for part in dask.compute(*[dask.delayed(_label_counts)(p) for p in labels]):
            for k, v in part.items():
                got[k] = got.get(k, 0) + v
        rec["out_counts"] = {str(k): v for k, v in got.items()}
        rec["out_rows"] = int(sum(got.values()))
        lazy_rows = X_res.divisions[-1] + 1 if X_res.known_divisions else None
        want = expected_counts(sampler)
        problems = []
        if lazy_rows is not None and lazy_rows != rec["out_rows"]:
            problems.append(f"read back {rec['out_rows']} rows, the lazy output said {lazy_rows}")
        for label, n in want.items():
            if n is not None and got.get(label, 0) != n:
                problems.append(f"class {label}: {got.get(label, 0)} rows, plan {n}")
            if n is None and got.get(label, 0) > plan[label][0]:
                problems.append(f"class {label}: {got.get(label, 0)} rows, more than its {plan[label][0]}")
        if sampler._sampling_type == "over-sampling" and len(set(got.values())) != 1:
            problems.append(f"not balanced: {got}")
        rec["check"] = "ok" if not problems else "; ".join(problems)
        rec["out_disk_bytes"] = folder_bytes(out_dir)
        rec["out_files"] = sum(1 for f in out_dir.glob("*.parquet"))
        rec["out_mem_bytes"] = rec["out_rows"] * (N_FEATURES + 1) * 8
        rec["rows_per_s"] = rec["out_rows"] / rec["total_s"]
        return rec
    finally:
        client.close()
        cluster.close()
        if not args.keep_output:
            shutil.rmtree(out_dir, ignore_errors=True)
        rec["in_disk_bytes"] = folder_bytes(folder)
        rec["in_mem_bytes"] = info["n_rows"] * (N_FEATURES + 1) * 8


def in_memory_child(name, folder):
    """The same sampler on the folder read with pandas: time, peak memory and class
    counts, printed as JSON (run in a fresh process by :func:`run_in_memory`)."""
    import pandas as pd

    frame = pd.read_parquet(str(folder))
    X, y = frame.drop(columns="label"), frame["label"]
    del frame
    sampler = make_sampler(name)
    C.malloc_trim()
    base = C.proc_status_kb("VmRSS")["VmRSS"]
    reset = C.reset_peak_rss()
    t0 = time.perf_counter()
    _, y_res = sampler.fit_resample(X, y)
    elapsed = time.perf_counter() - t0
    peak = C.proc_status_kb("VmHWM")["VmHWM"]
    counts = np.unique(np.asarray(y_res), return_counts=True)
    print(json.dumps({"time_s": elapsed, "peak_extra_mb": (peak - base) / 1024 if reset else None,
                      "counts": {str(int(k)): int(v) for k, v in zip(*counts)}}))


def run_in_memory(name, folder):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, __file__, "--in-memory-child", name, str(folder)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        return {"error": (res.stderr.strip().splitlines() or [f"rc={res.returncode}"])[-1]}
    return json.loads(res.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report

COLS = ["rows in", "sampler", "workers", "fit s", "write s", "total s", "rows out", "rows/s",
        "peak cluster MB", "peak worker MB", "client peak MB", "spilled MB",
        "in disk / mem GB", "out disk / mem GB", "check"]


def _gb(b):
    return f"{b / 1e9:.2f}"


def _n(v, fmt):
    return "-" if v is None else format(v, fmt)


def cells(r):
    out_size = "-" if r["out_rows"] is None else f"{_gb(r['out_disk_bytes'])} / {_gb(r['out_mem_bytes'])}"
    check = r["check"] if "error" not in r else r["error"].split(":")[0] + " (see below)"
    return [_fmt_rows(r["rows"]), r["sampler"], f"{r['workers']} x {r['memory_limit']}",
            _n(r["fit_s"], ".1f"), _n(r["write_s"], ".1f"), _n(r["total_s"], ".1f"),
            _n(r["out_rows"], ","), _n(r["rows_per_s"], ",.0f"), f"{r['peak_cluster_mb']:,.0f}",
            f"{r['peak_worker_mb']:,.0f}", f"{r['client_peak_mb']:,.0f}", f"{r['spill_write_mb']:,.0f}",
            f"{_gb(r['in_disk_bytes'])} / {_gb(r['in_mem_bytes'])}", out_size, check]


def run_key(r):
    return f"{r['sampler']} {_fmt_rows(r['rows'])} {r['workers']}x{r['memory_limit']}"


def write(meta, runs, out):
    order = sorted(runs.values(), key=lambda r: (-r["rows"], r["sampler"]))
    m = meta["machine"]
    md = [
        "# Out-of-core resampling on Dask: Parquet folder to Parquet folder",
        "",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM, shared with other jobs "
        "(load average per run below)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        "",
        "Data: 20 float64 features + int8 label, 1 % minority, 500k rows per file "
        "(benchmarks/bench_dask.py docstring). LocalCluster of single-threaded worker processes with "
        "the memory limit shown; `random_state=0`, default parameters; output written with "
        "`X_res.assign(label=y_res).to_parquet(out, write_index=False)` and read back to check the "
        "class counts against the plan. Peak cluster = MemorySampler (sum of worker process memory); "
        "peak worker = the largest RSS of one worker (psutil, 0.2 s); client peak = VmHWM of the "
        "driving process, which also hosts the scheduler. rows/s = rows out / total s. GB = 10^9 bytes; "
        "in-memory size = rows x 21 x 8 bytes.",
        "",
        "| " + " | ".join(COLS) + " |",
        "|---:|---|---|" + "---:|" * 11 + "---|",
    ]
    md += ["| " + " | ".join(cells(r)) + " |" for r in order]
    md += ["", "## Runs", ""]
    for r in order:
        md.append(f"- **{run_key(r)}**: {r['date']}; load average "
                  + ", ".join(f"{x:.2f}" for x in r["loadavg_start"]) + " at start, "
                  + ", ".join(f"{x:.2f}" for x in r["loadavg_end"]) + " at end; "
                  f"{r['npartitions']} input partitions, {r['out_files']} output files; "
                  f"peak cluster {_n(r['peak_cluster_fit_mb'], ',.0f')} MB in fit, "
                  f"{_n(r['peak_cluster_write_mb'], ',.0f')} MB in write; per worker "
                  + ", ".join(f"{v:,.0f}" for v in r["peak_workers_mb"].values()) + " MB (idle "
                  + ", ".join(f"{v:,.0f}" for v in r["worker_rss_idle_mb"]) + " MB); client "
                  f"{r['client_rss_before_mb']:,.0f} MB before the run; "
                  f"worker memory limit {r['worker_memory_limit_bytes'] / 1e9:.1f} GB in total; "
                  f"spilled {r['spill_write_mb']:,.0f} MB (read back {r['spill_read_mb']:,.0f} MB); "
                  f"worker restarts {r['worker_restarts']}; plan {r['plan']}; out {r['out_counts']}; "
                  f"smotekit {r['src_hash']}")
        md.append(f"  - command: `{r['command']}`")
        if "error" in r:
            md.append(f"  - **{r['error']}**")
        for phase, secs in r.get("task_seconds", {}).items():
            top = list(secs.items())[:6]
            md.append(f"  - worker seconds in {phase} ({sum(secs.values()):,.1f} in all): "
                      + ", ".join(f"{k} {v:,.1f}" for k, v in top))
        if r.get("in_memory"):
            im = r["in_memory"]
            if "error" in im:
                md.append(f"  - in memory (pandas, same data and seed): failed: {im['error']}")
            else:
                peak = im.get("peak_extra_mb")
                peak = "-" if peak is None else f"{peak:,.0f}"
                md.append(f"  - in memory (pandas, same data and seed, fresh process): {im['time_s']:.1f} s, "
                          f"peak {peak} MB above the loaded data, counts {im['counts']}")
        if r["memory_log"]:
            md.append(f"  - worker memory log ({len(r['memory_log'])} lines), first: "
                      + " / ".join(f"`{x}`" for x in r["memory_log"][:3]))
    C.atomic_write(out.with_suffix(".md"), "\n".join(md) + "\n")
    C.atomic_write(out.with_suffix(".json"), json.dumps({"meta": meta, "runs": runs}, indent=1))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=20_000_000)
    p.add_argument("--rows-per-file", type=int, default=500_000)
    p.add_argument("--minority", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    p.add_argument("--sampler", action="append", choices=SAMPLERS,
                   help="sampler class name (repeatable); default SMOTE")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default="2GB", help="per worker")
    p.add_argument("--in-memory", action="store_true", help="also run in memory and compare")
    p.add_argument("--keep-output", action="store_true")
    p.add_argument("--out", default=str(OUT), help="results path without suffix")
    p.add_argument("--no-snapshot", action="store_true", help="import src/ directly")
    p.add_argument("--in-memory-child", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.in_memory_child:
        C.use_snapshot()
        return in_memory_child(*a.in_memory_child)
    src_hash = "src/ (no snapshot)"
    if not a.no_snapshot:
        path, src_hash = C.snapshot_smotekit()
        # Worker processes start with this path too (spawn copies sys.path; the
        # variable covers any other start method).
        os.environ["PYTHONPATH"] = path + os.pathsep + os.environ.get("PYTHONPATH", "")
    folder, info, made = dataset(a.rows, a.rows_per_file, a.seed, a.minority)
    print(f"data: {folder} ({'generated in ' + str(info['generation_s']) + ' s' if made else 'cached'}), "
          f"{info['n_rows']:,} rows, {info['n_minority']:,} minority", flush=True)
    out = Path(a.out)
    previous = json.loads(out.with_suffix(".json").read_text()) if out.with_suffix(".json").exists() else {}
    runs = previous.get("runs", {})
    meta = {"machine": C.machine_info(), "versions": C.versions()}
    for name in a.sampler or ["SMOTE"]:
        rec = run_case(name, folder, info, a)
        rec["src_hash"] = src_hash
        if a.in_memory:
            if info["n_rows"] * N_FEATURES * 8 <= 2e9:
                rec["in_memory"] = run_in_memory(name, folder)
            else:
                print("--in-memory skipped: more than 2 GB of features", flush=True)
        runs[run_key(rec)] = rec
        print(" | ".join(cells(rec)), flush=True)
        if rec["memory_log"]:
            print(f"  {len(rec['memory_log'])} worker memory log lines, e.g. {rec['memory_log'][0]}")
        write(meta, runs, out)


if __name__ == "__main__":
    main()
