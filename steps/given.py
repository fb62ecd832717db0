"""Given: the log API, the vault, the archive and the audit log before the run."""

from __future__ import annotations

import difflib

from steps.archive import ArchiveBucket, ArchiveFaults, UploadFault
from steps.audit_log import AuditCollection, WriteFault
from steps.log_api import FailureKind, PlannedFailure, ScriptedLogApi
from steps.secrets import keep_secret
from steps.sentences import given
from steps.world import SETTINGS, FixedClock, ScenarioMistake, VaultUnderTest

TABLE_EXAMPLE = """the log API serves these security log entries:
  | id    | timestamp            | severity | source | message       |
  | evt-1 | 2026-03-01T12:00:00Z | HIGH     | sshd   | failed login  |"""
RAW_EXAMPLE = '''the log API serves this raw body:
  """
  {"logs": [{"id": "evt-1"}]}
  """'''

PASSWORD_EXAMPLE = 'the log API requires the password "Kestrel-Harbour-42"'
GIVES_EXAMPLE = 'the operator gives the log API the password "Wrong-Guess-Otter-9"'
TOKEN_EXAMPLE = 'the log API requires the token "tok-Quarry-Lantern-7"'
SETS_EXAMPLE = 'the operator sets VAULT_HTTP_TIMEOUT to "1"'


def known_setting(name: str) -> str:
    """The setting's name, or a mistake in the scenario that names the closest one."""
    if name in SETTINGS:
        return name
    close = difflib.get_close_matches(name, SETTINGS, n=1, cutoff=0.6)
    meant = f"; did you mean {close[0]}?" if close else ""
    raise ScenarioMistake(
        f"{name} is not a setting a scenario sets{meant} The settings: {', '.join(SETTINGS)}"
    )


# The log API: what it serves -----------------------------------------------------------------
@given("the log API serves {count} security log entries")
def serve_generated(log_api: ScriptedLogApi, count: int) -> None:
    """One page of `count` generated, deterministic entries, as compact JSON."""
    log_api.serve_entries(count)


@given("the log API serves these security log entries:", example=TABLE_EXAMPLE)
def serve_table(log_api: ScriptedLogApi, datatable: list[list[str]]) -> None:
    """One page whose entries are the table's rows; the first row names the fields.
    Every value is served as a string, keys in column order."""
    header, *rows = datatable
    log_api.serve_table([dict(zip(header, row, strict=True)) for row in rows])


@given("the log API serves this raw body:", example=RAW_EXAMPLE)
def serve_raw(log_api: ScriptedLogApi, docstring: str) -> None:
    """Exactly the doc string's bytes (UTF-8, no final newline), with HTTP 200."""
    log_api.serve_body(docstring.encode("utf-8"))


@given("the log API serves {count} security log entries in pages of {size}")
def serve_paged(log_api: ScriptedLogApi, count: int, size: int) -> None:
    """ceil(count/size) pages linked by `next_cursor`, the last without one.
    0 entries give one empty page."""
    if size < 1:
        raise ScenarioMistake(f"a page size must be at least 1, the scenario says {size}")
    log_api.serve_entries(count, page_size=size)


@given("the log API never stops paging")
def never_stops_paging(log_api: ScriptedLogApi) -> None:
    """Every page holds 1 generated entry and a new `next_cursor`; page n is the same bytes
    on every run. Replaces whatever was served before."""
    log_api.serve_endlessly()


# The log API: failures -----------------------------------------------------------------------
@given("the log API responds with HTTP {status} to the first {count} requests")
def fail_with_status(log_api: ScriptedLogApi, status: int, count: int) -> None:
    """The next `count` requests get `status`; failures queue in the order written."""
    log_api.fail(PlannedFailure(FailureKind.STATUS, count, status=status))


@given("the log API responds with HTTP {status} to the first {count} requests for page {page}")
def fail_page_with_status(log_api: ScriptedLogApi, status: int, count: int, page: int) -> None:
    """The next `count` requests for page `page` get `status`; other pages are untouched."""
    log_api.fail(PlannedFailure(FailureKind.STATUS, count, status=status), page=page)


@given("the log API always responds with HTTP {status}")
def always_fail(log_api: ScriptedLogApi, status: int) -> None:
    """Every request gets `status` until the log API recovers; no served body is reached."""
    log_api.always_respond(status)


