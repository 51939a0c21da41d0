"""The `vnru` commands that need no database: clean and extract over files."""

import gzip
import json

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
