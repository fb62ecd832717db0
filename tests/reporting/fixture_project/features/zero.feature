@zero
Feature: Zero
  A second feature, all passing, so that the reports fold it.

  Scenario: Nothing added stays zero
    Given the total is 0
    Then the total should be 0
