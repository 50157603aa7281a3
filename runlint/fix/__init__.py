"""Fix: text edits made from findings, checked and applied in passes."""
