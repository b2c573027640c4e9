"""Test-wide settings.

SPEC §8 T6 refuses an invoice date after today. The tests bill the quarters of SPEC §7 (2026Q4,
2027Q1, …) whatever the machine's date, so "today" is set far enough ahead for the whole suite
(``BIJSTAND_TODAY``, which subprocesses inherit); the tests of T6 itself set their own today.
"""

import os

os.environ.setdefault("BIJSTAND_TODAY", "2029-12-31")
