@pagination
Feature: Every page of a paged pull is archived and audited
  The log API hands out large result sets one page at a time, linked by next_cursor. Each page
  is archived as its own object with its own audit record, so every object is exactly one answer
  the API gave.

  Scenario: Five entries in pages of two become three objects and three records
    Given the log API serves 5 security log entries in pages of 2
    When the vault runs
    Then the run succeeds
    And the log API was called 3 times
    And the archive holds 3 objects
    And the audit log holds 3 records
    And every audit record points to an archived object

  Scenario: Pages that divide evenly end without an extra request
    Given the log API serves 6 security log entries in pages of 3
    When the vault runs
    Then the run succeeds
    And the log API was called 2 times
    And the archive holds 2 objects

  Scenario: A page size larger than the result set gives one page
    Given the log API serves 4 security log entries in pages of 10
    When the vault runs
    Then the run succeeds
    And the log API was called 1 time
    And the archived object is byte-for-byte the body the log API served
    And the audit record has these fields:
      | field     | value |
      | log_count | 4     |

  Scenario: No entries in pages gives one empty page and nothing archived
    Given the log API serves 0 security log entries in pages of 5
    When the vault runs
    Then the run succeeds
    And the log API was called 1 time
    And the archive is empty
    And no audit record is written

  Scenario: Each page's request has its own attempts
    Given the log API responds with HTTP 503 to the first 2 requests
    And the log API serves 4 security log entries in pages of 2
    When the vault runs
    Then the run succeeds
    And the log API was called 4 times
    And the vault paused 2 times before retrying
    And the archive holds 2 objects
    And the audit log holds 2 records

  Scenario: A page that keeps failing stops the pull and nothing after it is fetched
    Given the vault makes at most 2 attempts per request
    And the log API times out on the first 2 requests
    And the log API serves 6 security log entries in pages of 2
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 2 times
    And the archive is empty
