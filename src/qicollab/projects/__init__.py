"""QI projects: aims, teams, driver diagrams, change ideas, PDSA cycles and progress scores."""
