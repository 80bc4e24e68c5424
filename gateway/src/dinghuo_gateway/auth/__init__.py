"""Identity of a request (issue 16): the session token (`tokens`), the accounts and ended
sessions every replica keeps in memory (`sessions`), who is calling (`caller`) and the
guards of the gateway's own routes and of the proxy (`guards`)."""
