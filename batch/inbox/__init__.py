"""Inbox: finding sheets by their headers, reading them safely, parsing and validating cells."""
