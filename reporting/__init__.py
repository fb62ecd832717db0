"""Gherkin reports for pytest-bdd: Cucumber JSON, a static HTML page, JUnit properties."""
