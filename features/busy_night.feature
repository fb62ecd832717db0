@resilience @pagination
Feature: A busy night on the log API
  Written from the acceptance language alone, with new data: a throttled, flaky API that pages
  its answer must still end with every page archived once, audited at the time of the run.

  Scenario: Throttled, dropped and paged, the pull still completes
    Given the clock reads "2026-11-30T03:15:42.125Z"
    And the vault makes at most 4 attempts per request
    And the log API responds with HTTP 429 and Retry-After 7 to the first request
    And the log API drops the connection on the first 2 requests
    And the log API serves 11 security log entries in pages of 4
    When the vault runs
    Then the run succeeds
    And the log API was called 6 times
    And the vault paused 3 times before retrying
    And the vault waited at least 7 seconds before retrying
    And the archive holds 3 objects
    And the audit log holds 3 records
    And every audit record points to an archived object
