import pytest

from hushdor.apps.places.services import places_load_bundled


@pytest.fixture
def bundled_places(db):
    return places_load_bundled()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path
