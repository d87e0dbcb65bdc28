"""The app's pages, one module per part: log-in, review desk, members, the member portal."""
