@wording
Feature: What this vault says and checks beyond the contract
  The acceptance language promises the codes, the page and the limits. This vault says more: what
  exactly it found in a refused page, what a log API declared, where it tried to reach, and which
  names MongoDB would refuse for its audit collection. These are its own words and rules, held
  here so that they cannot drift unnoticed.

  Scenario Outline: A refused page says exactly what it found: <what>
    Given the log API serves this raw body:
      """
      <body>
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "<reason>"
    And the archive is empty

    Examples:
      | what                              | body                                                                                                                       | reason                                                       |
      | an empty next_cursor              | {"logs": [{"id": "evt-1"}], "next_cursor": ""}                                                                             | found an empty string                                        |
      | a fractional next_cursor          | {"logs": [{"id": "evt-1"}], "next_cursor": 2.5}                                                                            | found a JSON number                                          |
      | a fractional entry                | {"logs": [{"id": "evt-1"}, 1.5]}                                                                                           | entry 1 is a JSON number, not an object                      |
      | a key given twice after another   | {"logs": [{"id": "evt-1", "severity": "HIGH", "severity": "LOW"}]}                                                         | duplicate key 'severity' in a JSON object                    |
      | a 40-character key given twice    | {"logs": [{"source_address_of_the_failed_login_event": "a", "source_address_of_the_failed_login_event": "b"}]}             | 'source_address_of_the_failed_login_event' in a JSON object  |
      | a 41-character key given twice    | {"logs": [{"source_address_of_the_failed_login_events": "a", "source_address_of_the_failed_login_events": "b"}]}           | _login_event'... (41 characters) in a JSON object            |

  Scenario: A line break inside a string is a control character, named where it stands
    Given the log API serves this raw body:
      """
      {"logs": [{"id": "evt-1", "message": "failed login
      for admin"}]}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "body is not JSON (Invalid control character at line 1 column"

  Scenario: A next_cursor holding a lone surrogate names it and is refused
    Given the log API serves this raw body:
      """
      {"logs": [{"id": "evt-1"}], "next_cursor": "page-\udc80"}
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "holds a lone surrogate"
    And the log API was called 1 time
    And the archive is empty

  Scenario: An empty body is the page's whole reason
    Given the log API serves this raw body:
      """
      """
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "page 1: body is empty"

  Scenario: A repeated cursor is named in the message
    Given the log API serves 3 pages that loop back to page 2
    When the vault runs
    Then the run fails with error "INVALID_PAYLOAD"
    And the error message mentions "next_cursor 'page-2' repeats a cursor this run already followed"

  Scenario: A body over the limit by its declared length says the length it declared
    Given the log API serves 1 security log entry
    And the vault accepts bodies of at most 100 bytes
    When the vault runs
    Then the run fails with error "PAYLOAD_TOO_LARGE"
    And the error message mentions "declared 130 bytes (Content-Length), over the limit of 100 bytes"
    And the log API was called 1 time
    And the archive is empty

  Scenario: A log API address without a port is named as the operator wrote it
    Given the log API serves 1 security log entry
    And the operator sets VAULT_API_URL to "http://audit-api.invalid/api?tenant=acme"
    And the vault makes at most 1 attempt per request
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "the log API at http://audit-api.invalid/api/logs dropped the connection"
    And the log API was called 0 times

  Scenario: A log API address with a port and a trailing slash is named without either mistake
    Given the log API serves 1 security log entry
    And the operator sets VAULT_API_URL to "http://[::1]:9/audit/"
    And the vault makes at most 1 attempt per request
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "the log API at http://[::1]:9/audit/logs dropped the connection"
    And the log API was called 0 times

  Scenario Outline: An audit collection named "<name>" is refused before anything is sent
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_COLLECTION to "<name>"
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MONGO_COLLECTION

    Examples:
      | name                 |
      | audit$records        |
      | audit..records       |
      | .audit_records       |
      | audit_records.       |
      | system.audit_records |

  Scenario: An audit collection name that keeps database.collection within 255 bytes is used
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_COLLECTION to "audit_records_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 0 records

  Scenario: An audit collection name one byte longer is refused
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_COLLECTION to "audit_records_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MONGO_COLLECTION

  Scenario Outline: An audit database named "<name>" is refused before anything is sent
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_DATABASE to "<name>"
    When the vault runs
    Then the vault refuses to start
    And the refusal names VAULT_MONGO_DATABASE

    Examples:
      | name        |
      | audit/vault |
      | audit.vault |
      | audit vault |
      | audit:vault |
      | audit_vault_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX |

  Scenario: An audit database name of 63 bytes is used
    Given the log API serves 1 security log entry
    And the operator sets VAULT_MONGO_DATABASE to "audit_vault_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 0 records

  Scenario: An unreachable audit log is named, with why it could not be reached
    Given the log API serves 1 security log entry
    And the audit log is unreachable
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the error message mentions "MongoDB could not be reached within"
    And the error message mentions "Connection refused"
    And the log API was called 0 times
