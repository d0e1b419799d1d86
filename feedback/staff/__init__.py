"""Staff pages: sign-in and the consoles, each checked against the user's role."""
