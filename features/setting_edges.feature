@v3 @settings
Feature: Each setting is held to its rule at its very edges
  An operator who writes a setting one character past its rule is stopped before anything is
  fetched, and one who writes it exactly at the edge is not: the vault uses it, and a failure
  names what it used (the address it tried, the bucket it looked for, why MongoDB could not be
  reached). What the operator wrote may hold a password or a token: no refusal and no failure
  ever shows it, even in an address too broken to read. The limits the operator sets hold for a
  repair as they do for a run.

  Scenario Outline: <setting> set to "<value>", just past its rule, is refused
    Given the log API serves 1 security log entry
    And the operator sets <setting> to "<value>"
    When the vault runs
    Then the vault refuses to start
    And the refusal names <setting>
    And the log API was called 0 times

    Examples:
      | setting                | value                                                                                                                                                                                                                                                |
      | VAULT_HTTP_TIMEOUT     | 86400.5                                                                                                                                                                                                                                              |
      | VAULT_HTTP_TIMEOUT     | 0.0                                                                                                                                                                                                                                                  |
      | VAULT_HTTP_TIMEOUT     | -1                                                                                                                                                                                                                                                   |
      | VAULT_HTTP_TIMEOUT     | .                                                                                                                                                                                                                                                    |
      | VAULT_HTTP_TIMEOUT     | 1,5                                                                                                                                                                                                                                                  |
      | VAULT_HTTP_TIMEOUT     | 2 s                                                                                                                                                                                                                                                  |
      | VAULT_MAX_ATTEMPTS     | 00                                                                                                                                                                                                                                                   |
      | VAULT_MAX_ATTEMPTS     | ²                                                                                                                                                                                                                                                    |
      | VAULT_MAX_ATTEMPTS     | ３                                                                                                                                                                                                                                                  |
      | VAULT_MAX_PAGES        | 1_000                                                                                                                                                                                                                                                |
      | VAULT_MAX_BODY_BYTES   | 1e6                                                                                                                                                                                                                                                  |
      | VAULT_BUCKET           | audit-vault-archive-audit-vault-archive-audit-vault-archive-aux9                                                                                                                                                                                     |
      | VAULT_BUCKET           | -audit-vault                                                                                                                                                                                                                                         |
      | VAULT_BUCKET           | audit-vault-                                                                                                                                                                                                                                         |
      | VAULT_BUCKET           | .audit-vault                                                                                                                                                                                                                                         |
      | VAULT_BUCKET           | Audit-Vault                                                                                                                                                                                                                                          |
      | VAULT_BUCKET           | audit_vault                                                                                                                                                                                                                                          |
      | VAULT_BUCKET           | sthree-audit-vault                                                                                                                                                                                                                                   |
      | VAULT_BUCKET           | audit-vault--ol-s3                                                                                                                                                                                                                                   |
      | VAULT_API_URL          | https://security-logs.example.test/api#                                                                                                                                                                                                              |
      | VAULT_API_URL          | security-logs.example.test/api                                                                                                                                                                                                                       |

  Scenario Outline: A timeout of "<value>" seconds is within the rule
    Given the operator sets VAULT_HTTP_TIMEOUT to "<value>"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the audit log holds 1 record

    Examples:
      | value  |
      | 86400  |
      | 30.000 |
      | 007    |

  Scenario: Limits far beyond any need are still whole numbers, and hold nothing back
    Given the operator sets VAULT_MAX_ATTEMPTS to "99999999999999999999"
    And the operator sets VAULT_MAX_BODY_BYTES to "99999999999999999999"
    And the operator sets VAULT_MAX_PAGES to "99999999999999999999"
    And the log API serves 3 security log entries in pages of 1
    When the vault runs
    Then the run succeeds
    And the run reports 3 pages archived

  Scenario Outline: A bucket named "<bucket>", at the edge of S3's rules, is a store the scenario never created
    Given the operator sets VAULT_BUCKET to "<bucket>"
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "STORAGE_BUCKET_MISSING"
    And the error message mentions "<bucket>"
    And the archive is empty

    Examples:
      | bucket                                                          |
      | abc                                                             |
      | audit-vault-archive-audit-vault-archive-audit-vault-archive-au9 |
      | audit.vault.archive                                             |
      | 1audit-vault9                                                   |

  Scenario Outline: A log API address written as "<address>" is used
    Given the vault makes at most 1 attempt per request
    And the log API serves 1 security log entry
    And the operator sets VAULT_API_URL to "<address>"
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the error message mentions "dropped"
    And the log API was called 0 times

    Examples:
      | address                  | named                       |
      | HTTP://127.0.0.1:9/api   | http://127.0.0.1:9/api/logs |
      | http://127.0.0.1:9/api/  | http://127.0.0.1:9/api/logs |
      | http://[::1]:9/audit/api | http://[::1]:9/audit/api/logs |

  Scenario Outline: A password in a broken <setting> (<case>) is never shown by the refusal
    Given the log API serves 1 security log entry
    And the operator sets <setting> to "<address>"
    When the vault runs
    Then the vault refuses to start
    And the refusal names <setting>
    And the output never shows "<password>"

    Examples:
      | case        | setting         | address                                              | password          |
      | userinfo    | VAULT_API_URL   | ftp://vault:Open Sesame-Otter@127.0.0.1/api          | Open Sesame-Otter |
      | upper case  | VAULT_API_URL   | FTP://vault:Open Sesame-Otter@127.0.0.1/api          | Open Sesame-Otter |
      | no user     | VAULT_API_URL   | ftp://Open Sesame-Otter@127.0.0.1/api                | Open Sesame-Otter |
      | MongoDB URI | VAULT_MONGO_URI | postgres://auditor:Open Sesame-Otter@127.0.0.1/audit | Open Sesame-Otter |

  Scenario: A token echoed back under a name that does not look secret is still never shown
    Given the log API requires the token "tok-Quarry-Lantern-7"
    And the log API redirects every request to "https://mirror.example.test/logs?t=tok-Quarry-Lantern-7"
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the error message mentions "302"
    And the log API was called 1 time
    And the output never shows "tok-Quarry-Lantern-7"

  Scenario: A password echoed back with lowercase escapes is still never shown
    Given the log API requires the password "Back\slash/w o%rd+Zebra_Quilt"
    And the log API redirects every request to "https://mirror.example.test/?p=Back%5cslash%2fw%20o%25rd%2bZebra_Quilt"
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_REJECTED"
    And the output never shows "Back\slash/w o%rd+Zebra_Quilt"

  Scenario: A whole number written with leading zeros is still that number
    Given the operator sets VAULT_MAX_ATTEMPTS to "0000000000000000000001"
    And the log API responds with HTTP 503 to the first 1 request
    And the log API serves 1 security log entry
    When the vault runs
    Then the run fails with error "SOURCE_UNAVAILABLE"
    And the log API was called 1 time

  Scenario: Another audit database is a store the scenario does not watch
    Given the operator sets VAULT_MONGO_DATABASE to "other_audit_vault"
    And the log API serves 2 security log entries
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the audit log holds 0 records

  Scenario: Checking the archive without naming its bucket is refused
    Given the operator unsets VAULT_BUCKET
    When the vault verifies the archive
    Then the vault refuses to start
    And the refusal names VAULT_BUCKET
    When the vault repairs the audit log
    Then the vault refuses to start
    And the refusal names VAULT_BUCKET
