@v3 @secrets
Feature: The vault uses the operator's credentials and never shows them
  The log API may require a password or a token, which the operator puts in VAULT_API_URL.
  The vault must send them, and must never print them: not as they are, not JSON-escaped, not
  percent-encoded, on neither stream, whether the run succeeds or fails. And before its first
  request anywhere, the vault makes sure it can reach the audit log, so that nothing is fetched
  that could not be audited.

  Scenario: A password the log API requires is sent and never shown
    Given the log API requires the password "Kestrel-Harbour-42"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the audit log holds 1 record
    And the output never shows "Kestrel-Harbour-42"

  Scenario: A token the log API requires is sent and never shown
    Given the log API requires the token "tok-Quarry-Lantern-7"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the output never shows "tok-Quarry-Lantern-7"

  Scenario: A wrong password is refused by the log API, and neither password is shown
    Given the log API requires the password "Kestrel-Harbour-42"
    And the operator gives the log API the password "Wrong-Guess-Otter-9"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "401"
    And the log API was called 1 time
    And the archive is empty
    And the output never shows "Wrong-Guess-Otter-9"
    And the output never shows "Kestrel-Harbour-42"

  Scenario: A password full of characters that need escaping is never shown
    Given the log API requires the password "Back\slash/w o%rd+Zebra_Quilt"
    And the log API always responds with HTTP 503
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the output never shows "Back\slash/w o%rd+Zebra_Quilt"

  Scenario Outline: A password in <alphabet> is sent as the operator wrote it, and never shown
    Given the log API requires the password "<password>"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the audit log holds 1 record
    And the output never shows "<password>"

    Examples:
      | alphabet               | password              |
      | Latin-1 beyond ASCII   | p@ss:w/rd%Zulu ü?#&   |
      | Japanese               | パスワード-Kilo-7:@/ |

  Scenario: A token the log API echoes back in a redirect is never shown
    Given the log API requires the token "tok-Quarry-Lantern-7"
    And the log API redirects every request to "https://elsewhere.example.test/logs?token=tok-Quarry-Lantern-7"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the output never shows "tok-Quarry-Lantern-7"

  Scenario: A password the log API echoes back, encoded, is never shown
    Given the log API requires the password "Back\slash/w o%rd+Zebra_Quilt"
    And the log API redirects every request to "https://vault:Back%5Cslash%2Fw%20o%25rd%2BZebra_Quilt@elsewhere.example.test/logs"
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the output never shows "Back\slash/w o%rd+Zebra_Quilt"

  Scenario: A secret in a refused start is never shown
    Given the log API requires the token "tok-Quarry-Lantern-7"
    And the operator sets VAULT_MAX_PAGES to "none"
    When the vault runs
    Then the vault refuses to start
    And the output never shows "tok-Quarry-Lantern-7"

  Scenario: An unreachable audit log stops the run before anything is fetched
    Given the log API serves 2 security log entries
    And the audit log is unreachable
    When the vault runs
    Then the run fails with error "AUDIT_UNAVAILABLE"
    And the run fails on page 1
    And the log API was called 0 times
    And the archive is empty
    When the audit log accepts writes again
    And the vault runs again
    Then the run succeeds
    And the audit log holds 1 record
