"""The teaching app, its services and the ``cxr-auditor`` command line."""
