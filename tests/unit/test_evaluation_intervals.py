"""The 95 % intervals `make eval` prints beside its rates."""

from __future__ import annotations

from newsflow_dev.cleaner_eval import F1, Titles
from newsflow_dev.evaluation import Snippets, proportion_interval


def test_a_rate_lies_inside_its_interval_which_narrows_as_the_sample_grows() -> None:
    low, high = proportion_interval(45, 50)
    assert low < 45 / 50 < high
    wide = high - low
    low, high = proportion_interval(900, 1000)
    assert low < 0.9 < high
    assert high - low < wide / 3
    # All right: the interval reaches 1 and still allows a lower rate.
    low, high = proportion_interval(20, 20)
    assert high == 1.0
    assert low < 0.9
    assert proportion_interval(0, 0) == (0.0, 0.0)


def test_titles_and_snippets_give_the_interval_of_their_own_counts() -> None:
    titles = Titles()
    for number in range(40):
        titles.add("Council meets" if number % 4 else "Weather", "Council meets", number < 20)
    assert (titles.right, titles.headline_right, titles.headline_total) == (30, 15, 20)
    assert titles.interval == proportion_interval(30, 40)
    assert titles.headline_interval == proportion_interval(15, 20)
    snippets = Snippets()
    snippets.add("The council met until midnight.", ["met until midnight"], ["Share this"])
    snippets.add("Share this. The council met.", ["until midnight"], ["Share this"])
    assert snippets.keep_interval == proportion_interval(1, 2)
    assert snippets.drop_interval == proportion_interval(1, 2)


def test_the_f1_interval_resamples_pages_and_is_the_same_on_every_run() -> None:
    score = F1()
    golds = [
        f"The council of town {n} met until midnight and voted on the budget." for n in range(30)
    ]
    for number, gold in enumerate(golds):
        # Every third page loses its second half.
        score.add(gold if number % 3 else " ".join(gold.split()[:6]), gold)
    low, high = score.interval
    f1 = score.scores[2]
    assert low < f1 < high
    assert score.interval == (low, high)
    same = F1()
    for gold in golds:
        same.add(gold, gold)
    assert same.interval == (1.0, 1.0)
