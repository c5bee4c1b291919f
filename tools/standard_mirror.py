"""What the tools deriving data from the Array API standard share: reading a bare git mirror of
data-apis/array-api (``git show``, no work tree), the ``--mirror``/``--check`` options, and writing a
derived file or, with ``--check``, comparing it with the shipped one (exit 1 when they differ)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

MIRROR = "/work/.mirror/data-apis+array-api/repo"


def git_show(mirror: str, path: str) -> str:
    return subprocess.run(["git", "-C", mirror, "show", f"HEAD:{path}"], check=True, capture_output=True,
                          text=True).stdout


def git_commit(mirror: str) -> str:
    """The mirror's HEAD, which a derived file names as its source."""
    return subprocess.run(["git", "-C", mirror, "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()


def dumps(data: dict, sort_keys: bool = True, ensure_ascii: bool = False) -> str:
    return json.dumps(data, indent=1, sort_keys=sort_keys, ensure_ascii=ensure_ascii) + "\n"


def arguments(description: str, argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--mirror", default=MIRROR, help="git directory of a data-apis/array-api mirror")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    return parser.parse_args(argv)


def write_or_check(path: Path, text: str, check: bool, tool: str) -> int:
    """Write ``text`` to ``path``, or with ``check`` say whether the shipped file differs (1) or not (0)."""
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} differs from a fresh derivation; rerun {tool}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0
