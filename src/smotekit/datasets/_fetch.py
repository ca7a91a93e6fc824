"""Download and cache the 27 benchmark data sets of imbalanced-learn.

The data sets are published as one archive, ``benchmark-imbalanced-learn.tar.gz``,
in Zenodo record 61452 (Lemaitre, Nogueira, Aridas and Oliveira, "Imbalanced
dataset for benchmarking", 2016). The archive holds one NumPy ``.npz`` file per
data set, ``x<id>data.npz``, with a 2-D ``data`` array and a 1-D ``label``
array (the minority class is labelled ``1``, every other row ``-1``).

The cache is the folder ``<data_home>/zenodo`` that imbalanced-learn uses, with
the same file names, so a cache filled by either library serves both. Next to
each data file smotekit keeps ``x<id>data.npz.sha256`` (``sha256sum`` format).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import logging
import os
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections import OrderedDict

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import validate_params

from .._constraints import is_int

__all__ = ["DatasetFetchError", "fetch_datasets"]

logger = logging.getLogger(__name__)

#: Where imbalanced-learn downloads the archive from; used unless overridden.
DEFAULT_BASE_URL = "https://zenodo.org/record/61452/files"
#: Environment variable naming another base URL (a mirror, or a local ``file://`` folder).
URL_ENV_VAR = "SMOTEKIT_DATASETS_URL"
ARCHIVE_NAME = "benchmark-imbalanced-learn.tar.gz"
CACHE_SUBDIR = "zenodo"
#: Seconds without any data from the server before a download is abandoned.
_TIMEOUT = 60
_CHUNK = 1 << 20

#: The data sets in ID order: the ID of a name is its position plus one.
DATASET_NAMES = (
    "ecoli",
    "optical_digits",
    "satimage",
    "pen_digits",
    "abalone",
    "sick_euthyroid",
    "spectrometer",
    "car_eval_34",
    "isolet",
    "us_crime",
    "yeast_ml8",
    "scene",
    "libras_move",
    "thyroid_sick",
    "coil_2000",
    "arrhythmia",
    "solar_flare_m0",
    "oil",
    "car_eval_4",
    "wine_quality",
    "letter_img",
    "yeast_me2",
    "webpage",
    "ozone_level",
    "mammography",
    "protein_homo",
    "abalone_19",
)
_ID_OF = {name: i for i, name in enumerate(DATASET_NAMES, start=1)}


class DatasetFetchError(OSError):
    """A benchmark data set could not be downloaded, verified or read from the cache.

    A subclass of :class:`OSError`, the error imbalanced-learn raises when the
    download fails, so existing ``except OSError`` handlers keep working.
    """


class _Corrupt(Exception):
    """Internal: a file is not a readable benchmark ``.npz``; the message says why."""


def _resolve_names(filter_data) -> list[str]:
    """Names to return, in the order asked for, each once."""
    if filter_data is None:
        return list(DATASET_NAMES)
    names = []
    for item in filter_data:
        if isinstance(item, str):
            if item not in _ID_OF:
                raise ValueError(
                    f"{item!r} is not a dataset available. The available datasets are "
                    f"{', '.join(DATASET_NAMES)}; pass names from this list or IDs 1 to "
                    f"{len(DATASET_NAMES)} in filter_data."
                )
            name = item
        elif is_int(item):
            if not 1 <= item <= len(DATASET_NAMES):
                raise ValueError(
                    f"The dataset with the ID={item} is not an available dataset. The IDs are "
                    f"1 to {len(DATASET_NAMES)}; see the list in fetch_datasets' docstring."
                )
            name = DATASET_NAMES[int(item) - 1]
        else:
            raise ValueError(
                "The value in the tuple should be str or int (a data set name or ID). "
                f"Got {item!r} of type {type(item).__name__} instead."
            )
        if name not in names:
            names.append(name)
    return names


def _archive_url(base_url) -> str:
    if base_url is None:
        base_url = os.environ.get(URL_ENV_VAR) or DEFAULT_BASE_URL
    return f"{base_url.rstrip('/')}/{ARCHIVE_NAME}"


def _member(name: str) -> str:
    return f"x{_ID_OF[name]}data.npz"


def _sidecar(path: str) -> str:
    return path + ".sha256"


def _read_npz(raw: bytes):
    """``(data, label)`` from the bytes of a benchmark ``.npz``; raise _Corrupt if they are not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            bad = archive.testzip()  # reads every member, so every CRC-32 is checked
        if bad is not None:
            raise _Corrupt(f"member {bad!r} fails its CRC-32 check")
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            missing = {"data", "label"} - set(npz.files)
            if missing:
                raise _Corrupt(f"arrays {sorted(missing)} are missing (found {sorted(npz.files)})")
            X, y = npz["data"], npz["label"]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error) as exc:
        raise _Corrupt(f"not a readable .npz file: {exc}") from exc
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise _Corrupt(f"'data' has shape {X.shape} and 'label' {y.shape}; expected (n, m) and (n,)")
    return X, y


