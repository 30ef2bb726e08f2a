"""The reference data a client needs to file and route cases: subjects, places and departments, by code."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Area, Category, Department
from hotline.services import serialize
from hotline.web.api import bp


@bp.get("/categories")
def categories():
    rows = list(db.session.scalars(select(Category).order_by(Category.level, Category.sort_order, Category.code)))
    return jsonify({"items": serialize.categories(rows)})


@bp.get("/areas")
def areas():
    rows = list(db.session.scalars(select(Area).order_by(Area.level, Area.code)))
    return jsonify({"items": serialize.areas(rows)})


@bp.get("/departments")
def departments():
    rows = list(db.session.scalars(select(Department).order_by(Department.level, Department.code)))
    area_codes = dict(db.session.execute(select(Area.id, Area.code)).tuples().all())
    return jsonify({"items": serialize.departments(rows, area_codes)})
