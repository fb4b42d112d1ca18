"""Clean article text: trafilatura plus a boilerplate layer for in-body clutter.

The package exports what a crawl's own process needs: the rules, the site
profile and the provenance string. The cleaner itself,
:func:`pipelines.cleaning.extract.extract`, is imported where pages are
cleaned (extraction workers, ``extract``, ``reextract``): it loads trafilatura
and its dependencies, a tenth of a second a crawl's reactor process would
spend at every start for nothing.
"""

from pipelines.cleaning.profile import SiteProfile
from pipelines.cleaning.result import Extraction
from pipelines.cleaning.rules import (
    LAYER_VERSION,
    MAX_INPUT_BYTES,
    CleaningRules,
    extractor_version,
)

__all__ = [
    "LAYER_VERSION",
    "MAX_INPUT_BYTES",
    "CleaningRules",
    "Extraction",
    "SiteProfile",
    "extractor_version",
]
