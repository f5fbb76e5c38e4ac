import gzip
import json

import cbor2
import pytest

from sitegen.search import SIGNATURE, can_canonicalize, canonicalize, pagefind_version, read, write


def test_index_files_are_rewritten_only_for_checked_pagefind_versions():
    assert can_canonicalize("1.5.2") and not can_canonicalize("1.6.0") and not can_canonicalize("")
    assert can_canonicalize(pagefind_version())        # the pinned Pagefind is one of them


def test_index_files_round_trip_through_cbor(tmp_path):
    value = ["1.5.2", [["zh_abc", 417], ["x", 2 ** 40]], [], ["失信", 23, 24, 255, 256, 65536]]
    name = write(tmp_path, "pagefind.zh_", ".pf_meta", value, 10)
    assert read(tmp_path / f"{name}.pf_meta") == value


def test_canonical_bundle_does_not_depend_on_filter_order(tmp_path):
    def bundle(order):
        root = tmp_path / "-".join(order)
        (root / "filter").mkdir(parents=True)
        filter_hash = write(root / "filter", "zh_", ".pf_filter",
                            ["status", [[name, [3, 1]] for name in order]], 7)
        meta = write(root, "pagefind.zh_", ".pf_meta",
                     ["1.5.2", [["zh_p", 5]], [], [["status", filter_hash]], [], ["title"]], 10)
        (root / "pagefind-entry.json").write_text(
            '{"version":"1.5.2","languages":{"zh":{"hash":"%s","wasm":null,"page_count":1}}}' % meta[9:])
        canonicalize(root)
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    first, second = bundle(["Disputed", "Reported"]), bundle(["Reported", "Disputed"])
    assert first == second
    [filter_file] = [path for path in first if path.parts[0] == "filter"]
    data = gzip.decompress(first[filter_file])
    assert data.startswith(SIGNATURE)
    assert cbor2.loads(data[len(SIGNATURE):]) == ["status", [["Disputed", [1, 3]], ["Reported", [1, 3]]]]


def test_background_index_writes_a_chinese_bundle_of_the_articles(tmp_path):
    import json

    from sitegen.search import BackgroundIndex
    article = '<h1>{0}<a class="headerlink" href="#x">¶</a></h1><p>{1}</p>'
    search = BackgroundIndex([("a/", None), ("b/", None)])
    search.add("a/", article.format("Court list", "失信被执行人名单"))
    search.add("b/", article.format("SenseTime", "商汤科技"))
    search.added(["a/", "b/"])
    search.finish(str(tmp_path))
    assert not search.scratch.exists()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] == 2


def test_shards_hold_consecutive_dates_and_know_how_many_dated_pages_precede_them():
    from sitegen.search import plan_shards
    pages = [("hub/", None), ("c/", "2021-01-01 c"), ("a/", "2013-10-24 a"), ("b/", "2019-10-07 b"), ("about/", None)]
    assert plan_shards(pages, 2) == [(["a/", "b/"], 0), (["c/", "hub/"], 2), (["about/"], 3)]
    assert plan_shards(pages, 10) == [(["a/", "b/", "c/", "hub/", "about/"], 0)]
    assert plan_shards([], 10) == [([], 0)]


def test_a_shard_is_indexed_once_all_its_pages_are_written(tmp_path):
    from sitegen.search import BackgroundIndex
    search = BackgroundIndex([("a/", "2013 a"), ("b/", "2019 b"), ("c/", None)], shard_pages=2)
    search.add("a/", "<h1>Court list</h1>")
    search.added(["a/"])
    assert not search.ready[0].is_set()
    search.add("b/", "<h1>SenseTime</h1>")
    search.added(["b/"])
    assert search.ready[0].is_set() and not search.ready[1].is_set()
    search.add("c/", "<h1>About</h1>")
    search.added(["c/"])
    search.finish(str(tmp_path))
    assert json.loads((tmp_path / "pagefind" / "shards.json").read_text()) == {"merge": ["shard-1/"]}
    assert (tmp_path / "pagefind" / "shard-1" / "pagefind-entry.json").is_file()
    assert not (tmp_path / "pagefind" / "shard-1" / "pagefind-ui.js").exists()


def test_a_page_missing_from_the_index_fails_the_build(tmp_path):
    from sitegen.search import BackgroundIndex
    search = BackgroundIndex([("a/", None), ("b/", None)])
    search.add("a/", "<h1>A</h1>")
    search.added(["a/"])
    with pytest.raises(RuntimeError, match="1 page never reached the search index, e.g. b/"):
        search.finish(str(tmp_path))


def test_shard_sorts_give_each_page_its_place_among_all_shards():
    from sitegen.search import NOT_A_PAGE, shard_sorts
    assert shard_sorts([["date", [1, 0]]], 0, None) == [["date", [1, 0]]]      # one bundle: as Pagefind wrote it
    assert shard_sorts([["date", [1, 0]]], 2, ["date"]) == [["date", [NOT_A_PAGE, NOT_A_PAGE, 1, 0]]]
    # A shard without dated pages still declares the sort, empty: a sorted search leaves its pages out.
    assert shard_sorts([], 3, ["date"]) == [["date", [NOT_A_PAGE] * 3]]


def test_hubs_and_explainers_weigh_their_own_name_and_the_search_page_is_left_out():
    from sitegen.search import BackgroundIndex, weighted
    hub = '<h1 id="x">SenseTime</h1><p class="scd-zh" lang="zh-Hans">商汤科技</p><h1>later</h1>'
    assert weighted("/entities/sensetime/", hub) == (
        '<h1 data-pagefind-weight="10" id="x">SenseTime</h1>'
        '<p class="scd-zh" data-pagefind-weight="10" lang="zh-Hans">商汤科技</p><h1>later</h1>')
    assert weighted("/explainers/sensetime/", "<h1>SenseTime</h1>").startswith('<h1 data-pagefind-weight="10"')
    for url in ("/timeline/2019/x/", "/topics/", "/"):
        assert weighted(url, hub) == hub                  # entries, indexes and the home page as they are
    index = BackgroundIndex([("/", None), ("/search/", None)])
    try:
        assert [urls for urls, _ in index.shards] == [["/"]]
        index.add("/search/", "<h1>Search</h1>")          # ignored, no error
        index.added(["/search/"])
    finally:
        index.cancel()
