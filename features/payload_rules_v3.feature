@v3 @validation
Feature: A page whose meaning is ambiguous is refused, and nothing of it is kept
  JSON parsers disagree on a key given twice and on tokens such as NaN, and a next page named
  in a way no URL can follow cannot be fetched: such a page is refused whole, with
  INVALID_PAYLOAD, and the message says what was wrong. A number too large for a double is
  valid JSON: it is archived exactly as served. A paged pull that names a page it has already
  followed ends there, with the page that named it kept.

  Scenario: A key given twice in one entry is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","severity":"LOW","severity":"HIGH"}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page 1
    And the archive is empty
    And no audit record is written

  Scenario: A key given twice, once spelled with an escape, is still the same key
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","source":"sshd","\u0073ource":"sudo"}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the archive is empty

  Scenario: A long key given twice is refused like any other
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","originating_sensor_name_as_the_agent_sent":"a","originating_sensor_name_as_the_agent_sent":"b"}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the archive is empty

  Scenario: The logs array given twice is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1"}],"logs":[]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the archive is empty

  Scenario: The same key in different entries, or in another case, is no repetition
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","ID":"a"},{"id":"evt-2","ID":"b"}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record has these fields:
      | field     | value |
      | log_count | 2     |

  Scenario Outline: The token <token> is not JSON, and the page is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","score":<token>}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the log API was called 1 time
    And the archive is empty

    Examples:
      | token     |
      | NaN       |
      | Infinity  |
      | -Infinity |

  Scenario: Numbers too large for a double are valid, and archived exactly as served
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","bytes_out":1e400,"sequence":123456789012345678901234567890123456789012345,"ratio":-0.0e-999}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record has these fields:
      | field     | value |
      | log_count | 1     |

  Scenario Outline: A next_cursor that is <what> is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1"}],"next_cursor":<cursor>}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the log API was called 1 time
    And the archive is empty

    Examples:
      | cursor     | what            |
      | ""         | an empty string |
      | 7          | number          |
      | 2.5        | number          |
      | true       | boolean         |
      | ["page-2"] | array           |
      | {"page":2} | object          |

  Scenario: A logs field that is a number is refused
    Given the log API serves this raw body:
      """
      {"logs":2.5}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"

  Scenario: A next_cursor of null ends the pull
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1"}],"next_cursor":null}
      """
    When the vault runs
    Then the run succeeds
    And the run reports 1 page archived
    And the log API was called 1 time

  Scenario Outline: A pull of <count> pages that loops back to page <page> ends on page <count>
    Given the log API serves <count> pages that loop back to page <page>
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page <count>
    And the run reports <count> pages archived
    And the archive holds <count> objects
    And the audit log holds <count> records
    And the log API was called <count> times

    Examples:
      | count | page |
      | 5     | 3    |
      | 5     | 5    |
      | 2     | 2    |

  Scenario: A raw body that names a cursor of its own answers that page too, and so loops
    Given the log API serves this raw body:
      """
      {"logs":[{"id":"only"}],"next_cursor":"again"}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page 2
    And the run reports 2 pages archived
    And the archive holds 1 object
    And the audit log holds 1 record
    And the log API was called 2 times

  Scenario: A repeated cursor is caught before the page limit
    Given the vault fetches at most 4 pages per run
    And the log API serves 4 pages that loop back to page 3
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page 4
    And the log API was called 4 times

  Scenario: A loop found again on the next run keeps the same pages, once
    Given the log API serves 3 pages that loop back to page 2
    When the vault runs
    And the vault runs again
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page 3
    And the run reports 3 pages archived
    And the archive holds 3 objects
    And the audit log holds 3 records
    And the log API was called 6 times

  Scenario: A body over the limit is refused, and the message names the limit
    Given the vault accepts bodies of at most 16 bytes
    And the log API serves this raw body:
      """
      {"logs":[{"id":"evt-1","note":"a long note"}]}
      """
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the error message mentions "16"
    And the log API was called 1 time
    And the archive is empty
