"""Views: the user viewset, token login and logout, and the 1.x view names."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from rest_framework import generics, status, views, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from djoser import flows, outbox, parsers, throttling, utils
from djoser.conf import settings
from djoser.constants import get_message, message_code

User = get_user_model()

# Request fields that carry secrets; Django's error reports show them as stars.
SENSITIVE_FIELDS = (
    "password",
    "re_password",
    "current_password",
    "new_password",
    "re_new_password",
    "token",
    "uid",
)

# Django's error reports show the POST fields above as stars, and every local variable of
# the view and of what it calls (the parsed body, validated data, a password being checked)
# too. Frames below Django's authenticate() follow its own, narrower marking.
sensitive_post = method_decorator(
    [sensitive_variables(), sensitive_post_parameters(*SENSITIVE_FIELDS)], name="dispatch"
)


class SettingsAttribute:
    """A class attribute read from djoser's settings each time it is accessed."""

    def __init__(self, name):
        self.name = name

    def __get__(self, instance, owner):
        return getattr(settings, self.name)


class DefaultPaginationClass:
    """DRF's ``DEFAULT_PAGINATION_CLASS``, read each time it is accessed.

    DRF's generic views copy that setting when the class is defined; reading it here
    instead lets a changed ``REST_FRAMEWORK`` setting take effect, as in tests.
    """

    def __get__(self, instance, owner):
        return api_settings.DEFAULT_PAGINATION_CLASS


