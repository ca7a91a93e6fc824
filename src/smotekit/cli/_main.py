"""The ``smotekit`` command: argument parsing, dispatch, and how errors reach the person."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from importlib import import_module

from ._common import UserError
from ._io import Terminated, environment_error

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a program stopped by it
#: evaluate's --cv default; inspect checks the classes against the same folds.
EVALUATE_CV = "5x2"

_TOP = """\
Rebalance imbalanced classification data with the SMOTE family, and find out
honestly whether it helps your model. Also rebalances a numeric target's rare
values (--target-kind regression) and rows carrying several labels (several
--target columns: multi-label).

examples:
  smotekit demo                                   # the classic 1:100 problem, plots and a report
  smotekit inspect transactions.csv --target is_fraud
  smotekit resample transactions.csv --target is_fraud -o train_balanced.parquet --method borderline-smote
  smotekit resample houses.csv --target price --target-kind regression -o balanced.csv   # SMOGN
  smotekit resample songs.csv --target happy,sad,calm -o balanced.csv                    # multi-label: MLSMOTE
  smotekit resample transactions/ --target is_fraud -o balanced/ --engine dask   # Parquet folders
  smotekit evaluate transactions.csv --target is_fraud --methods none,smote,adasyn --report eval.html
  smotekit methods

exit codes: 0 success; 1 a problem to fix in the input (file, column, data,
parameter) or in the environment (permission denied, disk full, read-only
folder, the output pipe closed early as by `| head -1`); 2 a command-line usage
error; 3 an unexpected internal error (please report it); 130 interrupted
(Ctrl-C); 143 terminated (SIGTERM). Errors and interrupts never leave a partial
output file.
"""

_EXAMPLES = {
    "demo": """examples:
  smotekit demo
  smotekit demo --out results/demo --n-jobs 2""",
    "inspect": """examples:
  smotekit inspect transactions.csv --target is_fraud
  smotekit inspect patients.parquet --target outcome --drop patient_id --plot classes.png
  smotekit inspect houses.csv --target price --target-kind regression --param threshold=0.6
  smotekit inspect songs.csv --target happy,sad,calm
  smotekit inspect articles.csv --target tags --target-kind multilabel --label-sep ';'""",
    "resample": """examples:
  smotekit resample data.csv --target label -o balanced.csv
  smotekit resample data.csv --target label -o balanced.parquet --method borderline-smote \\
      --sampling-strategy 0.5 --param k_neighbors=3 --mark-synthetic --mark-parents
  smotekit resample data.csv --target label -o out.csv --sampling-strategy "fraud=500"
  smotekit resample mixed.csv --target churn -o out.csv --categorical auto   # SMOTE -> SMOTENC
  smotekit resample transactions/ --target is_fraud -o balanced/ --engine dask --mark-synthetic
  smotekit resample "logs/*.parquet" -t label -o balanced/ --engine dask --scheduler tcp://10.0.0.5:8786

regression (--target-kind regression): --method smogn (default), smoter, gaussian-noise,
random-over, random-under; --sampling-strategy balance (default), extreme, one factor per
relevance bin (rows after / rows before, bins by increasing target) or BIN=ROWS pairs.
  smotekit resample houses.csv -t price --target-kind regression -o out.csv --param threshold=0.6
  smotekit resample houses.csv -t price --target-kind regression -o out.csv -m random-under \\
      --sampling-strategy 0.5 --param control_points="[[50000,1],[200000,0],[900000,1]]"

multi-label (several 0/1 --target columns, or one column of label sets): --method mlsmote
(default), mlros, mlrus; --param percentage=25, --param by=labelset.
  smotekit resample songs.csv -t happy -t sad -t calm -o out.csv --method mlros --param percentage=10
  smotekit resample articles.csv -t tags --target-kind multilabel --label-sep ';' -o out.csv""",
    "evaluate": """examples:
  smotekit evaluate data.csv --target label
  smotekit evaluate data.csv --target label --methods all --model logreg --report evaluation.html
  smotekit evaluate data.csv --target label --methods none,threshold,smote,smote+prior,borderline-smote \\
      --model forest --cv 10x3 --objective cost --cost 1,20
  smotekit evaluate keel/ --target target --methods all --cv 2x5 --n-jobs 2 --report benchmark.html

