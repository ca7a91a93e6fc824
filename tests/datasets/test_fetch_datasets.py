"""fetch_datasets against a local HTTP server; nothing here reaches the internet.

The fixture files are made by the tests in the real format: one gzip-compressed
tar archive of ``x<id>data.npz`` files, each with a 2-D ``data`` and a 1-D
``label`` of 1 (minority) and -1.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import inspect
import io
import logging
import os
import tarfile
import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smotekit.datasets import fetch_datasets
from smotekit.datasets._fetch import (
    ARCHIVE_NAME,
    DATASET_NAMES,
    DEFAULT_BASE_URL,
    URL_ENV_VAR,
    DatasetFetchError,
    _archive_url,
)

N_DATASETS = 27


# ---------------------------------------------------------------- fixture files

def make_arrays(dataset_id):
    rng = np.random.default_rng(dataset_id)
    n = 8 + dataset_id
    X = rng.normal(size=(n, 3))
    y = np.where(np.arange(n) % 4 == 0, 1, -1)
    return X, y


def make_npz(dataset_id):
    X, y = make_arrays(dataset_id)
    buf = io.BytesIO()
    np.savez(buf, data=X, label=y)
    return buf.getvalue()


def make_archive(members):
    """A .tar.gz (bytes) of ``{name: payload}``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def full_members():
    return {f"x{i}data.npz": make_npz(i) for i in range(1, N_DATASETS + 1)}


@pytest.fixture(scope="module")
def archive():
    return make_archive(full_members())


# ---------------------------------------------------------------- local server

