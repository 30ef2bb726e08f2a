"""Who works in hotline, and which side of the centre/department line they stand on."""
from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"      # 话务员: takes calls, registers cases
    DISPATCHER = "dispatcher"  # 派单员: routes cases to departments
    STAFF = "staff"            # 承办人: a department's case handler
    HEAD = "head"              # 部门负责人: approves a department's replies and extensions
    SUPERVISOR = "supervisor"  # 督办/质检: runs the centre, reviews, assesses
    ADMIN = "admin"            # 系统管理员


CENTRE_ROLES = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN})
DEPARTMENT_ROLES = frozenset({Role.STAFF, Role.HEAD})
