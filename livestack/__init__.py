"""The live stack: real servers on 127.0.0.1 for the suite's scenarios (harness code: it knows
no vault, only the protocols a vault speaks)."""

from livestack.errors import LiveStackError
from livestack.log_api import Decider, Drop, Hang, LogApiServer, Reply, Request, Respond, Trickle
from livestack.mongo import MongoStack
from livestack.s3 import Credentials, DenialUnavailable, S3Stack

__all__ = [
    "Credentials",
    "Decider",
    "DenialUnavailable",
    "Drop",
    "Hang",
    "LiveStackError",
    "LogApiServer",
    "MongoStack",
    "Reply",
    "Request",
    "Respond",
    "S3Stack",
    "Trickle",
]