options: none (the model as given), threshold (decision threshold tuned by
cross-validation inside the training folds), balanced (class_weight='balanced'),
calibrated (CalibratedClassifierCV), any sampler (see `smotekit methods`), the
ensembles balanced-bagging, balanced-random-forest, easy-ensemble, rusboost;
SAMPLER+threshold and SAMPLER+prior (probabilities corrected for the priors the
sampler changed). 'all' is every option that applies to the data.""",
    "methods": """examples:
  smotekit methods
  smotekit methods --kind over
  smotekit methods borderline-smote
  smotekit methods --kind regression
  smotekit methods smogn""",
}


def _sub(subparsers, name, help_text, description):
    return subparsers.add_parser(name, help=help_text, description=description, epilog=_EXAMPLES[name],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_data_args(p, *, several=False):
    if several:
        p.add_argument("file", nargs="+", help="CSV (.csv, .tsv, optionally compressed) or Parquet (.parquet) "
                                              "files, or folders of them; each is one data set")
    else:
        p.add_argument("file", help="CSV (.csv, .tsv, optionally compressed) or Parquet (.parquet) file")
    p.add_argument("--target", "-t", required=True, action="append", metavar="COL[,COL]",
                   help="the column holding the class labels; from a CSV file they are read as text, exactly as "
                        "written ('01' and '1' are two classes, 'NA' is a class) and written back unchanged. "
                        "Several columns (comma-separated or repeated) are the 0/1 label columns of a multi-label "
                        "target")
    p.add_argument("--drop", action="append", metavar="COL[,COL]",
                   help="columns to leave out of the features (IDs, dates); repeatable. They are kept on the "
                        "original rows of the output as written (CSV: read as text), empty on new rows")
    g = p.add_argument_group("target kind")
    g.add_argument("--target-kind", choices=("auto", "classification", "regression", "multilabel"), default="auto",
                   help="what the target is: classification (one class label per row), regression (a number per "
                        "row; its rare values are rebalanced), multilabel (several labels per row: 0/1 columns, or "
                        "one column of label sets). Default auto: several --target columns are multi-label, one "
                        "is classification")
    g.add_argument("--label-sep", metavar="SEP",
                   help="with --target-kind multilabel and one target column: the separator of the labels in a "
                        "cell, e.g. 'a|b' (default: '|'); an empty cell is a row without labels. Written back the "
                        "same way")
    g = p.add_argument_group("reading CSV files", "Feature columns whose cells are all numbers are read as numbers;\n"
                             "Parquet files keep the types stored in them.")
    g.add_argument("--sep", metavar="SEP",
                   help="the field separator, e.g. ';', '|' or '\\t' (also: tab); default: detected among "
                        "',' ';' tab '|' from the first lines (a tab for .tsv)")
    g.add_argument("--na-values", metavar="TOKEN[,TOKEN]",
                   help="cells that mean 'missing' in every column, e.g. '?,NA,-999' (default: only empty cells; "
                        "'NA', 'null' and the like are values)")
    g.add_argument("--decimal", metavar="CHAR",
                   help="the decimal mark of number columns, e.g. ',' for '0,13' (default: '.'; a column of "
                        "decimal commas is pointed out by the data check, never converted unasked)")


def _add_sampler_args(p):
    p.add_argument("--sampling-strategy", metavar="VALUE",
                   help="a float (minority/majority ratio after resampling, binary only), a word "
                        "(auto, minority, majority, not-minority, not-majority, all) or class=count,...; "
                        "regression: balance, extreme, factors per relevance bin (0.5,1,3) or bin=rows,...")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="a sampler parameter, e.g. k_neighbors=3; repeatable; checked against the sampler. "
                        "Regression: also the relevance's threshold, extremes, coef and control_points")
    p.add_argument("--random-state", type=int, default=0, metavar="INT",
                   help="seed for reproducible results (default: 0)")
    p.add_argument("--categorical", choices=("error", "auto"), default=None,
                   help="what to do when SMOTE meets categorical columns: stop with a message (error, the default "
                        "for classification) or switch to SMOTENC (auto). The regression samplers treat them as "
                        "nominal (auto, their default)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smotekit`` command."""
    from .. import __version__

    parser = argparse.ArgumentParser(prog="smotekit", description=_TOP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"smotekit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _sub(sub, "demo", "run SMOTE and variants on the classic 1:100 problem; write plots and a report",
             "Build the classic 1:100 problem (10,000 rows, two features), show the class counts before and "
             "after SMOTE, SMOTE + random under-sampling, Borderline-SMOTE, SVM-SMOTE and ADASYN, and compare "
             "them with a decision tree under repeated stratified cross-validation, resampling inside a "
             "Pipeline so that no synthetic row reaches a test fold. Writes scatter plots and report.html.")
    p.add_argument("--out", default="smotekit-demo", metavar="DIR", help="output folder (default: smotekit-demo)")
    p.add_argument("--cv", default="10x3", metavar="FOLDSxREPEATS", help="cross-validation (default: 10x3)")
    p.add_argument("--n-jobs", type=int, default=None, metavar="N", help="folds fitted in parallel (-1: all cores)")
    p.add_argument("--random-state", type=int, default=0, metavar="INT", help="seed of samplers and tree")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    p.add_argument("--force", "-f", action="store_true",
                   help="replace report.html and plots of an earlier run in DIR")

    p = _sub(sub, "inspect", "describe a data file: columns, classes, imbalance, likely problems",
             "Rows, features, column kinds (numeric / categorical / other), missing values, class counts and "
             "imbalance ratio, a class-distribution chart, and warnings about what will fail later.")
    _add_data_args(p)
    p.add_argument("--k-neighbors", type=int, default=5, metavar="K",
                   help="warn about classes too small for SMOTE with this k (default: 5)")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="with --target-kind regression: the relevance settings resample would use, threshold, "
                        "extremes, coef, control_points (e.g. threshold=0.6); repeatable")
    p.add_argument("--plot", metavar="PNG", help="also save the class-distribution chart as a PNG (regression: "
                                                   "the target's histogram and relevance; multi-label: label counts)")
    p.add_argument("--force", "-f", action="store_true", help="replace an existing chart")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")

    p = _sub(sub, "resample", "write a rebalanced copy of a data file",
             "Resample FILE with any smotekit sampler and write the result (CSV or Parquet, by extension). "
             "Never overwrites its input; refuses an existing output without --force. The output appears only "
             "once complete: an error or interrupt leaves the previous file, or none. With --engine dask, "
             "reads a Parquet folder (or files) and writes a Parquet folder, on a Dask cluster.")
    _add_data_args(p)
    p.add_argument("--output", "-o", required=True, metavar="OUT",
                   help="output file (.csv or .parquet); with --engine dask, a Parquet folder")
    p.add_argument("--method", "-m", default=None,
                   help="sampler name, any case, '-' or '_' optional: smote, borderline-smote, smote-enn, "
                        "random-under-sampler... (default: smote; list: smotekit methods). Regression: smogn "
                        "(default), smoter, gaussian-noise, random-over, random-under; multi-label: mlsmote "
                        "(default), mlros, mlrus")
    _add_sampler_args(p)
    p.add_argument("--mark-synthetic", action="store_true", help="add a boolean column is_synthetic")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument("--mark-parents", action="store_true",
                   help="add parent_1 and parent_2: 0-based input row numbers a synthetic row was made from "
                        "(empty on original rows; parent_2 empty for copies)")
    p.add_argument("--force", "-f", action="store_true",
                   help="replace an existing output file (with --engine dask: folder; replaced only once the "
                        "new one is complete)")
    g = p.add_argument_group("engine",
                             "where the resampling runs. With --engine dask, FILE may also be a Parquet folder,\n"
                             "a glob (quote it) or a URL such as s3://bucket/data/ (with its fsspec driver,\n"
                             "e.g. s3fs); OUT is written as a Parquet folder (a local path or a URL). With\n"
                             "--scheduler, use paths the workers can reach: a shared filesystem or a URL.")
    g.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                   help="pandas: in memory, in this process (default); dask: on a Dask cluster, for data "
                        "larger than memory (needs the dask extra)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                        "(default: start a local cluster)")
    g.add_argument("--npartitions", type=int, metavar="N",
                   help="with --engine dask: split the input into N partitions first (default: as read)")

    p = _sub(sub, "evaluate", "should I resample? compare resampling with its alternatives, with statistics",
             "Compare, on the same repeated stratified folds, the model as it is, with class weights, with a "
             "tuned decision threshold, calibrated, and after each resampler (inside a Pipeline: resampling "
             "touches the training folds only). Prints mean ± std per metric and a verdict from paired tests "
             "against the baseline; with several files, ranks across data sets. --report writes an HTML page "
             "with the paired differences, calibration, ROC and precision-recall curves.")
    _add_data_args(p, several=True)
    p.add_argument("--methods", action="append", metavar="M[,M]",
                   help="options to compare, comma-separated or repeated, or 'all' (default: none,threshold,"
                        "balanced,calibrated,smote,smote+threshold,smote+prior)")
    p.add_argument("--objective", default="f1", metavar="METRIC",
                   help="what tuned thresholds maximise: f1, mcc, gmean, balanced_accuracy, or cost (needs "
                        "--cost) (default: f1)")
    p.add_argument("--cost", metavar="FP,FN",
                   help="cost of a false positive and of a false negative, e.g. 1,20: adds the expected cost "
                        "per row to the scores")
    p.add_argument("--baseline", default="none", metavar="OPTION",
                   help="the option every other is tested against (default: none)")
    p.add_argument("--model", default="tree",
                   help="tree, logreg, forest, hgb, or a dotted path to a scikit-learn classifier "
                        "(default: tree)")
    p.add_argument("--cv", default=EVALUATE_CV, metavar="FOLDSxREPEATS",
                   help=f"cross-validation: folds x repeats (default: {EVALUATE_CV}; 2x5 is Dietterich's 5x2cv)")
    p.add_argument("--scoring", metavar="M[,M]",
                   help="metrics: pr_auc, roc_auc, log_loss, brier, ece, f1, mcc, gmean, balanced_accuracy, "
                        "recall, precision, specificity, cost, fit_time (default: all but recall, precision "
                        "and specificity)")
    p.add_argument("--n-jobs", type=int, default=None, metavar="N", help="folds fitted in parallel (-1: all cores)")
    p.add_argument("--report", metavar="OUT.html", help="write a self-contained HTML report")
    p.add_argument("--force", "-f", action="store_true", help="replace an existing report")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    _add_sampler_args(p)

    p = _sub(sub, "methods", "list the available samplers",
             "Every available sampler with its kind, whether it handles categorical data, multiclass "
             "targets and missing values, and a one-line description. Give a NAME for its parameters.")
    p.add_argument("name", nargs="?", help="show one method's parameters and defaults")
    p.add_argument("--kind", choices=("over", "under", "clean", "combined", "regression", "multilabel"),
                   help="only this kind; regression and multilabel list the samplers of those targets")
    p.add_argument("--verbose", "-v", action="store_true", help="also list every method's parameters")
    return parser


