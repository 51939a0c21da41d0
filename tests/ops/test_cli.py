"""The `vnru` commands that need no database: clean and extract over files."""

import gzip
import json

import pytest

from etl import settings
from ops.cli import main

PAGE = """<html lang="en"><head><title>Lavrov and Son hold talks in Moscow</title>
<meta property="article:published_time" content="2024-09-12T08:00:00+03:00">
<meta property="article:modified_time" content="2024-09-13T10:30:00+03:00">
<meta name="author" content="Staff reporter"></head>
<body><nav>Home | World | Business</nav><article><h1>Lavrov and Son hold talks in Moscow</h1>
<p>Russian Foreign Minister Sergey Lavrov held talks with Vietnamese Foreign Minister Bui Thanh Son in
Moscow on Thursday, the two ministries said after the meeting ended in the afternoon.</p>
<p>The ministers reviewed the preparations for upcoming high-level contacts and agreed to expand trade,
energy and education ties between the two countries in the coming years, officials said.</p>
<p>Share</p></article><footer>Copyright 2024</footer></body></html>"""


def test_clean_prints_one_json_object_per_file_plain_or_gzip(tmp_path, capsys):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(PAGE.encode()))
    text = tmp_path / "scraped.txt"
    text.write_text("Hanoi (VNA) – The two sides signed an agreement.\nShare\nRelated news\nA teaser headline")
    assert main(["clean", str(page), str(text), "--json"]) == 0
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    fields = {"path", "url", "title", "published", "updated", "author", "language", "lead", "text", "removed"}
    assert fields <= set(first)
    assert (first["title"], first["published"], first["updated"], first["author"], first["language"]) == (
        "Lavrov and Son hold talks in Moscow", "2024-09-12", "2024-09-13", "Staff reporter", "en")
    assert first["lead"].startswith("Russian Foreign Minister Sergey Lavrov held talks")
    assert "Share" not in first["text"] and "Home | World" not in first["text"]
    assert second["text"] == "The two sides signed an agreement."
    assert {r["reason"] for r in second["removed"]} >= {"dateline", "interface", "teaser list"}


def test_clean_reports_an_unreadable_file_and_goes_on(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("The ministers met in Hanoi.")
    assert main(["clean", str(tmp_path / "missing.html"), str(good)]) == 1
    out = capsys.readouterr()
    assert "missing.html" in out.err and out.out.strip() == "The ministers met in Hanoi."


def test_extract_prints_the_events_schema(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    assert main(["extract", str(page)]) == 0
    [talks] = json.loads(capsys.readouterr().out)["events"]
    assert set(talks) == {"type", "start", "end", "status", "cameo", "participants", "city", "country", "evidence"}
    assert (talks["type"], talks["start"], talks["end"], talks["status"], talks["cameo"], talks["city"],
            talks["country"]) == ("talks", "2024-09-12", "2024-09-12", "occurred", "046", "Moscow", "RU")
    assert {(p["name"], p["country"], p["side"], p["role"]) for p in talks["participants"]} == {
        ("Sergey Lavrov", "RU", "RU", "participant"), ("Bui Thanh Son", "VN", "VN", "participant")}


def test_extract_takes_many_files_in_one_run_one_line_each_and_goes_past_a_bad_one(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    call = tmp_path / "call.txt"
    call.write_text("Foreign Minister Bui Thanh Son talked over the phone with Sergey Lavrov on September 11.")
    assert main(["extract", str(page), str(tmp_path / "missing.txt"), str(call), "--published", "2024-09-13"]) == 1
    out = capsys.readouterr()
    first, second = [json.loads(line) for line in out.out.splitlines()]
    assert "missing.txt" in out.err
    assert (first["path"], [e["type"] for e in first["events"]]) == (str(page), ["talks"])
    assert (second["path"], second["published"], [(e["type"], e["start"]) for e in second["events"]]) == (
        str(call), "2024-09-13", [("phone_call", "2024-09-11")])


@pytest.mark.parametrize("argv, message", [
    (["run", "--start", "2024-02-01", "--end", "2024-01-01"], "--end 2024-01-01 is before --start 2024-02-01"),
    (["crawl", "--source", "nope", "--start", "2024-01-01", "--end", "2024-01-02"], "unknown source 'nope'"),
    (["run", "--start", "2024-01-01", "--end", "2024-01-02", "--source", "tass", "--source", "x"],
     "unknown source 'x'"),
    (["extract", "any.txt", "--published", "0001-01-01"], "0001-01-01 is outside 1900-01-01..2100-12-31"),
    (["run", "--start", "9999-12-31", "--end", "9999-12-31"], "outside"),
])
def test_bad_arguments_exit_2_with_one_line_and_start_nothing(argv, message, capsys, monkeypatch):
    import crawlers.run
    import ops.cli

    started = []
    monkeypatch.setattr(ops.cli, "upgrade_database", lambda *a: started.append("database"))
    monkeypatch.setattr(crawlers.run, "crawl", lambda *a: started.append("crawl"))
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "Traceback" not in err and started == []


def test_clean_decodes_utf16_and_refuses_binary_with_exit_1(tmp_path, capsys):
    sentence = "Thủ tướng Phạm Minh Chính met the Russian ambassador in Hà Nội."
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(sentence.encode("utf-16"))  # with its byte-order mark
    bare = tmp_path / "utf16le.txt"
    bare.write_bytes(sentence.encode("utf-16-le"))  # none: told by its NUL bytes
    assert main(["clean", str(utf16), str(bare)]) == 0
    assert capsys.readouterr().out.splitlines() == [sentence, sentence]
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * (settings.MAX_PAGE_BYTES + 1)))
    assert main(["clean", str(binary), str(bomb)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and "blob.bin: not text" in out.err and "bomb.txt.gz: larger than" in out.err


def test_escape_sequences_never_reach_the_terminal_but_json_keeps_them(tmp_path, capsys):
    hostile = ("The ministers \x1b]0;owned\x07met \x1b]8;;http://x.example\x1b\\in Hanoi\x1b]8;;\x1b\\ "
               "\x1b[2J\x1b[31mtoday\x1b[0m \x9b1mand\x90q#0\x9c signed.")
    path = tmp_path / "hostile.txt"
    path.write_text(hostile)
    assert main(["clean", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed == "The ministers met in Hanoi today and signed.\n"
    assert main(["clean", "--json", str(path)]) == 0
    line = capsys.readouterr().out
    assert not any(c == "\x1b" or "\x80" <= c <= "\x9f" for c in line)
    assert json.loads(line)["text"] == hostile  # the data is kept, only its printing is made safe
