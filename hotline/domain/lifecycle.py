"""Case states (DOMAIN.md §2). The transition table arrives with the work-order lifecycle."""
from enum import StrEnum


class State(StrEnum):
    REGISTERED = "registered"    # 待派单
    DISPATCHED = "dispatched"    # 待签收
    RETURNED = "returned"        # 退单待审
    IN_PROGRESS = "in_progress"  # 办理中
    REPLIED = "replied"          # 已答复
    CLOSED = "closed"            # 已办结
    MERGED = "merged"
    TERMINATED = "terminated"


OPEN_STATES = frozenset({State.REGISTERED, State.DISPATCHED, State.RETURNED, State.IN_PROGRESS, State.REPLIED})


class Action(StrEnum):
    REGISTER = "register"
