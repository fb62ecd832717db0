@v3 @deadlines
Feature: One request never outlives its deadline
  VAULT_HTTP_TIMEOUT bounds the whole of one request to the log API: connecting, the headers
  and every byte of the body. A log API that sends the first bytes and then nothing (a trickle)
  is a timeout, retried like one. Over real sockets the vault really waits for its deadline, so
  these scenarios set a short one.

  Scenario: A trickle is ridden out by the next attempt
    Given the operator sets VAULT_HTTP_TIMEOUT to "1"
    And the log API trickles its body on the first 1 request
    And the log API serves 3 security log entries
    When the vault runs
    Then the run succeeds
    And the log API was called 2 times
    And the vault paused 1 time before retrying
    And the archived object is byte-for-byte the body the log API served

  Scenario: A trickle that never ends fails the run as a timeout
    Given the operator sets VAULT_HTTP_TIMEOUT to "1"
    And the vault makes at most 2 attempts per request
    And the log API trickles its body on the first 2 requests
    And the log API serves 3 security log entries
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "timed out"
    And the log API was called 2 times
    And the archive is empty
    And no audit record is written

  Scenario: A dropped connection is named as dropped
    Given the vault makes at most 1 attempt per request
    And the log API drops the connection on the first 1 request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "dropped"

  Scenario: A paged pull that loops back ends, with the looping page archived
    Given the log API serves 4 pages that loop back to page 2
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the run fails on page 4
    And the archive holds 4 objects
    And the audit log holds 4 records
    And the log API was called 4 times
