"""Importers by file type (one module each); `dispatch` chooses the importer for a file."""
