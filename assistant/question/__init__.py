"""question stage."""
