@v3 @integrity @limits
Feature: A repair holds the operator's limits, and goes on past what it must leave
  A repair writes only what the archive proves. An object whose bytes still hash to its key but
  that is no longer a page this vault accepts (it is over the size limit the operator set since)
  is reported and left for a person; the repair goes on and writes the records of the others.

  Scenario: A repair leaves a page over today's size limit for a person, and repairs the others
    Given the log API serves 2 security log entries in pages of 1
    When the vault runs
    Then the run succeeds
    When an audit record is deleted
    And an audit record is deleted
    And the vault verifies the archive
    Then the verification reports "MISSING_RECORD" for 2 objects
    Given the vault accepts bodies of at most 140 bytes
    When the vault repairs the audit log
    Then the repair writes 1 record
    And the audit record has these fields:
      | field      | value     |
      | status     | RECOVERED |
      | size_bytes | 127       |
      | log_count  | 1         |
    When the vault verifies the archive
    Then the verification reports 1 problem
    And the verification reports "MISSING_RECORD" for 1 object
