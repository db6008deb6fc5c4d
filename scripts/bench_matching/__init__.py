"""The matching benchmark (issue 14): ``make bench-matching`` runs ``__main__``."""
