"""Pipelines for the Wi2021 monitor: read -> profile -> pseudonymise -> validate -> load -> transform -> indicators."""
