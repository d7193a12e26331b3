"""Property tests: random YAML and random mutations of valid files give issues or success, never a crash."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicekb.loader import load_corpus

from conftest import FIXTURES

VALID = (FIXTURES / "repo" / "standards" / "mini.yaml").read_text(encoding="utf-8")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
documents = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(st.text(string.ascii_letters + "_", max_size=10), kids, max_size=5)), max_leaves=25)
KEYS = ["id", "title", "sections", "clauses", "targets", "metric", "value", "unit", "comparator", "number", "status", "kind", "stage"]
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


mutation = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "truncate"]), st.integers(0, 10_000), st.integers(0, 10_000), st.text(min_size=1, max_size=3))


@SETTINGS
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_valid_files_never_crash(mini_repo, mutations):
    lines = VALID.splitlines(keepends=True)
    text = VALID
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
    _check(mini_repo, text.encode("utf-8", "surrogatepass"))