class Server:
    """Serves ``routes[path] = (body, mode)``; anything else is a 404. Records every request.

    mode "ok" sends the body with its Content-Length; "cut" announces the full
    length but closes after half the body; "cut-no-length" sends half the body
    and no Content-Length; "short-length" announces fewer bytes than the body.
    """

    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if self.path not in server.routes:
                    self.send_error(404, "Not Found")
                    return
                body, mode = server.routes[self.path]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if mode == "ok":
                    self.send_header("Content-Length", str(len(body)))
                elif mode == "cut":
                    self.send_header("Content-Length", str(len(body)))
                    body = body[: len(body) // 2]
                elif mode == "cut-no-length":
                    body = body[: len(body) // 2]
                elif mode == "short-length":
                    self.send_header("Content-Length", str(len(body) // 2))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def serve(self, body, mode="ok", folder="/files"):
        self.routes[f"{folder}/{ARCHIVE_NAME}"] = (body, mode)
        return self.url + folder

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    # The tests choose the URL themselves and talk to 127.0.0.1 directly, never via a proxy.
    monkeypatch.delenv(URL_ENV_VAR, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


def cache_dir(tmp_path):
    return tmp_path / "zenodo"


def cache_files(tmp_path):
    folder = cache_dir(tmp_path)
    return sorted(os.listdir(folder)) if folder.exists() else []


def assert_matches_fixture(bunch, name):
    X, y = make_arrays(DATASET_NAMES.index(name) + 1)
    np.testing.assert_array_equal(bunch.data, X)
    np.testing.assert_array_equal(bunch.target, y)
    assert bunch.DESCR == name


# ---------------------------------------------------------------- fetching

def test_fetch_all(server, archive, tmp_path):
    url = server.serve(archive)
    datasets = fetch_datasets(data_home=str(tmp_path), base_url=url)
    assert list(datasets) == list(DATASET_NAMES)
    assert type(datasets).__name__ == "OrderedDict"
    for name, bunch in datasets.items():
        assert set(bunch) == {"data", "target", "DESCR"}
        assert_matches_fixture(bunch, name)
    assert server.requests == [f"/files/{ARCHIVE_NAME}"]
    expected = sorted(f"x{i}data.npz{ext}" for i in range(1, N_DATASETS + 1) for ext in ("", ".sha256"))
    assert cache_files(tmp_path) == expected


def test_the_27_names_and_ids_are_imblearns():
    zenodo = pytest.importorskip("imblearn.datasets._zenodo")
    assert list(DATASET_NAMES) == list(zenodo.MAP_NAME_ID)
    assert all(DATASET_NAMES[i - 1] == name for i, name in zenodo.MAP_ID_NAME.items())
    assert _archive_url(None) == zenodo.URL


@pytest.mark.parametrize("filter_data, expected", [
    (("ecoli",), ["ecoli"]),
    ((1,), ["ecoli"]),
    ((np.int64(27), "satimage"), ["abalone_19", "satimage"]),
    (("oil", 18, "oil", 2), ["oil", "optical_digits"]),
])
def test_filter_by_name_or_id(server, archive, tmp_path, filter_data, expected):
    url = server.serve(archive)
    datasets = fetch_datasets(data_home=tmp_path, filter_data=filter_data, base_url=url)
    assert list(datasets) == expected
    for name in expected:
        assert_matches_fixture(datasets[name], name)


def test_cache_hit_makes_no_request(server, archive, tmp_path):
    url = server.serve(archive)
    first = fetch_datasets(data_home=tmp_path, filter_data=("ecoli",), base_url=url)
    assert len(server.requests) == 1
    # The archive brought every data set, so all of them are now served from the cache.
    again = fetch_datasets(data_home=tmp_path, base_url=url)
    offline = fetch_datasets(data_home=tmp_path, filter_data=(1,), download_if_missing=False)
    assert len(server.requests) == 1
    np.testing.assert_array_equal(first["ecoli"].data, again["ecoli"].data)
    np.testing.assert_array_equal(first["ecoli"].data, offline["ecoli"].data)


def test_partial_cache_downloads_once(server, archive, tmp_path):
    url = server.serve(archive)
    fetch_datasets(data_home=tmp_path, base_url=url)
    os.remove(cache_dir(tmp_path) / "x3data.npz")
    os.remove(cache_dir(tmp_path) / "x5data.npz")
    datasets = fetch_datasets(data_home=tmp_path, filter_data=(3, 4, 5), base_url=url)
    assert len(server.requests) == 2
    assert list(datasets) == ["satimage", "pen_digits", "abalone"]


def test_default_data_home_is_scikit_learns(server, archive, tmp_path, monkeypatch):
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    fetch_datasets(filter_data=("ecoli",), base_url=server.serve(archive))
    assert "x1data.npz" in cache_files(tmp_path)


def test_base_url_from_environment_and_argument_wins(server, archive, tmp_path, monkeypatch):
    good = server.serve(archive, folder="/mirror")
    monkeypatch.setenv(URL_ENV_VAR, good + "/")
    fetch_datasets(data_home=tmp_path / "a", filter_data=(1,))
    assert server.requests == [f"/mirror/{ARCHIVE_NAME}"]
    with pytest.raises(DatasetFetchError, match="HTTP 404"):
        fetch_datasets(data_home=tmp_path / "b", filter_data=(1,), base_url=server.url + "/nothing")
    assert server.requests[-1] == f"/nothing/{ARCHIVE_NAME}"


def test_default_url_is_zenodo():
    assert DEFAULT_BASE_URL == "https://zenodo.org/record/61452/files"
    assert _archive_url(None) == f"{DEFAULT_BASE_URL}/{ARCHIVE_NAME}"


def test_file_url_mirror(archive, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / ARCHIVE_NAME).write_bytes(archive)
    datasets = fetch_datasets(data_home=tmp_path / "home", filter_data=("wine_quality",),
                              base_url=mirror.as_uri())
    assert_matches_fixture(datasets["wine_quality"], "wine_quality")


def test_archive_members_in_a_folder_are_found(server, tmp_path):
    archive = make_archive({"benchmark/x1data.npz": make_npz(1), "benchmark/README": b"hi"})
    datasets = fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=server.serve(archive))
    assert_matches_fixture(datasets["ecoli"], "ecoli")
    assert cache_files(tmp_path) == ["x1data.npz", "x1data.npz.sha256"]


# ---------------------------------------------------------------- shuffling

def _rows(bunch):
    return sorted(map(tuple, np.column_stack([bunch.data, bunch.target]).tolist()))


def test_shuffle_is_reproducible_and_keeps_rows_paired(server, archive, tmp_path):
    url = server.serve(archive)
    plain = fetch_datasets(data_home=tmp_path, base_url=url)
    a = fetch_datasets(data_home=tmp_path, shuffle=True, random_state=42)
    b = fetch_datasets(data_home=tmp_path, shuffle=True, random_state=42)
    c = fetch_datasets(data_home=tmp_path, shuffle=True, random_state=37)
    alone = fetch_datasets(data_home=tmp_path, filter_data=("oil",), shuffle=True, random_state=42)
    for name in DATASET_NAMES:
        np.testing.assert_array_equal(a[name].data, b[name].data)
        np.testing.assert_array_equal(a[name].target, b[name].target)
        assert _rows(a[name]) == _rows(plain[name])
    assert any(not np.array_equal(a[n].data, c[n].data) for n in DATASET_NAMES)
    # With an int seed a data set's order does not depend on what else is fetched.
    np.testing.assert_array_equal(alone["oil"].data, a["oil"].data)


def test_shuffle_with_a_generator(server, archive, tmp_path):
    url = server.serve(archive)
    a = fetch_datasets(data_home=tmp_path, filter_data=(1, 2), shuffle=True,
                       random_state=np.random.default_rng(0), base_url=url)
    b = fetch_datasets(data_home=tmp_path, filter_data=(1, 2), shuffle=True,
                       random_state=np.random.default_rng(0))
    for name in a:
        np.testing.assert_array_equal(a[name].data, b[name].data)


@pytest.mark.parametrize("random_state", [0, 42, "instance"])
def test_same_rows_and_order_as_imblearn(server, archive, tmp_path, random_state):
    imb_fetch = pytest.importorskip("imblearn.datasets").fetch_datasets
    url = server.serve(archive)
    filter_data = (5, "ecoli", 27)
    fetch_datasets(data_home=str(tmp_path), base_url=url)

    def seed():
        return np.random.RandomState(3) if random_state == "instance" else random_state

    theirs = imb_fetch(data_home=str(tmp_path), filter_data=filter_data, shuffle=True,
                       random_state=seed(), download_if_missing=False)
    ours = fetch_datasets(data_home=str(tmp_path), filter_data=filter_data, shuffle=True,
                          random_state=seed(), download_if_missing=False)
    assert list(ours) == list(theirs)
    for name in theirs:
        np.testing.assert_array_equal(ours[name].data, theirs[name].data)
        np.testing.assert_array_equal(ours[name].target, theirs[name].target)
        assert ours[name].DESCR == theirs[name].DESCR


@pytest.fixture(scope="module")
def filled_cache(tmp_path_factory):
    """A cache holding every fixture data set, as another library or a user would leave it."""
    home = tmp_path_factory.mktemp("home")
    (home / "zenodo").mkdir()
    for name, payload in full_members().items():
        (home / "zenodo" / name).write_bytes(payload)
    return home


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(1, N_DATASETS), max_size=8),
       as_name=st.lists(st.booleans(), min_size=8, max_size=8),
       seed=st.integers(0, 2**32 - 1))
def test_filter_order_and_shuffle_invariants(filled_cache, picks, as_name, seed):
    filter_data = tuple(DATASET_NAMES[i - 1] if named else i for i, named in zip(picks, as_name))
    got = fetch_datasets(data_home=filled_cache, filter_data=filter_data, shuffle=True,
                         random_state=seed, download_if_missing=False)
    assert list(got) == list(dict.fromkeys(DATASET_NAMES[i - 1] for i in picks))
    for name, bunch in got.items():
        alone = fetch_datasets(data_home=filled_cache, filter_data=(name,), shuffle=True,
                               random_state=seed, download_if_missing=False)[name]
        np.testing.assert_array_equal(bunch.data, alone.data)
        X, y = make_arrays(DATASET_NAMES.index(name) + 1)
        assert _rows(bunch) == sorted(map(tuple, np.column_stack([X, y]).tolist()))


# ---------------------------------------------------------------- failures

def _flip_middle_byte(payload):
    middle = len(payload) // 2
    return payload[:middle] + bytes([payload[middle] ^ 0xFF]) + payload[middle + 1:]


def _npz_with_bad_crc():
    # Corrupt one byte of the stored array data; the zip's CRC-32 no longer matches.
    payload = make_npz(1)
    at = payload.index(b"\x93NUMPY") + 200
    return payload[:at] + bytes([payload[at] ^ 0x01]) + payload[at + 1:]


@pytest.mark.parametrize("make_body, reason", [
    (lambda full: b"<html>not an archive</html>", "corrupt"),
    (lambda full: _flip_middle_byte(full), "corrupt"),
    (lambda full: make_archive({"x1data.npz": b"PK\x03\x04 garbage"}), "x1data.npz"),
    (lambda full: make_archive({"x1data.npz": _npz_with_bad_crc()}), "CRC"),
    (lambda full: make_archive({"x1data.npz": _npz_from(data=np.zeros(3), label=np.zeros(3))}), "shape"),
    (lambda full: make_archive({"x1data.npz": _npz_from(data=np.zeros((3, 2)))}), "missing"),
])
def test_corrupt_download_raises_and_leaves_nothing(server, archive, tmp_path, make_body, reason):
    url = server.serve(make_body(archive))
    with pytest.raises(DatasetFetchError, match=reason) as info:
        fetch_datasets(data_home=tmp_path, filter_data=("ecoli",), base_url=url)
    message = str(info.value)
    assert "'ecoli'" in message and f"{url}/{ARCHIVE_NAME}" in message and "again" in message
    assert cache_files(tmp_path) == []


def _npz_from(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_one_bad_member_keeps_the_good_ones_out_too(server, tmp_path):
    members = full_members()
    members["x9data.npz"] = b"not a zip"
    with pytest.raises(DatasetFetchError, match="x9data.npz"):
        fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=server.serve(make_archive(members)))
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize("mode, reason", [
    ("cut", "incomplete: received"),
    ("cut-no-length", "corrupt"),
    ("short-length", "corrupt"),
])
def test_truncated_download_raises_and_leaves_nothing(server, archive, tmp_path, mode, reason):
    url = server.serve(archive, mode=mode)
    with pytest.raises(DatasetFetchError, match=reason) as info:
        fetch_datasets(data_home=tmp_path, filter_data=("yeast_me2",), base_url=url)
    assert "'yeast_me2'" in str(info.value) and url in str(info.value)
    assert cache_files(tmp_path) == []


def test_http_404(server, tmp_path):
    url = server.url + "/missing"
    with pytest.raises(DatasetFetchError, match="HTTP 404") as info:
        fetch_datasets(data_home=tmp_path, filter_data=(2,), base_url=url)
    message = str(info.value)
    assert "'optical_digits'" in message and f"{url}/{ARCHIVE_NAME}" in message
    assert URL_ENV_VAR in message and "base_url" in message
    assert isinstance(info.value, OSError)  # imblearn's tests skip on OSError
    assert cache_files(tmp_path) == []


def test_unreachable_server(tmp_path):
    srv = Server()
    url = srv.url
    srv.close()
    with pytest.raises(DatasetFetchError, match="Could not download"):
        fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=url)
    assert cache_files(tmp_path) == []


def test_archive_without_the_requested_data_set(server, tmp_path):
    url = server.serve(make_archive({"x1data.npz": make_npz(1)}))
    with pytest.raises(DatasetFetchError, match=r"no x2data.npz for data set 'optical_digits'"):
        fetch_datasets(data_home=tmp_path, filter_data=(1, 2), base_url=url)
    assert cache_files(tmp_path) == []


def test_nothing_cached_and_download_disabled(server, tmp_path):
    with pytest.raises(OSError, match="`download_if_missing` is False") as info:
        fetch_datasets(data_home=tmp_path, filter_data=("scene",), download_if_missing=False,
                       base_url=server.url)
    assert "'scene'" in str(info.value)
    assert server.requests == []


def test_cached_file_changed_after_download(server, archive, tmp_path):
    url = server.serve(archive)
    fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=url)
    path = cache_dir(tmp_path) / "x1data.npz"
    path.write_bytes(_flip_middle_byte(path.read_bytes()))
    with pytest.raises(DatasetFetchError, match="has changed since it was downloaded") as info:
        fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=url)
    assert "'ecoli'" in str(info.value) and str(path) in str(info.value) and "Delete" in str(info.value)
    assert len(server.requests) == 1


