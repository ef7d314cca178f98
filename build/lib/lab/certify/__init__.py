"""TOS+ certification: the compatibility definition and plans as data, a run sharded over
devices of one model, a verdict, retries of what failed, and a signed result bundle that
verifies offline."""
