"""Source: files read, parsed and turned into requests (the first stage)."""