def test_cached_file_without_record_is_checked_then_recorded(tmp_path):
    folder = cache_dir(tmp_path)
    folder.mkdir()
    (folder / "x1data.npz").write_bytes(make_npz(1))
    got = fetch_datasets(data_home=tmp_path, filter_data=(1,), download_if_missing=False)
    assert_matches_fixture(got["ecoli"], "ecoli")
    assert (folder / "x1data.npz.sha256").read_text().split() == [
        hashlib.sha256(make_npz(1)).hexdigest(), "x1data.npz"]
    (folder / "x2data.npz").write_bytes(b"garbage")
    with pytest.raises(DatasetFetchError, match="'optical_digits' is corrupt"):
        fetch_datasets(data_home=tmp_path, filter_data=(2,), download_if_missing=False)
    assert not (folder / "x2data.npz.sha256").exists()


def test_redownload_replaces_a_stale_record(server, archive, tmp_path):
    url = server.serve(archive)
    folder = cache_dir(tmp_path)
    folder.mkdir()
    (folder / "x1data.npz.sha256").write_text("0" * 64 + "  x1data.npz\n")
    got = fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=url)
    assert_matches_fixture(got["ecoli"], "ecoli")
    assert not (folder / "x1data.npz.sha256").read_text().startswith("0" * 64)


