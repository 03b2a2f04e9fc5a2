"""Permission classes for the user endpoints."""

from rest_framework import permissions


class CurrentUserOrAdmin(permissions.IsAuthenticated):
    """Allow an authenticated user to act on their own account, and staff on any account."""

    def has_object_permission(self, request, view, obj):
        user = request.user
        return user.is_staff or obj.pk == user.pk


class CurrentUserOrAdminOrReadOnly(permissions.IsAuthenticatedOrReadOnly):
    """Allow anyone to read; allow only the account's owner and staff to change it."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return user.is_authenticated and (user.is_staff or obj.pk == user.pk)
