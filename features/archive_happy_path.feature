@happy_path
Feature: Archive security logs and audit them
  Security teams must be able to prove, months later, exactly what the log API delivered.
  So the vault keeps the raw payload byte for byte in S3 and writes an audit record in MongoDB
  that points to it, with a checksum anyone can verify.

  Scenario: A valid batch is archived byte for byte and audited
    Given the clock reads "2026-03-01T12:00:00Z"
    And the log API serves 3 security log entries
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the archived object is byte-for-byte the body the log API served
    And the audit log holds 1 record
    And the audit record has status "ARCHIVED"
    And the audit record points to the archived object
    And the audit record's checksum matches the archived object
    And the audit record has these fields:
      | field     | value                |
      | bucket    | audit-vault-archive  |
      | status    | ARCHIVED             |
      | log_count | 3                    |
      | timestamp | 2026-03-01T12:00:00Z |

  @smoke
  Scenario: Entries given as a table are archived exactly as served
    Given the log API serves these security log entries:
      | id    | timestamp            | severity | source | message                      |
      | evt-1 | 2026-02-14T08:15:00Z | HIGH     | sshd   | 5 failed logins for root     |
      | evt-2 | 2026-02-14T08:16:30Z | LOW      | nginx  | GET /admin answered 404      |
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record has these fields:
      | field      | value                                                                      |
      | log_count  | 2                                                                          |
      | size_bytes | 251                                                                        |
      | s3_key     | logs/965528b5a240c1826cf7889da1723e9d0850edae2693bde42c475acb015c849d.json |

  Scenario: A raw body is archived with its own spacing and key order
    Given the clock reads "2026-06-30T23:59:59.250Z"
    And the log API serves this raw body:
      """
      { "logs" : [ {"severity": "HIGH", "id": "evt-9"} ] , "source_system": "siem-eu-1" }
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record points to the archived object
    And the audit record has these fields:
      | field     | value                    |
      | log_count | 1                        |
      | timestamp | 2026-06-30T23:59:59.250Z |

  Scenario: The audit record's time is the time of the run, not of the entries
    Given the clock reads "2027-01-15T09:30:00Z"
    And the log API serves 5 security log entries
    When the vault runs
    Then the audit record has these fields:
      | field     | value                |
      | timestamp | 2027-01-15T09:30:00Z |
      | log_count | 5                    |

  Scenario: An empty page archives nothing and the run still succeeds
    Given the log API serves 0 security log entries
    When the vault runs
    Then the run succeeds
    And the archive is empty
    And no audit record is written
    And the log API was called 1 time
