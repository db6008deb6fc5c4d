"""Writes for children and cases. triage.py: referral decisions; cases.py: work on a case."""
