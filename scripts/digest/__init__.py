"""Social Credit Digest timeline engine: load -> validate -> model -> render.

Plain Python with no knowledge of MkDocs; scripts/mkdocs_hooks.py is the only adapter.
"""
