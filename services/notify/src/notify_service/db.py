from servicekit.db import make_metadata
from servicekit.messaging import define_messaging_tables
from sqlalchemy.orm import DeclarativeBase

metadata = make_metadata()
define_messaging_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata
