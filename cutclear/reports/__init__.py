"""Report formats: every formatter reads the one `cutclear.engine.Report` of a run.

One module per format (`terminal` for people at a terminal, `sarif` for code scanning,
`junit` for GitLab and Jenkins, `github` for workflow annotations, `html` for the visual
clearance report, `cuesheet` for the GenAI cue sheet), over two shared helpers: `locate`
(where a clip is in its file: repo-relative path and line) and `view` (a clip's verdict and
provenance chain). The built-in formats are offered by `cutclear.plugins.formats` through
the `cutclear_output_formats` hook, as a vendor's are.
"""
