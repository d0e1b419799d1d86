"""Configuration: settings classes and organisation data files."""
