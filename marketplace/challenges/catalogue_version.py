"""The catalogue's version: a token in the shared cache that every change to what the
catalogue shows replaces, and that every cached piece of the catalogue is keyed by.

A challenge saved, created, updated, deleted (one by one or in bulk) and a registration
made or removed (the solver count) replace it; `CatalogueQuerySet` and the models'
`save` and `delete` call `catalogue_changed`, so no writer has to remember to. An
organisation's new name shows once the cached piece expires (a minute at most)."""

import hashlib
import time

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language

KEY = "catalogue:version"


def catalogue_version() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, time.time_ns(), timeout=None)
        version = cache.get(KEY)
    return version


def _replace() -> None:
    cache.set(KEY, time.time_ns(), timeout=None)


def catalogue_changed() -> None:
    """Replace the version now, and again once the transaction commits: a reader between
    the two would otherwise cache the rows as they were under the new version."""
    _replace()
    transaction.on_commit(_replace)


def current_minute() -> int:
    return int(time.time() // 60)


def catalogue_key(name: str, text: str, *, per_minute: bool = False) -> str:
    """The cache key of a catalogue piece named `name` for the request text `text` (a
    query string, a query), in the reader's language and time zone, at this version;
    `per_minute` for a piece with relative times ("closes in 5 minutes"), so that they
    are never more than a minute old."""
    minute = current_minute() if per_minute else ""
    zone = timezone.get_current_timezone_name()
    version = catalogue_version()
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"catalogue:{name}:{version}:{minute}:{get_language()}:{zone}:{digest}"


class CatalogueQuerySet(models.QuerySet):
    """Writes in bulk replace the catalogue's version, as saving one row does."""

    def update(self, **kwargs):
        updated = super().update(**kwargs)
        catalogue_changed()
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        catalogue_changed()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        catalogue_changed()
        return updated

    def delete(self):
        deleted = super().delete()
        catalogue_changed()
        return deleted


class CatalogueRow(models.Model):
    """A model whose rows the catalogue shows: saving or deleting one, or writing them in
    bulk through the default manager, replaces the catalogue's version."""

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        catalogue_changed()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        catalogue_changed()
        return deleted
