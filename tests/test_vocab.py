from conftest import FIXTURES, ROOT
from digest.vocab import load_vocabulary


def test_real_vocabularies_load_without_problems():
    vocab, problems = load_vocabulary(ROOT / "timeline" / "vocab", ROOT)
    assert problems == []
    assert vocab.knows("topics", "debtor-list") and vocab.get("places", "rongcheng").lat is not None
    for kind in ("topics", "places", "entities"):
        for term in vocab.terms[kind].values():
            assert term.name_zh and term.pinyin and term.description, term.id


def test_suggestions_use_names_and_aliases():
    vocab, _ = load_vocabulary(FIXTURES / "site" / "timeline" / "vocab", FIXTURES / "site")
    assert vocab.suggest("entities", "spc") == "supreme-peoples-court"
    assert vocab.suggest("topics", "debtor-lists") == "debtor-list"
    assert vocab.suggest("places", "zzzzzz") is None


def test_bad_terms_are_reported_with_lines(tmp_path):
    vocab_dir = tmp_path / "timeline" / "vocab"
    vocab_dir.mkdir(parents=True)
    (vocab_dir / "topics.yaml").write_text("- id: a\n  name: A\n  name_zh: 甲\n  pinyin: jiǎ\n  description: d\n"
                                           "- id: a\n  name: A2\n  name_zh: 乙\n  pinyin: yǐ\n  description: d\n"
                                           "- id: b\n  name: B\n")
    (vocab_dir / "places.yaml").write_text("- id: p\n  name: P\n  name_zh: 丙\n  pinyin: bǐng\n  description: d\n")
    (vocab_dir / "entities.yaml").write_text("[]\n")
    _, problems = load_vocabulary(vocab_dir, tmp_path)
    assert [str(p) for p in problems] == [
        "timeline/vocab/topics.yaml:6: duplicate topics id 'a'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'name_zh'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'pinyin'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'description'",
        "timeline/vocab/places.yaml:1: term 'p': places need numeric lat and lon",
    ]
