"""Activation Lens window (PySide6): shows what the engine computes, never computes itself.

Imports: Qt and engine modules at the top (engine modules load without torch). torch is only
imported on the worker thread, by the engine; pyqtgraph only when the inspector is first
opened (it is slow to import). Modules used only by one dialog are imported when it opens.
"""
