"""Places: a unit's ấp/khu phố list as edited in the console (overrides content/units/*.yaml);
likewise the PAKN categories its form offers (overrides content/pakn.yaml).

The list lives in the database, not in the YAML file, so that every process (web, workers,
several replicas) sees an edit at once and the edit is audited; the YAML `areas` stay the
default until a unit admin saves a list here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, UTCDateTime, utcnow


class UnitAreas(Base):
    __tablename__ = "unit_areas"

    unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    areas: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # names, in order
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(128), default="")


class UnitCategories(Base):
    __tablename__ = "unit_categories"

    unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    categories: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # keys, in order
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(128), default="")
