"""Performance budgets, measured by scripts that print a table (never by timed tests)."""
