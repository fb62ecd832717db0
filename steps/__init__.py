"""Step definitions of the acceptance language, and the world they act on."""
