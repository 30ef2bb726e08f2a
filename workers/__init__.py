"""RQ entry points: thin, take ids, run one service inside an app context."""
