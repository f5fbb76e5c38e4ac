"""The site stage: the only code that knows a site generator exists.

check (scripts/digest) -> generate.py (stage the pages for the generator) -> generators.py (MkDocs,
ProperDocs or Zensical, run as a command) -> frames.py (fill the generated pages into the frames the
generator drew) -> postprocess.py (head metadata, security policy, sitemap, feeds and data) ->
search.py (Pagefind). build.py runs them in that order (scripts/build_site.py is its command line);
serve.py runs them on each edit.
"""
