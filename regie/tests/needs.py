"""Tests that need something outside the project (GNU gettext, the shared benchmark files).

On a developer's machine such a test is skipped with its reason (pytest runs with ``-rs``); in
CI (``REGIE_CI=1``, set by ``.ci/run``) it runs anyway, so that a missing tool or file fails the
run instead of passing it silently.
"""

import os

import pytest


def needs(available: bool, *, reason: str) -> pytest.MarkDecorator:
    if os.environ.get("REGIE_CI") or available:
        return pytest.mark.skipif(False, reason=reason)
    return pytest.mark.skip(reason=reason)
