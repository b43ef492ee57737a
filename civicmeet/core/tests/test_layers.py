"""Dependencies between the apps run one way, bottom to top (civicmeet/layers.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from civicmeet.layers import LAYERS, RANK, may_import

PACKAGE = Path(__file__).resolve().parents[2]  # civicmeet/


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "civicmeet" and parts[1] in RANK else None


def imports_of(source: str, module: str) -> list[tuple[str, int]]:
    """(absolute module, line) of every import in `source` (relative ones resolved), also those
    inside functions, where a cycle would otherwise hide."""
    package = module.split(".")[:-1] if not module.endswith("__init__") else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            # `from civicmeet import registrations` names the app in the alias.
            if target == "civicmeet":
                found += [(f"civicmeet.{alias.name}", node.lineno) for alias in node.names]
    return found


def violations(source: str, module: str) -> list[str]:
    """What in `source` (the text of `module`) imports against the layers."""
    importer = _app_of(module)
    if importer is None:
        return []
    found = []
    for target, line in imports_of(source, module):
        imported = _app_of(target)
        if imported is not None and not may_import(importer, imported):
            found.append(f"{module}:{line} ({importer}) imports {target} ({imported})")
    return found


def product_modules() -> list[tuple[Path, str]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "tests" in relative.parts:
            continue
        modules.append((path, ".".join(relative.parts)))
    return modules


def test_every_app_is_in_the_layer_table():
    ours = {config.name.split(".")[1] for config in apps.get_app_configs() if config.name.startswith("civicmeet.")}
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert ours <= set(RANK), ours - set(RANK)
    assert packages <= set(RANK), packages - set(RANK)
    assert len(RANK) == sum(len(layer) for layer in LAYERS)  # no app in two layers


def test_no_module_imports_an_app_above_or_beside_its_own():
    modules = product_modules()
    assert len(modules) > 80
    found = [problem for path, module in modules for problem in violations(path.read_text("utf-8"), module)]
    assert found == []


# Packages of plain Python: they import nothing from Django nor from the rest of civicmeet.
PURE_PACKAGES = ("civicmeet.eligibility", "civicmeet.networking.planner")


def impure_imports(source: str, module: str, package: str) -> list[str]:
    """The imports in `source` (the text of `module`, inside `package`) of Django or of civicmeet code
    outside `package`."""
    found = []
    for target, line in imports_of(source, module):
        top = target.split(".")[0]
        outside = top == "civicmeet" and target != package and not target.startswith(package + ".")
        if top == "django" or outside:
            found.append(f"{module}:{line} imports {target}")
    return found


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_django_and_no_other_civicmeet_code(package):
    modules = [(path, module) for path, module in product_modules() if module.startswith(package + ".")]
    assert len(modules) > 3
    assert [
        problem for path, module in modules for problem in impure_imports(path.read_text("utf-8"), module, package)
    ] == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("civicmeet.networking.planner.solve", "from django.conf import settings\n"),
        ("civicmeet.networking.planner.model", "from civicmeet.core.i18n import localize\n"),
        ("civicmeet.networking.planner.search", "from .. import models\n"),
    ],
)
def test_an_impure_import_is_found(module, source):
    assert len(impure_imports(source, module, "civicmeet.networking.planner")) == 1


def relation_violations(models) -> list[str]:
    """The relations (foreign keys, generic relations…) of `models` that point up the layers."""
    found = []
    for model in models:
        source = _app_of(model.__module__)
        if source is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if field.auto_created and not field.concrete:
                continue  # the reverse side of someone else's relation
            related = getattr(field, "related_model", None)
            if related is None or isinstance(related, str):
                continue
            target = _app_of(related.__module__)
            if target is not None and not may_import(source, target):
                found.append(f"{model._meta.label}.{field.name} -> {related._meta.label}")
    return found


def test_no_model_points_at_an_app_above_its_own():
    models = apps.get_models()
    assert sum(1 for model in models if _app_of(model.__module__)) > 10
    assert relation_violations(models) == []


# The checks above must be able to fail: each of these is an import someone could add.
FORBIDDEN = [
    ("civicmeet.events.selectors", "from civicmeet.registrations.models import State\n"),
    (
        "civicmeet.events.services",
        "def f():\n    from civicmeet.registrations.safety import safety_verdicts_recompute\n",
    ),
    ("civicmeet.notifications.tasks", "import civicmeet.registrations.services\n"),
    ("civicmeet.core.views", "from civicmeet import registrations\n"),
    ("civicmeet.events.views", "from ..registrations import selectors\n"),
    ("civicmeet.accounts.models", "from civicmeet.organisations.models import Organisation\n"),
    ("civicmeet.eligibility.safety", "from civicmeet.core.i18n import localize\n"),
    ("civicmeet.registrations.views_manage", "from civicmeet.api.errors import SLUG_PATTERN\n"),
]
ALLOWED = [
    ("civicmeet.registrations.services", "from civicmeet.events.models import Event\n"),
    ("civicmeet.events.services", "from civicmeet.accounts import services\n"),
    ("civicmeet.registrations.emails", "from civicmeet.notifications.services import email_queue\n"),
    ("civicmeet.events.views", "from . import history\nfrom .models import Event\n"),
    ("civicmeet.api.manage", "from civicmeet.registrations.services import guest_add\n"),
    ("civicmeet.events.forms", "from civicmeet.eligibility import SafetyPolicy\n"),
]


@pytest.mark.parametrize(("module", "source"), FORBIDDEN)
def test_a_forbidden_import_is_found(module, source):
    assert len(violations(source, module)) == 1


@pytest.mark.parametrize(("module", "source"), ALLOWED)
def test_an_import_down_the_layers_is_allowed(module, source):
    assert violations(source, module) == []


def test_a_relation_up_the_layers_is_found():
    """The outbox pointing at registrations, as it did before its link became generic."""
    registration = apps.get_model("registrations", "Registration")

    class Field:
        name, auto_created, concrete, related_model = "registration", False, True, registration

    class Meta:
        label = "notifications.OutgoingEmail"

        @staticmethod
        def get_fields(include_hidden=False):
            return [Field()]

    class OutgoingEmail:
        __module__ = "civicmeet.notifications.models"
        _meta = Meta

    assert relation_violations([OutgoingEmail]) == [
        "notifications.OutgoingEmail.registration -> registrations.Registration"
    ]
