"""Learning analytics: one module per report, every figure an aggregate query.

- :mod:`.learner`: a learner's own statistics (cards by state, heatmap, forecast, retention).
- :mod:`.sqltime`: day bucketing and interval arithmetic that read the same on SQLite and
  PostgreSQL.

Definitions: docs/analytics.md.
"""
