from servicekit.db import make_metadata
from servicekit.messaging import define_messaging_tables
from servicekit.scheduler import define_scheduler_tables
from sqlalchemy.orm import DeclarativeBase

metadata = make_metadata()
define_messaging_tables(metadata)
define_scheduler_tables(metadata)  # periodic jobs (points/tasks.py)


class Base(DeclarativeBase):
    metadata = metadata
