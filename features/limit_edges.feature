@limits
Feature: The vault's limits hold exactly at their edges
  A limit of one is a limit, not a mistake; a body just inside the depth limit is archived even
  when it holds many brackets; a large page and a large repair are read whole, chunk by chunk.

  @wording
  Scenario: A size limit of one byte is a limit like any other
    Given the vault accepts bodies of at most 1 byte
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the error message mentions "limit of 1 bytes"

  Scenario: A page limit of one fetches one page
    Given the vault fetches at most 1 page per run
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the audit log holds 1 record

  Scenario: A Retry-After of zero means no wait at all
    Given the log API responds with HTTP 503 and Retry-After 0 to the first request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run succeeds
    And the vault paused 1 time before retrying
    And the vault waited at most 0 seconds before retrying

  Scenario: A body 512 levels deep with many brackets is archived
    Given the log API serves this raw body:
      """
      {"logs":[{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},{}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served

  @wording
  Scenario: A body whose deepest branch comes last is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"a":[],"b":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "nests arrays and objects 513 levels deep"

  Scenario: A page of many small entries is not too deep
    Given the log API serves 600 security log entries
    When the vault runs
    Then the run succeeds
    And the audit record has these fields:
      | field     | value |
      | log_count | 600   |

  Scenario: The audit record says what was archived
    Given the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the audit record has these fields:
      | field  | value               |
      | bucket | audit-vault-archive |
      | status | ARCHIVED            |

  Scenario: A page larger than one read is archived whole
    Given the log API serves 2000 security log entries
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served

  Scenario: A repair reads a large object whole
    Given the log API serves 10000 security log entries
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    When the audit log accepts writes again
    And the vault repairs the audit log
    Then the repair writes 1 record
    And 1 audit record has status "RECOVERED"

  Scenario: A repair vouches for an object exactly at the size limit
    Given the vault accepts bodies of at most 21 bytes
    And the log API serves this raw body:
      """
      {"logs":[{"id":"a"}]}
      """
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    When the audit log accepts writes again
    And the vault repairs the audit log
    Then the repair writes 1 record
    And the audit record has these fields:
      | field        | value            |
      | status       | RECOVERED        |
      | content_type | application/json |
      | size_bytes   | 21               |
