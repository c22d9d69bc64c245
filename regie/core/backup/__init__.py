"""Backups and restore (`manage.py backup PATH`, `manage.py restore PATH`).

One backup is one encrypted file (``sealed``) holding a tar stream (gzip) of the database — a
SQLite online-backup copy or a PostgreSQL ``pg_dump -Fc`` (``databases``) —, the uploaded files
under ``media/`` and, last, ``manifest.json``: the engine, when it was taken, and the row count
and a content hash of every table (``manifest``). ``archive`` puts them together and takes them
apart; a restore checks the manifest against the restored database, and the command then applies
again the erasures recorded since (``regie.core.erasures``).
"""
