"""The stages only look down (DEVELOPERS.md): readers import no later stage, formulas are pure,
rendering works from the result data alone, nothing imports the command line."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pipeline"
LATER = {"nlp", "claims", "relations", "recipes", "inputs", "check", "render", "batch", "cli", "run", "decisions"}


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_readers_import_no_later_stage():
    for f in (PKG / "read").glob("*.py"):
        assert not {m.split(".")[1] for m in imports(f) if m.startswith("pipeline.") and m.count(".") >= 1} & LATER, f


def test_formulas_are_pure():
    mods = imports(PKG / "formulas.py")
    assert not any(m.startswith(("spacy", "pipeline.reference", "pipeline.nlp", "pipeline.claims")) for m in mods), mods


def test_render_uses_result_data_only():
    for f in (PKG / "render").glob("*.py"):
        mods = imports(f)
        assert not any(m.startswith(("spacy", "pipeline.check", "pipeline.nlp", "pipeline.relations", "pipeline.recipes")) for m in mods), f


def test_nothing_imports_the_command_line():
    for f in PKG.rglob("*.py"):
        if f.name != "cli.py":
            assert "pipeline.cli" not in imports(f), f


def test_rendering_loads_neither_spacy_nor_the_checking_stage():
    """Transitively, not only by direct imports: importing the renderer must not bring them in."""
    import subprocess
    import sys

    code = ("import sys, pipeline.render, pipeline.render.html; "
            "print(sorted(m for m in sys.modules if m == 'spacy' or m in ('pipeline.check', 'pipeline.nlp', 'pipeline.run')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]", r.stdout