# ---------------------------------------------------------------- parameters

@pytest.mark.parametrize("filter_data, err_msg", [
    (("rnf",), "is not a dataset available"),
    ((-1,), "dataset with the ID="),
    ((0,), "dataset with the ID="),
    ((100,), "dataset with the ID="),
    ((1.00,), "value in the tuple"),
    ((True,), "value in the tuple"),
])
def test_filter_errors_as_imblearn(server, tmp_path, filter_data, err_msg):
    with pytest.raises(ValueError, match=err_msg):
        fetch_datasets(data_home=tmp_path, filter_data=filter_data, base_url=server.url)
    assert server.requests == []


@pytest.mark.parametrize("param, value", [
    ("data_home", 3),
    ("filter_data", ["ecoli"]),
    ("download_if_missing", "yes"),
    ("random_state", -1),
    ("random_state", 1.5),
    ("shuffle", None),
    ("verbose", 1),
    ("base_url", b"http://x"),
])
def test_parameter_types(param, value):
    match = rf"The '{param}' parameter of fetch_datasets must be .* Got .* instead"
    with pytest.raises(ValueError, match=match):
        fetch_datasets(**{param: value})


def test_signature_is_imblearns_plus_base_url():
    imb_fetch = pytest.importorskip("imblearn.datasets").fetch_datasets
    ours = inspect.signature(fetch_datasets).parameters
    theirs = inspect.signature(imb_fetch).parameters
    assert list(ours) == [*theirs, "base_url"]
    for name, param in theirs.items():
        assert (ours[name].default, ours[name].kind) == (param.default, param.kind)
    assert ours["base_url"].kind is inspect.Parameter.KEYWORD_ONLY


def test_verbose_logs_at_info(server, archive, tmp_path, caplog):
    url = server.serve(archive)
    with caplog.at_level(logging.INFO, logger="smotekit.datasets"):
        fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=url, verbose=True)
    assert any(r.levelno == logging.INFO and url in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="smotekit.datasets"):
        fetch_datasets(data_home=tmp_path / "quiet", filter_data=(1,), base_url=url)
    assert not caplog.records


def test_gzip_check_catches_a_bad_trailer(server, archive, tmp_path):
    # Same tar content, wrong CRC-32 in the gzip trailer: only a read to the end notices.
    body = archive[:-8] + bytes([archive[-8] ^ 0xFF]) + archive[-7:]
    with pytest.raises(DatasetFetchError, match="corrupt"):
        fetch_datasets(data_home=tmp_path, filter_data=(1,), base_url=server.serve(body))
    assert cache_files(tmp_path) == []
    assert gzip.decompress(archive)  # the untouched archive is valid
