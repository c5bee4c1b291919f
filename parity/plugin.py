"""pytest plugin (placeholder until written)."""
