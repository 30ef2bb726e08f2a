"""The category suggester's trained models, kept in the database so every web process and worker uses
the same one. The newest row is the model in use; a few older ones are kept to compare against."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.extensions import db
from hotline.models.types import UTCDateTime


class ClassifierModel(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sample_count: Mapped[int]  # every training sample: seed texts, the catalogue's keywords, closed cases
    case_count: Mapped[int]  # of which texts of closed cases
    category_count: Mapped[int]  # the sub-categories it can suggest
    # measured on a held-out fifth of the texts before the model was fitted on all of them
    test_count: Mapped[int] = mapped_column(default=0)
    accuracy_top1: Mapped[float | None]
    accuracy_top3: Mapped[float | None]
    baseline_top3: Mapped[float | None]  # always guessing the three most common sub-categories
    library: Mapped[str] = mapped_column(String(64))  # "scikit-learn 1.9.1": a pickle is read by its writer only
    sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # the pickled pipeline, zlib-compressed
