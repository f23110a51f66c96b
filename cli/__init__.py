"""The ``shenbao`` console script."""
