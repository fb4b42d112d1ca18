"""Phrase patterns for calls to action, rail labels and credit lines, per language.

Add a language by adding an entry to ``PATTERNS``; the key is the primary
language subtag (``"en"``, ``"de"``). Patterns are regular expressions matched
case-insensitively against one normalised text block.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguagePatterns:
    """Everything the text-level filters need to know about one language."""

    # A short block matching one of these asks the reader to do something, if it
    # also addresses the reader (see ``address``): "subscribers" alone is news.
    cta: tuple[str, ...]
    # Phrases that only ever appear in calls to action, reader address or not.
    strong: tuple[str, ...]
    # Second person, first person plural or an imperative opening.
    address: tuple[str, ...]
    # Whole-block labels of headline rails ("Most read") and ad slots.
    labels: tuple[str, ...]
    # Article lines that look like boilerplate because they repeat (credits).
    keep: tuple[str, ...]
    # Reported speech: a block quoting someone is story, not a call to action.
    attribution: tuple[str, ...]


ENGLISH = LanguagePatterns(
    cta=(
        # donations and memberships
        r"\b(donate|donation|contribut(e|ion)s?)\b",
        r"\bsupport (us|our \w+|independent \w+|(the )?\w+ (times|news|journalism))\b",
        r"\bbecome an? (member|supporter|subscriber|patron)\b",
        r"\bmembers? (can|get|enjoy)\b",
        r"\b(per|a|each) (month|year|week)\b.*\b(cancel|subscri|member|support)",
        r"^not ready to (support|subscribe|donate)",
        r"^remind me later",
        # subscriptions, newsletters, accounts
        r"\bsubscri(be|bers?|ption)\b",
        r"\bnewsletters?\b",
        r"\bsign (up|in)\b",
        r"\b(log|sign) ?in to\b",
        r"\bcreate an? (free )?account\b",
        r"\bfree articles? (left|remaining)\b",
        r"\bunlimited access\b",
        r"\byour (inbox|mailbox)\b",
        # social follow and share
        r"\bfollow (us|@)",
        r"\bfollow \w+( \w+)? on (whatsapp|telegram|facebook|x|twitter|instagram|tiktok)\b",
        r"\b(whatsapp|telegram) channel\b",
        r"\bjoin (us|our) on\b",
        r"^share( this)?( (story|article|page|on|via))?\b",
        r"^(tweet|email|print|copy link|comments?)$",
        # apps and podcasts
        r"\bdownload (the|our) .{0,40}\bapp\b",
        r"\b(app store|google play)\b",
        r"\b(listen|subscribe) (to|on) .{0,60}\b(podcast|apple podcasts|spotify)\b",
        r"\bpodcast\b.{0,80}\b(listen|episode|wherever you get)\b",
        # cookies and consent
        r"\bcookies?\b",
        r"^(accept|reject|allow) (all|cookies)\b",
        r"\bmanage (settings|preferences|choices)\b",
        r"\bprivacy (policy|settings)\b",
        # teasers
        r"^(also |read |see |watch |listen)(more|also|read|here)?\s*[:|\u2013\u2014-]",
        r"^(read|see|watch) (more|also|next)\b",
        r"^(continue reading|show more|load more|view comments)\b",
    ),
    strong=(
        r"\b(whatsapp|telegram) channel\b",
        r"\b(app store|google play)\b",
        r"\bprivacy (policy|settings)\b",
        r"^(accept|reject|allow) (all|cookies)\b",
        r"\bwe use cookies\b",
        r"^not ready to (support|subscribe|donate)",
        r"^remind me later",
        r"\bfree articles? (left|remaining)\b",
        r"^(read|also read|see also|watch|listen|more)\s*[:|\u2013\u2014]",
        r"^(tweet|email|print|copy link|comments?|share)$",
    ),
    address=(
        r"\b(you|your|yours|us|our|we)\b",
        r"^(please |now )?(sign|subscribe|follow|share|download|listen|read|watch|join|donate"
        r"|support|become|get|try|accept|reject|manage|register|log|create|click|tap|continue"
        r"|give|help|never miss|don'?t miss|stay|keep up|find out|discover|unlock|enjoy)\b",
    ),
    labels=(
        r"next in [\w ]{2,30}",
        r"(most|more) (read|popular|viewed|shared)( stories| articles| now)?",
        r"related (coverage|stories|articles|news|content|topics|links|reading)",
        r"(others|people|readers) also (read|viewed|liked)",
        r"(you )?(may|might) also (like|enjoy|be interested in)",
        r"(read|see|also read|read next|more stories|more news|more coverage)",
        r"more (from|in|on|about) [\w' ]{2,40}",
        r"(trending|trending now|top stories|latest news|latest stories|editor'?s picks)",
        r"(recommended|recommended for you|popular now|don'?t miss|in other news)",
        r"(advertisement|advert|ad|sponsored|sponsored content|promoted|partner content)",
        r"(story|article) continues (below|after (this )?advertisement)",
        r"(topics|tags|filed under)(:.{0,120})?",
        r"(once|monthly|annual|yearly|one-?time|continue|preview|other amount)",
        r"(facebook|twitter|x|whatsapp|telegram|linkedin|email|reddit|print)",
    ),
    keep=(
        r"^\(?(reporting|writing|editing|additional reporting) by\b",
        r"\b(contributed|contributed reporting|contributed to this (report|story|article))\.?$",
        r"^\w+( \w+)? (and|&) \w+( \w+)? contributed\b",
    ),
    attribution=(r"\b(said|says|told|according to|added|wrote|stated|argued|warned|noted)\b",),
)

PATTERNS: dict[str, LanguagePatterns] = {"en": ENGLISH}
