"""SMOTE on 20M rows with Dask, on two workers of 1.2 GB each (issue 14).

Usage::

    .venv/bin/python benchmarks/bench_dask_20m.py                   # 20M rows, 2 workers x 1.2GB
    .venv/bin/python benchmarks/bench_dask_20m.py --rows 2000000    # the rehearsal

Each run merges its figures into benchmarks/results/dask_20m.{md,json} (keyed by
rows and cluster shape).

Data: never on disk and never whole in one process. A Dask DataFrame of
``--rows`` rows x 20 float64 features (``f0``..``f19``) plus an int8 ``label``,
built partition by partition (``--partition-rows``, 250k) by ``dask.delayed``
from ``numpy.random.default_rng([seed, partition])``: majority rows N(0, 1);
in every partition exactly ``--minority`` (1.7 %) minority rows at random
positions, N(mu, 0.6^2) with mu = 1.5 on the first five features. Every pass
over the input regenerates its partitions.

Run: a fresh ``distributed.LocalCluster(n_workers=2, threads_per_worker=1,
processes=True, memory_limit='1.2GB')``; ``SMOTE(random_state=0).fit_resample(
X, y)`` (fit: one pass to count and validate, the gather of the minority
class, its neighbour tables), then the output is consumed on the workers
without being collected: per output partition, its column sums and class
counts, summed in one ``dask.compute`` (every input partition and every
chunk of synthetic rows is built once, reduced, and dropped).

Figures:

- fit / output / total: wall seconds of ``fit_resample`` and of the reduction;
  rows/s = output rows / total; synthetic rows/s = new rows / output seconds.
- peak worker: the largest RSS of any one worker process, sampled every 0.2 s
  with psutil from this process; peak cluster: the largest sum of the workers'
  memory seen by the scheduler (``distributed.diagnostics.MemorySampler``).
- synthetic chunks per worker: the tasks that draw and build the new rows, by
  worker (count and seconds), from the task stream: generation on every worker.
- the load average (``os.getloadavg``, as ``uptime`` prints it) at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

import _common as C
from bench_dask import RssSampler, _worker_pid, _worker_rss, failure, task_seconds

N_FEATURES = 20
SHIFTED = 5
SHIFT = 1.5
MINORITY_SCALE = 0.6
OUT = C.RESULTS / "dask_20m"


def _partition(index, n_rows, seed, minority):
    """One partition of the data set, from its own generator."""
    import pandas as pd

    rng = np.random.default_rng([seed, index])
    X = rng.standard_normal((n_rows, N_FEATURES))
    pos = np.sort(rng.choice(n_rows, size=int(round(n_rows * minority)), replace=False))
    X[pos] *= MINORITY_SCALE
    X[pos, :SHIFTED] += SHIFT
    y = np.zeros(n_rows, dtype=np.int8)
    y[pos] = 1
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(N_FEATURES)])
    frame["label"] = y
    return frame


def lazy_frame(rows, per_partition, seed, minority):
    import dask
    import dask.dataframe as dd

    sizes = [min(per_partition, rows - a) for a in range(0, rows, per_partition)]
    meta = _partition(0, 0, seed, minority)
    parts = [dask.delayed(_partition, pure=True)(i, n, seed, minority) for i, n in enumerate(sizes)]
    return dd.from_delayed(parts, meta=meta), sizes


def _reduced(x, y):
    """A partition's column sums and class counts: all that is kept of it."""
    values, counts = np.unique(y.to_numpy(), return_counts=True)
    return x.to_numpy().sum(axis=0), dict(zip(values.tolist(), counts.tolist()))


def _summed(*parts):
    sums, counts = 0.0, {}
    for part_sums, part_counts in parts:
        sums = sums + part_sums
        for k, v in part_counts.items():
            counts[k] = counts.get(k, 0) + v
    return sums, counts


def _fmt_rows(n):
    for unit, size in (("M", 1_000_000), ("k", 1000)):
        if n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def _synthetic_by_worker(stream):
    """Per worker, the tasks that drew and built synthetic rows: count and seconds."""
    from dask.utils import key_split

    out = {}
    for task in stream:
        if key_split(task["key"]) != "draw_chunk":
            continue
        seconds = sum(ss["stop"] - ss["start"] for ss in task["startstops"] if ss["action"] == "compute")
        n, s = out.get(task["worker"], (0, 0.0))
        out[task["worker"]] = (n + 1, s + seconds)
    return {w: (n, round(s, 1)) for w, (n, s) in sorted(out.items())}


