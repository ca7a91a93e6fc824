"""``smotekit resample --engine dask``: Parquet folder (or files) in, Parquet folder out, on a Dask cluster.

The sampler is the in-memory one (same names, parameters and checks); the data
never come to this process. What differs from the in-memory engine: the output
is always a Parquet folder; a local one is written to a temporary folder beside
it and moved into place only once complete (a run that fails or is stopped by
Ctrl-C or SIGTERM removes it and leaves any previous output untouched), a URL
(``s3://...``, any fsspec filesystem) is written in place; ``--drop`` columns
are left out of the output; the rows come partition by partition, then the
synthetic ones (see :mod:`smotekit.dask`).

The data check of the in-memory engine (:mod:`._checks`) runs before any
work on what needs no pass over the data: column names (a repeated CSV
header name) and nested columns for the whole input; the checks of values
(missing labels, placeholders and decimal commas in number columns, a saved
row index, row numbers and identifier columns) on the first rows only (at
most ``_SAMPLE_ROWS``, from the first file, read alone: a compressed CSV file
or a Parquet file of one row group is one partition of any size), which their
messages say. One class and missing labels elsewhere are
refused by the counting pass of the resampling itself; constant columns are
not looked for (only every row can show one).
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

from ..report import format_table
from ._common import UserError, split_list
from ._io import TEMP_PREFIX, Terminated, environment_error, sigterm_raises, write_delay_for_tests
from ._progress import Progress
from ._read import (
    COMPRESSED,
    column_kinds,
    csv_only_note,
    csv_options,
    format_of,
    header_duplicates,
    no_such_column,
    parse_decimal,
    parse_separator,
    require_parquet,
)

__all__ = ["DASK_HINT", "resample_dask"]

DASK_HINT = 'pip install "smotekit[dask]"'
_GLOB_CHARS = "*?["
# The data check reads at most this many rows, from the start of the first file.
_SAMPLE_ROWS = 100_000
# What the data check says --drop does in memory, and what it does here (the output leaves the column out).
_DROP_PHRASES = {
    "keeps it on the original rows (new rows get none)": "leaves it out of the output (with --engine dask)",
    "(they are kept on the original rows)": "(with --engine dask they are left out of the output)",
    "(kept on original rows by resample)": "(with --engine dask it is left out of the output)",
}


def _dask():
    try:
        import dask.dataframe as dd
        import distributed  # noqa: F401
    except ImportError as exc:
        raise UserError(f"--engine dask needs Dask (dask.dataframe and distributed): {DASK_HINT}") from exc
    return dd


# -- input -----------------------------------------------------------------------------------------------
def _is_url(text: str) -> bool:
    return "://" in text


def _filesystem(url: str):
    """The fsspec filesystem and path of a URL, with a clear message when its driver is missing."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        raise UserError(f"{url!r}: {exc}") from exc
    except ValueError as exc:
        raise UserError(f"{url!r} is not a URL smotekit can open: {exc}") from exc


