"""src/ imports no private name of a library (ruff's SLF001 covers attribute access)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _private_imports(path: Path) -> list[str]:
    where = path.name
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "__future__":
                continue
            parts = node.module.split(".")
            names = [alias.name for alias in node.names]
            if any(p.startswith("_") for p in parts) or any(
                n.startswith("_") and not n.startswith("__") for n in names
            ):
                found.append(f"{where}:{node.lineno} {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(p.startswith("_") for p in alias.name.split(".")):
                    found.append(f"{where}:{node.lineno} {alias.name}")
    return found


def test_src_imports_no_private_module_or_name_of_a_library() -> None:
    offenders = [hit for path in sorted(SRC.rglob("*.py")) for hit in _private_imports(path)]
    assert offenders == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from fastapi.routing import _IncludedRouter\nimport sqlalchemy._typing\n",
        encoding="utf-8",
    )
    assert _private_imports(sample) == [
        "sample.py:1 fastapi.routing",
        "sample.py:2 sqlalchemy._typing",
    ]
