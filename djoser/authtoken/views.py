"""Views of djoser's hashed auth token app: the token list, ending one token, logout-all."""

from rest_framework import generics, status, views
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from djoser import utils
from djoser.authtoken.models import AuthToken
from djoser.authtoken.serializers import AuthTokenSerializer


class UserTokensMixin:
    """Limit a view to the requesting user's tokens that have not expired."""

    serializer_class = AuthTokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return AuthToken.objects.filter(user=self.request.user).active()


class TokenListView(UserTokensMixin, generics.ListAPIView):
    """List the requesting user's active tokens, newest first."""


class TokenDetailView(UserTokensMixin, generics.RetrieveDestroyAPIView):
    """Show or end one of the requesting user's tokens; another user's token id gets 404."""


class LogoutAllView(views.APIView):
    """End every token of the requesting user, the current one included.

    This also blacklists the user's JWT refresh tokens when SimpleJWT's blacklist app is
    installed, and ends the current session when djoser created one at login.
    """

    permission_classes = [IsAuthenticated]

    def post(self, request):
        user = request.user
        utils.logout_user(request)
        utils.revoke_user_tokens(user)
        return Response(status=status.HTTP_204_NO_CONTENT)
