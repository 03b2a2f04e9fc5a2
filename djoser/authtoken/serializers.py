"""Serializers of djoser's hashed auth token app."""

from rest_framework import serializers

from djoser.authtoken.models import AuthToken


class AuthTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it in the token list: never its key or digest."""

    current = serializers.SerializerMethodField(
        help_text="True for the token that authenticated this request."
    )

    class Meta:
        model = AuthToken
        fields = ["id", "client_name", "created", "last_used", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.pk == token.pk
