"""One spider per funding source; a stored call's ``source`` is its spider's name."""
