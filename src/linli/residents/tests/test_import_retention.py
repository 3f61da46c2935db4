from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from linli.residents.imports import import_files_prune
from linli.residents.models import ImportJob


def test_old_upload_and_error_files_are_deleted_but_the_job_stays(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    for name in ("old.csv", "old.errors.csv", "new.csv"):
        (tmp_path / "imports" / name).write_text("身份证号\n")
    owner = people["community_worker"]
    long_ago = timezone.now() - timedelta(days=settings.LINLI_IMPORT_RETENTION_DAYS + 1)
    old = ImportJob.objects.create(
        owner=owner,
        file_name="old.csv",
        stored_path="imports/old.csv",
        error_file="imports/old.errors.csv",
        status="done",
        created=3,
        finished_at=long_ago,
    )
    new = ImportJob.objects.create(
        owner=owner,
        file_name="new.csv",
        stored_path="imports/new.csv",
        status="done",
        finished_at=timezone.now() - timedelta(days=1),
    )
    assert import_files_prune() == "import files removed: 2"
    assert sorted(p.name for p in Path(tmp_path / "imports").iterdir()) == ["new.csv"]
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.stored_path, old.error_file, old.created) == ("", "", 3)
    assert new.stored_path == "imports/new.csv"
    assert import_files_prune() == "import files removed: 0"
