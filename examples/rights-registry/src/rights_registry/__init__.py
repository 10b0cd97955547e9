"""cutclear-rights-registry: performers' AI consents from a studio rights registry.

A worked example of a cutclear plugin: `rights_registry.plugin` is the plugin (hooks
and the house rule HR001), `rights_registry.registry` the SQLite registry it reads, and
`rights_registry.cli` the `cutclear-rights` command that builds it from legal's CSV.
"""

__version__ = "0.1.0"
