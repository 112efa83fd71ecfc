"""The interface in Tajik and Russian: the shipped catalogues are complete (no untranslated or fuzzy
entries, placeholders kept, .mo compiled from the .po) and the alert pages render in each language."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation
from tests.web.po_catalogue import read_po

import hushdor

LOCALE = Path(hushdor.__file__).parent / "locale"
LANGUAGES = ("tg", "ru")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|\{[a-z_]+\}")


def catalogue(language: str):
    return [e for e in read_po(LOCALE / language / "LC_MESSAGES" / "django.po") if e.msgid and not e.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = catalogue(language)
    assert len(entries) > 400
    untranslated = [e.msgid for e in entries if not all(text.strip() for text in e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in catalogue(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for index, text in entry.msgstr.items():
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry.msgid, index, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue(language):
        if entry.msgid_plural is None:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            assert got == entry.msgstr[0], entry.msgid
        else:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_tajik_uses_tajik_letters_and_russian_does_not(language):
    texts = " ".join(text for entry in catalogue(language) for text in entry.msgstr.values())
    tajik_letters = set("ғӣқӯҳҷ") & set(texts.lower())
    assert (tajik_letters == set("ғӣқӯҳҷ")) if language == "tg" else (tajik_letters == set())


@pytest.fixture
def interface_language_restored():
    """The locale middleware leaves the request's language active in this thread; restore it so later
    tests (services raising translated messages) see the default language again."""
    yield
    translation.deactivate()


WORDS = {
    "tg": {
        "list": ["Огоҳиномаҳо", "Заминларза", "Обхезӣ", "Хатар", "Вазнинӣ", "Огоҳиномаи нав", "Карантин"],
        "compose": ["Огоҳиномаи нав", "Пешнамоиш", "Нигоҳ доштани лоиҳа", "Сарлавҳа", "Фаврият", "Тарма"],
        "english": ["Save draft", "New alert", "Severity"],
    },
    "ru": {
        "list": ["Оповещения", "Землетрясение", "Сель", "Опасность", "Серьёзность", "Новое оповещение"],
        "compose": [
            "Новое оповещение",
            "Предпросмотр",
            "Сохранить черновик",
            "Заголовок",
            "Срочность",
            "Лавина",
        ],
        "english": ["Save draft", "New alert", "Severity"],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_alert_list_and_compose_page_render_in_the_chosen_language(
    operator_client, language, settings, tmp_path, interface_language_restored
):
    settings.STATIC_ROOT = tmp_path
    switched = operator_client.post("/i18n/setlang/", {"language": language, "next": "/alerts/"})
    assert switched.status_code == 302
    listing = operator_client.get("/alerts/").content.decode()
    compose = operator_client.get("/alerts/new/").content.decode()
    assert f'<html lang="{language}">' in listing
    for word in WORDS[language]["list"]:
        assert word in listing, word
    for word in WORDS[language]["compose"]:
        assert word in compose, word
    for word in WORDS[language]["english"]:
        assert word not in compose, word
