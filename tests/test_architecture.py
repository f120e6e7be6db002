"""The layers of the package, the options object and the error classes."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import statementpub
from statementpub import (
    DEFAULT_OPTIONS,
    Options,
    StatementpubError,
    build_many,
    load_statement,
    render_html,
)
from statementpub import errors as errors_module
from statementpub.cli import main
from statementpub.cli.parser import build_options, make_parser
from statementpub.errors import LanguageTagError, OptionsError
from statementpub.render.formats import render_format

from .conftest import example_statements

PACKAGE = Path(statementpub.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """The statementpub modules ``path`` imports (relative imports resolved)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("statementpub")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (at any depth of the file:
    an import inside a function is a dependency too). ``from . import x``
    counts as importing ``x``."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] \
                    if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module:  # "from . import x" imports x, not the package
                    found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {other for other in found if other in modules and other != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


#: The layers of docs/ARCHITECTURE.md, lowest first: a module imports only
#: modules of its own layer or lower ones (cli -> build -> api -> render ->
#: edition -> units and catalogs -> loader -> model; the render service and the
#: preview sit between the build and the CLI). Every module is placed.
LAYERS: dict[str, tuple[str, ...]] = {
    "model": ("errors", "text", "langtags", "resources", "fonts", "options", "model", "images",
              "memo", "edition.nodes", "htmlcheck", "pdfinspect", "validate", "processes",
              "findings", "kinds"),
    "loader": ("frontmatter", "markdown", "signatories_csv", "loader", "schema"),
    "units and catalogs": ("units", "catalogs", "coverage", "translate", "i18n",
                           "extract_ui"),
    "edition": ("edition",),
    "render": ("render",),
    "api": ("api",),
    "build": ("build", "check", "intake"),
    "service": ("service", "preview"),
    "cli": ("cli", "__main__", ""),
}


def _layer(module: str) -> int:
    short = module.removeprefix("statementpub").removeprefix(".")
    best = None
    for rank, prefixes in enumerate(LAYERS.values()):
        for prefix in prefixes:
            if short == prefix or (prefix and short.startswith(prefix + ".")):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    assert best is not None, f"{module} is in no layer of LAYERS: place it"
    return best[0]


def test_the_package_has_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_a_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_go_down_the_layers_only() -> None:
    names = list(LAYERS)
    upward = sorted(f"{module} ({names[_layer(module)]}) imports {other} "
                    f"({names[_layer(other)]})"
                    for module, imported in _graph().items() for other in imported
                    if _layer(other) > _layer(module))
    assert upward == []


def test_renderers_read_no_catalog_and_translate_nothing() -> None:
    forbidden = ("polib", "gettext", "babel", "statementpub.loader", "statementpub.catalogs",
                 "statementpub.translate", "statementpub.i18n", "statementpub.units")
    for path in sorted((PACKAGE / "render").glob("*.py")):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add(node.module or "")
        imported |= _imports(path)
        bad = {name for name in imported if name.startswith(forbidden)}
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_the_model_imports_only_leaf_helpers() -> None:
    assert _graph()["statementpub.model"] <= {"statementpub.errors", "statementpub.text",
                                              "statementpub.langtags", "statementpub.kinds"}


def test_the_api_does_not_import_the_build_orchestrator() -> None:
    assert not {name for name in _graph()["statementpub.api"]
                if name.startswith(("statementpub.build", "statementpub.cli"))}


@pytest.mark.parametrize("module", ["api.py", "render/formats.py", "options.py"])
def test_the_api_layer_does_not_import_the_build_or_the_cli(module: str) -> None:
    imported = _imports(PACKAGE / module)
    assert not {n for n in imported if n.startswith(("statementpub.build", "statementpub.cli",
                                                     "statementpub.check"))}


def test_the_build_does_not_import_the_cli() -> None:
    for path in (PACKAGE / "build").glob("*.py"):
        assert not {n for n in _imports(path) if n.startswith("statementpub.cli")}, path


def test_cli_defaults_are_the_api_defaults() -> None:
    args = make_parser().parse_args(["build", "x.md"])
    assert build_options(args) == Options()
    assert dict(DEFAULT_OPTIONS) == {"langs": None, "formats": ("html", "pdf", "epub"),
                                     "out_dir": Path("dist"), "strict": False, "force": False,
                                     "jobs": None, "quiet": False, "min_coverage": 80.0,
                                     "interface_catalogs": None, "fonts": ()}
    for function in (statementpub.build, build_many):
        for name, parameter in inspect.signature(function).parameters.items():
            if name in DEFAULT_OPTIONS:
                assert parameter.default == DEFAULT_OPTIONS[name], (function, name)
                assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_repeated_format_replaces_the_default() -> None:
    args = make_parser().parse_args(["build", "x.md", "--format", "pdf", "--format", "html",
                                     "--lang", "es"])
    assert build_options(args) == Options(formats=("pdf", "html"), langs=("es",))


def test_an_unknown_format_is_an_options_error_on_every_path(tmp_path: Path) -> None:
    source = example_statements()[0]
    with pytest.raises(OptionsError):
        statementpub.build(source, formats=["doc"], out_dir=tmp_path)
    with pytest.raises(OptionsError):
        build_many([source], formats=["doc"], out_dir=tmp_path)
    with pytest.raises(OptionsError):
        render_format(statementpub.make_edition(load_statement(source), "en"), "doc")
    with pytest.raises(ValueError):  # an OptionsError is a ValueError too
        statementpub.build(source, jobs=0, out_dir=tmp_path)


def test_a_bad_language_tag_is_one_class_on_every_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = example_statements()[0]
    with pytest.raises(LanguageTagError):
        render_html(load_statement(source), "xx!")
    with pytest.raises(LanguageTagError):
        statementpub.build(source, langs=["xx!"], out_dir=tmp_path)
    (result,) = build_many([source], langs=["xx!"], out_dir=tmp_path)
    assert isinstance(result.error, LanguageTagError)
    expected = f"{source}: error: unknown language tag 'xx!' (a BCP 47 tag such as 'es' or " \
               "'es-MX')"
    for command in ("build", "status", "update", "check"):
        capsys.readouterr()
        argv = [command, str(source), "--lang", "xx!"]
        if command == "build":
            argv += ["--out", str(tmp_path / "d")]
        assert main(argv) == 1
        assert capsys.readouterr().err.strip() == expected, command
    assert not list(source.parent.glob("*xx*"))  # update wrote no catalog


def test_options_and_keywords_are_not_mixed(tmp_path: Path) -> None:
    with pytest.raises(OptionsError, match="formats"):
        statementpub.build(example_statements()[0], options=Options(), formats=["html"])
    with pytest.raises(OptionsError, match="colour"):
        Options().replace(colour=True)


def test_every_exported_error_is_a_statementpub_error() -> None:
    errors = [getattr(errors_module, name) for name in errors_module.__all__
              if name.endswith(("Error", "Failed", "Unavailable"))]
    assert len(errors) == 17
    assert all(issubclass(error, StatementpubError) for error in errors)
    from statementpub import validate
    assert validate.ValidatorFailed is errors_module.ValidatorFailed


def test_root_exports_only_the_documented_names() -> None:
    """The package root is the small public API of docs/api.md (issue 9: about 20 names)."""
    documented = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    assert len(statementpub.__all__) <= 23
    for name in statementpub.__all__:
        assert f"`{name}" in documented or f".{name}`" in documented, name
    for name in statementpub.__all__:
        assert getattr(statementpub, name) is not None
