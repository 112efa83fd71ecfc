"""Ground-motion and intensity prediction models, one module per published model.

``MODELS`` maps each OpenQuake hazardlib class name to a ready model object implementing
:class:`~hushdor.science.quake.models.base.GroundMotionModel`; :func:`get_model` looks one up.
"""

from __future__ import annotations

from hushdor.science.quake.models.akkar_2014 import AkkarEtAlRjb2014
from hushdor.science.quake.models.base import (
    GroundMotionModel,
    InvalidInputError,
    Prediction,
    QuakeModelError,
    UnknownModelError,
    UnsupportedIMTError,
)
from hushdor.science.quake.models.bindi_2011 import (
    BindiEtAl2011Repi,
    BindiEtAl2011RepiFixedH,
    BindiEtAl2011Rhypo,
)
from hushdor.science.quake.models.boore_2014 import BooreEtAl2014, BooreEtAl2014HighQ
from hushdor.science.quake.models.kanno_2006 import Kanno2006Deep, Kanno2006Shallow
from hushdor.science.quake.models.zhao_2006 import ZhaoEtAl2006Asc, ZhaoEtAl2006SSlab

MODELS: dict[str, GroundMotionModel] = {
    model.name: model
    for model in (
        BindiEtAl2011Repi,
        BindiEtAl2011RepiFixedH,
        BindiEtAl2011Rhypo,
        BooreEtAl2014,
        BooreEtAl2014HighQ,
        AkkarEtAlRjb2014,
        ZhaoEtAl2006Asc,
        ZhaoEtAl2006SSlab,
        Kanno2006Shallow,
        Kanno2006Deep,
    )
}


def get_model(name: str) -> GroundMotionModel:
    """The registered model called ``name`` (its OpenQuake class name, e.g. ``"BooreEtAl2014HighQ"``)."""
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(MODELS))
        raise UnknownModelError(f"unknown ground-motion model {name!r}; known models: {known}") from None


__all__ = [
    "MODELS",
    "GroundMotionModel",
    "InvalidInputError",
    "Prediction",
    "QuakeModelError",
    "UnknownModelError",
    "UnsupportedIMTError",
    "get_model",
]
