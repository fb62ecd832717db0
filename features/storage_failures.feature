@storage
Feature: Storage failures stop the run before anything is audited
  An audit record must never point to an object that is not in the archive. When S3 refuses
  or fails an upload, the vault stops with a typed error that says why, writes no audit record,
  and leaves nothing half-written, every time.

  Scenario: S3 denies the upload with 403 and no audit record is written
    Given the log API serves 3 security log entries
    And the archive denies uploads
    When the vault runs
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    And the archive is empty
    And no audit record is written
    And the log API was called 1 time

  Scenario: A denied upload fails the same way on every run
    Given the log API serves 2 security log entries
    And the archive denies uploads
    When the vault runs
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    When the vault runs again
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    And the archive is empty
    And no audit record is written
    And the log API was called 2 times

  Scenario: The archive bucket does not exist
    Given the log API serves 3 security log entries
    And the archive bucket does not exist
    When the vault runs
    Then the run fails with error "STORAGE_BUCKET_MISSING"
    And the archive is empty
    And no audit record is written

  Scenario Outline: S3 keeps failing with a server error
    Given the log API serves 3 security log entries
    And the archive fails uploads with HTTP <status>
    When the vault runs
    Then the run fails with error "STORAGE_UNAVAILABLE"
    And the archive holds 0 objects
    And no audit record is written
    And the vault paused 0 times before retrying

    Examples:
      | status |
      | 500    |
      | 503    |

  Scenario: A paged pull stops at the first page S3 refuses
    Given the log API serves 4 security log entries in pages of 2
    And the archive denies uploads
    When the vault runs
    Then the run fails with error "STORAGE_ACCESS_DENIED"
    And the archive is empty
    And no audit record is written
    And the log API was called 1 time
