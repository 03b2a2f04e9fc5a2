"""Admin for djoser's hashed auth tokens: view and delete, never create or edit."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from djoser.authtoken.models import AuthToken


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "client_name", "created", "last_used", "is_active")
    list_filter = ("created", "last_used")
    list_select_related = ("user",)
    search_fields = (f"user__{get_user_model().USERNAME_FIELD}", "client_name")
    readonly_fields = ("user", "client_name", "created", "last_used")
    fields = readonly_fields

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, token):
        return not token.is_expired()

    def has_add_permission(self, request):
        # A key is shown only once, to the client that logged in. The admin could never
        # show it, so tokens come only from login.
        return False

    def has_change_permission(self, request, obj=None):
        return False
