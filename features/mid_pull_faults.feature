@v2 @storage @audit @recovery
Feature: A store that fails in the middle of a pull loses nothing
  S3 or MongoDB can stop taking writes after some pages are already in. The pages before the
  fault stay archived and audited, the failing page is named, and a run after recovery finishes
  the pull with every page once.

  Scenario: S3 denies uploads after two pages, and the next run finishes the pull
    Given the log API serves 4 security log entries in pages of 1
    And the archive accepts 2 uploads, then denies uploads
    When the vault runs
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    And the run fails on page 3
    And the run reports 2 pages archived
    And the error message mentions "AccessDenied"
    And the error message mentions "audit-vault-archive"
    And the archive holds 2 objects
    And the audit log holds 2 records
    And the log API was called 0 times for page 4
    When the archive accepts uploads again
    And the vault runs again
    Then the run succeeds
    And the run reports 4 pages archived
    And the archive holds 4 objects
    And the audit log holds 4 records
    And every audit record points to an archived object

  Scenario: A re-upload counts as an upload
    Given the log API serves 2 security log entries in pages of 1
    And the archive accepts 3 uploads, then denies uploads
    When the vault runs
    Then the run succeeds
    When the vault runs again
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    And the run fails on page 2
    And the run reports 1 page archived
    And the audit log holds 2 records

  Scenario Outline: S3 fails with HTTP <status> after one page
    Given the log API serves 3 security log entries in pages of 1
    And the archive accepts 1 upload, then fails uploads with HTTP <status>
    When the vault runs
    Then the run fails with error "<code>"
    And the run fails on page 2
    And the run reports 1 page archived
    And the error message mentions "<status>"
    And the archive holds 1 object
    And the audit log holds 1 record

    Examples:
      | status | code                |
      | 500    | STORAGE_UNAVAILABLE |
      | 502    | STORAGE_UNAVAILABLE |
      | 503    | STORAGE_UNAVAILABLE |
      | 504    | STORAGE_UNAVAILABLE |
      | 400    | STORAGE_REJECTED    |
      | 409    | STORAGE_REJECTED    |
      | 411    | STORAGE_REJECTED    |
      | 413    | STORAGE_REJECTED    |

  Scenario: The audit log goes down after two records, and the next run writes the rest
    Given the log API serves 3 security log entries in pages of 1
    And the audit log accepts 2 writes, then rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the run fails on page 3
    And the run reports 2 pages archived
    And the archive holds 3 objects
    And the audit log holds 2 records
    When the audit log accepts writes again
    And the vault runs again
    Then the run succeeds
    And the audit log holds 3 records
    And 3 audit records have status "ARCHIVED"

  Scenario: A write refused as already recorded still counts
    Given the log API serves 1 security log entry
    And the audit log accepts 1 write, then rejects writes
    When the vault runs
    Then the run succeeds
    When the vault runs again
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the audit log holds 1 record

  Scenario: The bucket disappears after a run, and the next run says so
    Given the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    Given the archive bucket does not exist
    When the vault runs again
    Then the run fails with error "STORAGE_BUCKET_MISSING"
    And the error message mentions "NoSuchBucket"
    And the archive is empty
