"""The PySide6 desktop app. It calls the Qt-free core only through gui.task_runner."""
