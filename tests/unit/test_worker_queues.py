"""`python -m workers --queues …`: a worker of its own for the webhooks, and nothing it does not know."""
import pytest

from workers.__main__ import _queues


def test_a_worker_listens_to_every_queue_unless_told_which():
    assert _queues([]) is None
    assert _queues(["--burst"]) is None
    assert _queues(["--queues", "webhooks"]) == ("webhooks",)
    assert _queues(["--queues", "sms,default", "--burst"]) == ("sms", "default")


@pytest.mark.parametrize("argv", [["--queues"], ["--queues", ""], ["--queues", "webhooks,mail"]])
def test_an_unknown_or_missing_queue_is_refused(argv):
    with pytest.raises(SystemExit, match="--queues takes some of sms,default,webhooks"):
        _queues(argv)
