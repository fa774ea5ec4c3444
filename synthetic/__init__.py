"""A deterministic synthetic organization, bulk-loaded for load and scale testing.

`secretariat generate-synthetic --scale N --seed S` fills an empty database with
an organization of some two hundred actors over sixty years (1966-2025): its
bodies, meetings, documents with texts, consensus procedures, treaties, the
programme of CBMs and initiatives, every record citing one synthetic source.
The same scale and seed give the same records (ids included); sizes grow
linearly with the scale (see `sizes`). Rows are written in bulk, not through the
services, but obey the same rules: the lifecycle of documents, the outcome of
procedures and the entry into force of treaties are derived with the apps' own
pure functions, and the search index is rebuilt at the end.

Modules, in the order the runner calls them: `registry` (organization, actors,
statuses, chairmanships, heads), `meetings` (bodies and meetings), `documents`
(documents, versions, texts, lifecycle; with `decisions` for procedures),
`treaties`, `programme` (CBMs, road map, initiatives, partnerships, fund). `words`
holds the vocabulary, `writer` the bulk writing, citations and audit entries.

A Django app of its own, outside the runtime package: `make test` and `make bench`
install it (pyproject.toml beside this file), and the settings add it to INSTALLED_APPS
when it is importable; a deployment installs only `secretariat`.
"""
