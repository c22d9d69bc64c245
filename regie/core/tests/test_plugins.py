"""Apps plug in through ``regie.core.plugins``: registration is checked, the menu keeps its shape
for every role, and a site without a leaf app (``logistics``) still works."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core import plugins
from regie.core.permissions import Role
from regie.registry.tests.factories import PersonFactory

REMOVED_APP_PROBE = Path(__file__).with_name("without_logistics_probe.py")


def _entry(key: str, *, group: str = "overview", url_name: str = "home") -> plugins.MenuEntry:
    return plugins.MenuEntry(key=key, label=_("Overview"), url_name=url_name, group=group, order=99)


def _trial(*, api_routers: tuple[str, ...] = ()) -> plugins.AppContribution:
    return plugins.AppContribution(
        label="trial", api_routers=api_routers, menu=(_entry("trial_home"),)
    )


# Registration --------------------------------------------------------------------------------


def test_registering_the_same_contribution_again_changes_nothing():
    with plugins.register_temporarily(_trial()):
        before = plugins.contributions()
        plugins.register(_trial())
        assert plugins.contributions() == before


def test_a_different_contribution_under_a_taken_label_is_refused():
    refused = pytest.raises(ImproperlyConfigured, match="'trial' registered a different")
    with plugins.register_temporarily(_trial()), refused:
        plugins.register(_trial(api_routers=("regie.registry.api.router",)))


def test_every_installed_app_with_pages_registered_once_in_installed_apps_order():
    labels = [contribution.label for contribution in plugins.contributions()]
    regie_apps = [name.removeprefix("regie.") for name in settings.INSTALLED_APPS]
    assert labels == [label for label in regie_apps if label in labels]
    assert {"core", "accounts", "registry", "network", "plans", "clients", "logistics"} <= set(
        labels
    )


@pytest.mark.parametrize(
    ("contribution", "problem"),
    [
        (plugins.AppContribution(label="trial", menu=(_entry("home"),)), "menu key 'home'"),
        (
            plugins.AppContribution(label="trial", menu=(_entry("x"), _entry("x"))),
            "menu key 'x'",
        ),
        (
            plugins.AppContribution(label="trial", menu=(_entry("x", group="shop"),)),
            "unknown group 'shop'",
        ),
        (
            plugins.AppContribution(label="trial", urls=(plugins.UrlMount("/x", "m"),)),
            "URL prefix '/x'",
        ),
        (
            plugins.AppContribution(label="trial", urls=(plugins.UrlMount("x", "m"),)),
            "URL prefix 'x'",
        ),
        (plugins.AppContribution(label="trial", home_view="a.b"), "already declares home_view"),
        (plugins.AppContribution(label="not a label"), "must be an app label"),
    ],
)
def test_a_contribution_that_clashes_is_refused_when_it_registers(contribution, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        plugins.register(contribution)
    assert contribution not in plugins.contributions()


def test_register_temporarily_counts_inside_its_block_only():
    assert "trial_home" not in [entry.key for entry in plugins.menu_entries()]
    with plugins.register_temporarily(_trial()):
        assert "trial_home" in [entry.key for entry in plugins.menu_entries()]
    assert "trial_home" not in [entry.key for entry in plugins.menu_entries()]
    assert "trial" not in [contribution.label for contribution in plugins.contributions()]


def test_the_system_check_names_a_menu_entry_whose_url_does_not_reverse():
    assert plugins.check_menu_urls() == []
    with plugins.register_temporarily(
        plugins.AppContribution(label="trial", menu=(_entry("trial", url_name="trial:gone"),))
    ):
        errors = plugins.check_menu_urls()
    assert [error.id for error in errors] == ["core.E001"]
    assert "'trial:gone'" in errors[0].msg


# The menu, per role: exactly the entries it had before the apps plugged in ---------------------

REGISTRY_READ = ["organisations", "people", "municipalities"]
NETWORKS = ["bodies", "my_follow_ups", "knowledge", "calendar"]
ROUNDS = ["rounds", "orders", "home_work", "vans"]

MENU = {
    "coordinator": {
        "Overzicht": ["home"],
        "Register": [*REGISTRY_READ, "import"],
        "Netwerken": NETWORKS,
        "Cliënten": ["clients"],
        "Actieplan": ["plans", "budget"],
        "Thuiswerk": ROUNDS,
    },
    "partner": {
        "Overzicht": ["home"],
        "Register": REGISTRY_READ,
        "Netwerken": NETWORKS,
        "Cliënten": ["clients"],
        "Actieplan": ["plans"],
        "Thuiswerk": ROUNDS,
    },
    "counsellor": {
        "Overzicht": ["home"],
        "Register": REGISTRY_READ,
        "Netwerken": NETWORKS,
        "Cliënten": ["clients", "client_follow_ups"],
        "Actieplan": ["plans"],
    },
    "viewer": {
        "Overzicht": ["home"],
        "Register": ["municipalities"],
        "Netwerken": ["calendar"],
        "Cliënten": ["progression"],
        "Actieplan": ["plans", "budget"],
    },
    "admin": {
        "Overzicht": ["home"],
        "Register": [*REGISTRY_READ, "import"],
        "Netwerken": NETWORKS,
        "Cliënten": ["progression", "client_access_log"],
        "Actieplan": ["plans", "budget"],
        "Beheer": ["admin"],
    },
}


def _menu(client, user) -> dict[str, list[str]]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {
        str(label): [link.key for link in links] for label, links in response.context["nav_groups"]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MENU))
def test_each_role_sees_the_menu_it_always_had(client, cast, role):
    menu = _menu(client, cast[role])
    assert menu == MENU[role]
    assert list(menu) == list(MENU[role])  # groups in their fixed order


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "partner", "counsellor"])
def test_a_person_on_rounds_also_sees_my_rounds(client, cast, role, home_region):
    user = cast[role]
    user.person = PersonFactory.create(region=home_region)
    user.save()
    menu = _menu(client, user)
    assert menu["Thuiswerk"] == [*(ROUNDS if role != "counsellor" else []), "my_rounds"]


@pytest.mark.django_db
def test_a_viewer_linked_to_a_person_has_no_rounds(client, viewer, home_region):
    viewer.person = PersonFactory.create(region=home_region)
    viewer.save()
    assert "Thuiswerk" not in _menu(client, viewer)


@pytest.mark.django_db
def test_menu_links_are_reversed_when_the_page_renders(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    for name in ("registry:organisation_list", "knowledge:home", "logistics:van_list"):
        assert f'href="{reverse(name)}"' in page


@pytest.mark.django_db
def test_a_temporary_entry_shows_in_the_menu_of_those_it_is_visible_to(client, cast):
    contribution = plugins.AppContribution(
        label="trial",
        menu=(
            plugins.MenuEntry(
                key="trial",
                label=_("Overview"),
                url_name="registry:municipality_list",
                group="administration",
                order=20,
                visible=plugins.for_roles(Role.VIEWER),
            ),
        ),
    )
    with plugins.register_temporarily(contribution):
        assert _menu(client, cast["viewer"])["Beheer"] == ["trial"]
        assert "Beheer" not in _menu(client, cast["partner"])
    assert "Beheer" not in _menu(client, cast["viewer"])


def test_the_shared_modules_name_no_app():
    regie = Path(settings.BASE_DIR) / "regie"
    apps = ["accounts", "registry", "network", "plans", "clients", "logistics"]
    for module in ("core/context_processors.py", "core/plugins.py", "urls.py", "api.py"):
        text = (regie / module).read_text(encoding="utf-8")
        assert not [app for app in apps if f"regie.{app}" in text], module


# Removing a leaf app ---------------------------------------------------------------------------


def _project_without_logistics(source: Path, target: Path) -> Path:
    """Copy the project as a developer would leave it after deleting the ``logistics`` app."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name == "__pycache__"}
        if Path(folder) == source / "regie":
            skipped.add("logistics")
        return skipped

    for name in ("manage.py", "conftest.py", "pyproject.toml"):
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "regie", target / "regie", ignore=ignore)
    settings_file = target / "regie" / "settings.py"
    text = settings_file.read_text(encoding="utf-8")
    assert '    "regie.logistics",\n' in text
    settings_file.write_text(text.replace('    "regie.logistics",\n', ""), encoding="utf-8")
    return target


def test_the_site_works_without_the_logistics_app(tmp_path):
    project = _project_without_logistics(Path(settings.BASE_DIR), tmp_path)
    probe = project / "regie" / "test_without_logistics.py"
    shutil.copy2(REMOVED_APP_PROBE, probe)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["DJANGO_SETTINGS_MODULE"] = "regie.settings"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", str(probe)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
