"""How an app plugs into the shared surfaces: URLs, the API, the menu and the cross-app hooks.

Each app states what it contributes in one frozen ``AppContribution`` and registers it from its
``AppConfig.ready()``; ``regie/urls.py``, ``regie/api.py`` and the menu read the registry and
name no app. Removing an app's folder and its ``INSTALLED_APPS`` line removes all it added.

Named ``plugins`` rather than ``registry``: the registry is the app of organisations and people.
The pattern is NetBox's ``netbox/registry.py`` (one store, filled from ``ready()``, checked on
write) with Wagtail's ``is_shown`` (here ``visible(actor)``) and ``register_temporarily``.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol

from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from regie.core import permissions
from regie.core.permissions import Role, role_of

if TYPE_CHECKING:
    from django.apps import AppConfig
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

# Who a page is for: ``request.user`` as the menu and the hooks receive it (signed in or not).
type Actor = permissions.Actor | AnonymousUser


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: "StrOrPromise"


# The menu's groups in the order they appear; a group with one visible entry is a plain link.
MENU_GROUPS: tuple[MenuGroup, ...] = (
    MenuGroup("overview", _("Overview")),
    MenuGroup("registry", _("Registry")),
    MenuGroup("networks", _("Networks")),
    MenuGroup("clients", _("Clients")),
    MenuGroup("plans", _("Action plan")),
    MenuGroup("home_work", _("Home work")),
    MenuGroup("administration", _("Administration")),
)
_GROUP_KEYS = {group.key for group in MENU_GROUPS}


def always(actor: Actor) -> bool:
    """Every signed-in user sees the entry (the menu is shown to signed-in users only)."""
    return True


def for_roles(*roles: Role) -> Callable[[Actor], bool]:
    """A ``visible`` predicate: the entry shows to these roles (``role_of``)."""
    allowed = frozenset(roles)

    def visible(actor: Actor) -> bool:
        return role_of(actor) in allowed

    return visible


@dataclass(frozen=True, kw_only=True)
class MenuEntry:
    """One link of the menu: ``url_name`` is reversed when the page renders.

    ``key`` is what a page's ``active_nav`` names to mark the entry as current; ``order`` sorts
    the entries of one group, whichever app they come from.
    """

    key: str
    label: "StrOrPromise"
    url_name: str
    group: str
    order: int
    visible: Callable[[Actor], bool] = always


@dataclass(frozen=True)
class UrlMount:
    """``include(module)`` under ``prefix``; the namespace is the module's ``app_name``."""

    prefix: str
    module: str


# The hooks the next issues fill. Each receives the actor and reads only what it may see.


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: "StrOrPromise"


class SearchProvider(Protocol):
    """What an app finds for a user typing ``query`` in the global search."""

    def __call__(self, *, actor: Actor, query: str, limit: int) -> Sequence[SearchHit]: ...


@dataclass(frozen=True)
class TaskItem:
    title: str
    url: str
    due: date | None


class TaskSource(Protocol):
    """The open items an app puts on a person's task list."""

    def __call__(self, *, actor: Actor) -> Sequence[TaskItem]: ...


@dataclass(frozen=True)
class TodayPanelContent:
    title: "StrOrPromise"
    template_name: str
    context: dict[str, object] = field(default_factory=dict)


class TodayPanel(Protocol):
    """What an app shows on the actor's home page; ``None`` shows nothing."""

    def __call__(self, *, actor: Actor) -> TodayPanelContent | None: ...


@dataclass(frozen=True, kw_only=True)
class AppContribution:
    """Everything one app adds to the shared surfaces, keyed by its app label.

    ``api_routers``, ``home_view`` and ``api_token_check`` are dotted paths, imported when the
    URLconf loads rather than in ``ready()``. ``home_view`` is the page at ``/`` and
    ``api_token_check`` turns a bearer token into a user: one app declares each.
    """

    label: str
    urls: tuple[UrlMount, ...] = ()
    api_routers: tuple[str, ...] = ()
    home_view: str | None = None
    api_token_check: str | None = None
    menu: tuple[MenuEntry, ...] = ()
    search_provider: SearchProvider | None = None
    task_source: TaskSource | None = None
    today_panel: TodayPanel | None = None


