"""build() and build_many() with an executor of the caller's: a thread pool, and a
Dask LocalCluster of two worker processes, give the bytes of the local pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from statementpub import build, build_many

from .conftest import example_statements

SOURCES = example_statements()  # river-commons: two PDFs, English and Spanish


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def local_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local")
    results = build_many(SOURCES, formats=["pdf"], out_dir=out, jobs=2)
    assert all(r.ok for r in results)
    return _files(out)


def test_a_thread_pool_gives_the_same_bytes(local_pdfs: dict[str, bytes],
                                            tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as executor:
        results = build_many(SOURCES, formats=["pdf"], out_dir=tmp_path, executor=executor)
        assert all(r.ok for r in results)
        # the executor is the caller's: still usable after the build
        assert executor.submit(sum, [1, 2]).result() == 3
    assert _files(tmp_path) == local_pdfs


def test_a_dask_cluster_gives_the_same_bytes(local_pdfs: dict[str, bytes],
                                             tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        executor = client.get_executor()
        with distributed.get_task_stream(client) as stream:
            results = build_many(SOURCES, formats=["pdf"], out_dir=tmp_path,
                                 executor=executor)
        assert all(r.ok for r in results), [r.error for r in results]
        # the PDFs were made by the cluster's workers, one task each
        tasks = [t for t in stream.data if t["key"].startswith("pdf_task")]
        assert len(tasks) == len(local_pdfs) == 2
        assert {t["worker"] for t in tasks} <= set(client.scheduler_info()["workers"])
        report = build(SOURCES[0], formats=["pdf", "html"], out_dir=tmp_path / "one",
                       executor=executor)
        assert len(report.files) == 4
    assert _files(tmp_path) == local_pdfs
