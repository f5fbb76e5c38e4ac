"""`make build`: build the site into a temporary folder, then swap it in.

A failed build (invalid entries, a broken link under --strict, Pagefind failing) leaves the previous
site/ untouched. SOURCE_DATE_EPOCH defaults to the last commit's time so two builds of one commit are
byte-identical.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def last_commit_epoch() -> str:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        return out or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def build(site_dir: Path, strict: bool = True, config: Path = ROOT / "mkdocs.yml") -> int:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", last_commit_epoch())
    site_dir = site_dir.resolve()
    work = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(work / "site"),
               "--config-file", str(config)]
    if strict:
        command.append("--strict")
    if env.get("CI"):
        command.append("--quiet")
    try:
        code = subprocess.run(command, cwd=config.parent, env=env).returncode
        if code != 0:
            print(f"build failed (exit {code}); {site_dir} left as it was", file=sys.stderr)
            return code
        old = work / "old"
        if site_dir.exists():
            site_dir.rename(old)
        (work / "site").rename(site_dir)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    sys.exit(build(target))
