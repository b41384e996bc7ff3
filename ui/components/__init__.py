"""Front-end components the teaching app ships itself (vendored, with their licences)."""
