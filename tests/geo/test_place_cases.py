"""Place names after «от»/«в» and «аз»/«дар»: the case table and the rephrasing fallback."""

from __future__ import annotations

import pytest

from hushdor.geo import dataset
from hushdor.geo.place_cases import from_place, in_place, russian_cases


@pytest.mark.parametrize(
    ("name", "from_ru", "in_ru"),
    [
        ("Мургаб", "от Мургаба", "в Мургабе"),
        ("Хорог", "от Хорога", "в Хороге"),
        ("Исфара", "от Исфары", "в Исфаре"),
        ("Дангара", "от Дангары", "в Дангаре"),
        ("Джиликуль", "от Джиликуля", "в Джиликуле"),
        ("Куруксай", "от Куруксая", "в Куруксае"),
        ("Душанбе", "от Душанбе", "в Душанбе"),  # indeclinable
        ("Нижний Пяндж", "от Нижнего Пянджа", "в Нижнем Пяндже"),
    ],
)
def test_known_names_take_the_genitive_after_ot_and_the_prepositional_after_v(name, from_ru, in_ru):
    assert (from_place(name, "ru"), in_place(name, "ru")) == (from_ru, in_ru)


def test_a_name_the_rules_do_not_decide_is_rephrased_with_the_name_in_the_nominative():
    assert from_place("Ходжа-Мастон", "ru") == "от населённого пункта Ходжа-Мастон"
    assert in_place("Шамсиддин Шохин", "ru", "district") == "в районе Шамсиддин Шохин"
    assert from_place("Неизвестное", "ru") == "от населённого пункта Неизвестное"


def test_tajik_and_english_take_the_name_unchanged():
    assert (from_place("Мурғоб", "tg"), in_place("Мурғоб", "tg")) == ("аз Мурғоб", "дар Мурғоб")
    assert (from_place("Murghob", "en"), in_place("Murghob", "en")) == ("from Murghob", "in Murghob")


def test_the_table_covers_the_bundled_names_the_rules_decide():
    table = russian_cases()
    names = {p.name_ru for p in dataset.load_settlements()} | {d.name_ru for d in dataset.load_districts()}
    single_words = {name for name in names if " " not in name and "-" not in name and name[0].isupper()}
    assert single_words - set(table) == set()
    for nominative, (genitive, prepositional) in table.items():
        assert genitive and prepositional and genitive[0] == nominative[0]
