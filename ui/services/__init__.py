"""Services behind the app's pages and the CLI: images, cases, database, scoring."""