_contributions: dict[str, AppContribution] = {}


def register(contribution: AppContribution) -> None:
    """Add an app's contribution; again with the same value is a no-op (``ready()`` may run twice).

    Raises ``ImproperlyConfigured`` for a second, different contribution under the same label and
    for one that clashes with what other apps registered.
    """
    existing = _contributions.get(contribution.label)
    if existing == contribution:
        return
    if existing is not None:
        raise ImproperlyConfigured(
            f"App {contribution.label!r} registered a different contribution before."
        )
    _check(contribution, others=list(_contributions.values()))
    _contributions[contribution.label] = contribution


def unregister(label: str) -> None:
    _contributions.pop(label, None)


@contextmanager
def register_temporarily(contribution: AppContribution) -> Iterator[AppContribution]:
    """For tests: the contribution counts inside the block only (URLs excepted: they load once)."""
    register(contribution)
    try:
        yield contribution
    finally:
        unregister(contribution.label)


def contributions() -> list[AppContribution]:
    """Every registered contribution, in ``INSTALLED_APPS`` order (others, e.g. a test's, last)."""
    position = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_contributions.values(), key=lambda c: position.get(c.label, len(position)))


def menu_entries() -> list[MenuEntry]:
    """All entries of all apps, by group (``MENU_GROUPS`` order) and ``order`` within it."""
    group_position = {group.key: index for index, group in enumerate(MENU_GROUPS)}
    entries = [entry for contribution in contributions() for entry in contribution.menu]
    return sorted(entries, key=lambda entry: (group_position[entry.group], entry.order))


def declared(name: Literal["home_view", "api_token_check"]) -> str:
    """The dotted path that exactly one app declares: the view at ``/``, the API's token check."""
    paths = [getattr(c, name) for c in contributions() if getattr(c, name)]
    if len(paths) != 1:
        raise ImproperlyConfigured(f"Exactly one app must declare {name}; found {paths}.")
    return str(paths[0])


def _check(contribution: AppContribution, *, others: list[AppContribution]) -> None:
    problems: list[str] = []
    if not contribution.label.isidentifier():
        problems.append("the label must be an app label")
    for mount in contribution.urls:
        if mount.prefix.startswith("/") or (mount.prefix and not mount.prefix.endswith("/")):
            problems.append(f"URL prefix {mount.prefix!r} must be empty or end in '/' only")
    taken_keys = {entry.key for other in others for entry in other.menu}
    own_keys: set[str] = set()
    for entry in contribution.menu:
        if entry.group not in _GROUP_KEYS:
            problems.append(f"menu entry {entry.key!r} names unknown group {entry.group!r}")
        if entry.key in taken_keys or entry.key in own_keys:
            problems.append(f"menu key {entry.key!r} is taken")
        own_keys.add(entry.key)
    for name in ("home_view", "api_token_check"):
        if getattr(contribution, name) and any(getattr(other, name) for other in others):
            problems.append(f"another app already declares {name}")
    if problems:
        raise ImproperlyConfigured(
            f"App {contribution.label!r} cannot register: {'; '.join(problems)}."
        )


@checks.register(checks.Tags.urls)
def check_menu_urls(
    app_configs: "Sequence[AppConfig] | None" = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """``manage.py check``: every menu entry's URL name reverses (the URLconf is loaded here)."""
    errors: list[checks.CheckMessage] = []
    for entry in menu_entries():
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"Menu entry {entry.key!r} names URL {entry.url_name!r}, which does not "
                    "reverse without arguments.",
                    id="core.E001",
                )
            )
    return errors
