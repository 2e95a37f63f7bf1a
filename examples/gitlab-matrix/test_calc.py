from calc import add, is_positive, neg


def test_add():
    assert add(2, 3) == 5


def test_neg():
    assert neg(4) == -4


def test_pos():
    assert is_positive(1)
    assert not is_positive(-1)
