"""Common Transfer File (CTF) in: school staff upload the file their MIS exported and get
pre-filled joiner or leaver returns for its pupils (issue 16 item 3).

- `records`: what the file says, as frozen records (JSON-able for the session);
- `parser`: the safe reader (`parse_ctf`, `CtfError`);
- `prefill`: a pupil as the answers of a joiner or leaver return.
"""

from schools.ctf.parser import CtfError, parse_ctf
from schools.ctf.records import CtfFile, CtfPupil, PupilProblem

__all__ = ["CtfError", "CtfFile", "CtfPupil", "PupilProblem", "parse_ctf"]
