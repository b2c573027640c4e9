"""bijstand: quarterly billing of support agreements for a jeweler software package."""

__version__ = "0.1.0"
