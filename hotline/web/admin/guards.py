"""Who may do what with the catalogue."""
from hotline.domain.roles import Role

EDITORS = (Role.ADMIN, Role.SUPERVISOR)
VIEWERS = (Role.ADMIN, Role.SUPERVISOR, Role.DISPATCHER)
