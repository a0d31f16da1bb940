"""What WeasyPrint's PDF/UA tagging leaves out, added to the written PDF (with pikepdf).

WeasyPrint tags table header cells as /TH and ties each data cell to its headers with /Headers
and /IDs, but gives no /TH a /Scope. PDF/UA-1 (ISO 14289-1, 7.5) accepts either; screen
readers and checkers (pdfua's UA-15-003) look for the scope on the header cell itself. So each
/TH gets the scope its HTML cell has, by the rule render/header_scopes.py applies to the HTML: a
header cell in /THead heads its column, one in /TBody or /TFoot its row.
"""

from __future__ import annotations

import logging
from pathlib import Path

from thirdcountry.render.header_scopes import COLUMN, ROW, scope_for

# PDF's names for the HTML table sections and scopes.
_SECTIONS = {"/THead": "thead", "/TBody": "tbody", "/TFoot": "tfoot"}
PDF_SCOPE = {COLUMN: "/Column", ROW: "/Row"}


def add_header_scopes(path: Path) -> int:
    """Give every /TH of the PDF's structure tree a /Scope; returns how many were given one."""
    # pikepdf logs at INFO when it starts ('C++ to Python logger bridge initialized').
    logging.getLogger("pikepdf").setLevel(logging.WARNING)
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return 0
        given = 0
        stack: list[tuple[pikepdf.Object, str]] = [(root, "")]
        seen: set[tuple[int, int]] = set()
        while stack:
            node, section = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            role = str(node.get("/S", ""))
            if role == "/Table":
                section = ""
            section = _SECTIONS.get(role, section)
            if role == "/TH" and _set_scope(node, PDF_SCOPE[scope_for(section)]):
                given += 1
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend((kid, section) for kid in kids)
            elif kids is not None:
                stack.append((kids, section))
        if given:
            pdf.save(path)
        return given


def _set_scope(cell, scope: str) -> bool:
    """Put /Scope in the cell's Table attributes (/A: one dictionary or an array of them)."""
    import pikepdf

    attributes = cell.get("/A")
    candidates = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for owned in candidates:
        if isinstance(owned, pikepdf.Dictionary) and owned.get("/O") == pikepdf.Name("/Table"):
            if "/Scope" in owned:
                return False
            owned.Scope = pikepdf.Name(scope)
            return True
    table = pikepdf.Dictionary(O=pikepdf.Name("/Table"), Scope=pikepdf.Name(scope))
    if attributes is None:
        cell.A = table
    elif isinstance(attributes, pikepdf.Array):
        attributes.append(table)
    else:
        cell.A = pikepdf.Array([attributes, table])
    return True
