"""The app's pages: thin Streamlit scripts that ``ui/app.py`` runs through ``st.navigation``.

The folder is deliberately not called ``pages/``: Streamlit treats a ``pages/`` folder beside the
main script as old-style multipage pages, so a deep link (``/library``) would run a page without
``ui/app.py`` (no disclaimer, no session defaults) and list helper modules as pages.
"""
