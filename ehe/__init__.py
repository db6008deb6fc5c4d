"""Elective home education: the EHE register, the LA's enquiries and view of suitability, and
the school attendance order route (Education Act 1996 s437-s443). Issue 17 items 1, 2 and 5."""
