"""Plain unit tests beside the scenarios: the console counts them, one line per directory."""


def test_two_and_two() -> None:
    assert 2 + 2 == 4


def test_zero() -> None:
    assert 0 == 0


def test_a_wrong_sum() -> None:
    assert 1 + 1 == 3, "a deliberately failing unit test"
