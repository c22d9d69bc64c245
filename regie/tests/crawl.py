"""A crawler over the site as a user sees it: it discovers pages, it does not list them.

From the home page it follows every link up to ``depth`` clicks; then, for every route that
shows one object (``<app>:<model>_detail``, ``…_edit`` …), it opens a sample of that model's
rows the user may see — always including rows whose optional relations are empty — and follows
their links one click further. Each route is fetched at most ``per_route`` times, so the crawl
stays bounded however much data there is. Server errors and template errors are collected,
not raised, so one run reports every broken page.
"""

import random
import re
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/", "/accounts/logout/", "/api/")
DOWNLOAD_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".ics", ".json", ".zip")
PER_DOWNLOAD_ROUTE = 2
OBJECT_SUFFIXES = ("_detail", "_edit")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    html: str = ""


@dataclass
class Failure:
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.url}\n{self.reason}"


@dataclass
class Crawl:
    """One user's crawl; ``pages`` holds every fetched page, ``failures`` what broke."""

    client: Client
    per_route: int = 20
    pages: dict[str, Page] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    fetched_per_route: Counter[str] = field(default_factory=Counter)

    def run(self, *, depth: int, samples: dict[str, list[str]]) -> None:
        self.follow(["/"], depth=depth)
        for urls in samples.values():
            self.follow(urls, depth=1)

    def follow(self, urls: Iterable[str], *, depth: int) -> None:
        """Fetch ``urls`` (whatever the route's count so far), then their links ``depth`` deep."""
        frontier = [url for url in urls if url not in self.pages]
        for level in range(depth + 1):
            found: list[str] = []
            for url in frontier:
                page = self.fetch(url)
                if page is not None and level < depth:
                    found.extend(self._local(page.html, base=url))
            frontier = [url for url in dict.fromkeys(found) if self._admit(url)]

    def fetch(self, url: str) -> Page | None:
        if url in self.pages:
            return None
        self.fetched_per_route[_route(url) or url] += 1
        try:
            response: Any = self.client.get(url)
        except Exception:  # every error is collected, so one run shows them all
            self.failures.append(Failure(url, traceback.format_exc(limit=-8)))
            self.pages[url] = Page(url, 500, "")
            return None
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        html = body.decode() if content_type.startswith("text/html") else ""
        page = Page(url, response.status_code, content_type, html)
        self.pages[url] = page
        if response.status_code >= 500:
            self.failures.append(Failure(url, f"status {response.status_code}"))
        return page

    def html_pages(self) -> Iterator[Page]:
        return (page for page in self.pages.values() if page.status == 200 and page.html)

    def _admit(self, url: str) -> bool:
        if url in self.pages or url.startswith(SKIPPED_PREFIXES):
            return False
        route = _route(url)
        if route is None:
            return False
        limit = PER_DOWNLOAD_ROUTE if url.split("?")[0].endswith(DOWNLOAD_SUFFIXES) else None
        return self.fetched_per_route[route] < (limit or self.per_route)

    def _local(self, html: str, *, base: str) -> Iterator[str]:
        for href in links_of(html):
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href:
                continue
            if href.startswith("?"):
                href = base.split("?")[0] + href
            if href.startswith("/"):
                yield href


def _route(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def object_routes() -> Iterator[tuple[str, str]]:
    """(route name, the one URL keyword) of every route that shows or edits one object."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                keywords = list(pattern.pattern.converters)
                if len(keywords) == 1 and pattern.name.endswith(OBJECT_SUFFIXES):
                    yield f"{namespace}{pattern.name}", keywords[0]

    yield from walk(get_resolver().url_patterns, "")


def model_of(route: str) -> type[models.Model] | None:
    """``clients:follow_up_edit`` → ``clients.FollowUp``: the route's namespace first."""
    namespace, _sep, name = route.rpartition(":")
    stem = re.sub(r"_(detail|edit)$", "", name).replace("_", "")
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.model_name == stem and model.__module__.startswith("regie.")
    ]
    candidates.sort(key=lambda model: model._meta.app_label != namespace)
    return candidates[0] if candidates else None


def sample_pks(queryset: models.QuerySet[Any], *, size: int, seed: str) -> list[Any]:
    """Up to ``size`` keys: rows with each optional relation empty first, then a random draw."""
    model = queryset.model
    chosen: list[Any] = []

    def take(rows: models.QuerySet[Any], count: int = 2) -> None:
        for pk in rows.exclude(pk__in=chosen).values_list("pk", flat=True)[:count]:
            chosen.append(pk)

    for relation in model._meta.get_fields():
        if relation.is_relation and relation.many_to_one and getattr(relation, "null", False):
            take(queryset.filter(**{f"{relation.name}__isnull": True}))
        elif relation.is_relation and relation.one_to_many and relation.related_model:
            accessor = relation.name
            take(queryset.filter(**{f"{accessor}__isnull": True}), 1)  # none at all
            for inner in relation.related_model._meta.get_fields():
                if inner.is_relation and inner.many_to_one and getattr(inner, "null", False):
                    take(
                        queryset.filter(
                            **{f"{accessor}__pk__isnull": False, f"{accessor}__{inner.name}": None}
                        ).distinct()
                    )
    rest = list(queryset.exclude(pk__in=chosen).values_list("pk", flat=True))
    random.Random(seed).shuffle(rest)
    chosen.extend(rest[: max(0, size - len(chosen))])
    return chosen


def object_samples(user: Any, *, size: int) -> dict[str, list[str]]:
    """Route name → URLs of sampled objects the user may see (every model with a page)."""
    samples: dict[str, list[str]] = {}
    for route, keyword in object_routes():
        model = model_of(route)
        if model is None:
            continue
        manager: Any = model._default_manager
        queryset = (
            manager.visible_to(user)
            if hasattr(manager, "visible_to") and user.is_authenticated
            else manager.all()
        )
        pks = sample_pks(queryset, size=size, seed=f"{route}:{user.pk}")
        samples[route] = [reverse(route, kwargs={keyword: pk}) for pk in pks]
    return samples
