import base64
import hashlib

from digest.sanitize import add_content_security_policy, content_security_policy, sanitize_html


def test_sanitizer_drops_active_content_and_keeps_what_the_theme_needs():
    dirty = ('<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">j</a>'
             '<a href="https://example.org/" class="c">ok</a><img src=x onerror=y></p>'
             '<div hidden data-pagefind-ignore="index"><span data-pagefind-filter="topic">T</span></div>'
             '<table><tr><td style="text-align: right; color: red">1</td></tr></table>')
    assert sanitize_html(dirty) == (
        '<p>Hi <a>j</a><a href="https://example.org/" class="c">ok</a></p>'
        '<div hidden="" data-pagefind-ignore="index"><span data-pagefind-filter="topic">T</span></div>'
        '<table><tbody><tr><td style="text-align:right">1</td></tr></tbody></table>')


def test_csp_allows_exactly_the_inline_scripts_of_the_page():
    page = ('<html><head><title>t</title></head><body><script>var a = 1;</script>'
            '<script id="c" type="application/json">{"x": 1}</script><script src="x.js"></script></body></html>')
    digest = base64.b64encode(hashlib.sha256(b"var a = 1;").digest()).decode()
    policy = content_security_policy(page)
    assert f"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}';" in policy
    assert policy.startswith("default-src 'self';") and "object-src 'none'" in policy
    assert policy.count("sha256-") == 1                     # JSON blocks and external scripts need none
    assert add_content_security_policy(page).startswith(
        '<html><head>\n    <meta http-equiv="Content-Security-Policy" content="default-src')