def _input_files(spec: str) -> tuple[str, list]:
    """``(format, paths)`` of the input: a folder (Parquet, or CSV files), a glob, or one file."""
    if _is_url(spec):  # a folder, file or glob on a remote filesystem: Dask opens it
        return ("csv" if _is_csv(Path(spec.split("://", 1)[1])) else "parquet"), [spec]
    path = Path(spec)
    if any(ch in spec for ch in _GLOB_CHARS) and not path.exists():
        files = sorted(glob.glob(spec, recursive=True))
        if not files:
            raise UserError(f"No file matches {spec!r}.")
        formats = {format_of(Path(f)) for f in files}
        if len(formats) > 1:
            raise UserError(f"{spec!r} matches both CSV and Parquet files; narrow the pattern to one format.")
        return formats.pop(), files
    if path.is_dir():
        if next(path.rglob("*.parquet"), None) or next(path.rglob("*.pq"), None):
            return "parquet", [str(path)]
        csv = sorted(str(p) for p in path.iterdir() if p.is_file() and _is_csv(p))
        if csv:
            return "csv", csv
        raise UserError(f"The folder {spec!r} holds no .parquet (or .csv) files.")
    if path.exists():
        return format_of(path), [str(path)]
    siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
    close = difflib.get_close_matches(path.name, siblings, n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UserError(f"File or folder not found: {spec!r}.{hint}")


def _is_csv(path: Path) -> bool:
    try:
        return format_of(path) == "csv"
    except UserError:
        return False


def read_frame(spec: str, *, sep=None, na_values=(), text_columns=(), decimal=None):
    """A lazy Dask DataFrame over the input (only its metadata is read here).

    CSV files are read by the in-memory engine's rules (:func:`csv_options`): ``sep``
    (None: detected), ``na_values``, ``text_columns`` and ``decimal`` as there.
    """
    dd = _dask()
    fmt, files = _input_files(spec)
    try:
        if fmt == "parquet":
            require_parquet()
            csv_only_note(sep=sep, na_values=na_values, decimal=decimal)
            frame = dd.read_parquet(_parquet_source(files))
        else:
            frame = dd.read_csv(files, **_csv_read_options(files, sep=sep, na_values=na_values,
                                                           text_columns=text_columns, decimal=decimal))
    except UserError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Could not read {spec!r} as {fmt.upper()}: {exc}") from exc
    return frame, files


def _parquet_source(files):
    return files if len(files) > 1 else files[0]


def _csv_read_options(files, *, sep, na_values, text_columns, decimal) -> dict:
    """The options of ``dd.read_csv`` for these files; the data check reads its sample with the same ones."""
    options = csv_options(files[0], sep=sep, na_values=na_values, text_columns=text_columns, decimal=decimal)
    # A compressed file cannot be split into blocks: one partition per file.
    if any(Path(f).suffix.lower() in COMPRESSED for f in files):
        options.update(blocksize=None, compression="infer")
    return options


def _first_rows(fmt, files, frame, csv_read):
    """At most ``_SAMPLE_ROWS`` rows from the start of the input's first file, typed as Dask types them.

    Only those rows are read (a compressed CSV file or a Parquet file of one
    row group is one partition, possibly of many GB). The file comes first
    in Dask's own order, opened through fsspec as Dask opens it, so that URLs
    work as for the read itself.
    """
    import fsspec
    import pandas as pd

    if fmt == "csv":
        options = {k: v for k, v in csv_read.items() if k not in ("blocksize", "compression")}
        # Dask infers the compression of every file from its name (its default 'infer'); so does this.
        first = fsspec.open_files(files[0], mode="rb", compression="infer")[0]
        with first as fh:
            sample = pd.read_csv(fh, nrows=_SAMPLE_ROWS, **options)
    else:
        sample = _first_parquet_rows(files, list(frame.columns))
    return _as_dask_types(sample, frame._meta)


def _first_parquet_rows(files, columns):
    import fsspec
    import pyarrow as pa
    import pyarrow.dataset as pa_ds
    from dask.utils import natural_sort_key

    # The dataset as Dask opens it (hive folder names are columns too), and its first file in Dask's
    # order (natural: part.2 before part.10).
    fs, _, paths = fsspec.core.get_fs_token_paths(_parquet_source(files))
    # Folder names as dictionaries: their every value becomes a category, as with Dask.
    dataset = pa_ds.dataset(paths[0] if len(paths) == 1 else paths, filesystem=fs, format="parquet",
                            partitioning=pa_ds.HivePartitioning.discover(infer_dictionary=True))
    first = min(dataset.files, key=natural_sort_key)
    fragment = next(f for f in dataset.get_fragments() if f.path == first)
    # One batch at a time and no read-ahead: a big row group is read up to the rows needed, no further.
    scanner = pa_ds.Scanner.from_fragment(fragment, schema=dataset.schema, columns=columns,
                                          batch_size=_SAMPLE_ROWS, batch_readahead=0, use_threads=False)
    batches, n = [], 0
    for batch in scanner.to_batches():
        batches.append(batch.slice(0, _SAMPLE_ROWS - n))
        n += len(batches[-1])
        if n >= _SAMPLE_ROWS:
            break
    table = pa.Table.from_batches(batches, schema=scanner.projected_schema)
    # The stored pandas metadata (e.g. Int64 columns), which Dask's reader applies too.
    return table.replace_schema_metadata(dataset.schema.metadata).to_pandas()


def _as_dask_types(sample, meta):
    """``sample`` with Dask's dtypes where Dask holds values differently from pandas' own readers.

    Dask keeps text, and Parquet dates and decimals, in Arrow-backed dtypes,
    and hive folder names as categories. Numbers keep the dtype they were read
    with: a column that reads wider than Dask's metadata (floats after integers)
    is shown to the check as it is.
    """
    import pandas as pd

    out = sample.copy(deep=False)
    for name, dtype in meta.dtypes.items():
        if name not in out.columns or out[name].dtype == dtype:
            continue
        if isinstance(dtype, pd.CategoricalDtype):
            if not isinstance(out[name].dtype, pd.CategoricalDtype):
                out[name] = out[name].astype("category")
        elif isinstance(dtype, (pd.StringDtype, pd.ArrowDtype)):
            # Values Dask could not hold either stay as read: its own read will say what is wrong.
            with contextlib.suppress(ValueError, TypeError):
                out[name] = out[name].astype(dtype)
    return out


def _header_duplicates(fmt, files, sep, columns) -> dict:
    """``{name: (names as read, ...)}`` for names a local CSV file's header repeats (Dask renames them
    'a', 'a.1' as pandas does; a Parquet input with repeated names is refused by its reader)."""
    if fmt != "csv" or _is_url(files[0]):
        return {}
    return header_duplicates(files[0], sep, columns)


def _check_data(frame, fmt, files, sep, args, drop, na_values, decimal) -> dict:
    """The shared data check on what needs no pass over the data (see the module docstring).

    Refuses the fatal findings and prints the others as warnings; returns the
    features' column kinds as the first rows show them (a list column is
    plain 'object' in the metadata, and nested only in its values).
    """
    from ._checks import adds_rows, check_data, enforce
    from ._read import Data, split_target

    csv_read = _csv_read_options(files, sep=sep, na_values=na_values, text_columns=[args.target, *drop],
                                 decimal=decimal) if fmt == "csv" else None
    # Read by this process, which reads the input's metadata already: no cluster starts for a refusal.
    try:
        first = _first_rows(fmt, files, frame, csv_read)
    except (ValueError, TypeError, OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Could not read the first rows of {args.file!r}: {exc}") from exc
    X, y = split_target(first, args.target, drop)
    kinds = column_kinds(X)
    if first.empty:  # nothing to look at but the names: the resampling's own pass checks the rest
        return kinds
    csv = fmt == "csv"
    data = Data(fmt=fmt, frame=first, X=X, y=y, target=args.target, kinds=kinds, drop=drop,
                duplicates=_header_duplicates(fmt, files, sep, list(frame.columns)),
                na_values=list(na_values) if csv else [], sep=sep, decimal=decimal if csv else None)
    findings = check_data(data, adds_rows=adds_rows(args.method),
                          sample=f"the first {len(first):,} rows")
    enforce([replace(f, text=_dask_drop(f.text)) for f in findings], "resample")
    return kinds


def _dask_drop(text: str) -> str:
    for in_memory, here in _DROP_PHRASES.items():
        text = text.replace(in_memory, here)
    return text


def _split(frame, target, drop):
    columns = list(frame.columns)
    if target not in columns:
        raise no_such_column(target, columns, "--target")
    for name in drop:
        if name not in columns:
            raise no_such_column(name, columns, "--drop")
    X = frame.drop(columns=[target, *drop])
    if len(X.columns) == 0:
        raise UserError(f"No feature columns left besides the target {target!r}.")
    return X, frame[target]


# -- output ----------------------------------------------------------------------------------------------
def _dataset_folders(spec) -> list:
    """Local folders whose contents the input ``spec`` reads as one data set (a folder or a glob's root)."""
    if spec is None or _is_url(spec):
        return []
    path = Path(spec)
    if path.is_dir():
        return [path]
    if any(ch in spec for ch in _GLOB_CHARS) and not path.exists():
        # The part before the first wildcard: anything written below it may match the pattern next time.
        parts = []
        for part in path.parts:
            if any(ch in part for ch in _GLOB_CHARS):
                break
            parts.append(part)
        return [Path(*parts) if parts else Path(".")]
    return []


def _inside(path: Path, folder: Path) -> bool:
    # By identity (device and inode), so that links and different spellings of a folder count.
    from ._io import same_file

    return any(same_file(parent, folder) for parent in [path, *path.parents] if parent.exists())


def check_output_folder(out, *, inputs=(), force=False, spec=None):
    """Validate the output folder before any work: never an input, not existing without ``force``.

    ``spec`` is the input as given (a file, folder or glob): an output inside
    a folder it reads as a whole, or below a glob's fixed root, is refused,
    since reading that input again would take in the output too.

    Returns the local folder as a Path, or a URL unchanged.
    """
    name = str(out)
    if _is_csv(Path(name.split("://", 1)[-1])):
        raise UserError(f"With --engine dask the output is a Parquet folder; {name!r} names a CSV file. "
                        "Give a folder name such as balanced/ or balanced.parquet.")
    require_parquet()
    if _is_url(name):
        if any(_is_url(src) and (name.rstrip("/") + "/").startswith(src.rstrip("/") + "/") for src in inputs):
            raise UserError(f"The output {name!r} is inside the input; smotekit never writes into its input.")
        fs, path = _filesystem(name)
        if fs.exists(path) and not force:
            raise UserError(f"{name!r} already exists; pass --force to replace it, or choose another name.")
        return name
    out = Path(out)
    target = out.resolve()
    for src in inputs:
        if _is_url(src):
            continue
        src = Path(src).resolve()
        if target == src or target in src.parents or src in target.parents:
            raise UserError(f"The output {str(out)!r} overlaps the input {str(src)!r}; smotekit never writes "
                            "into its input. Choose another output folder.")
    for folder in _dataset_folders(spec):
        if _inside(out, folder):
            raise UserError(f"The output {str(out)!r} is inside the folder {str(folder)!r}, which the input "
                            f"{spec!r} reads; reading that input again would include the output. Choose an output "
                            "folder outside it.")
    if out.exists() and not force and not (out.is_dir() and not any(out.iterdir())):
        raise UserError(f"{str(out)!r} already exists; pass --force to replace it, or choose another name.")
    if not out.parent.exists():
        raise UserError(f"The folder {str(out.parent)!r} does not exist; create it or choose another output path.")
    return out


def _assemble(x, y, prov, order, target, mark_synthetic, mark_parents, int_target):
    """One output partition: features and target in the input's column order, then the marks."""
    import pandas as pd

    # The three pieces come from one task of the driver; anything else would mix rows.
    if not (len(x) == len(y) == len(prov) and x.index.equals(y.index) and x.index.equals(prov.index)):
        raise RuntimeError(f"Dask output pieces are misaligned ({len(x)}, {len(y)} and {len(prov)} rows); "
                           "please report this.")
    out = x.assign(**{target: y.astype("int64") if int_target else y})[order]
    synthetic = prov["is_synthetic"].to_numpy(dtype=bool)
    if mark_synthetic:
        out["is_synthetic"] = synthetic
    if mark_parents:
        parent_1 = pd.array(prov["source"].to_numpy(), dtype="Int64")
        parent_1[~synthetic] = pd.NA
        partner = prov["partner"].to_numpy()
        parent_2 = pd.array(partner, dtype="Int64")
        parent_2[partner < 0] = pd.NA
        out["parent_1"], out["parent_2"] = parent_1, parent_2
    return out


def _partition_stats(y, prov):
    """Rows, synthetic rows and ``{label: rows}`` of one output partition."""
    counts = y.value_counts(sort=False)
    return len(y), int(prov["is_synthetic"].sum()), {_plain(k): int(v) for k, v in counts.items()}


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _connect(address):
    """The client to run on: the scheduler at ``address``, else the current or a local one.

    Returns ``(client, owned)``; an owned client is closed by the caller.
    """
    if address is None:
        from distributed import default_client

        from ..dask import get_client

        try:
            return default_client(), False
        except ValueError:
            # smotekit's local cluster keeps the workers' tracebacks of bad input off
            # this terminal: the command prints the one error itself.
            return get_client(), False
    from distributed import Client

    try:
        return Client(address, set_as_default=True), True
    except (OSError, ValueError, TimeoutError) as exc:
        raise UserError(f"Could not connect to the Dask scheduler at {address!r}: {exc}. Check the address "
                        "(e.g. tcp://HOST:8786) and that the scheduler runs, or leave out --scheduler to "
                        "start a local cluster.") from exc


def _write(client, X_res, y_res, prov, dest: str, spec, label, *, quiet=False):
    """Write the output folder and return per-partition stats, computed in one go (shared tasks)."""
    import dask
    import dask.dataframe as dd
    from distributed import as_completed

    pieces = [c.to_delayed(optimize_graph=False) for c in (X_res, y_res, prov)]
    if len({len(p) for p in pieces}) != 1:
        raise RuntimeError(f"Dask output pieces have {', '.join(str(len(p)) for p in pieces)} partitions; "
                           "please report this.")
    assemble = dask.delayed(_assemble, pure=True)
    frames = [assemble(x, y, p, *spec) for x, y, p in zip(*pieces)]
    meta = _assemble(X_res._meta, y_res._meta, prov._meta, *spec)
    out = dd.from_delayed(frames, meta=meta, verify_meta=False)
    # As a Delayed, the write computes in one graph with the statistics below: shared tasks run once.
    write = out.to_parquet(dest, write_index=False, compute=False).to_delayed()
    stats = [dask.delayed(_partition_stats, pure=True)(y, p) for y, p in zip(pieces[1], pieces[2])]
    futures = client.compute([write, *stats])
    progress = Progress(len(stats), label, enabled=not quiet)
    delay = write_delay_for_tests()
    try:
        for _ in as_completed(futures[1:]):
            progress.advance()
            if delay:
                time.sleep(delay)
        futures[0].result()
        return client.gather(futures[1:])
    except BaseException:
        # Interrupted or failed: the tasks still queued need not run. (One already running may
        # still try to write; the caller moves the folder away before removing it.)
        with contextlib.suppress(Exception):
            client.cancel(futures)
        raise
    finally:
        progress.close()


# -- the command -----------------------------------------------------------------------------------------
def resample_dask(args) -> int:
    """Run ``smotekit resample`` with ``--engine dask``."""
    from ._resample import count_rows, fit_resample, stores_integer_labels
    from ._samplers import prepare_sampler

    drop = split_list(args.drop)
    if args.npartitions is not None and args.npartitions < 1:
        raise UserError(f"--npartitions must be at least 1, got {args.npartitions}.")
    na_values, decimal = split_list([args.na_values] if args.na_values else []), parse_decimal(args.decimal)
    sep = parse_separator(args.sep)
    fmt, files = _input_files(args.file)
    if fmt == "csv":  # detected here, once: the data check reads the header with it
        sep = csv_options(files[0], sep=sep)["sep"]
    frame, files = read_frame(args.file, sep=sep, na_values=na_values, text_columns=[args.target, *drop],
                              decimal=decimal)
    out_path = check_output_folder(args.output, inputs=files, force=args.force, spec=args.file)
    X, y = _split(frame, args.target, drop)
    added = (["is_synthetic"] if args.mark_synthetic else []) + (["parent_1", "parent_2"] if args.mark_parents else [])
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise UserError(f"The input already has column(s) {', '.join(clash)}; rename them before using "
                        "--mark-synthetic/--mark-parents.")
    # On the input's own partitions: after a repartition, the first one could hold the whole input.
    kinds = _check_data(frame, fmt, files, sep, args, drop, na_values, decimal)
    if args.npartitions is not None:
        frame = frame.repartition(npartitions=args.npartitions)
        X, y = _split(frame, args.target, drop)
    meta = X._meta
    labels = []
    if args.sampling_strategy and "=" in args.sampling_strategy:
        labels = [_plain(v) for v in y.unique().compute()]  # class=count names the classes
    name, sampler = prepare_sampler(args.method, meta, kinds, labels, params=args.param,
                                    sampling_strategy=args.sampling_strategy, random_state=args.random_state,
                                    categorical=args.categorical)
    if sampler.__sklearn_tags__().sampler_tags.partitioned is None:  # no backend can run it
        from ..dask import supported_samplers

        raise UserError(f"{name} has no Dask implementation. Methods that run on Dask: "
                        f"{', '.join(sorted(supported_samplers()))}. If the data fit in memory, use --engine pandas.")
    if drop:
        print(f"note: with --engine dask, the --drop column(s) {', '.join(drop)} are left out of the output "
              "(the in-memory engine keeps them on original rows).", file=sys.stderr)
    client, owned = _connect(args.scheduler)
    # A local output is written beside its final place and moved there once complete; a remote
    # one (object stores cannot rename folders) is written in place, after removing the old one.
    remote = isinstance(out_path, str)
    tmp = None if remote else out_path.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}-{out_path.name}"
    # SIGTERM raises Terminated from here on, as Ctrl-C raises KeyboardInterrupt: the temporary
    # folder is removed on the way out, and the exit code says which signal ended the run.
    with sigterm_raises():
        try:
            if not args.quiet:  # where the work runs: status, not a warning
                n_workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
                print(f"note: Dask scheduler {client.scheduler.address}, {n_workers} worker(s).", file=sys.stderr)
            start = time.perf_counter()
            X_res, y_res = fit_resample(name, sampler, X, y)
            order = [c for c in frame.columns if c in X_res.columns or c == args.target]
            classes = [c.label for c in sampler.sampling_plan_.classes]
            spec = (order, args.target, args.mark_synthetic, args.mark_parents,
                    fmt == "csv" and stores_integer_labels(classes, args))
            try:
                if remote:
                    fs, path = _filesystem(out_path)
                    if fs.exists(path):
                        fs.rm(path, recursive=True)
                stats = _write(client, X_res, y_res, sampler.provenance_, out_path if remote else str(tmp), spec,
                               f"writing {args.output}", quiet=args.quiet)
            except (ValueError, TypeError, OSError) as exc:
                # A refusal by the machine names the output, not the hidden folder it was filling.
                message = environment_error(exc, writing=args.output) or f"writing {args.output} failed: {exc}"
                raise UserError(f"{name}: {message}") from exc
            if not remote:
                _replace(tmp, out_path)
            elapsed = time.perf_counter() - start
        finally:
            if tmp is not None:
                with _signals_deferred():
                    _discard(tmp)
            if owned:
                client.close()
    before = {_plain(c.label): int(c.n_before) for c in sampler.sampling_plan_.classes}
    after = {}
    for _, _, counts in stats:
        for label, n in counts.items():
            after[label] = after.get(label, 0) + n
    n_rows, n_synthetic = sum(s[0] for s in stats), sum(s[1] for s in stats)
    if remote:
        fs, path = _filesystem(out_path)
        n_files = len(fs.glob(path.rstrip("/") + "/*.parquet"))
    else:
        n_files = sum(1 for p in out_path.iterdir() if p.suffix == ".parquet")
    print(f"{name} on Dask: {sum(before.values())} -> {n_rows} rows in {elapsed:.2f}s ({n_synthetic} synthetic); "
          f"wrote {args.output} (Parquet folder, {n_files} file(s))")
    print(format_table(["class", "before", "after", "change"], count_rows(before, after)))
    return 0


def _replace(tmp: Path, out: Path) -> None:
    """Move the finished folder into place, replacing a previous output (``--force`` was checked).

    The previous output is renamed aside first and removed only once the new
    one is in place: whenever the run stops, ``out`` is the old output or the
    new one, never a mix or nothing.
    """
    if not tmp.is_dir():
        raise UserError(f"The workers wrote the output where this machine cannot see it ({str(tmp)!r} on their "
                        "own disks). With --scheduler, give input and output paths on a filesystem that the "
                        "workers and this machine share, at the same path.")
    old = None
    with _signals_deferred():
        if out.exists() or out.is_symlink():
            old = out.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}-old-{out.name}")
            os.rename(out, old)
        os.replace(tmp, out)
        if old is not None:
            _discard(old)


def _discard(path: Path) -> None:
    """Remove a temporary folder (or a replaced file or link), if it exists.

    A folder is renamed before it is removed: a task still running on a
    worker then fails to open new files in it, instead of recreating files
    that the removal would miss.
    """
    if not (path.exists() or path.is_symlink()):
        return
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
        return
    doomed = path.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex[:12]}-removing")
    try:
        os.rename(path, doomed)
    except OSError:
        doomed = path
    shutil.rmtree(doomed, ignore_errors=True)


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM until the block is done, then act on them.

    For the few file operations that must not be cut in half (renaming the
    old output aside and the new one into place, removing a temporary).
    Signal handlers can only be set from the main thread; elsewhere the
    block runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default is the closest.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
    if signal.SIGINT in received:
        raise KeyboardInterrupt
    if received:
        raise Terminated(f"received signal {received[0]}")
