@hostile
Feature: Hostile content is archived verbatim and never interpreted
  Log entries come from attackers as often as from systems. Whatever an entry says, the vault
  archives it byte for byte under a key made from its checksum: nothing from the payload becomes
  part of an S3 key or a MongoDB query, and the audit record holds metadata only.

  Scenario: Operator-like and dotted keys are archived, not executed
    Given the log API serves this raw body:
      """
      {"logs": [{"$where": "sleep(1000)", "$set": {"status": "DELETED"}, "a.b.c": 1, "s3_key": "../../etc/passwd"}]}
      """
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record points to the archived object
    And the audit record has these fields:
      | field     | value    |
      | status    | ARCHIVED |
      | log_count | 1        |

  Scenario: Ids that look like paths do not steer the archive key
    Given the log API serves these security log entries:
      | id                     | timestamp            | severity | source   | message         |
      | ../../../../etc/passwd | 2026-02-01T00:00:00Z | HIGH     | /dev/tcp | %2e%2e%2f%00    |
      | logs/evil.json         | 2026-02-01T00:00:01Z | LOW      | s3://x   | \u0000 and \\ |
    When the vault runs
    Then the run succeeds
    And the archive holds 1 object
    And the archived object is byte-for-byte the body the log API served
    And the audit record points to the archived object

  Scenario: Every kind of Unicode is kept byte for byte
    Given the log API serves these security log entries:
      | id    | timestamp            | severity | source   | message                                     |
      | evt-1 | 2026-02-01T00:00:00Z | HIGH     | 東京-dc1 | ログイン失敗 — Ünïcödé ✓ 🔐 עברית العربية |
      | evt-2 | 2026-02-01T00:00:01Z | LOW      | zero‍width | e\u0301 combining, RTL ‮override‬ |
    When the vault runs
    Then the run succeeds
    And the archived object is byte-for-byte the body the log API served
    And the audit record's checksum matches the archived object

  Scenario: Escaped and unescaped forms are different payloads with different keys
    Given the log API serves this raw body:
      """
      {"logs":[{"message":"caf\u00e9"}]}
      """
    When the vault runs
    Given the log API serves this raw body:
      """
      {"logs":[{"message":"café"}]}
      """
    When the vault runs again
    Then the run succeeds
    And the archive holds 2 objects
    And the audit log holds 2 records
    And every audit record points to an archived object
