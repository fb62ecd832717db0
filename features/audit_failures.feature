@audit
Feature: Nothing is lost when the audit log is down
  If MongoDB cannot take the audit record, the raw payload is already safe in S3. The run fails
  with a typed error, the archived object stays, and the next run writes the missing record
  without archiving a second copy.

  Scenario: The audit write fails and the archived object stays
    Given the log API serves 3 security log entries
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the archive holds 1 object
    And the archived object is byte-for-byte the body the log API served
    And no audit record is written

  Scenario: A later run writes the missing record and duplicates nothing
    Given the log API serves 3 security log entries
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    When the audit log accepts writes again
    And the vault runs again
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 1 record
    And the audit record points to the archived object
    And the audit record's checksum matches the archived object

  Scenario: A paged pull recovers every page after the audit log returns
    Given the log API serves 6 security log entries in pages of 2
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the log API was called 1 time
    When the audit log accepts writes again
    And the vault runs again
    Then the run succeeds
    And the archive holds 3 objects
    And the audit log holds 3 records
    And every audit record points to an archived object
