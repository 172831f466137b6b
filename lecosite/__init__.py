"""lecosite: a static site generator for governed learning content."""

__version__ = "0.1.0"
