import pytest

from digest.urls import normalize_url, url_key


@pytest.mark.parametrize("url, normal", [
    ("HTTPS://WWW.Example.COM:443/news/a/?utm_source=rss&id=3&fbclid=x#top", "https://www.example.com/news/a?id=3"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com:80/", "http://example.com/"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a?gclid=1&spm=a.b&from=timeline&share=1&utm_medium=x", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1&UTM_Campaign=x", "https://example.com/a?b=2&a=1"),
    ("https://example.com/search?q=a%20b&ref=home", "https://example.com/search?q=a%20b"),
    ("  https://example.com./a/  ", "https://example.com/a"),
    ("https://zh.example.com/新闻/?from=groupmessage", "https://zh.example.com/新闻"),
])
def test_normalize_url(url, normal):
    assert normalize_url(url) == normal


@pytest.mark.parametrize("url", ["ftp://example.com/a", "mailto:a@example.com", "/relative/path", "",
                                 "https://[::1", "https://example.com:99999/", None])
def test_not_a_web_address(url):
    assert normalize_url(url) is None


def test_key_counts_http_and_https_as_one_article():
    assert url_key("http://Example.com/a/?utm_source=x") == url_key("https://example.com/a") == "https://example.com/a"
    assert url_key("https://example.com/a?id=1") != url_key("https://example.com/a?id=2")
    assert url_key("ftp://example.com/") is None


def test_tracking_parameters_are_named_and_removed_without_touching_the_rest():
    from digest.urls import tracking_params, without_tracking
    url = "https://www.example.com/a/b?id=7&utm_source=rss&action=share&tt_from=weixin#top"
    assert tracking_params(url) == ["utm_source", "tt_from"]
    assert without_tracking(url) == "https://www.example.com/a/b?id=7&action=share#top"
    assert tracking_params("https://www.example.com/a") == []
