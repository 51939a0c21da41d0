"""The office-holder registry (etl/events/people.yaml): it loads, its data is consistent, titles resolve."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
import yaml

from etl.events.people import REGISTRY_FILE, ascii_fold, load_registry

FIRST_DAY, LAST_DAY = dt.date(2010, 1, 1), dt.date(2026, 11, 23)

# Real simultaneous holders of a titled office: the title then resolves to nobody on those days, which
# is right (it is ambiguous), so these overlaps are allowed, each as (role, country, frozenset of names).
GENUINE_OVERLAPS = {
    # Russia had two First Deputy Prime Ministers in Putin's 2008-2012 government.
    ("first_deputy_prime_minister", "RU", frozenset({"Viktor Zubkov", "Igor Shuvalov"})),
}

# Short forms that are ordinary English words or sentence openers: they would match almost anywhere.
FORBIDDEN_SHORTS = {"The", "An", "A", "To", "Do", "Le", "Ho", "Vo", "In", "On", "May", "Will", "Mark", "Bill", "Grant"}


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_registry_loads_with_both_countries(registry):
    countries = {p.country for p in registry.people.values()}
    assert countries == {"VN", "RU"}


def test_entries_are_well_formed(data):
    roles = data["roles"]
    names = [entry["name"] for entry in data["people"]]
    assert len(names) == len(set(names)), "duplicate canonical names"
    for role, by_country in roles.items():
        assert set(by_country or {}) <= {"VN", "RU"}, role
    for entry in data["people"]:
        assert entry["country"] in ("VN", "RU"), entry["name"]
        assert entry["name"].isascii(), f"canonical name must be ASCII: {entry['name']}"
        assert set(entry) <= {"name", "country", "aliases", "short", "offices"}, entry["name"]
        for short in entry.get("short") or ():
            assert short not in FORBIDDEN_SHORTS, (entry["name"], short)
        for office in entry.get("offices") or ():
            assert office["role"] in roles, (entry["name"], office["role"])


OFFICE_KEYS = {"role", "start", "end", "source", "verified"}
SOURCE_URL = re.compile(r"https?://[^\s/]+\.[a-z]{2,}/\S*")


def test_every_term_is_sourced_or_marked_unverified(data):
    """A term names the public page it was checked against, or says plainly that nobody checked it."""
    for entry in data["people"]:
        for office in entry.get("offices") or ():
            where = (entry["name"], office["role"], str(office["start"]))
            assert set(office) <= OFFICE_KEYS, where
            assert ("source" in office) != ("verified" in office), f"needs exactly one of source / verified: {where}"
            if "source" in office:
                assert isinstance(office["source"], str) and SOURCE_URL.fullmatch(office["source"]), where
            else:
                assert office["verified"] is False, where


def test_a_sourced_term_has_no_year_boundary_placeholder(data):
    """1 January and 31 December are how a date known only to the year gets written down; no appointment,
    vote or decree of these offices falls on them, so such a term cannot count as checked (issue 11)."""
    for entry in data["people"]:
        for office in entry.get("offices") or ():
            if "source" not in office:
                continue
            for day in (office["start"], office.get("end")):
                where = (entry["name"], office["role"], day)
                assert day is None or (day.month, day.day) not in {(1, 1), (12, 31)}, where


def test_every_office_starts_before_it_ends(registry):
    for person in registry.people.values():
        for office in person.offices:
            assert office.end is None or office.start <= office.end, (person.name, office)


def test_a_full_name_or_alias_identifies_one_person(data):
    owner: dict[str, str] = {}
    for entry in data["people"]:
        forms = {entry["name"], *(entry.get("aliases") or ())}
        for form in forms | {ascii_fold(f) for f in forms}:
            assert owner.setdefault(form, entry["name"]) == entry["name"], (
                f"{form!r} names both {owner[form]} and {entry['name']}")


def test_a_short_form_is_not_another_persons_full_name(data):
    full = {f for e in data["people"] for f in (e["name"], *(e.get("aliases") or ()))}
    for entry in data["people"]:
        for short in entry.get("short") or ():
            assert short not in full, (entry["name"], short)


def test_a_titled_role_has_at_most_one_holder_per_country_on_any_day(data, registry):
    titled = {(role, country) for role, by_country in data["roles"].items()
              for country, titles in (by_country or {}).items() if titles}
    spells = defaultdict(list)  # (role, country) -> [(start, end, name)]
    for person in registry.people.values():
        for office in person.offices:
            if (office.role, person.country) in titled:
                spells[office.role, person.country].append((office.start, office.end or LAST_DAY, person.name))
    problems = []
    for (role, country), holders in spells.items():
        days = {FIRST_DAY, LAST_DAY} | {d for s, e, _ in holders for d in (s, e, e + dt.timedelta(days=1))}
        for day in sorted(d for d in days if FIRST_DAY <= d <= LAST_DAY):
            on_day = frozenset(n for s, e, n in holders if s <= day <= e)
            if len(on_day) > 1 and (role, country, on_day) not in GENUINE_OVERLAPS:
                problems.append((role, country, day.isoformat(), sorted(on_day)))
    assert not problems, problems


def who(registry, sentence, day, introduced=None):
    introduced = set() if introduced is None else introduced
    return [(m.person.name, m.via) for m in registry.find(sentence, dt.date.fromisoformat(day), introduced)]


@pytest.mark.parametrize("sentence, day, expected", [
    # the brief's cases
    ("He met the Russian Prime Minister in Moscow.", "2019-06-01", "Dmitry Medvedev"),
    ("He met the Russian Prime Minister in Moscow.", "2025-06-01", "Mikhail Mishustin"),
    ("Mikhail Vladimirovich Mishustin arrived.", "2025-01-14", "Mikhail Mishustin"),
    ("Nguyễn Phú Trọng received guests.", "2019-06-01", "Nguyen Phu Trong"),
    # handover days: the successor holds the title from the day of appointment
    ("the Russian Prime Minister", "2020-01-16", "Mikhail Mishustin"),
    ("the Russian President", "2012-05-07", "Vladimir Putin"),
    ("the Russian President", "2012-05-06", "Dmitry Medvedev"),
    ("the Vietnamese Prime Minister", "2021-04-05", "Pham Minh Chinh"),
    ("State Duma Chairman", "2016-10-05", "Vyacheslav Volodin"),
    ("the Russian Defence Minister", "2015-03-01", "Sergey Shoigu"),
    ("the Russian Defence Minister", "2024-06-01", "Andrey Belousov"),
    ("Russia's Security Council Secretary", "2024-05-12", "Sergey Shoigu"),
    ("Russia's Security Council Secretary", "2020-05-12", "Nikolai Patrushev"),
    # ministers added for issue 4
    ("the Russian Minister of Industry and Trade", "2018-03-01", "Denis Manturov"),
    ("the Russian Minister of Industry and Trade", "2025-03-01", "Anton Alikhanov"),
    ("Russian Energy Minister", "2015-03-01", "Alexander Novak"),
    ("Russian Energy Minister", "2022-03-01", "Nikolai Shulginov"),
    ("the Russian Minister of Economic Development", "2021-03-01", "Maxim Reshetnikov"),
    ("Russian Finance Minister", "2019-03-01", "Anton Siluanov"),
    ("Vietnamese Minister of Industry and Trade", "2019-03-01", "Tran Tuan Anh"),
    ("Vietnam's Minister of Planning and Investment", "2019-03-01", "Nguyen Chi Dung"),
    ("Vietnamese Minister of Finance", "2022-03-01", "Ho Duc Phoc"),
    ("Vietnamese Deputy Defence Minister", "2019-03-01", None),  # several holders: no title
    ("Kremlin spokesman", "2023-03-01", "Dmitry Peskov"),
    ("the Russian Foreign Ministry spokeswoman", "2023-03-01", "Maria Zakharova"),
    ("Vietnamese Vice President", "2012-03-01", "Nguyen Thi Doan"),
    ("Vietnamese Vice President", "2018-03-01", "Dang Thi Ngoc Thinh"),
    ("Vietnamese Acting President", "2018-10-01", "Dang Thi Ngoc Thinh"),
    ("Sergei Kuzhugetovich Shoigu", "2011-03-01", "Sergey Shoigu"),
    ("Yury Viktorovich Ushakov said", "2024-03-01", "Yuri Ushakov"),
    ("Zakharova said", "2024-03-01", "Maria Zakharova"),
    ("Đặng Thị Ngọc Thịnh", "2018-03-01", "Dang Thi Ngoc Thinh"),
    # issue 11: a Vietnamese minister keeps the ministry until the National Assembly relieves them
    ("Vietnamese Minister of Justice", "2024-07-01", "Le Thanh Long"),
    ("Vietnamese Minister of Justice", "2024-09-01", "Nguyen Hai Ninh"),
    ("Vietnamese Minister of Finance", "2021-01-01", "Dinh Tien Dung"),
    ("Vietnamese Minister of Finance", "2024-10-01", "Ho Duc Phoc"),
    ("Vietnamese Minister of Finance", "2025-01-01", "Nguyen Van Thang"),
    ("Vietnamese Minister of Transport", "2022-01-01", "Nguyen Van The"),
    ("Vietnamese Minister of Transport", "2025-01-01", "Tran Hong Minh"),
    ("Vietnamese Minister of Science and Technology", "2020-09-01", "Chu Ngoc Anh"),
    ("Vietnamese Minister of Natural Resources and Environment", "2023-03-01", "Tran Hong Ha"),
    ("Vietnamese Minister of Natural Resources and Environment", "2024-01-01", "Dang Quoc Khanh"),
    ("Vietnamese Culture Minister", "2022-01-01", "Nguyen Van Hung"),
    # issue 11: Russian handovers
    ("Russian Transport Minister", "2020-06-01", "Yevgeny Dietrich"),
    ("Russian Transport Minister", "2021-06-01", "Vitaly Savelyev"),
    ("Russian Minister of Industry and Trade", "2012-03-01", "Denis Manturov"),
    ("Russian Emergencies Minister", "2022-01-01", "Alexander Chupriyan"),
    ("Russian Emergencies Minister", "2022-06-01", "Alexander Kurenkov"),
])
def test_names_and_titles_resolve(registry, sentence, day, expected):
    found = [name for name, _ in who(registry, sentence, day)]
    assert found == ([expected] if expected else [])


def test_a_vietnamese_short_form_needs_a_full_mention_first_or_a_title_of_its_office(registry):
    assert who(registry, "Trong said.", "2019-06-01") == []
    assert who(registry, "Minister Trong said.", "2019-06-01") == []  # no office of his has that title
    assert who(registry, "General Secretary Trong said.", "2019-06-01") == [("Nguyen Phu Trong", "short")]
    introduced: set[str] = set()
    who(registry, "General Secretary Nguyen Phu Trong arrived.", "2019-06-01", introduced)
    found = who(registry, "Trong said.", "2019-06-01", introduced)
    assert found == [("Nguyen Phu Trong", "short")]


def test_a_patronymic_alone_names_nobody(registry):
    for word in ("Vyacheslavovich", "Vladimirovich", "Viktorovich", "Sergeyevich", "Nikolayevich"):
        assert who(registry, f"{word} was mentioned.", "2020-01-01") == [], word


def test_first_names_inside_patronymics_do_not_match(registry):
    assert who(registry, "Boris Vyacheslavovich Gryzlov spoke.", "2010-06-01") == [("Boris Gryzlov", "name")]


def test_vietnamese_place_names_are_not_people(registry):
    introduced: set[str] = set()
    who(registry, "Nguyen Hong Dien and Nguyen Van Thang met Russian guests.", "2024-09-01", introduced)
    for sentence in ("They flew to Dien Bien.", "They visited Thang Long.", "In Hoan Kiem district."):
        assert who(registry, sentence, "2024-09-01", introduced) == [], sentence
