import gzip

from pagefind_bundle import SIGNATURE, canonicalize, decode, encode, write


def test_cbor_round_trip_of_the_types_pagefind_writes():
    value = ["1.5.2", [["zh_abc", 417], ["x", 2 ** 40]], [], ["失信", 23, 24, 255, 256, 65536]]
    assert decode(encode(value))[0] == value
    assert encode(23) == b"\x17" and encode(24) == b"\x18\x18" and encode(256) == b"\x19\x01\x00"


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
    assert decode(data, len(SIGNATURE))[0] == ["status", [["Disputed", [1, 3]], ["Reported", [1, 3]]]]


def test_background_index_writes_a_chinese_bundle_of_the_articles(tmp_path):
    import json
    from pagefind_bundle import BackgroundIndex
    article = '<h1>{0}<a class="headerlink" href="#x">¶</a></h1><p>{1}</p>'
    search = BackgroundIndex([("a/", article.format("Court list", "失信被执行人名单")),
                              ("b/", article.format("SenseTime", "商汤科技"))])
    search.finish(str(tmp_path))
    assert not search.scratch.exists()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] == 2


def test_shards_hold_consecutive_dates_and_know_how_many_dated_pages_precede_them():
    from pagefind_bundle import plan_shards

    def page(url, date=None):
        sort = f'<span data-pagefind-sort="date">{date} {url}</span>' if date else ""
        return url, f"<h1>{url}</h1>{sort}"
    pages = [page("hub/"), page("c/", "2021-01-01"), page("a/", "2013-10-24"), page("b/", "2019-10-07"),
             page("about/")]
    shards = plan_shards(pages, 2)
    assert [([url for url, _ in shard], before) for shard, before in shards] == [
        (["a/", "b/"], 0), (["c/", "hub/"], 2), (["about/"], 3)]
    assert [([url for url, _ in shard], before) for shard, before in plan_shards(pages, 10)] == [
        (["a/", "b/", "c/", "hub/", "about/"], 0)]


def test_shard_sorts_give_each_page_its_place_among_all_shards():
    from pagefind_bundle import NOT_A_PAGE, shard_sorts
    assert shard_sorts([["date", [1, 0]]], 0, None) == [["date", [1, 0]]]      # one bundle: as Pagefind wrote it
    assert shard_sorts([["date", [1, 0]]], 2, ["date"]) == [["date", [NOT_A_PAGE, NOT_A_PAGE, 1, 0]]]
    # A shard without dated pages still declares the sort, empty: a sorted search leaves its pages out.
    assert shard_sorts([], 3, ["date"]) == [["date", [NOT_A_PAGE] * 3]]
