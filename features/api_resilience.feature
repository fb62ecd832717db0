@resilience
Feature: The vault rides out an unreliable log API
  The log API is someone else's service: it has bad minutes. The vault retries what a retry can
  fix (429, 5xx gateways, timeouts, dropped connections) with exponential backoff, honours
  Retry-After, and never retries what it cannot fix. Nothing in this suite really sleeps: pauses
  are recorded, not waited.

  @smoke
  Scenario: The first call answers 503 and the second succeeds
    Given the log API responds with HTTP 503 to the first 1 request
    And the log API serves 3 security log entries
    When the vault runs
    Then the run succeeds
    And the log API was called 2 times
    And the vault paused 1 time before retrying
    And the archive holds 1 object
    And the archived object is byte-for-byte the body the log API served
    And the audit log holds 1 record
    And the audit record points to the archived object

  Scenario Outline: Transient status <status> is retried until it succeeds
    Given the log API responds with HTTP <status> to the first 2 requests
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the log API was called 3 times
    And the vault paused 2 times before retrying
    And the audit log holds 1 record

    Examples:
      | status |
      | 429    |
      | 500    |
      | 502    |
      | 504    |

  Scenario: Timeouts and dropped connections are retried
    Given the log API times out on the first 1 request
    And the log API drops the connection on the first 1 request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run succeeds
    And the log API was called 3 times
    And the vault paused 2 times before retrying

  Scenario: The vault gives up when attempts run out
    Given the log API always responds with HTTP 503
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 3 times
    And the vault paused 2 times before retrying
    And the archive is empty
    And no audit record is written

  Scenario: Backoff grows exponentially with more attempts
    Given the vault makes at most 5 attempts per request
    And the log API times out on the first 4 requests
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the log API was called 5 times
    And the vault paused 4 times before retrying
    And the vault waited at least 8 seconds before retrying

  Scenario: Retry-After replaces the backoff
    Given the log API responds with HTTP 429 and Retry-After 20 to the first request
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the vault paused 1 time before retrying
    And the vault waited at least 20 seconds before retrying

  Scenario: Retry-After is capped at 60 seconds
    Given the log API responds with HTTP 503 and Retry-After 3600 to the first request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run succeeds
    And the vault waited at least 60 seconds before retrying

  Scenario: With a single attempt nothing is retried
    Given the vault makes at most 1 attempt per request
    And the log API responds with HTTP 503 to the first 1 request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 1 time
    And the vault paused 0 times before retrying

  Scenario Outline: HTTP <status> is rejected at once and never retried
    Given the log API responds with HTTP <status> to the first 1 request
    And the log API serves 3 security log entries
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the log API was called 1 time
    And the vault paused 0 times before retrying
    And the archive is empty
    And no audit record is written

    Examples:
      | status |
      | 400    |
      | 401    |
      | 403    |
      | 404    |
      | 501    |
