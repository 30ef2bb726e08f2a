"""`flask hotline geo-import boundaries.geojson` and `flask hotline gazetteer-import places.csv`: load the
city's district and street outlines and its gazetteer (all-or-nothing; every problem is listed)."""
from __future__ import annotations

from pathlib import Path

import click

from hotline.cli import group
from hotline.extensions import db


def _refused(exc) -> click.ClickException:
    more = f"\n… and {exc.total - len(exc.problems)} more" if exc.total > len(exc.problems) else ""
    return click.ClickException("nothing was imported:\n  " + "\n  ".join(p.english() for p in exc.problems) + more)


@group.command("geo-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def geo_import(path: Path) -> None:
    """Import area boundaries: a GeoJSON FeatureCollection whose features carry the area code in
    properties.code (Polygon or MultiPolygon, WGS 84)."""
    from hotline.services import geo_admin

    try:
        done = geo_admin.import_boundaries(db.session, geo_admin.read_boundaries(path.read_bytes()),
                                           source=path.name)
    except geo_admin.ImportRefused as exc:
        db.session.rollback()
        raise _refused(exc) from None
    db.session.commit()
    click.echo(f"boundaries: {done.created} new, {done.updated} changed, {done.unchanged} unchanged")


@group.command("gazetteer-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def gazetteer_import(path: Path) -> None:
    """Import gazetteer entries from a UTF-8 CSV with the header code,name,kind,area_code,lat,long."""
    from hotline.services import geo_admin

    try:
        done = geo_admin.import_gazetteer(db.session, geo_admin.read_gazetteer(path.read_bytes()))
    except geo_admin.ImportRefused as exc:
        db.session.rollback()
        raise _refused(exc) from None
    db.session.commit()
    click.echo(f"gazetteer: {done.created} new, {done.updated} changed, {done.unchanged} unchanged")