def _dispatch(args) -> int:
    module = import_module(f"._{args.command}", __package__)
    return getattr(module, f"cmd_{args.command}")(args)


def main(argv=None) -> int:
    """Run the ``smotekit`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Parameters
    ----------
    argv : list of str, default=None

    Returns
    -------
    code : int
        0 success; 1 a problem with the input or with the environment
        (permission denied, no space left, read-only folder, quota, file-size
        limit, standard output closed by its reader as ``| head -1`` does),
        told in one line; 2 a usage error; 3 an internal error; 130
        interrupted (Ctrl-C); 143 terminated (SIGTERM while a file was being
        written). An error or an interrupt removes the partial file.

        After a closed output pipe, standard output is pointed at the null
        device, as Python's documentation recommends, so that the
        interpreter's last flush does not fail again on its way out.
    """
    try:
        code = _run(argv)
        # Output to a pipe is block-buffered: flush it here, so that a reader gone away is
        # noticed below rather than by the interpreter at exit (a traceback and exit code 120).
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        print("smotekit: error: the program reading the output closed it before the end (broken pipe).",
              file=sys.stderr)
        return EXIT_USER
    return code


def _discard_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # None, or not a real file (tests capture it)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _run(argv) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if isinstance(getattr(args, "target", None), list):
        # Every --target as typed; `target` stays one string for the commands that take one column.
        args.targets = args.target
        args.target = args.target[0] if len(args.target) == 1 else ",".join(args.target)
    try:
        return _dispatch(args)
    except UserError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"smotekit {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        # Raised by the SIGTERM handler installed while a file is written: the partial file is gone.
        print("\nterminated", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:
        raise  # the reader went away: main() says so once
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a command-line program
        if args.debug:
            traceback.print_exc()
        message = environment_error(exc)
        if message is not None:  # the machine refused (permissions, space...): nothing to report to us
            print(f"smotekit {args.command}: error: {message}", file=sys.stderr)
            return EXIT_USER
        print(f"smotekit {args.command}: unexpected error: {type(exc).__name__}: {exc}\n"
              "Rerun with --debug for the traceback, and please report it.", file=sys.stderr)
        return EXIT_INTERNAL
