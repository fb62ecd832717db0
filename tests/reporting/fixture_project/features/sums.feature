@sums
Feature: Sums
  A feature to test the reports with.

  Scenario: Adding works
    Given the total is 1
    When I add 2
    Then the total should be 3

  @wrong
  Scenario: A wrong expectation fails
    Given the total is 1
    When I add 2
    Then the total should be 4
    And the total should be 3

  Scenario: A later step has no definition
    Given the total is 1
    When I multiply by 5
    Then the total should be 5

  Scenario: The first step has no definition
    Given a calculator from the future
    Then the total should be 0

  Scenario Outline: Outline rows add up
    Given the total is <start>
    When I add <amount>
    Then the total should be <sum>

    Examples:
      | start | amount | sum |
      | 1     | 1      | 2   |
      | 2     | 3      | 5   |

  Scenario: Tables and doc strings are kept
    Given these amounts:
      | amount |
      | 4      |
      | 6      |
    And this note:
      """
      Audit line one
      Audit line two
      """
    Then the total should be 10

  @skip
  Scenario: A skipped scenario is still listed
    Given the total is 1
    Then the total should be 1
