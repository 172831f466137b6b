"""The update report: figures per module and path from stored statements."""
