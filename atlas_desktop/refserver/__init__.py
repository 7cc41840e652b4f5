"""A reference atlas server (contract v1) on the standard library: for tests, for trying
Atlas Desktop without a real server, and as a readable statement of the server's side."""

from .db import ServerDB, StoredReport
from .faults import FaultPlan
from .server import RefServer

__all__ = ["FaultPlan", "RefServer", "ServerDB", "StoredReport"]
