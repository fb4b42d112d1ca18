"""A small offline news site: the demo's target and the tests' fixture site.

Pages come from the two seed articles (rendered with their boilerplate inside
the article container, as the outlets serve it) and a few invented stories in
another template, with an RSS feed, an Atom feed, a sitemap index, a news
sitemap, paginated section pages and a robots.txt.
"""

from newsvault.demosite.site import Page, Site, build_site

__all__ = ["Page", "Site", "build_site"]
