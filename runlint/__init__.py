"""runlint: a linter for OpenAI API request specs.

The public API is `lint_text` and `lint_paths`; both return the diagnostics the CLI prints.
They are imported on first use, so `import runlint` stays cheap.
"""

__version__ = "0.1.0"
__all__ = ["lint_text", "lint_paths", "__version__"]


def __getattr__(name):
    if name in ("lint_text", "lint_paths"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'runlint' has no attribute {name!r}")
