from ochag.monitoring.suppression import hidden_cells, share_hidden


def test_small_counts_are_hidden_and_zero_is_not() -> None:
    assert hidden_cells([0, 1, 4, 5, 100], additive=False) == {1, 2}


def test_a_lone_hidden_cell_of_a_total_takes_the_smallest_other_with_it() -> None:
    assert hidden_cells([3, 50, 7, 20], additive=True) == {0, 2}
    assert hidden_cells([3, 4, 50], additive=True) == {0, 1}
    assert hidden_cells([50, 60], additive=True) == set()


def test_a_share_is_hidden_when_its_count_or_complement_is_small() -> None:
    assert share_hidden(2, 100)
    assert share_hidden(98, 100)
    assert share_hidden(3, 4)
    assert not share_hidden(50, 100)
