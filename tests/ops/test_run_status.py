"""`vnru run` records what happened: a run whose crawls failed is 'failed' in core.pipeline_runs, exit code 1."""

import socket

from sqlalchemy import text

from ops.cli import main


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once closed: nothing listens there


def test_a_run_with_every_source_unreachable_is_recorded_failed(db, monkeypatch, capsys):
    monkeypatch.setenv("VNRU_MIRROR", f"http://127.0.0.1:{_closed_port()}")
    assert main(["run", "--start", "2024-06-01", "--end", "2024-06-03", "--source", "tass", "--pages", "live"]) == 1
    with db.connect() as conn:
        status, problems = conn.execute(text("SELECT status, problems FROM core.pipeline_runs")).one()
    assert status == "failed"
    assert problems and problems[0].startswith("crawl failed: crawl of tass")
    err = capsys.readouterr().err
    assert "CrawlFailed" in err and "Traceback" not in err
