"""The layers the imports show, checked: every import between apps runs downwards.

From the ground up:
- `core`: partial dates, sources, the bases every record shares; imports no other app.
- `jobs`, `accounts` (who may do what), `audit` (the trail): the services the write
  path stands on.
- `records`: the one write path (validation, the conflict check, the audit entry, the
  policy check), the generic records API and edit pages, the admin's bases.
- the domain apps, each above those it builds on: figures; registry (actors and their
  statuses; the meetings that decided them are reached through foreign keys and the
  Meeting's own methods); bodies (and meetings, hosted and chaired by actors);
  documents; checklists; decisions (procedures); programme; treaties; initiatives;
  search; notices; operations.
- the web face of every app (views, forms, API routes, admin, commands): it composes
  the domain apps' selectors and answers, but never imports another app's views.
- on top: portal, reports, datasets, exchange, then the project's urls and API.

An import inside a function says why it is not at the top, on its line or in the
comment just above its group of imports: "cycle:" (it breaks a real cycle: the only
reason allowed between apps), "lazy:" (a heavy or optional library, loaded when used),
or "ready:" (in `AppConfig.ready()`, or code that runs before the app registry is ready).
The graph is read from the source with `ast`, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "secretariat"

# The rank of each app's own (domain) modules: an app may import only lower ranks.
RANKS = {
    "core": 0,
    "jobs": 1,
    "accounts": 2,
    "audit": 3,
    "records": 4,
    "figures": 10,
    "registry": 11,
    "bodies": 12,
    "documents": 13,
    "checklists": 14,
    "decisions": 15,
    "programme": 16,
    "treaties": 17,
    "initiatives": 18,
    "search": 19,
    "notices": 20,
    "operations": 21,
    # the web face of every app: WEB (below)
    "portal": 40,
    "reports": 41,
    "datasets": 42,
    "exchange": 43,
    "(project)": 50,
}
WEB = 30
# The writes of accounts and audit go through the write path like any other: those
# modules stand just above it, while the policy and the trail stand below it.
MODULE_RANKS = {
    ("accounts", "services"): 5,
    ("accounts", "selectors"): 5,
    ("accounts", "tasks"): 5,
    ("audit", "services"): 5,
    ("audit", "acts"): 5,
}
# Modules that make an app's web face: they answer requests and commands.
WEB_MODULES = {
    "views", "officer_views", "officer_forms", "forms", "site_forms", "api", "api_sources",
    "urls", "admin", "admin_site", "edit", "pages", "context", "middleware", "cache", "display",
}  # fmt: skip
WEB_PACKAGES = {"templatetags", "management"}
VIEWS = {"views", "officer_views"}


def _where(path: Path) -> tuple[str, str]:
    """(app, module) of a source file: module is its first part inside the app."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if len(parts) == 1:
        return "(project)", parts[0]
    return parts[0], parts[1]


def _rank(app: str, module: str) -> int:
    rank = MODULE_RANKS.get((app, module), RANKS[app])
    if rank < WEB and (module in WEB_MODULES or module in WEB_PACKAGES):
        return WEB
    return rank


def _imports(tree: ast.Module):
    """(node, module imported, names, inside a function) for each secretariat import."""
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner |= {id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("secretariat."):
                yield node, node.module, [a.name for a in node.names], id(node) in inner
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("secretariat."):
                    yield node, alias.name, [], id(node) in inner


def _said(lines: list[str], lineno: int) -> str:
    """The import's line and the lines just above it that are imports or comments."""
    said = [lines[lineno - 1]]
    for line in reversed(lines[: lineno - 1]):
        if not line.strip().startswith(("#", "from ", "import ")) and line.strip():
            break
        said.append(line)
    return " ".join(said)


def unexplained_inner_imports() -> list[str]:
    """Imports inside a function (of anything) that do not say why."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    said = _said(lines, node.lineno)
                    if not any(tag in said for tag in ("cycle:", "lazy:", "ready:")):
                        place = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                        found.append(f"{place}: {ast.unparse(node)}")
    return found


def crossings() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app, module = _where(path)
        source = path.read_text()
        lines = source.splitlines()
        here = _rank(app, module)
        for node, target, names, inside in _imports(ast.parse(source)):
            parts = target.split(".")
            other = parts[1] if len(parts) > 1 else "(project)"
            if other == app:
                continue
            # `from secretariat.x import views` names the module in the import list
            sub = parts[2] if len(parts) > 2 else (names[0] if len(names) == 1 else "")
            place = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            if other not in RANKS:
                found.append(f"{place}: {target} is an app the layers do not know")
                continue
            if sub in VIEWS or any(name in VIEWS for name in names):
                found.append(f"{place}: imports another app's views ({target})")
            there = _rank(other, sub)
            if there >= here and not (here == WEB and there == WEB):
                found.append(f"{place}: {app}.{module} (layer {here}) imports {target} "
                             f"(layer {there}), which stands above it")  # fmt: skip
            if inside and "cycle:" not in _said(lines, node.lineno):
                found.append(f"{place}: imports {target} inside a function, without "
                             "a 'cycle:' comment saying which cycle it breaks")  # fmt: skip
    return found


def test_every_import_between_apps_runs_downwards():
    found = crossings()
    assert not found, f"{len(found)} imports cross the layers:\n" + "\n".join(found)


def test_every_import_inside_a_function_says_why():
    found = unexplained_inner_imports()
    assert not found, (
        f"{len(found)} imports inside functions say neither cycle:, lazy: nor ready: "
        "(or move them to the top of the module):\n" + "\n".join(found)
    )


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(RANKS), apps - set(RANKS)
