"""The outcome of a comparison: fold scores, paired statistics against the baseline, tables."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..report import format_table
from ._stats import format_p

__all__ = ["Comparison", "Difference", "MultiComparison"]


@dataclass(frozen=True)
class Difference:
    """One option against the baseline on one metric.

    Attributes
    ----------
    option, metric : str
    test : PairedTest
        Differences are ``option - baseline`` per fold; for a metric where
        lower is better, a negative mean is an improvement.
    pvalue_holm : float
        The corrected t-test's p-value, Holm-adjusted over the options
        compared on this metric.
    better : bool or None
        True: significantly better than the baseline (adjusted p below
        ``alpha``), False: significantly worse, None: no significant difference.
    """

    option: str
    metric: str
    test: object
    pvalue_holm: float
    better: bool | None


@dataclass
class Comparison:
    """Scores of every option on every fold, and what they support.

    Attributes
    ----------
    options : list of str
        Row names, in the order given.
    metrics : list of str
        Metric keys (see ``METRICS``).
    scores : ndarray of shape (n_options, n_folds, n_metrics)
        NaN where an option failed on a fold or a metric is undefined there.
    thresholds : ndarray of shape (n_options, n_folds)
        The tuned threshold of ``+threshold`` options (NaN elsewhere).
    oof : dict
        ``{option: (n_samples, n_classes) probabilities}`` from the first
        repetition's test folds (each row predicted once by a model that
        never saw it); rows an option could not predict are NaN.
    classes : list
        Class labels; ``y`` holds codes into it and ``pos`` the positive class's code.
    errors : dict
        ``{option: first error message}`` for options that failed on some fold.
    warnings : dict
        ``{option: set of warning texts}`` raised while fitting.
    skipped : dict
        ``{option: reason}`` for options that did not apply.
    kinds : dict
        ``{option: kind}``: 'model' (the model as given, or with class
        weights or calibration), 'threshold', 'resampler',
        'resampler+threshold', 'resampler+prior', 'ensemble',
        'ensemble+threshold', 'ensemble+prior', or 'other' (estimators given
        as pairs).
    descriptions : dict
        ``{option: what is fitted and how it predicts}``, for reports.
    """

    options: list
    metrics: list
    classes: list
    y: np.ndarray
    pos: int
    baseline: str
    splits: list
    per_repeat: int
    skipped: dict
    kinds: dict = field(default_factory=dict)
    descriptions: dict = field(default_factory=dict)
    objective: str = "f1"
    cost: tuple | None = None
    alpha: float = 0.05
    scores: np.ndarray = None
    thresholds: np.ndarray = None
    oof: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    _tests: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        n_folds = len(self.splits)
        if self.scores is None:
            self.scores = np.full((len(self.options), n_folds, len(self.metrics)), np.nan)
        if self.thresholds is None:
            self.thresholds = np.full((len(self.options), n_folds), np.nan)
        for name in self.options:
            self.oof.setdefault(name, np.full((len(self.y), len(self.classes)), np.nan))

    @property
    def n_folds(self) -> int:
        return len(self.splits)

    @property
    def multiclass(self) -> bool:
        return len(self.classes) > 2

    @property
    def positive_label(self):
        """The label of the positive (rarest) class."""
        return self.classes[self.pos]

    @property
    def test_train_ratio(self) -> float:
        """Mean held-out rows over mean training rows: the corrected t-test's correction term."""
        n_test = np.mean([len(te) for _, te in self.splits])
        n_train = np.mean([len(tr) for tr, _ in self.splits])
        return float(n_test / n_train)

    def averaging_note(self) -> str:
        """How the scores treat the classes, in one sentence."""
        if self.multiclass:
            return ("Multiclass target: F1, MCC, recall, precision and specificity are macro-averaged over the "
                    "classes, ROC AUC and PR AUC are one-vs-rest macro averages, ECE is the mean one-vs-rest ECE, "
                    "and G-mean is the geometric mean of the per-class recalls.")
        return f"Positive class: {self.positive_label!r} (the rarest)."

    def fold_scores(self, option, metric) -> np.ndarray:
        """The per-fold scores of one option on one metric."""
        return self.scores[self.options.index(option), :, self.metrics.index(metric)]

    def means(self) -> np.ndarray:
        """``(n_options, n_metrics)`` means over the folds where the score is defined."""
        return _nan_aware(np.nanmean, self.scores)

    def stds(self) -> np.ndarray:
        return _nan_aware(np.nanstd, self.scores, ddof=1)

    def best(self) -> dict:
        """``{metric: [options with the best mean]}`` (every option tied at the best)."""
        from ._scores import METRICS

        means = self.means()
        # An option that failed on some folds has a mean over the others (often the easier ones): it is shown,
        # not marked best, unless every option failed somewhere.
        partial = [i for i, o in enumerate(self.options) if o in self.errors]
        if len(partial) < len(self.options):
            means = means.copy()
            means[partial] = np.nan
        out = {}
        for j, key in enumerate(self.metrics):
            col = means[:, j]
            if np.all(np.isnan(col)):
                out[key] = []
                continue
            # Means equal at the precision the table shows are ties: both are marked.
            shown = np.round(col, 2 if key == "fit_time" else 3)
            target = np.nanmax(shown) if METRICS[key].higher_is_better else np.nanmin(shown)
            out[key] = [self.options[i] for i in np.flatnonzero(shown == target)]
        return out

    def differences(self, baseline=None, *, metrics=None) -> list:
        """Every option against ``baseline`` on every metric: paired, corrected, Holm-adjusted.

        Parameters
        ----------
        baseline : str, default=None
            The option to compare with; the comparison's baseline when None.
        metrics : list of str, default=None
            All the comparison's metrics when None.

        Returns
        -------
        list of Difference
            Options whose scores are defined on fewer than two common folds
            with the baseline are left out.
        """
        baseline = self.baseline if baseline is None else baseline
        if baseline not in self.options:
            raise ValueError(f"baseline {baseline!r} is not an option here ({', '.join(self.options)}).")
        # The verdict, the tables and the pictures all read the same tests: computed once per state.
        key = (baseline, tuple(metrics or self.metrics), self.alpha, self.scores.tobytes())
        if self._tests.get("key") != key:
            self._tests = {"key": key, "value": self._differences(baseline, metrics or self.metrics)}
        return list(self._tests["value"])

    def _differences(self, baseline, metrics):
        from ._scores import METRICS
        from ._stats import corrected_ttest, holm

        out = []
        for key in metrics:
            base = self.fold_scores(baseline, key)
            tests = {}
            for option in self.options:
                if option == baseline:
                    continue
                diff = self.fold_scores(option, key) - base
                diff = diff[np.isfinite(diff)]
                if diff.size >= 2:
                    tests[option] = corrected_ttest(diff, test_train_ratio=self.test_train_ratio,
                                                    confidence=1 - self.alpha)
            # An option whose scores on this metric are another option's by construction is not a test of its
            # own: it stays out of the Holm family (which it would only make more conservative) and reads its
            # source's adjusted p-value.
            copies = {o: self._copy_of(o, key) for o in tests}
            family = [o for o in tests if copies[o] is None]
            adjusted = dict(zip(family, holm([tests[o].pvalue for o in family]))) if family else {}
            for option, test in tests.items():
                source = copies[option]
                p = adjusted[option] if source is None else (1.0 if source == baseline else adjusted.get(source, 1.0))
                better = None
                if p < self.alpha and test.mean != 0:
                    better = (test.mean > 0) == METRICS[key].higher_is_better
                out.append(Difference(option, key, test, float(p), better))
        return out

    def _copy_of(self, option, metric):
        """The option whose scores ``option`` has on ``metric`` by construction, if it is compared too.

        A tuned threshold changes decisions, not probabilities; in binary, the prior correction is a
        monotone map of the probabilities, so the rankings (ROC AUC, PR AUC) are unchanged.
        """
        from ._scores import METRICS

        kind = self.kinds.get(option, "")
        source = option.rpartition("+")[0] if "+" in option else "none"
        if kind.endswith("threshold") and METRICS[metric].needs == "proba":
            return source if source in self.options else None
        if kind.endswith("+prior") and metric in ("pr_auc", "roc_auc") and not self.multiclass:
            return source if source in self.options else None
        return None

    def table(self):
        """The score table: header, rows of text cells, and the ``(row, column)`` cells holding a best mean.

        Returns
        -------
        header : list of str
        rows : list of list of str
            Per option: its name, then 'mean ± std' per metric ('n/a' where undefined).
        best : set of (int, int)
            Cells with the best mean of their column (lowest for log loss,
            Brier score, ECE, cost and fit time; highest for the others).
        """
        from ._scores import METRICS

        means, stds, best_by_metric = self.means(), self.stds(), self.best()
        header = ["option", *(METRICS[k].title for k in self.metrics)]
        rows, best = [], set()
        for i, option in enumerate(self.options):
            cells = [option]
            for j, key in enumerate(self.metrics):
                if np.isnan(means[i, j]):
                    cells.append("n/a")
                    continue
                digits = 2 if key == "fit_time" else 3
                unit = "s" if key == "fit_time" else ""
                cells.append(f"{means[i, j]:.{digits}f}{unit} ± {stds[i, j]:.{digits}f}")
                if option in best_by_metric[key]:
                    best.add((i, j + 1))
            rows.append(cells)
        return header, rows, best

    def text_table(self) -> str:
        """The score table as text, each best mean followed by ' *'."""
        header, rows, best = self.table()
        marked = [[c + " *" if (i, j) in best else c for j, c in enumerate(row)] for i, row in enumerate(rows)]
        return format_table(header, marked)

    def differences_table(self, baseline=None) -> str:
        """The paired differences against the baseline as text: mean, interval, p-values, reading."""
        from ._scores import METRICS

        rows = []
        for d in self.differences(baseline):
            t = d.test
            reading = {True: "better", False: "worse", None: "no sig. difference"}[d.better]
            rows.append([d.option, METRICS[d.metric].title, f"{t.mean:+.4f}", f"[{t.low:+.4f}, {t.high:+.4f}]",
                         format_p(t.pvalue), format_p(d.pvalue_holm), format_p(t.wilcoxon_pvalue), reading])
        header = ["option", "metric", "mean diff.", f"{1 - self.alpha:.0%} interval", "p (corr. t)", "p (Holm)",
                  "p (Wilcoxon)", "reading"]
        return format_table(header, rows)

    def verdict(self) -> list:
        """Plain-words conclusions, one per metric, never stronger than the statistics allow."""
        from ._verdict import verdict

        return verdict(self)

    def to_frame(self):
        """The fold scores as a long pandas DataFrame: option, fold, metric, score (needs pandas)."""
        import pandas as pd

        n_opt, n_folds, n_met = self.scores.shape
        return pd.DataFrame({
            "option": np.repeat(self.options, n_folds * n_met),
            "fold": np.tile(np.repeat(np.arange(n_folds), n_met), n_opt),
            "metric": np.tile(self.metrics, n_opt * n_folds),
            "score": self.scores.reshape(-1),
        })


