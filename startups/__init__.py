"""Startup registry: profiles, verification, re-confirmation, import/export and the public
directory."""
