"""Dash front end of the monitor: read-only views on the warehouse marts."""
