"""`make build`: check, generate, site generator, fill, finish, search, then swap the site into site/.
The steps are in scripts/sitegen/build.py, one short module per step beside it.

    python scripts/build_site.py [site_dir] [--ssg mkdocs|properdocs|zensical] [--no-search] ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen.build import ROOT, Caches, Memo, build, build_into, main  # noqa: E402

__all__ = ["ROOT", "Caches", "Memo", "build", "build_into", "main"]

if __name__ == "__main__":
    sys.exit(main())