@given("the log API times out on the first {count} requests")
def time_out(log_api: ScriptedLogApi, count: int) -> None:
    """The next `count` requests time out (a read timeout, as requests reports it)."""
    log_api.fail(PlannedFailure(FailureKind.TIMEOUT, count))


@given("the log API times out on the first {count} requests for page {page}")
def time_out_page(log_api: ScriptedLogApi, count: int, page: int) -> None:
    """The next `count` requests for page `page` time out; other pages are untouched."""
    log_api.fail(PlannedFailure(FailureKind.TIMEOUT, count), page=page)


@given("the log API drops the connection on the first {count} requests")
def drop_connection(log_api: ScriptedLogApi, count: int) -> None:
    """The next `count` requests lose their connection before any answer."""
    log_api.fail(PlannedFailure(FailureKind.DROP, count))


@given("the log API drops the connection on the first {count} requests for page {page}")
def drop_connection_page(log_api: ScriptedLogApi, count: int, page: int) -> None:
    """The next `count` requests for page `page` lose their connection before any answer."""
    log_api.fail(PlannedFailure(FailureKind.DROP, count), page=page)


@given("the log API responds with HTTP {status} and Retry-After {seconds} to the first request")
def fail_with_retry_after(log_api: ScriptedLogApi, status: int, seconds: int) -> None:
    """The next request gets `status` with a `Retry-After: seconds` header."""
    log_api.fail(PlannedFailure(FailureKind.STATUS, 1, status=status, retry_after=seconds))


@given(
    "the log API responds with HTTP {status} and Retry-After {seconds} "
    "to the first request for page {page}"
)
def fail_page_with_retry_after(
    log_api: ScriptedLogApi, status: int, seconds: int, page: int
) -> None:
    """The next request for page `page` gets `status` with a `Retry-After: seconds` header."""
    failure = PlannedFailure(FailureKind.STATUS, 1, status=status, retry_after=seconds)
    log_api.fail(failure, page=page)


@given('the log API redirects every request to "{value}"')
def redirect_everything(log_api: ScriptedLogApi, value: str) -> None:
    """Every request gets a 302 with this `Location` until the log API recovers."""
    log_api.redirect_every_request(value)


# The vault -------------------------------------------------------------------------------------
@given("the vault makes at most {count} attempts per request")
def max_attempts(vault: VaultUnderTest, count: int) -> None:
    """Each API request gets `count` attempts in all (the first one included); at least 1."""
    vault.allow_attempts(count)


@given("the vault accepts bodies of at most {size} bytes")
def body_limit(vault: VaultUnderTest, size: int) -> None:
    """A body over `size` bytes fails the run with PAYLOAD_TOO_LARGE; at least 1."""
    vault.accept_bodies_up_to(size)


@given("the vault fetches at most {count} pages per run")
def page_limit(vault: VaultUnderTest, count: int) -> None:
    """Page `count` is the last a run may fetch; if it names a next page, the run fails with
    PAGE_LIMIT_REACHED. At least 1."""
    vault.fetch_at_most_pages(count)


@given('the clock reads "{instant}"')
def clock_reads(clock: FixedClock, instant: str) -> None:
    """The vault's clock stands still at this ISO 8601 UTC instant."""
    clock.set(instant)


# The archive ---------------------------------------------------------------------------------
@given("the archive denies uploads")
def archive_denies(archive_faults: ArchiveFaults) -> None:
    """The vault's uploads are made as a user without s3:PutObject: a genuine 403 AccessDenied."""
    archive_faults.plan(UploadFault(accepted=0))


@given("the archive accepts {count} uploads, then denies uploads")
def archive_denies_later(archive_faults: ArchiveFaults, count: int) -> None:
    """The next `count` uploads succeed, then every upload gets a genuine 403. Every upload
    counts, re-uploads included, across runs."""
    archive_faults.plan(UploadFault(accepted=count))


@given("the archive fails uploads with HTTP {status}")
def archive_fails(archive_faults: ArchiveFaults, status: int) -> None:
    """Every upload gets what S3 (or a proxy before it) answers with this status: 5xx gives
    STORAGE_UNAVAILABLE, 400, 409, 411 or 413 STORAGE_REJECTED."""
    archive_faults.plan(UploadFault(accepted=0, status=status))


