"""Project pages: thin function views, one module per part of the project."""
