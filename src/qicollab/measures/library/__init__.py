"""The measure library: a collaborative's shared, versioned operational definitions.

``services`` writes (create, edit into a new version, create a project's measure from a
definition), ``selectors`` reads (scoped like ``measures.rules``), ``presenters`` shapes the
pages and the cross-site view; the funnel plot's arithmetic is the SPC engine's, reached
through :mod:`qicollab.measures.spc_adapter`.
"""
