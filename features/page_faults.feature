@v2 @pagination @resilience
Feature: A fault on any page of a pull is contained to that page
  The log API can fail on page 3 of a pull just as well as on page 1. Each page's request has
  its own attempts; a fault planned for one page never touches another, and the pages before
  the fault are archived and audited whatever happens after them.

  Scenario: A page-3 outage is ridden out with the page's own attempts
    Given the log API serves 5 security log entries in pages of 1
    And the log API responds with HTTP 503 to the first 2 requests for page 3
    When the vault runs
    Then the run succeeds
    And the log API was called 7 times
    And the log API was called 3 times for page 3
    And the log API was called 1 time for page 2
    And the vault paused 2 times before retrying
    And the archive holds 5 objects
    And the audit log holds 5 records

  Scenario: A page-3 outage that outlasts the attempts stops the pull after page 2
    Given the log API serves 5 security log entries in pages of 1
    And the log API responds with HTTP 503 to the first 3 requests for page 3
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the run fails on page 3
    And the run reports 2 pages archived
    And the error message mentions "503"
    And the error message mentions "page 3"
    And the log API was called 0 times for page 4
    And the archive holds 2 objects
    And the audit log holds 2 records

  Scenario: After the page-3 outage, the next run completes the pull without duplicates
    Given the log API serves 4 security log entries in pages of 1
    And the log API responds with HTTP 500 to the first 3 requests for page 3
    When the vault runs
    Then the run fails on page 3
    When the vault runs again
    Then the run succeeds
    And the run reports 4 pages archived
    And the archive holds 4 objects
    And the audit log holds 4 records
    And the log API was called 4 times for page 3

  Scenario: A page's queued failures are used up across runs
    Given the log API serves 3 security log entries in pages of 1
    And the log API times out on the first 4 requests for page 2
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "timed out"
    When the vault runs again
    Then the run succeeds
    And the log API was called 5 times for page 2
    And the log API was called 2 times for page 1

  Scenario: A dropped connection on page 2 is retried on page 2 only
    Given the log API serves 6 security log entries in pages of 2
    And the log API drops the connection on the first 1 request for page 2
    When the vault runs
    Then the run succeeds
    And the log API was called 2 times for page 2
    And the log API was called 1 time for page 3
    And the vault paused 1 time before retrying

  Scenario: A dropped connection that never ends names itself in the error
    Given the log API serves 4 security log entries in pages of 2
    And the log API drops the connection on the first 3 requests for page 2
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the run fails on page 2
    And the error message mentions "dropped"
    And the run reports 1 page archived

  Scenario: Retry-After on page 2 sets that page's pause
    Given the log API serves 4 security log entries in pages of 2
    And the log API responds with HTTP 429 and Retry-After 7 to the first request for page 2
    When the vault runs
    Then the run succeeds
    And the vault paused 1 time before retrying
    And the vault waited at least 7 seconds before retrying
    And the vault waited at most 7 seconds before retrying

  Scenario: A page's own failures answer before the unpaged ones
    Given the log API serves 2 security log entries in pages of 1
    And the log API responds with HTTP 502 to the first 1 request
    And the log API responds with HTTP 504 to the first 1 request for page 2
    When the vault runs
    Then the run succeeds
    And the log API was called 2 times for page 1
    And the log API was called 2 times for page 2
    And the vault paused 2 times before retrying

  Scenario: A rejected page 2 is never retried and page 1 stays archived
    Given the log API serves 3 security log entries in pages of 1
    And the log API responds with HTTP 404 to the first 1 request for page 2
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the run fails on page 2
    And the error message mentions "404"
    And the log API was called 1 time for page 2
    And the run reports 1 page archived
    And the audit log holds 1 record
