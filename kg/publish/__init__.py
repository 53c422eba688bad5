"""Stage 7, publish: dumps, the dataset description, pages and the server."""
