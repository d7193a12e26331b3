"""Property tests: random YAML, random data files and random mutations of valid ones give located issues or success,
never a crash."""

from __future__ import annotations

import string

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicekb.loader import load_corpus

VALID = (FIXTURES / "repo" / "standards" / "mini.yaml").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
documents = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(string.ascii_letters + "_", max_size=10), kids, max_size=5)
    ),
    max_leaves=25,
)
KEYS = [
    "id",
    "title",
    "sections",
    "clauses",
    "targets",
    "metric",
    "value",
    "unit",
    "comparator",
    "number",
    "status",
    "kind",
    "stage",
]
standard_like = st.fixed_dictionaries({}, optional={k: documents for k in KEYS})


def _check(repo, text: bytes) -> None:
    (repo / "standards" / "mini.yaml").write_bytes(text)
    result = load_corpus(repo)
    for issue in result.issues:
        assert issue.line >= 1 and issue.col >= 1 and issue.code


@SETTINGS
@given(doc=st.one_of(documents, standard_like))
def test_random_yaml_documents_never_crash(mini_repo, doc):
    _check(mini_repo, yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


mutation = st.tuples(
    st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "truncate"]),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.text(min_size=1, max_size=3),
)


def _mutate(text: str, mutations) -> str:
    """Apply line mutations (delete, duplicate, swap, replace, insert, truncate) in order."""
    for op, a, b, chars in mutations:
        lines = text.splitlines(keepends=True) or [""]
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace" and lines[i]:
            k = b % len(lines[i])
            lines[i] = lines[i][:k] + chars + lines[i][k + 1 :]
        elif op == "insert":
            lines.insert(i, chars + "\n")
        elif op == "truncate":
            lines = lines[: i + 1]
        text = "".join(lines)
    return text


@SETTINGS
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_valid_files_never_crash(mini_repo, mutations):
    text = _mutate(VALID, mutations)
    _check(mini_repo, text.encode("utf-8", "surrogatepass"))


# --- operational data: random damage to CSV files gives located problems, never a crash, never a lost line ---

DATA = FIXTURES / "compliance" / "data"
ZONES = {"shop-sh": "Asia/Shanghai", "shop-paris": "Europe/Paris"}
DATA_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TICKETS = (DATA / "tickets.csv").read_text(encoding="utf-8")
cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            '"',
            '""',
            ",",
            "\n",
            "\r\n",
            "inf",
            "-inf",
            "nan",
            "1e400",
            "9999-12-31T23:59:59",
            "0001-01-01",
            "\x00",
            "\ufeff",
            "=cmd|' /C calc'!A0",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _read_fuzzed(tmp_path, table: str, raw: bytes):
    import shutil

    from servicekb.compliance.data import read_dataset

    folder = tmp_path / "data"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(DATA, folder)
    (folder / f"{table}.csv").write_bytes(raw)
    ds = read_dataset(folder, ZONES, drop_invalid=True)
    physical = raw.count(b"\n") + 1
    for issue in ds.issues():
        assert issue.code and issue.col >= 1
        if issue.file.endswith(f"{table}.csv"):
            assert 1 <= issue.line <= physical
    return ds


@DATA_SETTINGS
@given(cells=st.lists(st.tuples(st.integers(1, 19), st.integers(0, 9), cell_text), min_size=1, max_size=5))
def test_random_cells_in_a_data_file_never_crash(tmp_path_factory, cells):
    import numpy as np

    lines = TICKETS.split("\n")
    for row, col, value in cells:
        parts = lines[row].split(",")
        parts[col % len(parts)] = value
        lines[row] = ",".join(parts)
    ds = _read_fuzzed(tmp_path_factory.mktemp("fuzz"), "tickets", "\n".join(lines).encode("utf-8", "surrogatepass"))
    # whatever was kept is finite and in range: nothing hostile reaches a scorecard
    for frame in ds.tables.values():
        for name in frame.columns:
            if frame[name].dtype == "float64":
                assert np.isfinite(frame[name].dropna()).all()


@DATA_SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_as_a_data_file_never_crash(tmp_path_factory, data):
    _read_fuzzed(tmp_path_factory.mktemp("fuzz"), "store_periods", data)


@DATA_SETTINGS
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_data_files_never_crash_and_keep_every_line(tmp_path_factory, mutations):
    text = _mutate(TICKETS, mutations)
    raw = text.encode("utf-8", "surrogatepass")
    ds = _read_fuzzed(tmp_path_factory.mktemp("fuzz"), "tickets", raw)
    if "tickets" in ds.rows_read and '"' not in text and "\r" not in text:
        # without quotes every non-blank line after the header is one row: none swallowed
        filled = [line for line in text.split("\n") if line.strip()]
        assert ds.rows_read["tickets"] == max(len(filled) - 1, 0)