@sensitive_post
class UserViewSet(
    outbox.SendEmailsAfterResponseMixin, parsers.NestingLimitedParsersMixin, viewsets.ModelViewSet
):
    """Registration, the user endpoints and every account flow.

    Serializer and permission classes come from ``DJOSER["SERIALIZERS"]`` and
    ``DJOSER["PERMISSIONS"]`` per request, through the maps below. Emails go out after
    the response has been sent.
    """

    queryset = User.objects.all()
    pagination_class = DefaultPaginationClass()
    lookup_field = SettingsAttribute("USER_ID_FIELD")
    # Any character but a slash: an id may be a username or an email, which hold dots. DRF's
    # default also stops at dots, for format suffixes, which the djoser router leaves out.
    lookup_value_regex = "[^/]+"
    token_generator = default_token_generator

    # Action -> SERIALIZERS key. A pair (key, retype key, retype setting) picks the retype
    # serializer when that setting is on.
    serializer_keys = {
        "list": "user",
        "retrieve": "user",
        "update": "user",
        "partial_update": "user",
        "destroy": "user_delete",
        "create": ("user_create", "user_create_password_retype", "USER_CREATE_PASSWORD_RETYPE"),
        "activation": "activation",
        "resend_activation": "password_reset",
        "reset_password": "password_reset",
        "reset_password_confirm": (
            "password_reset_confirm",
            "password_reset_confirm_retype",
            "PASSWORD_RESET_CONFIRM_RETYPE",
        ),
        "set_password": ("set_password", "set_password_retype", "SET_PASSWORD_RETYPE"),
        "set_username": ("set_username", "set_username_retype", "SET_USERNAME_RETYPE"),
        "reset_username": "username_reset",
        "reset_username_confirm": (
            "username_reset_confirm",
            "username_reset_confirm_retype",
            "USERNAME_RESET_CONFIRM_RETYPE",
        ),
    }

    # Action -> PERMISSIONS key; actions not listed use "user".
    permission_keys = {
        "list": "user_list",
        "destroy": "user_delete",
        "create": "user_create",
        "activation": "activation",
        "resend_activation": "password_reset",
        "reset_password": "password_reset",
        "reset_password_confirm": "password_reset_confirm",
        "set_password": "set_password",
        "set_username": "set_username",
        "reset_username": "username_reset",
        "reset_username_confirm": "username_reset_confirm",
    }

    # Action -> djoser's own throttles, applied on top of the project's DRF throttles.
    throttle_keys = {
        "create": (throttling.RegistrationThrottle,),
        "resend_activation": (throttling.EmailLinkThrottle,),
        "reset_password": (throttling.EmailLinkThrottle,),
        "reset_username": (throttling.EmailLinkThrottle,),
        "activation": (throttling.ConfirmationThrottle,),
        "reset_password_confirm": (throttling.ConfirmationThrottle,),
        "reset_username_confirm": (throttling.ConfirmationThrottle,),
    }

    def get_throttles(self):
        throttles = super().get_throttles()
        throttles.extend(throttle() for throttle in self.throttle_keys.get(self.action, ()))
        return throttles

    def get_action(self):
        """Return the action whose serializer and permissions this request uses.

        An OPTIONS request runs DRF's ``metadata`` action, which describes the route's POST
        (else GET) action, so it is checked and described as that action.
        """
        if self.action == "metadata":
            action_map = getattr(self, "action_map", None) or {}
            return action_map.get("post") or action_map.get("get") or self.action
        return self.action

    def get_permissions(self):
        action = self.get_action()
        key = self.permission_keys.get(action, "user")
        if action == "me" and self.request.method == "DELETE":
            key = "user_delete"
        self.permission_classes = getattr(settings.PERMISSIONS, key)
        return super().get_permissions()

    def get_serializer_class(self):
        action = self.get_action()
        if action == "me":
            key = "user_delete" if self.request.method == "DELETE" else "current_user"
        else:
            key = self.serializer_keys.get(action, "user")
        if isinstance(key, tuple):
            plain_key, retype_key, retype_setting = key
            key = retype_key if getattr(settings, retype_setting) else plain_key
        return getattr(settings.SERIALIZERS, key)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        action = self.get_action()
        if settings.HIDE_USERS and action in ("list", "retrieve", "update", "partial_update", "destroy"):
            if not user.is_staff:
                # Another user's id returns 404 on every method, so ids cannot be probed.
                queryset = queryset.filter(pk=user.pk)
        if self.action == "list" and not queryset.ordered:
            # Pages of an unordered query may repeat or skip users between requests.
            queryset = queryset.order_by("pk")
        return queryset

    def options(self, request, *args, **kwargs):
        if self.kwargs:
            # OPTIONS on a user's URL follows the same 404 rule as the other methods.
            self.get_object()
        return super().options(request, *args, **kwargs)

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if value is None and len(self.kwargs) == 1:
            # The URL was built while USER_ID_FIELD had another name.
            value = next(iter(self.kwargs.values()))
        try:
            instance = queryset.get(**{self.lookup_field: value})
        except (User.DoesNotExist, ValueError, TypeError, OverflowError, DjangoValidationError):
            # A malformed id (not a number, not a UUID) is as unknown as a missing one.
            raise Http404 from None
        self.check_object_permissions(self.request, instance)
        return instance

    def get_instance(self):
        """Return the requesting user, the object of every ``users/me/`` method."""
        return self.request.user

    def create(self, request, *args, **kwargs):
        # The username check and the insert run in one transaction, and the emails go out
        # only once it commits.
        if not settings.REGISTRATION_HIDE_TAKEN_EMAIL:
            with transaction.atomic():
                return super().create(request, *args, **kwargs)

        serializer = self.get_serializer(data=request.data)
        with transaction.atomic():
            serializer.is_valid(raise_exception=True)
            owners = getattr(serializer, "taken_email_owners", None)
            if owners:
                flows.report_taken_email(owners, serializer.validated_data.get("password"))
            else:
                self.perform_create(serializer)
        return Response(self.get_hidden_registration_body(serializer), status=status.HTTP_201_CREATED)

    def get_hidden_registration_body(self, serializer):
        """Return the registration response built from the request alone.

        It is the same whether or not an account was created, so it leaves out the id that
        only a new account has (unless the id is a field the request chose).
        """
        body = serializer.to_representation(serializer.validated_data)
        chosen_fields = (User.USERNAME_FIELD, settings.LOGIN_FIELD, *User.REQUIRED_FIELDS)
        if settings.USER_ID_FIELD not in chosen_fields:
            body.pop(settings.USER_ID_FIELD, None)
        return body

    def perform_create(self, serializer, *args, **kwargs):
        user = serializer.save(*args, **kwargs)
        flows.register_user(self.__class__, self.request, user)
        if settings.SEND_ACTIVATION_EMAIL:
            self.send_activation_email(user)

    def send_activation_email(self, user):
        """Send the activation email to a new ``user``; override to send it another way."""
        flows.send_email("activation", user)

    def perform_update(self, serializer, *args, **kwargs):
        with transaction.atomic():
            flows.update_user(self.__class__, self.request, serializer)

    def perform_destroy(self, instance):
        if instance.pk == self.request.user.pk:
            # Deleting the account deletes its tokens too (a cascade), so logging out only
            # ends the session and sends the logout signal.
            utils.logout_user(self.request, delete_tokens=False)
        flows.delete_user(self.__class__, self.request, instance)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["get", "put", "patch", "delete"], detail=False)
    def me(self, request, *args, **kwargs):
        self.get_object = self.get_instance
        # Each method is named: DRF routes HEAD to this action too, and a HEAD request must
        # read the account like GET, never reach destroy.
        handlers = {
            "GET": self.retrieve,
            "HEAD": self.retrieve,
            "PUT": self.update,
            "PATCH": self.partial_update,
            "DELETE": self.destroy,
        }
        handler = handlers.get(request.method)
        if handler is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return handler(request, *args, **kwargs)

    @action(["post"], detail=False)
    def activation(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        # The link is checked in the transaction that uses it: the serializer locks the
        # account's row, so the same link sent twice at once activates it only once.
        with transaction.atomic():
            serializer.is_valid(raise_exception=True)
            flows.activate_user(self.__class__, request, serializer.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False)
    def resend_activation(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not settings.SEND_ACTIVATION_EMAIL:
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [get_message("ACTIVATION_DISABLED_ERROR")]},
                code=message_code("ACTIVATION_DISABLED_ERROR"),
            )
        # NOTE: is_active=False also marks accounts an administrator disabled, and they get
        # a link here too; a project that disables accounts that way overrides this action.
        users = flows.find_users_by_email(serializer.validated_data["email"], is_active=False)
        self.check_email_found(users, settings.PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND)
        for user in users:
            self.send_activation_email(user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def check_email_found(self, users, show_not_found):
        """Raise a 400 for an unknown email, but only where the project allows revealing it."""
        if show_not_found and not users:
            raise ValidationError(
                {"email": [get_message("EMAIL_NOT_FOUND")]}, code=message_code("EMAIL_NOT_FOUND")
            )

    @action(["post"], detail=False)
    def set_password(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        with transaction.atomic():
            flows.set_password(
                self.__class__, request, user, serializer.validated_data["new_password"]
            )
            if settings.LOGOUT_ON_PASSWORD_CHANGE:
                # Every login ends, as after a reset; other sessions end because their
                # password hash is outdated.
                utils.revoke_user_tokens(user)
        if settings.LOGOUT_ON_PASSWORD_CHANGE:
            utils.logout_user(request, delete_tokens=False)
        else:
            flows.keep_session_after_password_change(request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False)
    def reset_password(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        users = [
            user
            for user in flows.find_users_by_email(serializer.validated_data["email"], is_active=True)
            if user.has_usable_password()
        ]
        self.check_email_found(users, settings.PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND)
        for user in users:
            flows.send_email("password_reset", user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False)
    def reset_password_confirm(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        with transaction.atomic():
            serializer.is_valid(raise_exception=True)
            flows.reset_password(
                self.__class__, request, serializer.user, serializer.validated_data["new_password"]
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False, url_path=f"set_{User.USERNAME_FIELD}")
    def set_username(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new_username = serializer.validated_data[f"new_{User.USERNAME_FIELD}"]
        with transaction.atomic():
            flows.change_username(self.__class__, request, request.user, new_username)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False, url_path=f"reset_{User.USERNAME_FIELD}")
    def reset_username(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        users = flows.find_users_by_email(serializer.validated_data["email"], is_active=True)
        self.check_email_found(users, settings.USERNAME_RESET_SHOW_EMAIL_NOT_FOUND)
        for user in users:
            flows.send_email("username_reset", user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(["post"], detail=False, url_path=f"reset_{User.USERNAME_FIELD}_confirm")
    def reset_username_confirm(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        with transaction.atomic():
            serializer.is_valid(raise_exception=True)
            new_username = serializer.validated_data[f"new_{User.USERNAME_FIELD}"]
            flows.change_username(self.__class__, request, serializer.user, new_username)
        return Response(status=status.HTTP_204_NO_CONTENT)


@sensitive_post
class TokenCreateView(
    throttling.LoginThrottleMixin,
    parsers.NestingLimitedParsersMixin,
    utils.ActionViewMixin,
    generics.GenericAPIView,
):
    """Token login: exchange ``LOGIN_FIELD`` and ``password`` for an auth token."""

    authentication_classes = ()

    def get_serializer_class(self):
        return settings.SERIALIZERS.token_create

    def get_permissions(self):
        self.permission_classes = settings.PERMISSIONS.token_create
        return super().get_permissions()

    def _action(self, serializer):
        token = utils.login_user(self.request, serializer.user)
        token_serializer_class = settings.SERIALIZERS.token
        return Response(data=token_serializer_class(token).data, status=status.HTTP_200_OK)


class TokenDestroyView(views.APIView):
    """Token logout: end the request's token (and session, if one was created)."""

    def get_permissions(self):
        self.permission_classes = settings.PERMISSIONS.token_destroy
        return super().get_permissions()

    def post(self, request):
        utils.logout_user(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LegacyActionView(UserViewSet):
    """A 1.x view: one ``UserViewSet`` action behind a plain ``as_view()``.

    Subclasses set ``actions`` (HTTP method -> action name), so a 1.x ``urls.py`` that
    routes ``SomeView.as_view()`` keeps working.
    """

    actions = {}

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return super().as_view(actions or cls.actions, **initkwargs)

    def get_permissions(self):
        if self.action is None:
            # No action serves this method, so the request ends in 405 as it did in 1.x.
            # Checking the "user" permissions first would return 401 to anonymous callers.
            return []
        return super().get_permissions()


class UserCreateView(LegacyActionView):
    """Registration (1.x). Override ``send_activation_email(user)`` to change that email."""

    actions = {"post": "create"}


class RegistrationView(UserCreateView):
    """The pre-1.0 name of ``UserCreateView``."""


class UserView(LegacyActionView):
    """Read and change the requesting user (1.x ``me/``)."""

    actions = {"get": "me", "put": "me", "patch": "me"}


class UserDeleteView(LegacyActionView):
    """Delete the requesting user with ``current_password`` (1.x ``users/delete/``)."""

    actions = {"post": "delete_me"}
    permission_keys = {**UserViewSet.permission_keys, "delete_me": "user_delete"}
    serializer_keys = {**UserViewSet.serializer_keys, "delete_me": "user_delete"}

    def delete_me(self, request, *args, **kwargs):
        self.get_object = self.get_instance
        return self.destroy(request, *args, **kwargs)


class ActivationView(LegacyActionView):
    actions = {"post": "activation"}


class SetPasswordView(LegacyActionView):
    actions = {"post": "set_password"}


class PasswordResetView(LegacyActionView):
    actions = {"post": "reset_password"}


class PasswordResetConfirmView(LegacyActionView):
    actions = {"post": "reset_password_confirm"}


class SetUsernameView(LegacyActionView):
    actions = {"post": "set_username"}


class LoginView(TokenCreateView):
    """The pre-1.0 name of ``TokenCreateView``."""


class LogoutView(TokenDestroyView):
    """The pre-1.0 name of ``TokenDestroyView``."""


class RootView(views.APIView):
    """List djoser's endpoints by URL name, as 1.x's root view did."""

    permission_classes = ()
    url_names = (
        "user-me",
        "user-list",
        "user-activation",
        "user-set-password",
        "user-reset-password",
        "user-reset-password-confirm",
        "user-set-username",
        "login",
        "logout",
        "jwt-create",
        "jwt-refresh",
        "jwt-verify",
    )

    def get(self, request, format=None):
        namespace = request.resolver_match.namespace
        prefix = f"{namespace}:" if namespace else ""
        urls = {}
        for name in self.url_names:
            try:
                urls[name] = request.build_absolute_uri(reverse(prefix + name))
            except NoReverseMatch:
                continue
        return Response(urls)
