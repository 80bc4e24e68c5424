from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SERVICEDESK_", extra="ignore")

    service_name: str = "servicedesk"
    database_url: str = database_url_for("servicedesk")
    port: int = 8105
    # A processed repair calls for a return visit this many days later (B-5).
    return_visit_days: int = 7
    # Where fault report photos are kept (S-1), one folder per report; `make run` puts it
    # under the run directory (.run/media/servicedesk), a deployment on a persistent volume.
    media_dir: str = ".run/media/servicedesk"


settings = Settings()