def run(args):
    import dask
    from distributed import Client, LocalCluster, get_task_stream
    from distributed.diagnostics import MemorySampler

    from smotekit.over_sampling import SMOTE

    df, sizes = lazy_frame(args.rows, args.partition_rows, args.seed, args.minority)
    n_minority = sum(int(round(n * args.minority)) for n in sizes)
    rec = {"rows": args.rows, "features": N_FEATURES, "partitions": len(sizes), "minority_rows": n_minority,
           "workers": args.workers, "threads_per_worker": 1, "memory_limit": args.memory_limit,
           "date": C.now(), "loadavg_start": os.getloadavg(), "command": C.command_line()}
    print(f"{C.now()} start: {args.rows:,} rows, load {rec['loadavg_start']}", flush=True)
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           memory_limit=args.memory_limit, dashboard_address=":0")
    client = Client(cluster, set_as_default=True)
    try:
        rec["worker_memory_limit_bytes"] = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
        rec["worker_rss_idle_mb"] = [v / 2**20 for v in client.run(_worker_rss).values()]
        pids = client.run(_worker_pid)
        probe = RssSampler(pids)
        probe.start()
        ms = MemorySampler()
        streams, times, phase = {}, {}, "fit"
        sampler = SMOTE(random_state=0)
        t0 = time.perf_counter()
        try:
            with ms.sample("fit"), get_task_stream(client) as streams["fit"]:
                X_res, y_res = sampler.fit_resample(df.drop(columns="label"), df["label"])
            times["fit"] = time.perf_counter() - t0
            phase = "output"
            with ms.sample("output"), get_task_stream(client) as streams["output"]:
                # Reduced partition by partition, then summed (value_counts would shuffle).
                per_part = [dask.delayed(_reduced)(x, y) for x, y in zip(X_res.to_delayed(), y_res.to_delayed())]
                sums, counts = dask.compute(dask.delayed(_summed)(*per_part))[0]
            times["output"] = time.perf_counter() - t0 - times["fit"]
        except Exception as exc:  # a failed run is a result too: where, after how long, why
            times[phase] = time.perf_counter() - t0 - times.get("fit", 0.0)
            rec["error"] = failure(phase, times[phase], exc)
            print(rec["error"], flush=True)
        finally:
            probe.stop()
        rec.update(fit_s=times.get("fit"), output_s=times.get("output"), loadavg_end=os.getloadavg())
        samples = ms.to_pandas()
        rec["peak_cluster_mb"] = float(samples.max().max()) / 2**20
        rec["peak_worker_mb"] = max(probe.peak.values()) / 2**20
        rec["peak_workers_mb"] = [v / 2**20 for v in probe.peak.values()]
        rec["task_seconds"] = {ph: task_seconds(ts.data) for ph, ts in streams.items()}
        rec["synthetic_by_worker"] = _synthetic_by_worker(streams["output"].data) if "output" in streams else {}
        pids_after = client.run(_worker_pid)
        rec["worker_restarts"] = len(probe.lost) + sum(pids_after.get(a) != p for a, p in pids.items())
        if "error" in rec:
            return rec
        got = {int(k): int(v) for k, v in counts.items()}
        plan = {int(c.label): int(c.n_target) for c in sampler.sampling_plan_.classes}
        n_new = sum(c.n_add for c in sampler.sampling_plan_.classes)
        rec.update(total_s=times["fit"] + times["output"], out_rows=int(sum(got.values())), new_rows=int(n_new),
                   out_counts=got, plan=plan)
        rec["check"] = "ok" if got == plan and np.isfinite(sums).all() else f"counts {got}, plan {plan}"
        rec["rows_per_s"] = rec["out_rows"] / rec["total_s"]
        rec["new_rows_per_s"] = n_new / times["output"]
        print(f"{C.now()} done: fit {times['fit']:.1f} s, output {times['output']:.1f} s, "
              f"peak worker {rec['peak_worker_mb']:.0f} MB, check {rec['check']}", flush=True)
        return rec
    finally:
        client.close()
        cluster.close()


