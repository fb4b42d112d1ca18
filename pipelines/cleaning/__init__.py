"""Clean article text: trafilatura plus a boilerplate layer for in-body clutter."""

from pipelines.cleaning.extract import Extraction, extract, extractor_version
from pipelines.cleaning.profile import SiteProfile
from pipelines.cleaning.rules import LAYER_VERSION, MAX_INPUT_BYTES, CleaningRules

__all__ = [
    "LAYER_VERSION",
    "MAX_INPUT_BYTES",
    "CleaningRules",
    "Extraction",
    "SiteProfile",
    "extract",
    "extractor_version",
]
