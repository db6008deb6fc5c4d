"""Import schools from the DfE Get Information About Schools (GIAS) establishment CSV.

The file is GIAS's "establishment fields" download (the national ``edubasealldata`` file or
a download filtered to one LA). Only these columns are read; any others are ignored:
``URN``, ``EstablishmentName``, ``TypeOfEstablishment (name)``, ``PhaseOfEducation (name)``,
``LA (code)``, ``Postcode`` and ``EstablishmentStatus (name)``, and when present ``Town`` and
``CloseDate``.

Decisions (change them here, in one place):

* Encoding: GIAS writes Windows-1252. A UTF-8 file (with or without a byte-order mark, as
  Excel saves "CSV UTF-8") is also accepted: the bytes are checked as UTF-8 first and read
  as Windows-1252 if they are not valid UTF-8.
* Streamed: the file is read a record at a time and written in batches (the national file
  is ~50,000 rows and 40 to 60 MB; `make bench-gias` holds it to 10 s and 500 MB).
* Row by row: a bad row is reported with its row number and not imported; the other rows
  are. A file-level fault (too big, not a CSV, a required column missing, only children's
  centres) raises :class:`GiasFileError` and nothing is written.
* Row numbers are lines of the file with the header as row 1 (the first school is row 2),
  which is also the row a spreadsheet shows for an ordinary GIAS file.
* LA codes: GIAS downloads write them without leading zeros (``0``, ``99``); a code of 1 to
  3 digits is padded to 3 (``000``, ``099``). Anything else is a problem for that row.
* LA filter: with ``la_code``, rows of other LAs are counted as skipped and not otherwise
  checked, so an oddity in another LA's row cannot block ours.
* Types: the GIAS wording is kept in ``School.gias_type``; `schools.gias.types` maps every
  type of the national list to our :class:`SchoolType`, says whether it is a school for
  CME purposes and whether deletion ground (n) applies there. A wording we do not know
  becomes ``OTHER`` and is listed in :attr:`ImportResult.unmapped_types` (DfE adds types
  from time to time).
* Children's centres are not establishments of the national list (GIAS has a separate
  download of them): their rows are skipped and counted, so a file mixing both still loads
  its schools; a file of nothing but centres is refused, as the wrong download.
* Phases and statuses are short closed lists, so an unknown one is a problem for the row
  rather than a guess. A blank phase is "Not applicable"; "All through" (GIAS's older
  spelling) is "All-through".
* Open: "Open" and "Open, but proposed to close" are open; "Closed" and "Proposed to open"
  are not (a school that has not opened yet cannot take pupils). The close date is kept
  whatever the status (a school proposed to close has one).
* Protected changes: an import that would move a school with staff (memberships) or
  returns to another LA, or open or close it, writes nothing and lists those schools,
  unless asked to allow the changes (``import_schools --allow-changes``).
* Schools already held but absent from the file are left as they are.

- `reading`: the file as a stream of records (`MAX_FILE_BYTES`, the columns);
- `parsing`: checking each row (`GIAS_PHASES`, `GIAS_STATUSES`, `normalise_la_code`);
- `types`: every establishment type (`ESTABLISHMENT_TYPES`);
- `importing`: `schools_import_gias`, which writes the schools.
"""

from schools.gias.importing import ImportResult, ProtectedChange, schools_import_gias
from schools.gias.parsing import RowProblem, normalise_la_code
from schools.gias.reading import GiasFileError
from schools.gias.types import ESTABLISHMENT_TYPES, EstablishmentType, establishment_type

__all__ = [
    "ESTABLISHMENT_TYPES",
    "EstablishmentType",
    "GiasFileError",
    "ImportResult",
    "ProtectedChange",
    "RowProblem",
    "establishment_type",
    "normalise_la_code",
    "schools_import_gias",
]