def _n(v, fmt):
    return "-" if v is None else format(v, fmt)


def write(runs, out):
    info = C.machine_info()
    lines = [
        "# SMOTE on Dask: 20M rows on two workers of 1.2 GB",
        "",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['mem_gib']} GiB RAM, shared with other jobs "
        "(load average per run below)",
        "- command: `.venv/bin/python benchmarks/bench_dask_20m.py` (`--rows 2000000` for the rehearsal)",
        "",
        "Data: 20 float64 features + int8 label, 1.7 % minority in every partition, generated lazily partition by "
        "partition (250k rows each), never on disk (benchmarks/bench_dask_20m.py docstring). LocalCluster of "
        "single-threaded worker processes with the memory limit shown; `SMOTE(random_state=0)`; output consumed on "
        "the workers: per output partition its column sums and class counts (checked against the plan), summed in "
        "one `dask.compute`. rows/s = rows out / total s; new rows/s = synthetic rows / output s. Peak "
        "worker = the largest RSS of one worker process (psutil, every 0.2 s); peak cluster = MemorySampler (sum "
        "of the workers).",
        "",
        "| rows in | workers | fit s | output s | total s | rows out | rows/s | new rows/s | peak worker MB "
        "| peak cluster MB | synthetic chunks per worker (n, s) | load start / end | check |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in sorted(runs, key=lambda r: (-r["rows"], r["memory_limit"])):
        chunks = "; ".join(f"{n}, {s}" for n, s in r.get("synthetic_by_worker", {}).values()) or "-"
        load = f"{r['loadavg_start'][0]:.1f} / {r['loadavg_end'][0]:.1f}"
        lines.append(
            f"| {_fmt_rows(r['rows'])} | {r['workers']} x {r['memory_limit']} | {_n(r.get('fit_s'), '.1f')} "
            f"| {_n(r.get('output_s'), '.1f')} | {_n(r.get('total_s'), '.1f')} | {_n(r.get('out_rows'), ',')} "
            f"| {_n(r.get('rows_per_s'), ',.0f')} | {_n(r.get('new_rows_per_s'), ',.0f')} "
            f"| {r['peak_worker_mb']:,.0f} | {r['peak_cluster_mb']:,.0f} | {chunks} | {load} "
            f"| {r.get('check', r.get('error'))} |")
    lines += ["", "## Runs", ""]
    for r in sorted(runs, key=lambda r: (-r["rows"], r["memory_limit"])):
        lines.append(f"- **{_fmt_rows(r['rows'])} on {r['workers']} x {r['memory_limit']}**: {r['date']}; load "
                     f"average {', '.join(f'{v:.2f}' for v in r['loadavg_start'])} at start, "
                     f"{', '.join(f'{v:.2f}' for v in r['loadavg_end'])} at end; {r['partitions']} input "
                     f"partitions, {r['minority_rows']:,} minority rows; per worker peak "
                     f"{', '.join(f'{v:,.0f}' for v in r['peak_workers_mb'])} MB (idle "
                     f"{', '.join(f'{v:,.0f}' for v in r['worker_rss_idle_mb'])} MB); worker restarts "
                     f"{r['worker_restarts']}")
        lines.append(f"  - command: `{r['command']}`")
        for ph, secs in r["task_seconds"].items():
            top = ", ".join(f"{k} {v}" for k, v in list(secs.items())[:6])
            lines.append(f"  - worker seconds in {ph} ({sum(secs.values()):.1f} in all): {top}")
    C.atomic_write(out.with_suffix(".md"), "\n".join(lines) + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=20_000_000)
    p.add_argument("--partition-rows", type=int, default=250_000)
    p.add_argument("--minority", type=float, default=0.017)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default="1.2GB")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(OUT), help="results path without suffix")
    args = p.parse_args(argv)
    out = Path(args.out)
    rec = run(args)
    store = out.with_suffix(".json")
    runs = json.loads(store.read_text()) if store.exists() else []
    runs = [r for r in runs if (r["rows"], r["workers"], r["memory_limit"]) !=
            (rec["rows"], rec["workers"], rec["memory_limit"])] + [rec]
    C.atomic_write(store, json.dumps(runs, indent=1, default=str) + "\n")
    write(runs, out)


if __name__ == "__main__":
    main()
