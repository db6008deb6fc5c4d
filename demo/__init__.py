"""The demo app: see demo/seed.py (the demo data) and demo/apps.py (where it is installed)."""
