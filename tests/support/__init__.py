"""Test doubles shared by the test tiers: real local servers rather than mocks (STYLE.md, principle 13)."""
