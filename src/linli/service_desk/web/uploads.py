"""The one upload form handler shared by the workbench and the resident pages."""

from django.contrib import messages

from linli.core.errors import DomainError
from linli.service_desk.domain import UPLOAD_MAX_BYTES
from linli.service_desk.services import material_upload


def material_from_request(request, case, *, done: str) -> None:
    """Attach the posted file to the case and leave a message saying how it went."""
    upload = request.FILES.get("file")
    try:
        material_upload(
            actor=request.actor,
            case=case,
            material_key=request.POST.get("material_key", ""),
            filename=upload.name if upload else "",
            data=upload.read(UPLOAD_MAX_BYTES + 1) if upload else b"",
        )
    except DomainError as error:
        messages.error(request, "；".join(str(f.message) for f in error.fields) or str(error.message))
    else:
        messages.success(request, done)
