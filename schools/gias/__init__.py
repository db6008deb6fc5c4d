"""Import schools from the DfE Get Information About Schools (GIAS) establishment CSV.

The file is GIAS's "establishment fields" download (the national ``edubasealldata`` file or
a download filtered to one LA). Only these columns are read; any others are ignored:
``URN``, ``EstablishmentName``, ``TypeOfEstablishment (name)``, ``PhaseOfEducation (name)``,
``LA (code)``, ``Postcode`` and ``EstablishmentStatus (name)``.

Decisions (change them here, in one place):

* Encoding: GIAS writes Windows-1252. A UTF-8 file (with or without a byte-order mark, as
  Excel saves "CSV UTF-8") is also accepted: the bytes are tried as UTF-8 first and read as
  Windows-1252 if they are not valid UTF-8.
* All or nothing: every row is checked before anything is written. If any row is bad, no
  school is created or changed and the problems come back in :attr:`ImportResult.problems`.
  A file-level fault (too big, not a CSV, a required column missing) raises
  :class:`GiasFileError` before any row is read.
* Row numbers are lines of the file with the header as row 1 (the first school is row 2),
  which is also the row a spreadsheet shows for an ordinary GIAS file.
* LA filter: with ``la_code``, rows of other LAs are counted as skipped and not otherwise
  checked, so an oddity in another LA's row cannot block ours. A row whose LA code cannot
  be read is always a problem (we cannot tell whose it is).
* Types: the GIAS wording is kept in ``School.gias_type``; it is grouped into
  :class:`SchoolType` by :data:`GIAS_TYPES`. A wording we do not know becomes ``OTHER`` and
  is listed in :attr:`ImportResult.unmapped_types` (DfE adds types from time to time).
* Phases and statuses are short closed lists, so an unknown one is a problem for the row
  rather than a guess. A blank phase is "Not applicable".
* Open: "Open" and "Open, but proposed to close" are open; "Closed" and "Proposed to open"
  are not (a school that has not opened yet cannot take pupils).
* Schools already held but absent from the file are left as they are.

- `parsing`: reading the file and checking each row (`GIAS_TYPES`, `GIAS_PHASES`,
  `GIAS_STATUSES`, `MAX_FILE_BYTES`);
- `importing`: `schools_import_gias`, which writes the schools.
"""

from schools.gias.importing import ImportResult, schools_import_gias
from schools.gias.parsing import GiasFileError, RowProblem, is_la_code

__all__ = ["GiasFileError", "ImportResult", "RowProblem", "is_la_code", "schools_import_gias"]
