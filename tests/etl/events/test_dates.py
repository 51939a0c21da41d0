"""The date resolver on every form the wires use, each resolved against the article's publication date."""

import datetime as dt

import pytest

from etl.events.dates import find_dates

D = dt.date


@pytest.mark.parametrize("sentence, published, first, last", [
    ("Deputy Prime Minister Yury Trutnev arrived in Hanoi on September 5 for the committee session.",
     D(2018, 9, 6), D(2018, 9, 5), D(2018, 9, 5)),
    ("The delegation is in Russia on a working visit January 20-23.", D(2024, 1, 21), D(2024, 1, 20), D(2024, 1, 23)),
    ("The party chief will visit Moscow from May 8-11 to attend the Victory Day parade.",
     D(2025, 5, 7), D(2025, 5, 8), D(2025, 5, 11)),
    ("The two ministers met in Moscow today (October 16).", D(2023, 10, 16), D(2023, 10, 16), D(2023, 10, 16)),
    ("Lavrov held talks with his Vietnamese counterpart yesterday.", D(2024, 6, 21), D(2024, 6, 20), D(2024, 6, 20)),
    ("The ambassador presented his credentials on Monday.", D(2025, 1, 15), D(2025, 1, 13), D(2025, 1, 13)),
    ("The plane landed at Noi Bai airport on Saturday (local time).", D(2024, 9, 8), D(2024, 9, 7), D(2024, 9, 7)),
    ("On Tuesday, the two sides signed three memorandums.", D(2025, 3, 4), D(2025, 3, 4), D(2025, 3, 4)),
    ("Earlier this week the foreign ministers spoke by phone.", D(2025, 3, 6), D(2025, 3, 3), D(2025, 3, 6)),
    ("Earlier today, the Prime Minister received the Russian governor.", D(2025, 3, 6), D(2025, 3, 6), D(2025, 3, 6)),
    # year rollover: a year-less date takes the year closest to publication
    ("The agreement was signed on December 30.", D(2025, 1, 3), D(2024, 12, 30), D(2024, 12, 30)),
    ("The minister is due in Hanoi on January 2.", D(2024, 12, 29), D(2025, 1, 2), D(2025, 1, 2)),
    ("The exhibition runs from December 28 to January 3.", D(2025, 1, 5), D(2024, 12, 28), D(2025, 1, 3)),
    ("The forum took place on 14 June 2024 in St. Petersburg.", D(2024, 6, 20), D(2024, 6, 14), D(2024, 6, 14)),
    ("Trade grew in June 2024, the ministry said.", D(2024, 8, 1), D(2024, 6, 1), D(2024, 6, 30)),
    # agency style drops the 'on': a bare weekday is the latest such day on or before publication
    ("The ministers initialled a visa accord Wednesday in Hanoi.", D(2024, 3, 8), D(2024, 3, 6), D(2024, 3, 6)),
])
def test_each_form_resolves_against_publication(sentence, published, first, last):
    [found] = find_dates(sentence, published)
    assert (found.first, found.last) == (first, last)
    assert sentence[found.span[0]:found.span[1]].strip()


def test_a_bare_earlier_only_bounds_the_date_by_publication():
    [found] = find_dates("Earlier, the Russian premier laid a wreath at the mausoleum.", D(2025, 1, 15))
    assert (found.first, found.last, found.precision) == (D(2025, 1, 15), D(2025, 1, 15), "approx")


def test_numbers_that_are_not_days_are_not_dates():
    assert find_dates("Trade rose 12-15 percent, and 30 to 40 delegates attended.", D(2025, 1, 15)) == []
    assert find_dates("The May 8 to 11 visit", D(2025, 5, 1))[0].last == D(2025, 5, 11)


def test_several_dates_come_in_sentence_order():
    found = find_dates("After the talks on June 20, Putin left for Hanoi on June 19-20? No: on June 21.",
                       D(2024, 6, 22))
    assert [(f.first, f.last) for f in found] == [(D(2024, 6, 20),) * 2, (D(2024, 6, 19), D(2024, 6, 20)),
                                                  (D(2024, 6, 21),) * 2]


def test_a_limit_bounds_a_span_and_dates_nothing():
    published = D(2025, 9, 2)
    assert find_dates("The delegation landed this morning for a tour that runs until September 5.", published) == []
    assert find_dates("The exemption stays valid through the end of June.", published) == []
    assert find_dates("Next Monday the ministers will meet again.", published) == []
