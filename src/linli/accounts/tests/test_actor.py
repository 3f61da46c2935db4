from datetime import timedelta

from django.utils import timezone

from linli.accounts.models import Posting
from linli.accounts.selectors import actor_for_user
from linli.core.actor import normalise_paths


def test_scope_is_the_union_of_postings_with_covered_paths_dropped():
    assert normalise_paths(["210102001002", "210102", "210103001", "210102001"]) == ("210102", "210103001")


def test_actor_has_roles_permissions_and_scope_of_its_postings(actors):
    street = actors["street_officer"]
    assert street.roles == {"street_officer"}
    assert street.scope_paths == ("210102001",)
    assert street.has_perm("orgtree.view") and not street.has_perm("audit.search")
    assert actors["auditor"].has_perm("audit.search") and actors["auditor"].citywide
    assert actors["department_officer"].department_ids


def test_resident_posting_grants_no_data_scope(actors):
    assert actors["resident"].roles == {"resident"}
    assert actors["resident"].scope_paths == ()


def test_ended_posting_no_longer_counts(people):
    user = people["district_admin"]
    Posting.objects.filter(user=user).update(ended_at=timezone.now() - timedelta(seconds=1))
    actor = actor_for_user(user)
    assert actor.scope_paths == () and actor.roles == frozenset()


def test_inactive_user_is_anonymous(people):
    user = people["city_admin"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not actor_for_user(user).is_authenticated


def test_an_empty_scope_path_is_never_a_scope(people):
    import pytest
    from django.db import IntegrityError, transaction

    assert normalise_paths(["", "210102"]) == ("210102",)
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(user=people["community_worker"]).update(scope_path="")


def test_postings_cannot_be_edited_in_the_admin(rf, people):
    from django.contrib.admin.sites import site

    from linli.accounts.admin import PostingInline
    from linli.accounts.models import User

    inline = PostingInline(User, site)
    request = rf.get("/")
    request.user = people["city_admin"]
    assert not inline.has_add_permission(request) and not inline.has_change_permission(request)
