"""Open formats in and out: Popolo, Akoma Ntoso, iCalendar, CSV/XLSX tables and the
full-fidelity JSON dump, with their imports. Every export reads through the selectors
as a given user (the public by default), so access applies here as everywhere."""
