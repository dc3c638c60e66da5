"""No import cycles among the engine's modules, counting every import, also one inside a function:
modules in a cycle cannot be understood, tested or changed one without the other."""

import ast
from pathlib import Path

import recommendations


def package_modules(package: Path) -> dict[str, Path]:
    """Dotted name → file, for every module of the package but its migrations."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if "migrations" in parts:
            continue
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def module_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports; `from package import module` counts the module."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                member = f"{source}.{alias.name}"
                found.add(member if member in modules else source)
    return (found & modules.keys()) - {name}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that each reach all the others (strongly connected, more than one)."""
    reach = {}
    for start in graph:
        seen, stack = set(), list(graph[start])
        while stack:
            module = stack.pop()
            if module not in seen:
                seen.add(module)
                stack.extend(graph[module])
        reach[start] = seen
    cycles, grouped = [], set()
    for module in sorted(graph):
        group = sorted(other for other in reach[module] if module in reach[other])
        if len(group) > 1 and module not in grouped:
            cycles.append(group)
            grouped.update(group)
    return cycles


def package_cycles(package: Path) -> list[list[str]]:
    modules = package_modules(package)
    return import_cycles(
        {name: module_imports(name, path, modules) for name, path in modules.items()}
    )


def test_the_engine_has_no_import_cycles():
    assert package_cycles(Path(recommendations.__file__).parent) == []


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    package = tmp_path / "pkg"
    files = {
        "__init__.py": "",
        "a.py": "from .sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "def later():\n    from .. import a\n",
        "c.py": "import pkg.a\nfrom .migrations import m0001\n",
        "migrations/__init__.py": "",
        "migrations/m0001.py": "from pkg import c\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    assert package_cycles(package) == [["pkg.a", "pkg.sub.b"]]
