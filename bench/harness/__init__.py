"""The `make bench` harness: a production server under load, the same answers by raw SQL
(the floor), and Datasette beside them. bench/run.py drives it; each module is one concern:

machine   what the numbers were measured on
prepare   the database at a scale and seed: generated once, reused after
probe     (runs inside Django) picks parameters, counts queries, makes the delegate's token
reads     the mix of reads: each one's URL, its floor SQL and the keys to compare
server    gunicorn, started and stopped, its workers' peak memory
load      the load process: latencies and throughput of HTTP reads and of floor reads
datasette Datasette in its own venv, serving the SQLite file read-only
results   percentiles, targets, and the JSON and Markdown written under bench/results/
"""
