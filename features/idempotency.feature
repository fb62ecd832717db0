@idempotency
Feature: Running again never duplicates anything
  Schedulers re-run jobs, operators re-run them by hand, and the log API serves the same page
  more than once. The key of an archived object is derived from its bytes, and the audit log
  has one record per key, so the same payload never makes a second object or a second record.

  Scenario: The same payload twice gives one object and one record
    Given the log API serves 3 security log entries
    When the vault runs
    And the vault runs again
    Then the run succeeds
    And the log API was called 2 times
    And the archive holds 1 object
    And the audit log holds 1 record
    And the audit record points to the archived object

  Scenario: A paged pull run twice archives each page once
    Given the log API serves 7 security log entries in pages of 3
    When the vault runs
    And the vault runs again
    Then the run succeeds
    And the log API was called 6 times
    And the archive holds 3 objects
    And the audit log holds 3 records
    And every audit record points to an archived object

  Scenario: A re-run keeps the first run's audit time
    Given the clock reads "2026-04-01T10:00:00Z"
    And the log API serves 2 security log entries
    When the vault runs
    And the vault runs again
    Then the audit record has these fields:
      | field     | value                |
      | timestamp | 2026-04-01T10:00:00Z |

  Scenario: A different payload gets its own object and record
    Given the log API serves 2 security log entries
    When the vault runs
    Then the archive holds 1 object
    And the audit log holds 1 record
    Given the log API serves 3 security log entries
    When the vault runs again
    Then the run succeeds
    And the archive holds 2 objects
    And the audit log holds 2 records
