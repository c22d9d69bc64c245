"""The navigation shows only the sections a user may open, grouped by capability.

The entries come from each app's contribution (``regie.core.plugins``); this module names none.
"""

from typing import TYPE_CHECKING, NamedTuple

from django.http import HttpRequest
from django.urls import reverse

from regie.core import plugins
from regie.core.permissions import role_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MenuLink(NamedTuple):
    key: str
    label: "StrOrPromise"
    url: str


def navigation(request: HttpRequest) -> dict[str, object]:
    """``nav_groups``: (label, [(key, label, url)]); a group of one item is a plain link."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_groups": []}
    links: dict[str, list[MenuLink]] = {group.key: [] for group in plugins.MENU_GROUPS}
    for entry in plugins.menu_entries():
        if entry.visible(user):
            links[entry.group].append(MenuLink(entry.key, entry.label, reverse(entry.url_name)))
    groups = [(group.label, links[group.key]) for group in plugins.MENU_GROUPS]
    return {
        "nav_groups": [(label, items) for label, items in groups if items],
        "user_role": role_of(user),
    }
