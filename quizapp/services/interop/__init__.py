"""Decks in other quiz formats: exported from the database, imported into it.

The formats themselves are :mod:`quizapp.domain.interop` (pure). Export (:mod:`.exporting`) picks
the live questions (as the Anki export does, through :func:`quizapp.services.export.load_decks`)
and hands back bytes, or writes a file atomically. Import (:mod:`.importing`) reads a file into
decks and brings each into the database through :func:`quizapp.services.decks.import_deck`, the
path deck files take; a text file uploaded from the web may wait for its columns
(:mod:`.pending`), and an Anki package's review log becomes the learner's reviews
(:mod:`.history`).
"""

from quizapp.domain.interop import InteropError
from quizapp.services.errors import Invalid

from . import pending
from .exporting import Exported, export_decks, write_file
from .history import apply_reviews
from .importing import FileReport, Upload, import_file, upload_drafts, upload_private
from .pending import PENDING_SECONDS, drop_pending, keep_pending, pending_upload, preview_upload

__all__ = [
    "PENDING_SECONDS",
    "Exported",
    "FileReport",
    "InteropError",
    "Invalid",
    "Upload",
    "apply_reviews",
    "drop_pending",
    "export_decks",
    "import_file",
    "keep_pending",
    "pending",
    "pending_upload",
    "preview_upload",
    "upload_drafts",
    "upload_private",
    "write_file",
]
