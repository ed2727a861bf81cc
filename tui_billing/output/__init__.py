"""What leaves the engine: PDF, e-mail, interchange files."""
