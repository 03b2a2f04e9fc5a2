"""Make every route serve its path with and without the trailing slash."""

from django.urls import URLPattern, path, re_path


def alias(route, view_class, actions, name=None):
    """Route ``route`` to ``actions`` of a viewset class, under the 1.x URL ``name``."""
    return path(route, view_class.as_view(actions), name=name)


def without_slash(pattern):
    """Return an unnamed copy of ``pattern`` that matches its path without the final slash."""
    regex = pattern.pattern.regex.pattern
    if not regex.endswith("/$"):
        return None
    return re_path(regex[: -len("/$")] + "$", pattern.callback, pattern.default_args)


def optional_slash(patterns):
    """Return ``patterns`` followed by slash-less copies of those that end with a slash.

    The copies carry no name, so ``reverse()`` keeps returning the path with its slash.
    """
    copies = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            copy = without_slash(pattern)
            if copy is not None:
                copies.append(copy)
    return list(patterns) + copies
