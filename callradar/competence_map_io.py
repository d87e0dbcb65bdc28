"""Reading and writing the competence map file: YAML (canonical) or an XLSX workbook.

Readers return the raw data and, for every part of it, the place it came from (a line of
the YAML file, a sheet and row of the workbook), so that validation errors name it.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from callradar import competence_map_errors
from callradar.competence_map import LIST_SEPARATOR, NO_CHANNEL, CompetenceMap, split_list
from callradar.competence_map_errors import COLUMN, KEY
from callradar.errors import InputFileError, Loc, Place, Problem

Raw = dict[str, Any]
Places = dict[Loc, Place]

# Workbook layout: sheet -> columns. The first column of every sheet but `members` names
# the member a row belongs to.
SHEETS: dict[str, list[str]] = {
    "members": [
        "id",
        "name",
        "kind",
        "city",
        "country",
        "website",
        "description",
        "keywords",
        "trl_min",
        "trl_max",
        "roles",
        "mentor",
        "joined",
    ],
    "areas": ["member_id", "code", "level"],
    "contacts": ["member_id", "name", "email", "language", "notify", "digest"],
    "projects": [
        "member_id",
        "programme",
        "call",
        "acronym",
        "title",
        "role",
        "year",
        "areas",
        "outcome",
        "lessons",
    ],
}
REQUIRED_COLUMNS: dict[str, set[str]] = {
    "members": {"id", "name", "kind"},
    "areas": {"member_id", "code", "level"},
    "contacts": {"member_id", "name", "email"},
    "projects": {"member_id", "programme", "title", "role", "year", "outcome"},
}
LIST_COLUMNS = {"keywords", "roles", "notify", "areas"}
# Some 30,000 members with their areas and contacts (7 MB held 5,000 in 80 MB of memory).
MAX_UNPACKED_XLSX = 50_000_000
# What a damaged file raises while its zip members are inflated and their XML parsed.
_DAMAGED = (ParseError, BadZipFile, zlib.error, EOFError)


def load(path: Path) -> CompetenceMap:
    """Read and validate a competence map; raises InputFileError naming every problem."""
    if path.is_dir():
        raise InputFileError(path, [Problem("a folder, not a file")])
    if not path.is_file():
        raise InputFileError(path, [Problem("no such file")])
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        raw, places = _read_yaml(path)
    elif suffix == ".xlsx":
        raw, places = _read_xlsx(path)
    else:
        why = "unknown format: use a .yaml, .yml or .xlsx file"
        if suffix in {".csv", ".tsv", ".txt"}:
            # A map is four sheets (members, areas, contacts, projects); CSV holds one.
            why += " (a CSV file holds one sheet of the four: save the workbook as .xlsx)"
        raise InputFileError(path, [Problem(why)])
    workbook = suffix == ".xlsx"
    problems = _duplicate_ids(raw, places, workbook)
    try:
        competence_map = CompetenceMap.model_validate(raw)
    except ValidationError as exc:
        problems = competence_map_errors.problems(exc, places, workbook=workbook) + problems
    if problems:
        raise InputFileError(path, problems)
    return competence_map


def _duplicate_ids(raw: Any, places: Places, workbook: bool) -> list[Problem]:
    members = raw.get("members") if isinstance(raw, dict) else None
    if not isinstance(members, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for index, member in enumerate(members):
        member_id = member.get("id") if isinstance(member, dict) else None
        if not isinstance(member_id, str):
            continue
        if member_id in first:
            earlier = places.get(("members", first[member_id]), f"member #{first[member_id] + 1}")
            problems.append(
                Problem(
                    f"duplicate member id {member_id!r} (first given at {earlier})",
                    places.get(("members", index, "id")) or places.get(("members", index)),
                    "id",
                    COLUMN if workbook else KEY,
                )
            )
        else:
            first[member_id] = index
    return problems


# --- YAML ---------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader reading as numbers only what surely is one, and true and false as booleans.

    YAML 1.1 also reads yes, no, on and off as booleans, so Norway's country code NO became
    False and was refused as "not a valid string"; and 0123 as octal 83, 12:30 as 750 (base
    60), 1.10 as 1.1 and 2024-01-05 as a date, so a call number, an acronym or a keyword typed
    so was changed or refused. No field of the map is a fraction or a date: those stay text,
    as written, and a field that is a number reads its text (pydantic converts it).
    """


