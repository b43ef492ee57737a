"""The demo loaded by `manage.py load_demo`: the real invitation civicmeet was born from."""
