from flask import current_app

from hotline.extensions import db
from hotline.models import User


def register_loader(login_manager) -> None:
    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active:
            return None
        if user.is_demo and current_app.config["HOTLINE_ENV"] == "production":
            return None
        return user
