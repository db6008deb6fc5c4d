"""The sample CTFs under tests/data/ctf (fictional pupils, valid UPN check letters unless a
file says otherwise), with the schools' URNs put to the test schools'."""

from __future__ import annotations

from pathlib import Path

CTF_DIR = Path(__file__).resolve().parents[2] / "data" / "ctf"

#: The URNs the files are written with: 100001 is "this school" (school A), 100002 the other.
FILE_URN_A, FILE_URN_B = 100001, 100002


def ctf_bytes(name: str, *, urn_a: int = FILE_URN_A, urn_b: int = FILE_URN_B) -> bytes:
    data = (CTF_DIR / name).read_bytes()
    data = data.replace(f"<URN>{FILE_URN_A}</URN>".encode(), b"<URN>@A@</URN>")
    data = data.replace(f"<URN>{FILE_URN_B}</URN>".encode(), f"<URN>{urn_b}</URN>".encode())
    return data.replace(b"<URN>@A@</URN>", f"<URN>{urn_a}</URN>".encode())
