"""infoops: investigate information operations on social media with a Neo4j graph."""

__version__ = "0.1.0"
__all__ = ["__version__"]
