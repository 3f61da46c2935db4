"""Organisations of the small tree (`linli.testing`), one of each case the scope matrix needs:

- 水源地互助会: based in 水源地社区 210102001002, the organiser's own (OrgMember);
- 浑河湾助老队: based in 浑河湾社区 210102001003 (a sibling community);
- 滨河志愿服务队: based in 滨河社区 210103001001 (another district);
- 沈阳市社区公益联合会: citywide, based at the city 2101;
- 水源地旧队: deregistered, in 水源地社区.
"""

from __future__ import annotations

import pytest

from linli.partners.models import OrgMember, SocialOrg


def make_org(name: str, path: str, **extra) -> SocialOrg:
    values = {
        "kind": "mutual_aid",
        "status": "filed",
        "responsible_name": "王丽",
        "unit_path": path,
    } | extra
    return SocialOrg.objects.create(name=name, **values)


@pytest.fixture
def orgs(people):
    found = {
        "own": make_org("水源地互助会", "210102001002"),
        "sibling": make_org("浑河湾助老队", "210102001003", kind="relief"),
        "other_district": make_org("滨河志愿服务队", "210103001001", kind="life_service"),
        "citywide": make_org("沈阳市社区公益联合会", "2101", citywide=True, kind="charity"),
        "gone": make_org("水源地旧队", "210102001002", active=False),
    }
    OrgMember.objects.create(user=people["organiser"], social_org=found["own"], linked_by="test")
    return found
