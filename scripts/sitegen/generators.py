"""Step 3, the site generator: MkDocs (the default), ProperDocs or Zensical, run as a command on
mkdocs.yml. Each reads the staged pages from docs_dir and writes site_dir (mkdocs.yml); nothing of
theirs is imported, so any of them can be swapped for another that reads the same file."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

GENERATORS = ("mkdocs", "properdocs", "zensical")


def command(name: str, config: Path, strict: bool = True, quiet: bool = False) -> list:
    if name not in GENERATORS:
        raise ValueError(f"unknown site generator {name!r}; expected one of {', '.join(GENERATORS)}")
    if name == "zensical":
        # --clean: no cache of earlier builds, so a build depends on its input only.
        return [_program("zensical"), "build", "--clean", "--config-file", str(config), *(["--strict"] if strict else [])]
    flags = ["--strict"] if strict else []
    if quiet:
        flags.append("--quiet")
    return [sys.executable, "-m", name, "build", "--clean", "--config-file", str(config), *flags]


def run(name: str, config: Path, env: dict | None = None, strict: bool = True, quiet: bool = False) -> int:
    """Run the generator; its messages go to this process's output. Returns its exit code."""
    env = dict(os.environ if env is None else env, NO_MKDOCS_2_WARNING="1")
    try:
        return subprocess.run(command(name, config, strict, quiet), cwd=config.parent, env=env).returncode
    except FileNotFoundError:
        print(f"{name} is not installed: `make install-generators` installs ProperDocs and Zensical",
              file=sys.stderr)
        return 127


def _program(name: str) -> str:
    """A generator's command in this Python's environment (the virtual environment's bin/)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)
