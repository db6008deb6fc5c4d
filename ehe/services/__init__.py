"""Writes for the EHE app: the register (ehe.services.register) and the notice route
(ehe.services.notices)."""
