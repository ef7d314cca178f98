"""Repository-wide pytest defaults.

The lab's fixtures and options come from its plugin (`lab.plugin`, registered through the
`pytest11` entry point), so suites run the same with `pytest suites/` and `lab run`.
"""

collect_ignore_glob = ["reports/*", "node_modules/*", ".venv/*", "bench/results/*"]
