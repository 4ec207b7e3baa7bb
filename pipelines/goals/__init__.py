"""Policy goals (beleidsdoelen): a gemeente's own targets, read from YAML, judged per period against
mart_indicatoren into mart_beleidsdoelen. Format and status rule: docs/policy-goals.md.

    from pipelines.goals import evaluate_goals
    evaluate_goals(con)          # after mart_indicatoren is built; returns the number of rows
"""
from pipelines.goals.engine import COLUMNS, TABLE, evaluate_goal, evaluate_goals, goal_rows
from pipelines.goals.model import (ENV_DIR, GOALS_DIR, Goal, GoalValidationError, goal_dirs, load_all_goals,
                                   load_goals)
from pipelines.goals.status import (MIN_NOEMER, STATUS_LABELS, STATUSES, GoalStatus, classify, goal_status,
                                    wilson_interval)

INBURGERING_DOELEN_DIR = ENV_DIR   # name of the environment variable for a gemeente's own goal folder

__all__ = ["COLUMNS", "ENV_DIR", "GOALS_DIR", "INBURGERING_DOELEN_DIR", "MIN_NOEMER", "STATUSES", "STATUS_LABELS",
           "TABLE", "Goal", "GoalStatus", "GoalValidationError", "classify", "evaluate_goal", "evaluate_goals",
           "goal_dirs", "goal_rows", "goal_status", "load_all_goals", "load_goals", "wilson_interval"]
