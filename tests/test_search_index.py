import json

from search_index import SearchIndexer

PAGE = ('<html lang="en"><body><nav>menu</nav><article class="md-content__inner md-typeset">'
        '<h1>{title}<a class="headerlink" href="#x">¶</a></h1><p>{text}</p></article></body></html>')


def test_pages_are_indexed_as_chinese_without_theme_chrome(tmp_path):
    indexer = SearchIndexer()
    try:
        indexer.add_page(PAGE.format(title="Court list", text="失信被执行人 名单"), "/a/")
        indexer.add_page(PAGE.format(title="SenseTime", text="商汤科技"), "/b/")
        indexer.add_page("<html><body>no article here</body></html>", "/c/")      # skipped
        assert indexer.write(str(tmp_path / "pagefind")) == 2
    finally:
        indexer.close()
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] == 2


def test_an_empty_index_still_writes(tmp_path):
    indexer = SearchIndexer()
    try:
        assert indexer.write(str(tmp_path / "pagefind")) == 0
    finally:
        indexer.close()
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
