"""The web app: the coordinator's review desk and the members' portal (FastAPI + Jinja2)."""
