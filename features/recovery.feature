@recovery
Feature: After a fault, the next run completes with nothing lost and nothing duplicated
  Faults end. When one does, a single further run must leave the archive and the audit log as if
  it had never happened: every page archived once and audited once, no record without its object.

  Scenario: After S3 denied the upload, the next run archives and audits the page
    Given the log API serves 3 security log entries
    And the archive denies uploads
    When the vault runs
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    When the archive accepts uploads again
    And the vault runs again
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 1 record
    And the audit record points to the archived object
    And the audit record's checksum matches the archived object

  Scenario: After S3 failed with 503, the next run archives every page once
    Given the log API serves 5 security log entries in pages of 2
    And the archive fails uploads with HTTP 503
    When the vault runs
    Then the run fails with error "STORAGE_UNAVAILABLE"
    When the archive accepts uploads again
    And the vault runs again
    Then the run succeeds
    And the archive holds 3 objects
    And the audit log holds 3 records
    And every audit record points to an archived object

  Scenario: After the bucket was missing, the next run fills the new bucket
    Given the log API serves 4 security log entries in pages of 2
    And the archive bucket does not exist
    When the vault runs
    Then the run fails with error "STORAGE_BUCKET_MISSING"
    And the archive is empty
    When the archive bucket is created
    And the vault runs again
    Then the run succeeds
    And the archive holds 2 objects
    And the audit log holds 2 records
    And every audit record points to an archived object

  Scenario: After the log API was down, the next run archives every page
    Given the log API always responds with HTTP 503
    And the log API serves 5 security log entries in pages of 2
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the archive is empty
    When the log API recovers
    And the vault runs again
    Then the run succeeds
    And the log API was called 6 times
    And the archive holds 3 objects
    And the audit log holds 3 records

  Scenario: After the audit log lost a record mid-pull, a run with more data fills the gap
    Given the log API serves 4 security log entries in pages of 2
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the archive holds 1 object
    When the audit log accepts writes again
    And the vault runs again
    Then the run succeeds
    And the archive holds 2 objects
    And the audit log holds 2 records
    And every audit record points to an archived object
