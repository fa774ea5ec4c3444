"""Reports of a period (a chairmanship by default): composed once from the record as a
Report (model.py), then drawn as a web page, PDF, slide deck and Markdown."""
