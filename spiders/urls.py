"""URL canonicalisation, so one article is fetched once whatever link found it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only track where a reader came from.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid"}
)


def canonical(url: str) -> str:
    """Sorted query without tracking parameters, no fragment, lower-case host."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    cleaned = urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )
    return canonicalize_url(cleaned, keep_fragments=False)


def host_matches(host: str, domains: tuple[str, ...]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(
        host == d or host.endswith("." + d) for d in (x.lower().lstrip(".") for x in domains)
    )


def in_scope(url: str, domains: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and host_matches(parts.hostname or "", domains)
