import shutil

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
    for name in ("publisher-kinds", "publishers", "blocked-hosts"):
        shutil.copy(FIXTURES / "site" / "timeline" / "vocab" / f"{name}.yaml", vocab_dir)
    _, problems = load_vocabulary(vocab_dir, tmp_path)
    assert [str(p) for p in problems] == [
        "timeline/vocab/topics.yaml:6: duplicate topics id 'a'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'name_zh'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'pinyin'",
        "timeline/vocab/topics.yaml:11: term 'b': missing field 'description'",
        "timeline/vocab/places.yaml:1: term 'p': places need numeric lat and lon",
    ]


def test_bad_publishers_and_hosts_are_reported_with_lines(tmp_path):
    vocab_dir = tmp_path / "timeline" / "vocab"
    shutil.copytree(FIXTURES / "site" / "timeline" / "vocab", vocab_dir)
    (vocab_dir / "publishers.yaml").write_text(
        "- id: court\n  name: A court\n  kind: court\n  domains: [court.example]\n  language: zh-Hans\n"
        "- id: court\n  name: Again\n  kind: court\n  domains: [court.example]\n  language: en\n"
        "- id: paper\n  name: Paper\n  kind: newspaper\n  domains: [Paper.example, 'x.example.']\n"
        "  language: en\n  motto: hi\n"
        "- id: Bad_Id\n  name: B\n  kind: media\n  domains: []\n  language: en\n"
        "- id: blog\n  name: Blog\n  kind: other\n  domains: blog.example\n  language: en\n", encoding="utf-8")
    (vocab_dir / "blocked-hosts.yaml").write_text(
        "- host: farm.example\n  rule: blocked\n  reason: farm\n"
        "- host: farm.example\n  rule: blocked\n  reason: twice\n"
        "- host: mirror.example\n  rule: maybe\n  reason: r\n", encoding="utf-8")
    vocab, problems = load_vocabulary(vocab_dir, tmp_path)
    assert [str(p) for p in problems] == [
        "timeline/vocab/publishers.yaml:6: duplicate publisher id 'court'",
        "timeline/vocab/publishers.yaml:6: publisher 'court': domain 'court.example' already belongs to publisher "
        "'court'; expected each domain under one publisher (use aliases for other names)",
        "timeline/vocab/publishers.yaml:11: publisher 'paper': unknown field 'motto'; allowed fields are: "
        "id, name, kind, domains, language, name_zh, aliases",
        "timeline/vocab/publishers.yaml:11: publisher 'paper': kind 'newspaper' is unknown; expected one of "
        "government, court, procuratorate, legislature, party, company, state-media, media, research, ngo, other",
        "timeline/vocab/publishers.yaml:11: publisher 'paper': domain 'Paper.example' has capital letters; "
        "expected a host name such as court.gov.cn",
        "timeline/vocab/publishers.yaml:11: publisher 'paper': domain 'x.example.' ends in a dot; "
        "expected a host name such as court.gov.cn",
        "timeline/vocab/publishers.yaml:17: publisher id 'Bad_Id'; expected a lowercase id such as "
        "supreme-peoples-court",
        "timeline/vocab/publishers.yaml:22: publisher 'blog': field 'domains' must be a list of host names, "
        "e.g. [court.gov.cn]",
        "timeline/vocab/blocked-hosts.yaml:4: duplicate host 'farm.example'",
        "timeline/vocab/blocked-hosts.yaml:7: host 'mirror.example': rule 'maybe' is unknown; expected one of "
        "blocked, copy-only",
    ]
    assert vocab.sources.publisher("court").owns("www.court.example")
    assert not vocab.sources.publisher("court").owns("notcourt.example")
    assert vocab.sources.host_rule("a.b.farm.example").rule == "blocked"


def test_publisher_kinds_and_hosts_of_the_real_vocabulary():
    vocab, _ = load_vocabulary(ROOT / "timeline" / "vocab", ROOT)
    sources = vocab.sources
    assert sources.publisher("SPC").id == "supreme-peoples-court"
    assert sources.can_be_primary(sources.publisher("supreme-peoples-court"))
    assert not sources.can_be_primary(sources.publisher("xinhua"))
    for publisher in sources.publishers.values():
        assert publisher.kind in sources.kinds, publisher.id
        assert sources.host_rule(publisher.domains[0]) is None if publisher.domains else True, publisher.id
    assert sources.host_rule("kushima.org").rule == "blocked"
    assert sources.host_rule("docslib.org").rule == "copy-only"
