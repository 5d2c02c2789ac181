"""The report-job tests reuse the national and learning-from-deaths worlds."""

from tests.deaths.conftest import teams  # noqa: F401
from tests.national.conftest import nation  # noqa: F401
