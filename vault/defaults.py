"""Every default of the vault, in one place: the service, the retry policy and the settings
read them from here, so that a changed default cannot disagree with itself."""

MAX_ATTEMPTS = 3
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_PAGES = 10_000
CONNECT_TIMEOUT_SECONDS = 5.0
HTTP_TIMEOUT_SECONDS = 30.0
MONGO_DATABASE = "audit_vault"
MONGO_COLLECTION = "audit_records"
MONGO_TIMEOUT_SECONDS = 5.0