@given("the archive accepts {count} uploads, then fails uploads with HTTP {status}")
def archive_fails_later(archive_faults: ArchiveFaults, count: int, status: int) -> None:
    """The next `count` uploads succeed, then every upload gets this status."""
    archive_faults.plan(UploadFault(accepted=count, status=status))


@given("the archive bucket does not exist")
def bucket_missing(archive: ArchiveBucket) -> None:
    """The archive bucket is deleted, with whatever it held (it may stand after a run)."""
    archive.delete_bucket()


# The audit log -------------------------------------------------------------------------------
@given("the audit log rejects writes")
def audit_rejects(audit_collection: AuditCollection) -> None:
    """MongoDB cannot be reached: every audit write fails until it accepts writes again."""
    audit_collection.plan(WriteFault(accepted=0))


@given("the audit log accepts {count} writes, then rejects writes")
def audit_rejects_later(audit_collection: AuditCollection, count: int) -> None:
    """The next `count` audit writes are taken, then every one fails. Every write the vault
    attempts counts, one refused as already recorded included, across runs."""
    audit_collection.plan(WriteFault(accepted=count))


@given("the log API serves {count} pages that loop back to page {page}")
def serve_loop(log_api: ScriptedLogApi, count: int, page: int) -> None:
    """Pages 1 to `count`, 1 generated entry each; the last names the cursor of page `page`,
    which the run has already followed. `page` is from 2 to `count`. Replaces what was served."""
    if not 2 <= page <= count:
        raise ScenarioMistake(
            f"a page loops back to a page from 2 to {count} (page 1 has no cursor), "
            f"the scenario says {page}"
        )
    log_api.serve_loop(count, page)


@given("the log API trickles its body on the first {count} requests")
def trickle(log_api: ScriptedLogApi, count: int) -> None:
    """The next `count` requests get the status line, the headers and the first bytes at once,
    then nothing before the vault's deadline (VAULT_HTTP_TIMEOUT): a timeout, retried."""
    log_api.fail(PlannedFailure(FailureKind.TRICKLE, count))


@given('the log API requires the password "{value}"', example=PASSWORD_EXAMPLE)
def api_requires_password(log_api: ScriptedLogApi, value: str) -> None:
    """Every request without HTTP Basic credentials holding this password gets a 401; the
    operator's VAULT_API_URL carries it as its userinfo. A secret: never shown."""
    keep_secret(value)
    log_api.require_password(value)


@given('the log API requires the token "{value}"', example=TOKEN_EXAMPLE)
def api_requires_token(log_api: ScriptedLogApi, value: str) -> None:
    """Every request whose query lacks token=<value> gets a 401; the operator's VAULT_API_URL
    carries it in its query. A secret: never shown."""
    keep_secret(value)
    log_api.require_token(value)


@given('the operator gives the log API the password "{value}"', example=GIVES_EXAMPLE)
def operator_gives_password(vault: VaultUnderTest, value: str) -> None:
    """The operator's VAULT_API_URL carries this password as its userinfo, whatever the log
    API requires. A secret: never shown."""
    keep_secret(value)
    vault.give_api_password(value)


# The operator (v3) ---------------------------------------------------------------------------
@given('the operator sets {setting} to "{value}"', example=SETS_EXAMPLE)
def operator_sets(vault: VaultUnderTest, setting: str, value: str) -> None:
    """From now on, every command runs with this environment variable holding exactly this
    text (a setting of the table, VAULT_MONGO_DATABASE or VAULT_MONGO_COLLECTION)."""
    vault.operator_sets(known_setting(setting), value)


@given("the operator unsets {setting}")
def operator_unsets(vault: VaultUnderTest, setting: str) -> None:
    """From now on, every command runs without this environment variable."""
    vault.operator_unsets(known_setting(setting))


@given("the audit log is unreachable")
def audit_unreachable(audit_collection: AuditCollection) -> None:
    """Nothing answers at the MongoDB address the operator gave, until the audit log accepts
    writes again: a run fails with AUDIT_UNAVAILABLE before its first request to the log API."""
    audit_collection.make_unreachable()
