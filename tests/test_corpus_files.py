"""Where every loaded file came from: `Corpus.files` keyed by `FileKey`, and only by it."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from servicekb.corpus import Corpus, CorpusFiles, FileKey
from servicekb.loader import load_corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = load_corpus(FIXTURES / "compliance" / "repo")
    assert not [i for i in result.issues if i.level.value == "error"]
    return result.corpus


def test_every_loaded_file_is_registered_under_its_typed_key(corpus):
    assert corpus.files[FileKey.metrics()] == "standards/metrics.yaml"
    assert corpus.files[FileKey.citations()] == "standards/citations.yaml"
    for sid in corpus.standards:
        assert corpus.files[FileKey.standard(sid)] == f"standards/{sid}.yaml"
    assert corpus.stores
    for sid in corpus.stores:
        assert corpus.files[FileKey.store(sid)] == f"stores/{sid}.yaml"
    assert len(corpus.files) == 2 + len(corpus.standards) + len(corpus.stores)
    assert all(isinstance(key, FileKey) for key in corpus.files)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("metrics", FileKey.metrics()),  # the metric catalogue
        ("citations", FileKey.citations()),  # the citation catalogue
        ("store:shop", FileKey.store("shop")),  # a store profile
        ("alpha", FileKey.standard("alpha")),  # anything else is a standard id
    ],
)
def test_a_key_reads_back_from_its_text(text, key):
    # The text form is how a key is shown (and parsed back); the files map itself takes only typed keys.
    assert FileKey.parse(text) == key and str(key) == text


def test_a_string_key_is_refused_not_guessed():
    with pytest.raises(TypeError, match="keyed by FileKey, not str 'store:shop'"):
        CorpusFiles({"store:shop": "stores/shop.yaml"})
    with pytest.raises(TypeError, match="keyed by FileKey"):
        Corpus(files={"tex": "standards/tex.yaml"})
    files = CorpusFiles({FileKey.store("shop"): "stores/shop.yaml"})
    # A lookup by text is a mistake said at once, not a silent miss (which once hid a lost location).
    with pytest.raises(TypeError, match="keyed by FileKey"):
        files.get("store:shop")
    with pytest.raises(TypeError, match="keyed by FileKey"):
        files["store:shop"]
    assert "store:shop" not in files
    assert files.get(FileKey.store("shop")) == "stores/shop.yaml" and files.get(FileKey.metrics()) is None
    with pytest.raises(KeyError):
        files[FileKey.metrics()]


def test_only_the_two_catalogues_are_catalogues():
    with pytest.raises(ValueError, match="no catalogue 'stores'"):
        FileKey.catalogue("stores")
