@v2 @integrity
Feature: The vault proves that the archive and the audit log agree
  "Nothing lost" must not depend on the log API serving the same bytes again. Verification
  compares every archived object with the audit log and reports each problem by kind, changing
  nothing. Repair writes the record of an object that has none, from the object itself, and
  never vouches for bytes that were altered.

  Scenario: A clean archive passes verification
    Given the log API serves 5 security log entries in pages of 2
    When the vault runs
    And the vault verifies the archive
    Then the verification passes
    And the run succeeds
    And the verification reports 0 problems

  Scenario: An empty archive passes verification
    When the vault verifies the archive
    Then the verification passes

  Scenario: An object whose audit record was deleted is a missing record
    Given the log API serves 4 security log entries in pages of 2
    When the vault runs
    And an audit record is deleted
    And the vault verifies the archive
    Then the verification reports 1 problem
    And the verification reports "MISSING_RECORD" for 1 object
    And the verification reports "MISSING_OBJECT" for 0 objects

  Scenario: A record whose object was deleted is a missing object
    Given the log API serves 4 security log entries in pages of 2
    When the vault runs
    And an archived object is deleted
    And the vault verifies the archive
    Then the verification reports 1 problem
    And the verification reports "MISSING_OBJECT" for 1 object

  Scenario: An object overwritten with other bytes is a checksum mismatch
    Given the log API serves 2 security log entries
    When the vault runs
    And an archived object is overwritten with other bytes
    And the vault verifies the archive
    Then the verification reports 1 problem
    And the verification reports "CHECKSUM_MISMATCH" for 1 object
    And the archive holds 1 object
    And the audit log holds 1 record

  Scenario: Several kinds of problem are reported together
    Given the log API serves 3 security log entries in pages of 1
    When the vault runs
    And an archived object is deleted
    And an archived object is overwritten with other bytes
    Given the audit log rejects writes
    When the log API now serves 1 security log entry
    And the vault runs again
    And the vault verifies the archive
    Then the verification reports 3 problems
    And the verification reports "MISSING_OBJECT" for 1 object
    And the verification reports "CHECKSUM_MISMATCH" for 1 object
    And the verification reports "MISSING_RECORD" for 1 object

  Scenario: Verification changes nothing
    Given the log API serves 3 security log entries in pages of 1
    When the vault runs
    And an archived object is overwritten with other bytes
    And the vault verifies the archive
    And the vault verifies the archive
    Then the verification reports 1 problem
    And the archive holds 3 objects
    And the audit log holds 3 records
    And 3 audit records have status "ARCHIVED"

  Scenario: A repair writes the missing record and the archive verifies clean
    Given the log API serves 4 security log entries in pages of 2
    When the vault runs
    And an audit record is deleted
    And the vault repairs the audit log
    Then the repair writes 1 record
    And 1 audit record has status "RECOVERED"
    And 1 audit record has status "ARCHIVED"
    When the vault verifies the archive
    Then the verification passes

  Scenario: A repaired record is built from the object, at the time of the repair
    Given the clock reads "2026-03-01T12:00:00Z"
    And the log API serves 3 security log entries
    When the vault runs
    And an audit record is deleted
    Given the clock reads "2026-03-02T08:30:00.250Z"
    When the vault repairs the audit log
    Then the audit record has status "RECOVERED"
    And the audit record points to the archived object
    And the audit record's checksum matches the archived object
    And the audit record has these fields:
      | field     | value                    |
      | log_count | 3                        |
      | timestamp | 2026-03-02T08:30:00.250Z |

  Scenario: Repairing twice writes the records once
    Given the log API serves 3 security log entries in pages of 1
    When the vault runs
    And an audit record is deleted
    And the vault repairs the audit log
    And the vault repairs the audit log
    Then the repair writes 0 records
    And the audit log holds 3 records
    And 1 audit record has status "RECOVERED"

  Scenario: A repair never vouches for altered bytes
    Given the log API serves 2 security log entries
    When the vault runs
    And an archived object is overwritten with other bytes
    And an audit record is deleted
    And the vault verifies the archive
    Then the verification reports "CHECKSUM_MISMATCH" for 1 object
    And the verification reports "MISSING_RECORD" for 0 objects
    When the vault repairs the audit log
    Then the repair writes 0 records
    And no audit record is written

  Scenario: A repair neither restores a deleted object nor drops its record
    Given the log API serves 2 security log entries in pages of 1
    When the vault runs
    And an archived object is deleted
    And the vault repairs the audit log
    Then the repair writes 0 records
    And the archive holds 1 object
    And the audit log holds 2 records
    When the vault verifies the archive
    Then the verification reports "MISSING_OBJECT" for 1 object

  Scenario: A record lost to an outage is recovered from the archive itself
    Given the log API serves 3 security log entries
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    When the audit log accepts writes again
    And the log API now serves 2 security log entries
    And the vault runs again
    And the vault verifies the archive
    Then the verification reports "MISSING_RECORD" for 1 object
    When the vault repairs the audit log
    Then the repair writes 1 record
    And 1 audit record has status "RECOVERED"
    When the vault verifies the archive
    Then the verification passes

  Scenario: Every record of a deleted bucket is a missing object
    Given the log API serves 3 security log entries in pages of 1
    When the vault runs
    Given the archive bucket does not exist
    When the vault verifies the archive
    Then the verification reports "MISSING_OBJECT" for 3 objects
    And the archive is empty

  Scenario: A repair while the audit log is down fails with its code
    Given the log API serves 1 security log entry
    When the vault runs
    And an audit record is deleted
    Given the audit log rejects writes
    When the vault repairs the audit log
    Then the run fails with error "AUDIT_UNAVAILABLE"
    When the vault verifies the archive
    Then the verification reports "MISSING_RECORD" for 1 object
    And the audit log holds 0 records

  Scenario: A verification that cannot reach the audit log fails with its code
    Given the log API serves 2 security log entries
    When the vault runs
    Given the audit log is unreachable
    When the vault verifies the archive
    Then the run fails with error "AUDIT_UNAVAILABLE"

  Scenario: A payload amended at the source is archived beside the first, and both verify
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","severity":"HIGH"}]}
      """
    When the vault runs
    And the log API now serves this raw body:
      """
      {"logs":[{"id":"evt-1","severity":"HIGH","note":"amended"}]}
      """
    And the vault runs again
    Then the run succeeds
    And the archive holds 2 objects
    And 2 audit records have status "ARCHIVED"
    When the vault verifies the archive
    Then the verification passes
