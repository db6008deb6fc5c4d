"""Helpers shared by the test packages (the fixtures stay in each package's conftest)."""