def _write_atomically(path: str, payload: bytes) -> None:
    """Write to a temporary name in the same folder, flush to disk, then rename over ``path``."""
    folder, base = os.path.split(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _mirror_hint(folder: str) -> str:
    return (
        f"To use a mirror, pass base_url= or set the {URL_ENV_VAR} environment variable to a "
        f"folder URL holding {ARCHIVE_NAME}; or put the x<id>data.npz files into {folder} yourself."
    )


def _download(url: str, folder: str, wanted: list[str], level: int) -> str:
    """Stream ``url`` to a temporary file in ``folder``; return its path once complete."""
    label = ", ".join(repr(n) for n in wanted)
    logger.log(level, "Downloading %s (for data set(s) %s) into %s", url, label, folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{ARCHIVE_NAME}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                    length = response.headers.get("Content-Length")
                    expected = int(length) if length and length.isdigit() else None
                    received = 0
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        received += len(chunk)
            except urllib.error.HTTPError as exc:
                exc.close()  # it holds the connection open, and the error outlives this call
                raise DatasetFetchError(
                    f"Could not download data set(s) {label}: {url} answered HTTP {exc.code} "
                    f"{exc.reason}. Check that the URL is right. {_mirror_hint(folder)}"
                ) from exc
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise DatasetFetchError(
                    f"Could not download data set(s) {label} from {url}: {reason}. Nothing was "
                    f"written to the cache; check the network and call fetch_datasets again. "
                    f"{_mirror_hint(folder)}"
                ) from exc
            # http.client returns a short body without complaint when the server closes
            # early, so the length it announced is the only sign of a cut download.
            if expected is not None and received != expected:
                raise DatasetFetchError(
                    f"The download of {url} (for data set(s) {label}) is incomplete: received "
                    f"{received} of the {expected} bytes announced. Nothing was written to the "
                    f"cache; call fetch_datasets again to retry. {_mirror_hint(folder)}"
                )
            out.flush()
            os.fsync(out.fileno())
        logger.log(level, "Downloaded %d bytes from %s", received, url)
        return tmp
    except BaseException:
        _remove(tmp)
        raise


def _unpack(archive_path: str, url: str, folder: str, wanted: list[str], level: int) -> None:
    """Verify the archive and every data file in it, then move them all into the cache at once.

    Every ``x<id>data.npz`` member is written to a temporary file and checked
    first; only when the whole archive has been read and its gzip CRC-32 and
    length verified are the files renamed into place, so a bad archive leaves
    the cache as it was. Members are recognised by file name, whatever folder
    of the archive they are in, and written to paths smotekit builds, never
    extracted by their own paths.
    """
    label = ", ".join(repr(n) for n in wanted)
    members = {_member(name): name for name in DATASET_NAMES}
    staged: dict[str, tuple[str, str]] = {}  # cache file name -> (temporary path, sha256)
    try:
        try:
            with gzip.open(archive_path, "rb") as gz:
                with tarfile.open(fileobj=gz, mode="r|") as tar:
                    for info in tar:
                        base = info.name.rsplit("/", 1)[-1]
                        if not info.isfile() or base not in members:
                            continue
                        raw = tar.extractfile(info).read()
                        try:
                            _read_npz(raw)
                        except _Corrupt as exc:
                            raise _Corrupt(f"{base} (data set {members[base]!r}): {exc}") from exc
                        if base in staged:  # a repeated member: the last copy wins, as in tar
                            _remove(staged.pop(base)[0])
                        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".part")
                        staged[base] = (tmp, hashlib.sha256(raw).hexdigest())
                        with os.fdopen(fd, "wb") as f:
                            f.write(raw)
                            f.flush()
                            os.fsync(f.fileno())
                # The gzip trailer (CRC-32 and length of the whole stream) is only
                # checked once the stream is read to its end.
                while gz.read(_CHUNK):
                    pass
        except (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error, _Corrupt) as exc:
            raise DatasetFetchError(
                f"The archive downloaded from {url} for data set(s) {label} is corrupt: {exc}. "
                f"Nothing was written to the cache {folder}; call fetch_datasets again to retry. "
                f"If it fails again, the server is not serving the benchmark archive. "
                f"{_mirror_hint(folder)}"
            ) from exc
        for name in wanted:
            if _member(name) not in staged:
                raise DatasetFetchError(
                    f"The archive downloaded from {url} has no {_member(name)} for data set "
                    f"{name!r}; nothing was written to the cache {folder}. The URL does not serve "
                    f"the imbalanced-learn benchmark archive. {_mirror_hint(folder)}"
                )
        for base, (tmp, digest) in staged.items():
            final = os.path.join(folder, base)
            # A stale record must never vouch for the new file, even for an instant.
            _remove(_sidecar(final))
            os.replace(tmp, final)
            _write_atomically(_sidecar(final), f"{digest}  {base}\n".encode())
        logger.log(level, "Cached %d data set file(s) in %s", len(staged), folder)
    finally:
        for tmp, _ in staged.values():
            _remove(tmp)


def _load_cached(name: str, path: str):
    """Read a cached data set, checking it against the sha256 recorded when it was downloaded."""
    fix = (
        f"Delete {path} and {_sidecar(path)}, then call fetch_datasets again "
        "to download the data afresh."
    )
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with open(_sidecar(path), encoding="ascii") as f:
            recorded = f.read().split()[0].lower()
    except FileNotFoundError:
        recorded = None
    except (OSError, ValueError, IndexError) as exc:
        raise DatasetFetchError(
            f"The checksum record {_sidecar(path)} of data set {name!r} is unreadable ({exc}). {fix}"
        ) from exc
    if recorded is not None and recorded != digest:
        raise DatasetFetchError(
            f"The cached file {path} of data set {name!r} has changed since it was downloaded: "
            f"its sha256 is {digest}, the recorded one {recorded}. {fix}"
        )
    try:
        X, y = _read_npz(raw)
    except _Corrupt as exc:
        raise DatasetFetchError(
            f"The cached file {path} of data set {name!r} is corrupt: {exc}. {fix}"
        ) from exc
    if recorded is None:
        # Placed there by imbalanced-learn or by hand: it passed the archive checks
        # above, so record its checksum now and hold it to that from here on.
        logger.debug("No checksum recorded for %s; recording sha256 %s", path, digest)
        try:
            _write_atomically(_sidecar(path), f"{digest}  {os.path.basename(path)}\n".encode())
        except OSError as exc:  # a read-only cache still serves its data
            logger.debug("Could not record the checksum of %s: %s", path, exc)
    return X, y


@validate_params(
    {
        "data_home": [None, str, os.PathLike],
        "filter_data": [None, tuple],
        "download_if_missing": ["boolean"],
        "random_state": ["random_state", np.random.Generator],
        "shuffle": ["boolean"],
        "verbose": ["boolean"],
        "base_url": [None, str],
    },
    prefer_skip_nested_validation=True,
)
def fetch_datasets(
    *,
    data_home=None,
    filter_data=None,
    download_if_missing=True,
    random_state=None,
    shuffle=False,
    verbose=False,
    base_url=None,
):
    """Load imbalanced-learn's 27 benchmark data sets, downloading them on first use.

    The collection was proposed by Ding [1]_ and published on Zenodo by the
    imbalanced-learn authors; the whole collection is one archive, downloaded
    once and cached. Each data set is binary: the ``target`` is ``1`` for the
    minority class and ``-1`` for the rest.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Cache folder; the files go to its ``zenodo`` subfolder. By default
        scikit-learn's data folder (``$SCIKIT_LEARN_DATA``, else
        ``~/scikit_learn_data``), shared with imbalanced-learn's cache.
    filter_data : tuple of str or int, default=None
        Names or IDs (1 to 27, listed in the Notes) of the data sets to return,
        in the order wanted. ``None`` returns all of them.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading when a data
        set is not in the cache.
    random_state : int, RandomState instance, Generator or None, default=None
        Shuffling seed, used only with ``shuffle=True``. An int or None gives
        each data set its own ``RandomState``, as imbalanced-learn does, so a
        data set's row order depends only on the seed and not on which other
        data sets are fetched, and equals imbalanced-learn's. A ``RandomState``
        or ``Generator`` instance is drawn from in turn for each data set.
    shuffle : bool, default=False
        Whether to shuffle the rows of each data set.
    verbose : bool, default=False
        Log the download at INFO level (logger ``smotekit.datasets._fetch``);
        otherwise it is logged at DEBUG level.
    base_url : str, default=None
        Keyword-only. URL of the folder holding ``benchmark-imbalanced-learn.tar.gz``,
        e.g. a mirror or a ``file://`` folder. ``None`` uses the environment
        variable ``SMOTEKIT_DATASETS_URL`` if it is set, else Zenodo record
        61452 (``https://zenodo.org/record/61452/files``), imbalanced-learn's
        source. The variable lets a whole site, CI job or offline machine use
        a mirror without changing code written for imbalanced-learn.

    Returns
    -------
    datasets : OrderedDict of str to Bunch
        In the order of ``filter_data`` (the ID order by default). Each Bunch has

        data : ndarray of shape (n_samples, n_features)
        target : ndarray of shape (n_samples,)
            ``1`` for the minority class, ``-1`` otherwise.
        DESCR : str
            The data set's name.

    Raises
    ------
    ValueError
        An unknown name or ID in ``filter_data``, or an entry that is neither
        a str nor an int; a parameter of the wrong type.
    OSError
        A data set is not cached and ``download_if_missing`` is False. Every
        other failure raises :class:`DatasetFetchError`, a subclass of OSError,
        whose message names the data set, the URL or cache file, and the fix.

    Notes
    -----
    What is checked. Zenodo's published checksum of the archive is not pinned
    here (no reliable copy was available), so the download is checked for
    integrity rather than against a known digest:

    * the number of bytes received equals the ``Content-Length`` announced;
    * the gzip stream's CRC-32 and length trailer match the data;
    * each ``x<id>data.npz`` member is a zip file whose every member passes
      its CRC-32 check, and holds a 2-D ``data`` and a 1-D ``label`` of the
      same length.

    Only then are the files moved into the cache (each written to a temporary
    name in the cache folder and renamed), together with a sha256 of each,
    ``x<id>data.npz.sha256``. Every load recomputes the sha256 and compares it
    with the record, and reruns the ``.npz`` checks. A file without a record
    (for instance one downloaded by imbalanced-learn) is checked the same way
    and its sha256 is recorded from then on.

    The data sets, by ID: {dataset_ids}.

    References
    ----------
    .. [1] Ding, Zejin, "Diversified Ensemble Classifiers for Highly
       Imbalanced Data Learning and their Application in Bioinformatics."
       Dissertation, Georgia State University, (2011).

    Examples
    --------
    >>> from smotekit.datasets import fetch_datasets
    >>> ecoli = fetch_datasets(filter_data=("ecoli",))["ecoli"]  # doctest: +SKIP
    >>> ecoli.data.shape  # doctest: +SKIP
    (336, 7)
    """
    names = _resolve_names(filter_data)
    folder = os.path.join(get_data_home(data_home=data_home), CACHE_SUBDIR)
    level = logging.INFO if verbose else logging.DEBUG

    missing = [n for n in names if not os.path.isfile(os.path.join(folder, _member(n)))]
    if missing and not download_if_missing:
        raise OSError(
            f"Data not found and `download_if_missing` is False: data set {missing[0]!r} "
            f"({_member(missing[0])}) is not in the cache {folder}. Call fetch_datasets with "
            "download_if_missing=True, or put the file into that folder."
        )
    if missing:
        url = _archive_url(base_url)
        os.makedirs(folder, exist_ok=True)
        archive = _download(url, folder, missing, level)
        try:
            _unpack(archive, url, folder, missing, level)
        finally:
            _remove(archive)

    datasets = OrderedDict()
    for name in names:
        X, y = _load_cached(name, os.path.join(folder, _member(name)))
        if shuffle:
            if isinstance(random_state, np.random.Generator):
                order = random_state.permutation(X.shape[0])
            else:
                # Resolved per data set, as imbalanced-learn does: with an int seed each
                # data set gets the same row order whatever else is fetched with it.
                order = np.arange(X.shape[0])
                check_random_state(random_state).shuffle(order)
            X, y = X[order], y[order]
        datasets[name] = Bunch(data=X, target=y, DESCR=name)
    return datasets


# The ID list is written from DATASET_NAMES, so the docstring cannot drift from the code.
if fetch_datasets.__doc__:  # None under python -OO
    fetch_datasets.__doc__ = fetch_datasets.__doc__.replace(
        "{dataset_ids}", ", ".join(f"{i} ``{name}``" for i, name in enumerate(DATASET_NAMES, start=1))
    )
