"""cutclear's built-in rules, one module per family of the catalogue.

Each module is a plugin registered under the `cutclear` entry-point group, exactly as a
vendor's plugin is: nothing here is wired into the core by import.
"""
