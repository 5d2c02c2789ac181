"""Every export goes through here: one PDF renderer and one safe CSV/XLSX writer."""
