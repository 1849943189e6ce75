"""The built wheel carries the code, templates, stylesheets and word lists, and pulls in its font."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_holds_every_module_template_and_stylesheet(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("handout-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    package = ROOT / "pipeline"
    expected = {str(p.relative_to(ROOT)) for p in package.rglob("*")
                if p.is_file() and p.suffix in {".py", ".j2", ".css", ".txt", ".po"} and "__pycache__" not in p.parts}
    assert any(name.startswith("pipeline/templates/") and name.endswith(".css") for name in expected)
    assert "pipeline/languages/en/drugs.txt" in expected and "pipeline/languages/es/drugs.txt" in expected
    assert "pipeline/languages/zh/handout.po" in expected
    assert expected <= names, sorted(expected - names)
    # The typeface ships in its own package, which the wheel must require.
    assert "Requires-Dist: fontpkg-atkinson-hyperlegible" in metadata
    assert "handout = pipeline.cli:main" in entry_points
