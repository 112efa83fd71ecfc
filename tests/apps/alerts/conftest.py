"""Fixtures for the alerts tests: people in each role, a signing key made once, alert factories."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.services import AreaDraft, InfoDraft, alert_create_draft
from hushdor.cap.signing import generate_self_signed

SQUARE_DUSHANBE = [(38.5, 68.7), (38.5, 68.9), (38.6, 68.9), (38.6, 68.7), (38.5, 68.7)]


@pytest.fixture(scope="session", autouse=True)
def signing_key(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cap-keys")
    key_pem, cert_pem = generate_self_signed("test.coes.tj")
    (folder / "key.pem").write_bytes(key_pem)
    (folder / "cert.pem").write_bytes(cert_pem)
    saved = {name: os.environ.get(name) for name in ("HUSHDOR_CAP_KEY", "HUSHDOR_CAP_CERT")}
    os.environ["HUSHDOR_CAP_KEY"] = str(folder / "key.pem")
    os.environ["HUSHDOR_CAP_CERT"] = str(folder / "cert.pem")
    yield cert_pem
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_root(settings, tmp_path):
    """WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist yet."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


def _person(username: str, roles: list[str]):
    user, _ = operator_create(username=username, password="correct-horse-battery", roles=roles)
    return user


@pytest.fixture
def editor(db):
    return _person("edith", ["editor"])


@pytest.fixture
def approver(db):
    return _person("anna", ["approver"])


@pytest.fixture
def second_approver(db):
    return _person("bahrom", ["approver"])


@pytest.fixture
def viewer(db):
    return _person("victor", ["viewer"])


def info_drafts(severity: str = "Severe", hours: float = 6, languages=("tg", "ru", "en")) -> list[InfoDraft]:
    expires = timezone.now() + timedelta(hours=hours)
    texts = {
        "tg": (
            "Сел",
            "Хатари сел: ноҳияи Варзоб",
            "Бинобар боришоти шадид дар водии Варзоб хатари сел баланд аст.",
        ),
        "ru": (
            "Сель",
            "Селевая опасность: Варзобский район",
            "Из-за сильных дождей в долине Варзоба высока опасность схода селей.",
        ),
        "en": (
            "Mudflow",
            "Mudflow danger: Varzob district",
            "After heavy rain the danger of mudflows in the Varzob valley is high.",
        ),
    }
    return [
        InfoDraft(
            language=lang,
            event=texts[lang][0],
            headline=texts[lang][1],
            description=texts[lang][2],
            urgency="Expected",
            severity=severity,
            certainty="Likely",
            expires=expires,
        )
        for lang in languages
    ]


def polygon_area() -> AreaDraft:
    return AreaDraft(kind="polygon", description="Varzob valley", polygons=[SQUARE_DUSHANBE])


def make_draft(author, severity: str = "Severe", hazard: str = "mudflow", **kwargs):
    return alert_create_draft(
        actor=author, hazard=hazard, infos=info_drafts(severity, **kwargs), areas=[polygon_area()]
    )


@pytest.fixture
def issued_alert(editor, approver):
    from hushdor.apps.alerts.services import alert_approve, alert_issue, alert_submit

    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    return alert_issue(actor=approver, alert=alert)
