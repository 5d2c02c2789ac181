"""Pages for learning from deaths: thin function views (authorise, select or serve, render)."""
