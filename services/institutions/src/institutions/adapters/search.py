"""How the lists match what staff search for: a part of a text, whatever its case."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from institutions.adapters.tables import roster
from institutions.domain.search import PhysicianSearch


def containing(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    """The column holds the text (its % and _ meaning themselves)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def physician_filters(
    search: PhysicianSearch,
    *,
    name: ColumnElement[str],
    id_number_masked: ColumnElement[str],
    account_id: ColumnElement[object],
) -> list[ColumnElement[bool]]:
    """The conditions of the search; a certificate number is found in the roster (the register's numbers)."""
    where = []
    if search.name:
        where.append(containing(name, search.name))
    if search.id_number_masked:
        where.append(containing(id_number_masked, search.id_number_masked))
    if search.certificate_number:
        holders = select(roster.c.account_id).where(containing(roster.c.certificate_number, search.certificate_number))
        where.append(account_id.in_(holders))
    return where
