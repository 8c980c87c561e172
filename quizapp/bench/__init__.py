"""The benchmark suite behind ``quizapp bench``: seed a database in bulk, serve it with the real
WSGI server, drive the study API and a floor endpoint from a separate load process, and report.

Nothing here is imported by the app unless ``QUIZAPP_BENCH_FLOOR`` is set (the floor endpoint).
"""
