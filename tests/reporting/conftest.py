# The fixture project is run by the tests in this folder, never collected as part of the suite.
collect_ignore = ["fixture_project"]
