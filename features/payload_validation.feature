@validation
Feature: Bad payloads are refused before anything is written
  The archive is evidence: it must only ever hold what the vault can vouch for. A body that is
  not a JSON object with a "logs" array of objects, or that is larger than the vault accepts, is
  refused with a typed error; nothing is archived, nothing is audited, and it is not fetched again.

  Scenario Outline: <what> is refused as INVALID_PAYLOAD
    Given the log API serves this raw body:
      """
      <body>
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the archive is empty
    And no audit record is written
    And the log API was called 1 time

    Examples:
      | what                        | body                                        |
      | text that is not JSON       | not json at all                             |
      | a truncated document        | {"logs": [{"id": "evt-1"}                   |
      | a JSON array                | [{"id": "evt-1"}]                           |
      | a JSON string               | "logs"                                      |
      | a JSON number               | 42                                          |
      | JSON null                   | null                                        |
      | an object without logs      | {"entries": []}                             |
      | logs that is not an array   | {"logs": {"id": "evt-1"}}                   |
      | an entry that is a string   | {"logs": ["evt-1"]}                         |
      | an entry that is null       | {"logs": [{"id": "evt-1"}, null]}           |
      | duplicate keys              | {"logs": [], "logs": [{"id": "evt-1"}]}     |
      | an HTML error page          | <html><body>502 Bad Gateway</body></html>   |
      | NaN, which JSON forbids     | {"logs": [{"score": NaN}]}                  |
      | a next_cursor that is a number | {"logs": [{"id": "evt-1"}], "next_cursor": 2} |

  Scenario: An empty body is refused
    Given the log API serves this raw body:
      """
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the archive is empty
    And no audit record is written

  Scenario: A body over the size limit is refused
    Given the vault accepts bodies of at most 100 bytes
    And the log API serves 3 security log entries
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the archive is empty
    And no audit record is written
    And the log API was called 1 time

  Scenario: A body exactly at the size limit is accepted
    Given the vault accepts bodies of at most 35 bytes
    And the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","ok":true}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served

  Scenario: A body one byte over the size limit is refused
    Given the vault accepts bodies of at most 34 bytes
    And the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","ok":true}]}
      """
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the archive is empty

  Scenario: A refused payload is not fetched again within the run
    Given the log API serves this raw body:
      """
      {"logs": "not an array"}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the log API was called 1 time
    And the vault paused 0 times before retrying
