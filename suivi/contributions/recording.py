"""The frame of every write: one transaction, one change set, history rows that name it, then the hooks.

    with change(user, Origin.PAGE, "Correction de la valeur 2016") as record:
        ...  # service code saves models
        record.touch(programme)

Historical rows written inside the block carry the change set, its author and its
reason. Writing a tracked model outside such a block raises ``UnrecordedWrite``: no
view, command or admin action can write around the services. When the block ends
without error, ``data_changed`` is sent inside the transaction (the search index is
rebuilt there, so a crash leaves both as they were); receivers that must wait for the
commit (caches) use ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal, receiver
from simple_history.signals import pre_create_historical_record

from suivi.sources.models import ChangeSet, Origin

# Sent inside the transaction once a change set is written; kwargs: change_set, programmes (slugs).
data_changed = Signal()

HISTORY_REASON_LENGTH = 100


class UnrecordedWrite(RuntimeError):
    """A tracked model was saved outside ``change()``: a write that went around the services."""


class Recording:
    """One change under way. Its change set is made with the first row it records, so a
    block that writes nothing (a refused or empty form) leaves no trace."""

    def __init__(self, actor, origin: str, reason: str, programme_slug: str):
        self._fields = {
            "author": actor,
            "origin": Origin(origin),
            "reason": reason[:500],
            "programme_slug": programme_slug,
        }
        self._change_set: ChangeSet | None = None
        self.programmes: set[str] = set()

    @property
    def change_set(self) -> ChangeSet:
        if self._change_set is None:
            self._change_set = ChangeSet.objects.create(**self._fields)
        return self._change_set

    @property
    def wrote(self) -> bool:
        return self._change_set is not None

    def touch(self, programme) -> None:
        """Say that ``programme`` (an object or a slug) changed, so that its hooks run."""
        self.programmes.add(programme if isinstance(programme, str) else programme.slug)


_current: ContextVar[Recording | None] = ContextVar("suivi_recording", default=None)


def current() -> Recording | None:
    return _current.get()


def _author(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@contextmanager
def change(actor, origin: str, reason: str = "", programme=None) -> Iterator[Recording]:
    """Open a recorded change (nested calls join the outer one)."""
    outer = _current.get()
    if outer is not None:
        if programme is not None:
            outer.touch(programme)
        yield outer
        return
    with transaction.atomic():
        recording = Recording(_author(actor), origin, reason, getattr(programme, "slug", programme or ""))
        if programme is not None:
            recording.touch(programme)
        token = _current.set(recording)
        try:
            yield recording
        finally:
            _current.reset(token)
        if recording.wrote:
            data_changed.send(
                sender=ChangeSet, change_set=recording.change_set, programmes=frozenset(recording.programmes)
            )


@receiver(pre_create_historical_record)
def _stamp_history(sender, history_instance, **kwargs) -> None:
    recording = _current.get()
    if recording is None:
        raise UnrecordedWrite(
            f"{sender.__name__} written outside suivi.contributions.recording.change(): "
            "every write goes through a service."
        )
    change_set = recording.change_set
    history_instance.change_set = change_set
    if change_set.author_id is not None:
        history_instance.history_user_id = change_set.author_id
    if change_set.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = change_set.reason[:HISTORY_REASON_LENGTH]
