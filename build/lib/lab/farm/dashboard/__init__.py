"""The farm's live dashboard (`lab farm serve`): FastAPI, server-sent events, one page."""
