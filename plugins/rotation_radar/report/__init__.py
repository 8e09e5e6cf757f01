"""The morning report rendered from the published warehouse."""
