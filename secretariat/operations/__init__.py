"""Running the site: request logs, health and readiness answers, error reporting, and
what a process needs on disk before it starts. Imports no other app of ours but jobs
(the worker's heartbeat), which it sits above."""
