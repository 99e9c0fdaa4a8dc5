"""The import check (`scripts/check_imports.py`, run by `make lint`): its verdicts on
small packages written for the test, and on the project itself."""

import importlib.util
from pathlib import Path
from textwrap import dedent

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_imports.py"
_spec = importlib.util.spec_from_file_location("check_imports", SCRIPT)
check_imports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_imports)


def write_package(root: Path, name: str, modules: dict[str, str]) -> None:
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(dedent(source))


def test_a_cycle_is_found(tmp_path, monkeypatch):
    write_package(
        tmp_path,
        "cyclic_pkg",
        {
            "a": "from cyclic_pkg import b\n",
            "b": "import cyclic_pkg.c\n",
            "c": "from cyclic_pkg.a import *\n",
            "d": "from cyclic_pkg import a\n",
        },
    )
    monkeypatch.syspath_prepend(tmp_path)
    assert check_imports.import_cycles(["cyclic_pkg"]) == [
        ["cyclic_pkg.a", "cyclic_pkg.b", "cyclic_pkg.c"]
    ]
    assert check_imports.function_imports(tmp_path, ["cyclic_pkg"]) == []


def test_an_import_inside_a_function_is_found(tmp_path, monkeypatch, capsys):
    write_package(
        tmp_path,
        "lazy_pkg",
        {
            "a": """\
                import json


                def load():
                    from lazy_pkg import b

                    return b


                class Reader:
                    async def read(self):
                        import decimal

                        from . import b

                        return b, decimal, json
                """,
            "b": "VALUE = 1\n",
        },
    )
    monkeypatch.syspath_prepend(tmp_path)
    found = [
        "lazy_pkg/a.py:5: from lazy_pkg import b",
        "lazy_pkg/a.py:14: from . import b",
    ]
    assert check_imports.function_imports(tmp_path, ["lazy_pkg"]) == found
    assert check_imports.import_cycles(["lazy_pkg"]) == []

    monkeypatch.setattr(check_imports, "ROOT", tmp_path)
    monkeypatch.setattr(check_imports, "PACKAGES", ("lazy_pkg",))
    assert check_imports.main() == 1
    assert capsys.readouterr().out.splitlines() == [
        f"import inside a function: {line}" for line in found
    ]


def test_a_clean_package_passes(tmp_path, monkeypatch, capsys):
    """Imports at module level that point one way; a name imported back only for type
    checking is not a cycle."""
    write_package(
        tmp_path,
        "clean_pkg",
        {
            "models": """\
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from clean_pkg.services import Service
                """,
            "services": """\
                from clean_pkg import models


                class Service:
                    model = models
                """,
        },
    )
    monkeypatch.syspath_prepend(tmp_path)
    assert check_imports.function_imports(tmp_path, ["clean_pkg"]) == []
    assert check_imports.import_cycles(["clean_pkg"]) == []

    monkeypatch.setattr(check_imports, "ROOT", tmp_path)
    monkeypatch.setattr(check_imports, "PACKAGES", ("clean_pkg",))
    assert check_imports.main() == 0
    assert "no cycles" in capsys.readouterr().out


def test_the_project_passes():
    root, packages = check_imports.ROOT, check_imports.PACKAGES
    assert check_imports.function_imports(root, packages) == []
    assert check_imports.import_cycles(packages) == []