@dataclass
class MultiComparison:
    """:class:`Comparison` results on several data sets, and the tests across them.

    Attributes
    ----------
    results : dict
        ``{data set name: Comparison}``.
    """

    results: dict

    @property
    def options(self) -> list:
        """Options present in every data set's comparison, in the first one's order."""
        first, *rest = self.results.values()
        return [o for o in first.options if all(o in r.options for r in rest)]

    def mean_scores(self, metric) -> np.ndarray:
        """``(n_datasets, n_options)`` mean score of each common option on each data set."""
        opts = self.options
        return np.array([[r.means()[r.options.index(o), r.metrics.index(metric)] for o in opts]
                         for r in self.results.values()])

    @staticmethod
    def _scored_everywhere(mean_scores):
        """Per option, whether it has a mean score on every data set (the ones the ranks can use)."""
        return ~np.isnan(mean_scores).any(axis=0)

    def rankable_metrics(self):
        """``(ranked, left_out)``: the metrics (not fit time) with at least 2 options scored on every data set."""
        ranked, left_out = [], []
        for key in next(iter(self.results.values())).metrics:
            if key != "fit_time":
                (ranked if self._scored_everywhere(self.mean_scores(key)).sum() >= 2 else left_out).append(key)
        return ranked, left_out

    def friedman(self, metric, *, alpha=0.05):
        """Friedman test and Nemenyi critical difference of the common options on ``metric``.

        Options with an undefined mean on some data set are left out.
        """
        from ._scores import METRICS
        from ._stats import friedman_test

        scores = self.mean_scores(metric)
        keep = self._scored_everywhere(scores)
        names = [o for o, k in zip(self.options, keep) if k]
        if len(names) < 2:
            listed = ", ".join(names) or "none"
            raise ValueError(f"Fewer than two options have a mean {metric} on every data set ({listed}): nothing "
                             "to rank. Leave the metric out, or check why it is undefined (a model "
                             "without probabilities has no log loss, Brier or ECE).")
        return friedman_test(scores[:, keep], names, higher_is_better=METRICS[metric].higher_is_better, alpha=alpha)


def _nan_aware(reduce, scores, **kwargs):
    """``reduce`` over the folds, quiet about all-NaN cells (an option that never scored: NaN, as intended)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return reduce(scores, axis=1, **kwargs)
