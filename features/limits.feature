@v2 @limits
Feature: Every pull is bounded: pages, depth, redirects and waits
  A log API that misbehaves must never keep the vault busy without end, lead it somewhere else,
  or make it wait longer than the rules allow. Each limit fails the run with a code and a
  message that names the limit, after archiving what came before it.

  @jira:AV-12 @TestRail:C123 @owner:qa-team @wording
  Scenario: An API that never stops paging is stopped at the page limit
    Given the log API never stops paging
    And the vault fetches at most 3 pages per run
    When the vault runs
    Then the run fails with error "PAGE_LIMIT_REACHED"
    And the run fails on page 3
    And the run reports 3 pages archived
    And the error message mentions "3 pages"
    And the log API was called 3 times
    And the log API was called 0 times for page 4
    And the archive holds 3 objects
    And the audit log holds 3 records

  Scenario: A pull of exactly the page limit succeeds
    Given the log API serves 6 security log entries in pages of 2
    And the vault fetches at most 3 pages per run
    When the vault runs
    Then the run succeeds
    And the run reports 3 pages archived

  Scenario: A pull one page over the limit stops before the last page
    Given the log API serves 4 security log entries in pages of 1
    And the vault fetches at most 3 pages per run
    When the vault runs
    Then the run fails with error "PAGE_LIMIT_REACHED"
    And the log API was called 0 times for page 4
    And the archive holds 3 objects

  Scenario: The page limit applies to each run, and a rerun adds nothing
    Given the log API never stops paging
    And the vault fetches at most 2 pages per run
    When the vault runs
    And the vault runs again
    Then the run fails with error "PAGE_LIMIT_REACHED"
    And the log API was called 4 times
    And the archive holds 2 objects
    And the audit log holds 2 records

  @wording
  Scenario: A redirect is refused and its target is never called
    Given the log API serves 3 security log entries
    And the log API redirects every request to "https://elsewhere.example.test/logs"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the error message mentions "https://elsewhere.example.test/logs"
    And the log API was called 1 time
    And the vault paused 0 times before retrying
    And the archive is empty
    And no audit record is written

  Scenario: A redirect to the vault's own machine is refused, never followed
    Given the log API redirects every request to "http://127.0.0.1:9/logs"
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the log API was called 1 time
    And the archive is empty

  Scenario: A redirect to a local file is refused the same way
    Given the log API serves 1 security log entry
    And the log API redirects every request to "file:///etc/passwd"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the archive is empty

  Scenario Outline: A redirect to an address nobody can parse (<case>) is refused the same way
    Given the log API serves 1 security log entry
    And the log API redirects every request to "<target>"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the log API was called 1 time
    And the archive is empty

    Examples:
      | case                      | target        |
      | an unclosed bracket       | http://[::1   |
      | no address in brackets    | https://[zz]/ |
      | a character alone         | é             |

  Scenario: After the redirect ends, the served body is archived
    Given the log API serves 2 security log entries
    And the log API redirects every request to "https://elsewhere.example.test/logs"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    When the log API recovers
    And the vault runs again
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served

  Scenario: A body nested 512 levels deep is archived
    Given the log API serves this raw body:
      """
      {"logs":[{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served

  @wording
  Scenario: A body nested 513 levels deep is refused
    Given the log API serves this raw body:
      """
      {"logs":[{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "512"
    And the archive is empty

  Scenario: Backoff between attempts stays within its bounds
    Given the log API serves 1 security log entry
    And the vault makes at most 5 attempts per request
    And the log API responds with HTTP 503 to the first 4 requests
    When the vault runs
    Then the run succeeds
    And the vault paused 4 times before retrying
    And the vault waited at least 8 seconds before retrying
    And the vault waited at most 9 seconds before retrying

  Scenario: Backoff is capped at 30 seconds plus jitter
    Given the log API serves 1 security log entry
    And the vault makes at most 8 attempts per request
    And the log API responds with HTTP 503 to the first 7 requests
    When the vault runs
    Then the run succeeds
    And the vault waited at least 30 seconds before retrying
    And the vault waited at most 31 seconds before retrying

  Scenario: A long Retry-After is capped at 60 seconds
    Given the log API serves 1 security log entry
    And the log API responds with HTTP 429 and Retry-After 3600 to the first request
    When the vault runs
    Then the run succeeds
    And the vault waited at least 60 seconds before retrying
    And the vault waited at most 60 seconds before retrying

  @wording
  Scenario: A body over the limit is refused by the length it declares
    Given the log API serves 20 security log entries
    And the vault accepts bodies of at most 1000 bytes
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the error message mentions "limit of 1000 bytes"
    And the error message mentions "declared"
    And the log API was called 1 time
    And the archive is empty
