"""Test helpers shared by several test suites (a software WebAuthn authenticator, …)."""
