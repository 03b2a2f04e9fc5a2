"""Make every route serve its path with and without the trailing slash."""

from django.urls import URLPattern, path, re_path
from django.urls.resolvers import RoutePattern

# Regex endings that may follow a route's final slash: ``$`` in hand-written and DRF router
# patterns, ``\Z`` in the regexes Django builds.
REGEX_ENDINGS = ("$", r"\Z")


def alias(route, view_class, actions, name=None):
    """Route ``route`` to ``actions`` of a viewset class, under the 1.x URL ``name``.

    API schema generators leave the alias out, since the 2.x path documents the same
    operation.
    """
    return path(route, view_class.as_view(actions, schema=None), name=name)


def hidden_from_schema(view):
    """Return a copy of the REST framework view ``view`` that API schema generators skip.

    DRF's and drf-spectacular's generators skip a view built with ``schema=None``. Other
    views are returned unchanged.
    """
    view_class = getattr(view, "cls", None)
    if view_class is None:
        return view
    initkwargs = {**getattr(view, "initkwargs", {}), "schema": None}
    actions = getattr(view, "actions", None)
    if actions is not None:
        return view_class.as_view(actions, **initkwargs)
    return view_class.as_view(**initkwargs)


def without_slash(pattern):
    """Return an unnamed copy of ``pattern`` that matches its path without the final slash.

    Return None when the pattern does not end with a slash. The copy is hidden from API
    schemas, which list each path once, with its slash.
    """
    route = str(pattern.pattern)
    callback = hidden_from_schema(pattern.callback)
    if isinstance(pattern.pattern, RoutePattern):
        if not route.endswith("/"):
            return None
        return path(route[:-1], callback, pattern.default_args)
    for ending in REGEX_ENDINGS:
        if route.endswith("/" + ending):
            return re_path(route[: -len(ending) - 1] + ending, callback, pattern.default_args)
    return None


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
