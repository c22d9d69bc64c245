"""The layers of docs/architecture.md where import-linter cannot see them.

import-linter (``make lint``) checks Python imports against the ``layers`` contract in
pyproject.toml. A model's foreign key written as a string (``"network.Meeting"``), the order of
INSTALLED_APPS and ``load_demo``'s discovery of each app's ``demo_load`` are not imports: these
tests hold them to the same layers, read from the same contract.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from regie.registry.management.commands.load_demo import demo_loaders

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def layer_of_app() -> dict[str, int]:
    """Each app's layer, 0 at the bottom (``core``), from the import-linter contract."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    layers: dict[str, int] = {}
    for height, layer in enumerate(reversed(contract["layers"])):
        for tail in layer.replace(":", "|").split("|"):
            layers[f"regie.{tail.strip().strip('()')}"] = height
    return layers


def regie_apps() -> list[str]:
    return [name for name in settings.INSTALLED_APPS if name.startswith("regie.")]


def relation_fields(model: type[models.Model]) -> list[Any]:
    """The model's foreign keys, one-to-one and many-to-many fields (declared or auto-created)."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
    ]


def test_every_installed_app_has_a_layer() -> None:
    layers = layer_of_app()
    assert set(regie_apps()) <= set(layers), "place every new app in pyproject's layers contract"
    assert {"regie.core", "regie.registry", "regie.accounts", "regie.network"} <= set(layers)


def test_installed_apps_follow_the_layers_from_the_bottom_up() -> None:
    layers = layer_of_app()
    heights = [layers[name] for name in regie_apps()]
    assert heights == sorted(heights), list(zip(regie_apps(), heights, strict=True))


def test_load_demo_discovers_the_apps_in_installed_apps_order() -> None:
    """A demo loader may use the rows of the apps below it, never those above it."""
    installed = regie_apps()
    discovered = [load.__module__.rpartition(".demo")[0] for load in demo_loaders()]
    assert discovered, "load_demo found no app's demo_load"
    assert set(discovered) <= set(installed), discovered
    assert discovered == sorted(discovered, key=installed.index)
    layers = layer_of_app()
    heights = [layers[name] for name in discovered]
    assert heights == sorted(heights), list(zip(discovered, heights, strict=True))


def test_every_string_reference_between_models_resolves_to_a_model() -> None:
    unresolved = [
        f"{model._meta.label}.{field.name} -> {field.remote_field.model!r}"
        for model in apps.get_models(include_auto_created=True)
        for field in relation_fields(model)
        if not isinstance(field.remote_field.model, type)
    ]
    assert unresolved == []


def test_foreign_keys_point_only_at_the_same_app_or_a_layer_below() -> None:
    """The user model is the exception: audit and history name the actor through the swappable
    ``settings.AUTH_USER_MODEL``, which every layer may reference."""
    layers = layer_of_app()
    upward = []
    for model in apps.get_models(include_auto_created=True):
        source = model._meta.app_config.name
        if source not in layers:
            continue
        for field in relation_fields(model):
            target_model = field.remote_field.model
            if target_model._meta.label == settings.AUTH_USER_MODEL:
                continue
            target = target_model._meta.app_config.name
            if target == source or target not in layers:
                continue
            if layers[target] >= layers[source]:
                upward.append(f"{model._meta.label}.{field.name} -> {target_model._meta.label}")
    assert upward == []


def test_the_layer_walk_sees_the_cross_app_keys_it_checks() -> None:
    """Guards the walk itself: a known key from plans down to network is among the fields."""
    action = apps.get_model("plans", "Action")
    targets = {field.remote_field.model._meta.label for field in relation_fields(action)}
    assert "network.Meeting" in targets
