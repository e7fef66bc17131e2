"""Services: what the API and the CLI do, between the views and storage."""
