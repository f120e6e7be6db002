"""The render service (``statementpub serve``): a real uvicorn on a free loopback
port, every status code, problem+json, and the bytes of the in-process API."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
jsonschema = pytest.importorskip("jsonschema")

from statementpub import Statement, __version__, render_epub, render_html, render_pdf  # noqa: E402

from .conftest import EXAMPLES  # noqa: E402
from .servers import running  # noqa: E402

LOGO = (EXAMPLES / "river-commons" / "logo.svg").read_bytes()

FRONT: dict[str, Any] = {
    "title": "Keep the wells open",
    "date": "2026-03-22",
    "lang": "en",
    "kind": "open-letter",
    "summary": "Neighbours ask the council to keep the public wells open.",
    "publisher": {"name": "Well Keepers", "url": "https://example.org/wells",
                  "logo": {"src": "logo.svg", "alt": "Well Keepers logo"}},
    "signatories": ["Río Claro Cooperative", {"name": "Acme Water", "country": "MX"}],
}
BODY = "The wells belong to *everyone*.\n\n## What we ask\n\nKeep them open all year.\n"
CATALOG = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"

msgid "Keep the wells open"
msgstr "Mantengan abiertos los pozos"

msgid "The wells belong to *everyone*."
msgstr "Los pozos son de *todos*."

msgid "What we ask"
msgstr "Lo que pedimos"
'''
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "epub": "application/epub+zip"}


def request(fmt: str = "html", lang: str | None = None, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"statement": FRONT, "body": BODY, "format": fmt,
                                "assets": {"logo.svg": base64.b64encode(LOGO).decode()}}
    if lang is not None:
        document["lang"] = lang
    if lang == "es":
        document["catalog"] = CATALOG
    document.update(changes)
    return document


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running(["serve", "--pdf-workers", "1", "--max-body", "200000"], "/v1/health") \
            as base:
        yield base


def post(base: str, document: Any, **options: Any) -> Any:
    return httpx.post(base + "/v1/render", json=document, timeout=120, **options)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert problem["type"].startswith("tag:statementpub.org,2026:problem:")
    return problem


def test_health(server: str) -> None:
    response = httpx.get(server + "/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["version"] == __version__


def test_the_schema_endpoint_describes_the_request(server: str) -> None:
    response = httpx.get(server + "/v1/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    schema = response.json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(request("pdf", "es"))
    assert not validator.is_valid(request("doc"))
    assert not validator.is_valid({**request(), "statement": {"title": "T"}})


@pytest.mark.parametrize("fmt", ["html", "pdf", "epub"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_bytes_are_those_of_the_api(server: str, fmt: str, lang: str,
                                        tmp_path: Path) -> None:
    response = post(server, request(fmt, lang))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA[fmt]
    assert response.headers["content-language"] == lang
    assert response.headers["content-disposition"] == \
        f'inline; filename="keep-the-wells-open.{lang}.{fmt}"'
    # in this process, from a folder of another name: the same bytes
    (tmp_path / "logo.svg").write_bytes(LOGO)
    (tmp_path / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    statement = Statement.from_mapping(FRONT, BODY, base_dir=tmp_path)
    catalog = tmp_path / "statement.es.po" if lang == "es" else None
    expected = {"html": lambda: render_html(statement, lang, catalog=catalog).encode(),
                "pdf": lambda: render_pdf(statement, lang, catalog=catalog),
                "epub": lambda: render_epub(statement, lang, catalog=catalog)}[fmt]()
    assert response.content == expected
    # the Spanish catalog lacks the summary, a paragraph, the publisher and the logo's alt
    assert response.headers["statementpub-fallbacks"] == ("4" if lang == "es" else "0")


def test_html_is_answered_while_a_pdf_is_being_made(server: str) -> None:
    many = {**FRONT, "signatories": [f"Organisation number {i}" for i in range(600)]}
    slow: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: slow.update(
        response=post(server, request("pdf", statement=many))))
    thread.start()
    try:
        while not httpx.get(server + "/v1/health").json()["pending"]:
            threading.Event().wait(0.02)
        threading.Event().wait(0.5)  # the PDF is in its worker now
        html = post(server, request("html"))
        assert html.status_code == 200
        assert thread.is_alive(), "the PDF was done before the HTML: nothing was shown"
    finally:
        thread.join()
    assert slow["response"].status_code == 200
    assert slow["response"].content.startswith(b"%PDF-")


def test_the_json_report_carries_the_file_and_the_fallbacks(server: str) -> None:
    response = post(server, request("html", "es"), headers={"Accept": "application/json"})
    assert response.status_code == 200
    report = response.json()
    assert report["lang"] == "es" and report["format"] == "html"
    assert report["media_type"] == "text/html; charset=utf-8"
    html = base64.b64decode(report["data"]).decode()
    assert "Mantengan abiertos los pozos" in html
    assert sorted(f["msgid"] for f in report["fallbacks"]) == [
        "Keep them open all year.",
        "Neighbours ask the council to keep the public wells open.",
        "Well Keepers", "Well Keepers logo"]
    assert all(f["reason"] and f["role"] for f in report["fallbacks"])
    assert report["warnings"] == []
    assert report["interface_fallbacks"] == []


def test_any_language_renders_with_its_interface_fallbacks_reported(server: str) -> None:
    # Mam: no interface catalog, no CLDR data; the labels fall back to English, marked
    document = request("html", statement={**FRONT, "lang": "mam"})
    response = post(server, document, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["lang"] == "mam"
    assert report["interface_fallbacks"]
    assert {f["lang"] for f in report["interface_fallbacks"]} == {"en"}
    assert post(server, document).content == base64.b64decode(report["data"])


def test_a_statement_error_is_422_with_its_places(server: str) -> None:
    front = {**FRONT, "titel": "x", "signatories": [{"name": "A", "url": "javascript:x"}]}
    response = post(server, request(statement=front, body="Text.\n\n# A second title\n"))
    problem = assert_problem(response, 422)
    places = [(e["path"], e["line"]) for e in problem["errors"]]
    assert ("statement.titel", 0) in places
    assert ("statement.signatories[0].url", 0) in places
    assert ("body", 3) in places
    body_error = next(e for e in problem["errors"] if e["path"] == "body")
    assert body_error["text"].startswith("body:3: error: level-1 heading")
    assert set(body_error) == {"path", "line", "column", "message", "severity", "text"}


def test_a_catalog_error_is_422_with_its_line(server: str) -> None:
    broken = CATALOG + '\nmsgid "Keep them open all year."\nmsgstr "Manténganlos\n'
    problem = assert_problem(post(server, request("html", "es", catalog=broken)), 422)
    assert problem["type"].endswith(":catalog-error")
    (error,) = problem["errors"]
    assert error["path"] == "catalog" and error["line"] == 16  # the msgstr


def test_a_missing_catalog_is_422(server: str) -> None:
    document = request("html", "fr")
    problem = assert_problem(post(server, document), 422)
    assert problem["type"].endswith(":catalog-error")
    assert "give the PO file's text as 'catalog'" in problem["detail"]


@pytest.mark.parametrize("document, path", [
    ({"statement": FRONT}, "body"),
    ({**request(), "format": "doc"}, "format"),
    ({**request(), "lang": "xx!"}, "lang"),
    ({**request(), "assets": {"../logo.svg": "AAAA"}}, "assets.../logo.svg"),
    ({**request(), "assets": {"logo.svg": "not base64!"}}, "assets.logo.svg"),
    ({**request(), "colour": "red"}, "colour"),
    ([1, 2], "request"),
])
def test_a_request_error_is_422(server: str, document: Any, path: str) -> None:
    problem = assert_problem(post(server, document), 422)
    assert [e["path"] for e in problem["errors"]] == [path]


def test_an_image_not_in_the_assets_is_a_statement_error(server: str) -> None:
    document = request(body="![a map](map.png)\n")
    problem = assert_problem(post(server, document), 422)
    assert problem["errors"][0]["path"] == "body"
    assert "'map.png' does not exist" in problem["errors"][0]["message"]


def test_malformed_json_is_400(server: str) -> None:
    response = httpx.post(server + "/v1/render", content=b'{"statement": ',
                          headers={"Content-Type": "application/json"})
    assert_problem(response, 400)
    response = httpx.post(server + "/v1/render", content=b'"\xff"',
                          headers={"Content-Type": "application/json"})
    assert_problem(response, 400)


def test_a_wrong_content_type_is_415(server: str) -> None:
    response = httpx.post(server + "/v1/render", content=json.dumps(request()),
                          headers={"Content-Type": "text/plain"})
    assert_problem(response, 415)


def test_a_body_over_the_limit_is_413(server: str) -> None:
    big = request(body="Text. " * 40_000)  # about 240 kB, over the 200 kB limit
    assert_problem(post(server, big), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield json.dumps(big).encode()

    response = httpx.post(server + "/v1/render", content=chunks(),
                          headers={"Content-Type": "application/json"})
    assert_problem(response, 413)


def test_unknown_routes_and_methods_are_problems_too(server: str) -> None:
    assert_problem(httpx.get(server + "/v1/nothing"), 404)
    response = httpx.get(server + "/v1/render")
    assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


def test_a_full_queue_is_503_and_a_long_render_is_422() -> None:
    """One render at a time and a 1 s limit: a PDF of 1,500 signatories runs past the
    limit (422) and, while it runs, any other request is turned away (503)."""
    many = {**FRONT, "signatories": [f"Organisation number {i}" for i in range(1500)]}
    with running(["serve", "--pdf-workers", "1", "--max-pending", "1", "--time-limit", "1"],
                 "/v1/health") as base:
        slow: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: slow.update(
            response=post(base, request("pdf", statement=many))))
        thread.start()
        busy = None
        for _ in range(100):
            if httpx.get(base + "/v1/health").json()["pending"]:
                busy = post(base, request("html"))
                break
            threading.Event().wait(0.02)
        thread.join()
        assert busy is not None
        problem = assert_problem(busy, 503)
        assert busy.headers["retry-after"] == "2"
        assert problem["type"].endswith(":busy")
        timed_out = assert_problem(slow["response"], 422)
        assert timed_out["type"].endswith(":render-timeout")
        # the worker goes on: the next PDF renders
        assert post(base, request("pdf")).status_code == 200


def test_bad_serve_options_are_errors_not_tracebacks(tmp_path: Path) -> None:
    import io

    from statementpub.cli import main

    err = io.StringIO()
    assert main(["serve", "--pdf-workers", "0"], stderr=err) == 1
    assert err.getvalue().strip() == "error: pdf_workers must be at least 1, not 0"
    err = io.StringIO()
    assert main(["preview", str(tmp_path / "nope.md")], stderr=err) == 1
    assert err.getvalue().strip() == f"{tmp_path / 'nope.md'}: error: no such statement file"
