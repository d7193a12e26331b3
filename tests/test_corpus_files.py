"""Where every loaded file came from: `Corpus.files` keyed by `FileKey`, with the older string keys still accepted."""

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
def test_the_older_string_keys_name_the_same_files(text, key):
    files = CorpusFiles({key: "somewhere.yaml"})
    assert FileKey.parse(text) == key and str(key) == text
    assert files[text] == files[key] == files.get(text) == "somewhere.yaml"
    assert text in files and key in files
    legacy = CorpusFiles({text: "somewhere.yaml"})
    assert list(legacy) == [key]


def test_a_missing_key_is_missing_in_either_form():
    files = CorpusFiles({FileKey.store("shop"): "stores/shop.yaml"})
    assert files.get("store:other") is None and files.get(FileKey.standard("shop"), "-") == "-"
    assert "shop" not in files  # a standard called shop, not the store
    with pytest.raises(KeyError):
        files[FileKey.metrics()]


def test_a_corpus_built_by_hand_gets_typed_keys():
    corpus = Corpus(files={"tex": "standards/tex.yaml"})
    assert isinstance(corpus.files, CorpusFiles) and corpus.files[FileKey.standard("tex")] == "standards/tex.yaml"


def test_only_the_two_catalogues_are_catalogues():
    with pytest.raises(ValueError, match="no catalogue 'stores'"):
        FileKey.catalogue("stores")
