"""The export archive: `data.json` (see `selectors.personal_data`) and the person's
stored files, zipped and kept in the private storage. The link to it is signed and
expires (`links.py`)."""

import io
import json
import uuid
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder

from marketplace.privacy.selectors import personal_data, personal_files

README = (
    "data.json holds everything the platform keeps about you; the folders hold your "
    "entries' files, the deeds you signed and your certificates.\n"
)


def archive_bytes(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        data = json.dumps(personal_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        archive.writestr("data.json", data)
        for name, stored in personal_files(user):
            if stored and default_storage.exists(stored):
                with default_storage.open(stored, "rb") as source:
                    archive.writestr(name, source.read())
    return buffer.getvalue()


def archive_store(user) -> str:
    """Build the person's archive and save it privately; the name it was stored under."""
    name = f"privacy/exports/{user.pk}/{uuid.uuid4().hex}.zip"
    return default_storage.save(name, ContentFile(archive_bytes(user)))


def archive_delete(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)
