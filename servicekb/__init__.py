"""servicekb: customer-service standards as validated, checked, published data."""

__version__ = "0.1.0"