_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in {_BOOL, _INT, "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


def _read_yaml(path: Path) -> tuple[Any, Places]:
    data = path.read_bytes()
    try:
        # UTF-16 (Notepad's "Unicode") says so by its byte order mark; PyYAML skips UTF-8's.
        utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        text = data.decode("utf-16" if utf16 else "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = f"not UTF-8 text ({exc.reason}): save the file as UTF-8"
        raise InputFileError(path, [Problem(problem, f"line {line}")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is not None and _expanded_size(node, {}) > 10 * _distinct_nodes(node) + 1000:
            # A few lines of aliases of aliases ("billion laughs") stand for millions of
            # values: reading them all held the command (or the web app's worker) for hours.
            raise InputFileError(
                path,
                [Problem("the aliases (*name) repeat their anchors' values too many times over")],
            )
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputFileError(path, [Problem(f"malformed YAML: {problem}", place)]) from None
    except RecursionError:
        raise InputFileError(path, [Problem("YAML nested too deeply")]) from None
    if not isinstance(data, dict) or "members" not in data:
        raise InputFileError(
            path, [Problem("the file must be a mapping with a 'members' list", "line 1")]
        )
    places: Places = {}
    problems: list[Problem] = []
    if node is not None:
        _walk_yaml(node, (), places, problems, ())
    if problems:
        raise InputFileError(path, problems)
    return data, places


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _distinct_nodes(root: yaml.Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(_children(node))
    return len(seen)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the node stands for with every alias written out (an alias inside
    itself counts once: _walk_yaml refuses it)."""
    if id(node) not in sizes:
        sizes[id(node)] = 1
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in _children(node))
    return sizes[id(node)]


def _walk_yaml(
    node: yaml.Node,
    loc: Loc,
    places: Places,
    problems: list[Problem],
    ancestors: tuple[yaml.Node, ...],
) -> None:
    places[loc] = f"line {node.start_mark.line + 1}"
    # An alias (*name) is the very node of its anchor: one inside itself never ends.
    if any(node is a for a in ancestors):
        problems.append(
            Problem(
                "an alias (*name) refers to the list or mapping it is in",
                places.get(loc[:-1]),
                competence_map_errors.yaml_field(loc),
                KEY,
            )
        )
        return
    inside = (*ancestors, node)
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            # PyYAML keeps the last of two equal keys: the first one's data would be lost.
            if key in first_line:
                problems.append(
                    Problem(
                        f"given twice (first on line {first_line[key]})",
                        f"line {line}",
                        competence_map_errors.yaml_field((*loc, key)),
                        KEY,
                    )
                )
            first_line.setdefault(key, line)
            _walk_yaml(value_node, (*loc, key), places, problems, inside)
            # A key's own line is where an error about the key (or its value) is best shown.
            places[(*loc, key)] = f"line {line}"
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_yaml(item, (*loc, index), places, problems, inside)


def to_canonical(competence_map: CompetenceMap) -> Raw:
    """The map as the canonical YAML structure, defaults left out where they add nothing."""
    members = []
    for m in competence_map.members:
        data: Raw = {"id": m.id, "name": m.name, "kind": m.kind}
        if m.city:
            data["city"] = m.city
        data["country"] = m.country
        if m.website:
            data["website"] = str(m.website)
        data["description"] = m.description
        data["areas"] = dict(m.areas)
        data["keywords"] = list(m.keywords)
        if m.trl:
            data["trl"] = list(m.trl)
        data["roles"] = list(m.roles)
        data["mentor"] = m.mentor
        if m.joined is not None:
            data["joined"] = m.joined
        data["contacts"] = [c.model_dump(mode="json") for c in m.contacts]
        data["projects"] = [p.model_dump(mode="json", exclude_none=True) for p in m.projects]
        members.append(data)
    return {"members": members}


def write(competence_map: CompetenceMap, path: Path) -> None:
    """Write the map as YAML or XLSX (by the file's suffix), replacing the file atomically."""
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        text = yaml.safe_dump(
            to_canonical(competence_map), allow_unicode=True, sort_keys=False, width=100
        )
        with _atomic(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    elif suffix == ".xlsx":
        workbook = _to_workbook(competence_map)
        with _atomic(path) as tmp:
            workbook.save(tmp)
    else:
        raise ValueError(f"{path}: unknown format, use .yaml, .yml or .xlsx")


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


# --- XLSX ---------------------------------------------------------------------------


def _join(values: list[Any]) -> str:
    return f"{LIST_SEPARATOR} ".join(str(v) for v in values)


def _to_workbook(competence_map: CompetenceMap) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {name: workbook.create_sheet(name) for name in SHEETS}
    for name, sheet in sheets.items():
        sheet.append(SHEETS[name])
        sheet.freeze_panes = "A2"
    for m in competence_map.members:
        sheets["members"].append(
            [
                m.id,
                m.name,
                m.kind,
                m.city,
                m.country,
                str(m.website) if m.website else None,
                m.description,
                _join(m.keywords),
                m.trl[0] if m.trl else None,
                m.trl[1] if m.trl else None,
                _join(m.roles),
                "yes" if m.mentor else "no",
                m.joined,
            ]
        )
        for code, level in m.areas.items():
            sheets["areas"].append([m.id, code, level])
        for c in m.contacts:
            sheets["contacts"].append(
                [m.id, c.name, str(c.email), c.language, _join(c.notify) or NO_CHANNEL, c.digest]
            )
        for p in m.projects:
            sheets["projects"].append(
                [
                    m.id,
                    p.programme,
                    p.call,
                    p.acronym,
                    p.title,
                    p.role,
                    p.year,
                    _join(p.areas),
                    p.outcome,
                    p.lessons,
                ]
            )
    for sheet in sheets.values():
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # openpyxl saves text starting with "=" as a formula: Excel would run a
                # name like "=HYPERLINK(…)", and the export would read back empty.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    return workbook


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _header(value: Any) -> Any:
    value = _cell(value)
    return value.lower() if isinstance(value, str) else value


def _open_workbook(path: Path, *, data_only: bool, read_only: bool) -> Any:
    try:
        return load_workbook(path, read_only=read_only, data_only=data_only)
    except (InvalidFileException, OSError, KeyError, ValueError, *_DAMAGED) as exc:
        raise InputFileError(path, [Problem(f"not a readable .xlsx workbook ({exc})")]) from None


def _recomputed_on_opening(path: Path) -> bool:
    """Whether the workbook asks to have its formulas computed on opening (``<calcPr
    fullCalcOnLoad="1">``); openpyxl cannot say, as it reads a missing attribute as yes."""
    try:
        with zipfile.ZipFile(path) as archive:
            rels = ElementTree.fromstring(archive.read("_rels/.rels"))
            part = next(
                r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument")
            )
            book = ElementTree.fromstring(archive.read(part.lstrip("/")))
    except (KeyError, StopIteration, *_DAMAGED):
        return False
    return any(e.tag.endswith("}calcPr") and e.get("fullCalcOnLoad") in {"1", "true"} for e in book)


def _uncomputed_formulas(path: Path) -> set[tuple[str, int, int]]:
    """The formula cells (sheet, row, column) of a workbook saved without their results.

    Excel and LibreOffice save a formula with its result, which is what is read. A program
    that does not compute formulas (openpyxl, XlsxWriter, many scripts) saves none, or a
    made-up 0, and asks the next spreadsheet to compute them all on opening.
    """
    if not _recomputed_on_opening(path):
        return set()
    formulas = _open_workbook(path, data_only=False, read_only=True)
    try:
        return {
            (title, cell.row, cell.column)
            for title in formulas.sheetnames
            for row in formulas[title].iter_rows()
            for cell in row
            if cell.data_type == "f"
        }
    except _DAMAGED as exc:
        # Read-only mode reads a sheet only now: a damaged one fails here, not when opened.
        raise InputFileError(path, [Problem(f"not a readable .xlsx workbook ({exc})")]) from None
    finally:
        formulas.close()


def _unpacked_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (OSError, *_DAMAGED):
        return 0  # not a zip: load_workbook says so


def _read_xlsx(path: Path) -> tuple[Raw, Places]:
    # A whole workbook is held in memory, some fifty times its XML: a few megabytes of
    # zipped rows (the upload's limit) unpack to far more than any cluster's members.
    size = _unpacked_size(path)
    if size > MAX_UNPACKED_XLSX:
        megabytes = f"{size / 1e6:.0f} MB unpacked, at most {MAX_UNPACKED_XLSX / 1e6:.0f} MB"
        raise InputFileError(path, [Problem(f"too big for a competence map ({megabytes})")])
    # Not read-only: only a whole worksheet knows its merged cells.
    workbook = _open_workbook(path, data_only=True, read_only=False)
    rows, problems = _sheet_rows(workbook, _uncomputed_formulas(path))
    if problems:
        raise InputFileError(path, problems)

    raw_members: list[Raw] = []
    places: Places = {}
    index_by_id: dict[str, int] = {}
    for row_number, row in rows["members"]:
        index = len(raw_members)
        place = f"sheet 'members', row {row_number}"
        member: Raw = {k: v for k, v in row.items() if k not in {"trl_min", "trl_max"}}
        for column in ("keywords", "roles"):
            if column in member:
                member[column] = split_list(member[column])
        if row.get("trl_min") is not None or row.get("trl_max") is not None:
            member["trl"] = [row.get("trl_min"), row.get("trl_max")]
        member.setdefault("areas", {})
        member.setdefault("contacts", [])
        member.setdefault("projects", [])
        raw_members.append(member)
        places[("members", index)] = place
        if isinstance(member.get("id"), str):
            index_by_id.setdefault(member["id"], index)

    def attach(sheet: str, add: Callable[[Raw, Raw, Place], Loc]) -> None:
        for row_number, row in rows[sheet]:
            place = f"sheet {sheet!r}, row {row_number}"
            member_id = row.pop("member_id", None)
            if member_id is None:
                problems.append(Problem("no member id given", place, "member_id", COLUMN))
                continue
            if member_id not in index_by_id:
                problems.append(
                    Problem(
                        f"member {member_id!r} is not on the 'members' sheet",
                        place,
                        "member_id",
                        COLUMN,
                    )
                )
                continue
            index = index_by_id[member_id]
            loc = add(raw_members[index], row, place)
            places[("members", index, *loc)] = place

    def add_area(member: Raw, row: Raw, place: Place) -> Loc:
        code = row.get("code")
        # Codes are read in any case: "Sensors-MEMS" is "sensors-mems" given again.
        if str(code).lower() in {str(given).lower() for given in member["areas"]}:
            problems.append(
                Problem(f"area {code!r} is given twice for this member", place, "code", COLUMN)
            )
        member["areas"][code] = row.get("level")
        return ("areas", str(code))

    first_given: dict[tuple[str, str], Place] = {}

    def add_contact(member: Raw, row: Raw, place: Place) -> Loc:
        if "notify" in row:
            row["notify"] = split_list(row["notify"]) or ["email"]
        # Said here, at the row: the map's own check can name only the member's row.
        email = str(row.get("email", "")).strip().lower()
        earlier = first_given.setdefault((member["id"], email), place)
        if email and earlier != place:
            problems.append(
                Problem(
                    f"{row['email']!r} is this member's contact already (at {earlier})",
                    place,
                    "email",
                    COLUMN,
                )
            )
        member["contacts"].append(row)
        return ("contacts", len(member["contacts"]) - 1)

    def add_project(member: Raw, row: Raw, place: Place) -> Loc:
        if "areas" in row:
            row["areas"] = split_list(row["areas"])
        member["projects"].append(row)
        return ("projects", len(member["projects"]) - 1)

    attach("areas", add_area)
    attach("contacts", add_contact)
    attach("projects", add_project)
    if problems:
        raise InputFileError(path, problems)
    return {"members": raw_members}, places


def _sheet_rows(
    workbook: Any, uncomputed: set[tuple[str, int, int]]
) -> tuple[dict[str, list[tuple[int, Raw]]], list[Problem]]:
    """Each known sheet's non-empty rows as dicts of the filled cells, by row number."""
    problems: list[Problem] = []
    # Excel takes "Members" and "members" for the same sheet name, and so do we.
    sheet_named: dict[str, str] = {}
    for title in workbook.sheetnames:
        name = title.strip().lower()
        if name in SHEETS:
            sheet_named[name] = title
        elif workbook[title].sheet_state == "visible" and _holds_anything(workbook[title]):
            # A hidden sheet of another name holds the lists of a template's drop-downs, not
            # members, and an empty one (Excel's "Sheet1", "Arkusz1") nothing: only a visible
            # one with something in it may be a data sheet given a wrong name.
            problems.append(
                Problem(
                    f"unknown sheet {title!r}: expected {', '.join(SHEETS)}", f"sheet {title!r}"
                )
            )
    if "members" not in sheet_named:
        problems.append(Problem("the workbook has no 'members' sheet"))
    else:
        # Members given are replaced whole: a sheet left out (a copy of the members sheet
        # alone, or one saved as CSV and back) would empty every member's areas, contacts
        # or projects, which nobody asked for by leaving it out.
        problems.extend(
            Problem(
                f"the workbook has no {name!r} sheet: every member's {name} would be emptied "
                "(a sheet with its header row alone empties them)"
            )
            for name in SHEETS
            if name not in sheet_named
        )
    rows: dict[str, list[tuple[int, Raw]]] = {name: [] for name in SHEETS}
    for name in SHEETS:
        if name not in sheet_named:
            continue
        sheet = workbook[sheet_named[name]]
        values = sheet.iter_rows(values_only=True)
        header = [_header(v) for v in next(values, ())]
        unknown = [h for h in header if h is not None and h not in SHEETS[name]]
        missing = REQUIRED_COLUMNS[name] - set(header)
        # A row keeps the last of two equal columns: a copied, still empty "id" column
        # emptied every id, and each row then failed for a reason far from the cause.
        twice = sorted({h for h in header if h is not None and header.count(h) > 1}, key=str)
        if twice:
            problems.append(
                Problem(
                    f"column(s) given twice: {', '.join(map(str, twice))}", f"sheet {name!r}, row 1"
                )
            )
        if unknown:
            problems.append(
                Problem(
                    f"unknown column(s) {', '.join(_maybe(str(h), SHEETS[name]) for h in unknown)}"
                    f"; the columns of this sheet are {', '.join(SHEETS[name])}",
                    f"sheet {name!r}, row 1",
                )
            )
        if missing:
            problems.append(
                Problem(f"missing column(s) {', '.join(sorted(missing))}", f"sheet {name!r}, row 1")
            )
        if unknown or missing or twice:
            continue
        merged = _merged_values(sheet, name, header, problems)
        for row_number, row_values in enumerate(values, start=2):
            row: Raw = {}
            for column, (h, value) in enumerate(zip(header, row_values, strict=False), start=1):
                if not h:
                    continue
                if (sheet.title, row_number, column) in uncomputed:
                    problems.append(
                        Problem(
                            "a formula whose result is not saved in the file (it was written by "
                            "a program that does not compute formulas): open it in Excel or "
                            "LibreOffice and save it, or type the value",
                            f"sheet {name!r}, row {row_number}",
                            h,
                            COLUMN,
                        )
                    )
                value = merged.get((row_number, column), value)
                if isinstance(value, str) and value in ERROR_CODES:
                    problems.append(
                        Problem(
                            f"the formula's result is an error ({value})",
                            f"sheet {name!r}, row {row_number}",
                            h,
                            COLUMN,
                        )
                    )
                row[h] = _cell(value)
            filled = {k: v for k, v in row.items() if v is not None}
            if filled:
                rows[name].append((row_number, filled))
    return rows, problems


def _maybe(header: str, columns: list[str]) -> str:
    # "e-mail" for email, "member id" for member_id: the column meant, where one is close.
    close = difflib.get_close_matches(header, columns, n=1, cutoff=0.7)
    return f"{header!r} (meant {close[0]!r}?)" if close else repr(header)


def _holds_anything(sheet: Any) -> bool:
    return any(_cell(v) is not None for row in sheet.iter_rows(values_only=True) for v in row)


def _merged_values(
    sheet: Any, name: str, header: list[Any], problems: list[Problem]
) -> dict[tuple[int, int], Any]:
    """The value of each merged range, for the rows below its first cell that it covers.

    A merged cell holds its value in its first cell only; merged down a column (a member's
    id over the rows of its areas), it is meant for every row it spans. Merged across
    columns, it would be meant for one of them, and which one nobody can tell: refused.
    """
    values: dict[tuple[int, int], Any] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row < 2:
            # From the header down: the header's text is no row's value.
            continue
        columns = [
            str(header[c - 1])
            for c in range(merged.min_col, merged.max_col + 1)
            if c <= len(header) and header[c - 1]
        ]
        if len(columns) > 1:
            problems.append(
                Problem(
                    f"merged across the columns {' and '.join(columns)}: unmerge these cells",
                    f"sheet {name!r}, cells {merged.coord}",
                )
            )
            continue
        first = sheet.cell(row=merged.min_row, column=merged.min_col).value
        for row in range(merged.min_row + 1, merged.max_row + 1):
            values[(row, merged.min_col)] = first
    return values
