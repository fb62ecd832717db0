@messages @wording
Feature: Every failure tells the operator what went wrong
  An operator reads one line when a run fails. It must say why the page was refused, which
  request gave up, where S3 or MongoDB failed, so that the fix is obvious without a debugger.

  Scenario Outline: A refused page says why: <what>
    Given the log API serves this raw body:
      """
      <body>
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "<reason>"

    Examples:
      | what                       | body                                      | reason                                            |
      | not JSON                   | not json at all                           | body is not JSON (Expecting value at line 1       |
      | a JSON array               | [{"id": "evt-1"}]                         | body is a JSON array, not an object               |
      | a JSON string              | "logs"                                    | body is a JSON string, not an object              |
      | a JSON number              | 42                                        | body is a JSON number, not an object              |
      | a JSON boolean             | true                                      | body is a JSON boolean, not an object             |
      | JSON null                  | null                                      | body is a JSON null, not an object                |
      | no logs                    | {"entries": []}                           | must be an array, found missing                   |
      | logs that is an object     | {"logs": {"id": "evt-1"}}                 | must be an array, found a JSON object             |
      | logs that is a string      | {"logs": "evt-1"}                         | must be an array, found a JSON string             |
      | an entry that is a string  | {"logs": ["evt-1"]}                       | entry 0 is a JSON string, not an object           |
      | an entry that is null      | {"logs": [{"id": "evt-1"}, null]}         | entry 1 is a JSON null, not an object             |
      | duplicate keys             | {"logs": [], "logs": [{"id": "evt-1"}]}   | duplicate key 'logs' in a JSON object             |
      | NaN                        | {"logs": [{"score": NaN}]}                | NaN is not valid JSON                             |
      | a number as next_cursor    | {"logs": [], "next_cursor": 2}            | must be a non-empty string or null                |
      | an empty next_cursor       | {"logs": [], "next_cursor": ""}           | must be a non-empty string or null                |

  Scenario: An empty body says it is empty
    Given the log API serves this raw body:
      """
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "body is empty"

  Scenario: A first page that never comes says it was the first page
    Given the log API always responds with HTTP 503
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "GET first page failed 3 time(s)"

  Scenario: A later page that never comes says it was a next page
    Given the log API serves 3 security log entries in pages of 1
    And the log API responds with HTTP 503 to the first 3 requests for page 2
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "page 2: GET next page failed 3 time(s)"

  Scenario: A log API that cannot be reached is named as the operator gave it
    Given the operator sets VAULT_API_URL to "https://logs.elsewhere.test/feedX"
    And the vault makes at most 1 attempt per request
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "logs.elsewhere.test/feedX/logs"

  Scenario: A 300 answer is a redirect to nowhere
    Given the log API responds with HTTP 300 to the first 1 request
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "HTTP 300 redirect from"
    And the error message mentions "to nowhere: the vault follows no redirect"

  Scenario: A 400 answer is a plain rejection, not a redirect
    Given the log API responds with HTTP 400 to the first 1 request
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "HTTP 400 from http"

  Scenario: A failed upload names the bucket and the key it was writing
    Given the log API serves 2 security log entries
    And the archive fails uploads with HTTP 503
    When the vault runs
    Then the run fails with error "STORAGE_UNAVAILABLE"
    And the error message mentions "for s3://audit-vault-archive/logs/"
    And the error message mentions ".json: S3 kept failing"

  Scenario: A failed audit write names the record it was writing
    Given the log API serves 2 security log entries
    And the audit log rejects writes
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the error message mentions "could not take the audit record for logs/"

  Scenario: A failure says how far the run got
    Given the log API serves 3 security log entries in pages of 1
    And the log API responds with HTTP 404 to the first 1 request for page 3
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "SOURCE_REJECTED: page 3: HTTP 404 from http"
    And the error message mentions "(2 page(s) archived before the failure)"
