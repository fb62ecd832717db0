@v3 @settings
Feature: The operator's settings are checked before the vault sends anything
  An operator configures the vault through its environment. A setting that is missing or breaks
  its rule stops the vault before its first request to the log API, S3 or MongoDB (exit status
  2), and the refusal names every bad setting at once, so one attempt is enough to fix them all.

  @smoke
  Scenario: A page limit of zero is refused before anything is fetched
    Given the log API serves 3 security log entries
    And the operator sets VAULT_MAX_PAGES to "0"
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MAX_PAGES
    And the log API was called 0 times
    And the archive is empty
    And no audit record is written

  Scenario: Every bad setting is named at once
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MAX_ATTEMPTS to "three"
    And the operator sets VAULT_HTTP_TIMEOUT to "1e3"
    And the operator sets VAULT_BUCKET to "Audit_Vault"
    And the operator unsets VAULT_MONGO_URI
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MAX_ATTEMPTS
    And the refusal names VAULT_HTTP_TIMEOUT
    And the refusal names VAULT_BUCKET
    And the refusal names VAULT_MONGO_URI

  Scenario: A refused start, fixed, then runs
    Given the log API serves 2 security log entries
    And the operator sets VAULT_MAX_BODY_BYTES to "10 MB"
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MAX_BODY_BYTES
    Given the operator sets VAULT_MAX_BODY_BYTES to "1048576"
    When the vault runs again
    Then the run succeeds
    And the audit log holds 1 record

  Scenario Outline: <setting> set to "<value>" is refused
    Given the log API serves 1 security log entry
    And the operator sets <setting> to "<value>"
    When the vault runs
    Then the vault refuses to start
    And the refusal names <setting>

    Examples:
      | setting              | value                                  |
      | VAULT_API_URL        | ftp://security-logs.example.test/api   |
      | VAULT_API_URL        | https://security-logs.example.test/a#x |
      | VAULT_API_URL        | https:///api                           |
      | VAULT_BUCKET         | ab                                     |
      | VAULT_BUCKET         | audit..vault                           |
      | VAULT_BUCKET         | 192.168.10.20                          |
      | VAULT_BUCKET         | xn--audit-vault                        |
      | VAULT_BUCKET         | audit-vault-s3alias                    |
      | VAULT_MONGO_URI      | postgres://127.0.0.1:5432/audit        |
      | VAULT_MAX_ATTEMPTS   | 0                                      |
      | VAULT_MAX_ATTEMPTS   | +3                                     |
      | VAULT_MAX_ATTEMPTS   | 3x                                     |
      | VAULT_MAX_BODY_BYTES | -1                                     |
      | VAULT_MAX_PAGES      | 2.5                                    |
      | VAULT_HTTP_TIMEOUT   | 0                                      |
      | VAULT_HTTP_TIMEOUT   | 86401                                  |
      | VAULT_HTTP_TIMEOUT   | 1.2.3                                  |
      | VAULT_HTTP_TIMEOUT   | inf                                    |

  Scenario Outline: A required <setting> that is missing or empty is refused
    Given the log API serves 1 security log entry
    And the operator sets <setting> to ""
    When the vault runs
    Then the vault refuses to start
    And the refusal names <setting>

    Examples:
      | setting         |
      | VAULT_API_URL   |
      | VAULT_BUCKET    |
      | VAULT_MONGO_URI |

  Scenario: One attempt per request is exactly one request
    Given the operator sets VAULT_MAX_ATTEMPTS to "1"
    And the log API responds with HTTP 503 to the first 1 request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 1 time

  Scenario: A body limit set by the operator holds
    Given the operator sets VAULT_MAX_BODY_BYTES to "64"
    And the log API serves 5 security log entries
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the error message mentions "64"
    And the archive is empty

  Scenario: A page limit set by the operator holds
    Given the operator sets VAULT_MAX_PAGES to "2"
    And the log API serves 5 security log entries in pages of 1
    When the vault runs
    Then the run fails with error "PAGE_LIMIT_REACHED"
    And the run fails on page 2
    And the archive holds 2 objects

  Scenario: A timeout with a decimal point is a deadline
    Given the operator sets VAULT_HTTP_TIMEOUT to "1.5"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds

  Scenario: Good values of the settings run as usual
    Given the operator sets VAULT_BUCKET to "audit-vault-archive"
    And the operator sets VAULT_MAX_ATTEMPTS to "2"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object

  Scenario: Another bucket is a store the scenario never created
    Given the operator sets VAULT_BUCKET to "another-audit-archive"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run fails with error "STORAGE_BUCKET_MISSING"
    And the error message mentions "another-audit-archive"
    And the archive is empty

  Scenario: Another audit collection is a store the scenario does not watch
    Given the operator sets VAULT_MONGO_COLLECTION to "other_records"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 0 records

  Scenario: A log API address where nothing listens is unavailable, not a bug
    Given the log API serves 1 security log entry
    And the operator sets VAULT_API_URL to "http://127.0.0.1:9/api"
    And the vault makes at most 2 attempts per request
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 0 times
    And the archive is empty

  Scenario: A MongoDB address where nothing answers stops the run before any fetch
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_URI to "mongodb://127.0.0.1:9/"
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the log API was called 0 times
