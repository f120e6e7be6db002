"""The layers of the package, the options object and the error classes."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import statementpub
from statementpub import (
    DEFAULT_OPTIONS,
    LanguageTagError,
    Options,
    OptionsError,
    StatementpubError,
    build_many,
    load_statement,
    render_html,
)
from statementpub.cli import main
from statementpub.cli.parser import build_options, make_parser
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
                                     "jobs": None, "quiet": False}
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
    errors = [getattr(statementpub, name) for name in statementpub.__all__
              if name.endswith(("Error", "Failed", "Unavailable"))]
    assert len(errors) == 14
    assert all(issubclass(error, StatementpubError) for error in errors)
    from statementpub import validate
    assert validate.ValidatorFailed is statementpub.ValidatorFailed
