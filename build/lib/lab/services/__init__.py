"""The TOS+ cloud the devices talk to, each a real HTTP service (FastAPI on uvicorn) over a
real database (SQLAlchemy; SQLite in WAL mode by default). An island like `lab.sim`:
suites, the harness and the devices reach it over HTTP only; `lab.cli` starts it
(`lab services up`)."""
