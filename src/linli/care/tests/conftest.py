"""Care services' test fixtures. `shipped_care_data` loads again what the migrations ship (the
example service list, the modification items): a transactional test starts after the previous
one's flush, which removed them."""

from importlib import import_module

import pytest


@pytest.fixture
def shipped_care_data(db):
    from django.apps import apps

    import_module("linli.care.migrations.0006_entitlements_example_list").load_example_list(apps, None)
    import_module("linli.care.migrations.0008_modifications_items").load_items(apps, None)
