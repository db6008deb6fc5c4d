"""Transfers between councils: a child's CME case sent to another LA as a CTF and a PDF
summary, tracked to an answer, and a received transfer turned into a referral. Issue 16 item 4."""
