"""Photos and files citizens send: checks (images.py), storage on disk (files.py), downloads
from the channels (fetch.py), the worker that fetches them (worker.py) and their posting to the
staff group (staff.py). Table: bot/db/models_media.py."""
