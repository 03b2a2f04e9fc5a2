"""Serializers for the user, password, username and token endpoints.

Field names that depend on the user model (``USERNAME_FIELD``, ``LOGIN_FIELD``,
``REQUIRED_FIELDS``) are worked out when a serializer is used, so ``override_settings``
changes them in tests.
"""

import logging

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import exceptions as django_exceptions
from django.db import IntegrityError, models, transaction
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from djoser import utils
from djoser.conf import settings
from djoser.constants import get_message, message_code
from djoser.tokens import activation_token_generator, username_reset_token_generator

logger = logging.getLogger(__name__)

User = get_user_model()

# Longer passwords are rejected before they reach the hasher, which would otherwise spend
# time proportional to the input on every attempt.
PASSWORD_MAX_LENGTH = 4096


def fail(field, name, *args):
    """Raise a validation error with the message ``name`` on ``field``."""
    raise serializers.ValidationError({field: [get_message(name, *args)]}, code=message_code(name))


def field_error(name, *args):
    """Return a validation error with the message ``name``, for a field validator to raise."""
    return serializers.ValidationError(get_message(name, *args), code=message_code(name))


def non_field_error(name, *args):
    """Raise a validation error with the message ``name`` for the whole request."""
    fail(api_settings.NON_FIELD_ERRORS_KEY, name, *args)


def password_field(**kwargs):
    """Return a write-only password field with djoser's maximum length."""
    return serializers.CharField(
        style={"input_type": "password"},
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        **kwargs,
    )


# Fields that grant or withdraw access. Djoser's user serializers keep them read-only even
# when a project's subclass lists them in Meta.fields (often to show them to a front end),
# so no request can make its account staff or active. A serializer that lets staff edit
# them must derive from ModelSerializer directly.
PRIVILEGED_FIELDS = ("is_staff", "is_superuser", "is_active", "groups", "user_permissions")


def user_field_names():
    """Return the user fields shown in responses: id, username, login field, required fields."""
    names = [settings.USER_ID_FIELD, User.USERNAME_FIELD, settings.LOGIN_FIELD]
    names.extend(User.REQUIRED_FIELDS)
    return list(dict.fromkeys(names))


def normalize_username(value):
    """Return ``value`` normalised as the user model normalises usernames (NFKC)."""
    if isinstance(value, str):
        return User.normalize_username(value)
    return value


def check_username_free(value, exclude_pk=None, field_name=None):
    """Raise a field error when another account has ``value``, ignoring case.

    ``field_name`` defaults to the ``USERNAME_FIELD``; registration also checks the
    ``LOGIN_FIELD`` with it. Django's own ``UserCreationForm`` rejects usernames that differ
    only by case, since two such accounts are easy to confuse and to impersonate.
    """
    username_field = field_name or User.USERNAME_FIELD
    others = User._default_manager.filter(**{f"{username_field}__iexact": value})
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        label = User._meta.get_field(username_field).verbose_name
        raise field_error("USERNAME_TAKEN_ERROR", label)


def drop_unique_validator(field):
    """Remove DRF's exact-match uniqueness check, which ``check_username_free`` replaces."""
    field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]


class UserFieldsMixin:
    """Use ``user_field_names()`` unless a subclass's ``Meta`` lists its own fields."""

    def get_field_names(self, declared_fields, info):
        if getattr(self.Meta, "fields", None) is None and getattr(self.Meta, "exclude", None) is None:
            return user_field_names() + [name for name in declared_fields if name not in user_field_names()]
        return super().get_field_names(declared_fields, info)


class UserSerializer(UserFieldsMixin, serializers.ModelSerializer):
    """A user as other endpoints show it; the username and login fields are read-only."""

    class Meta:
        model = User

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        if getattr(self.Meta, "read_only_fields", None) is None:
            for name in (settings.USER_ID_FIELD, User.USERNAME_FIELD, settings.LOGIN_FIELD):
                extra_kwargs.setdefault(name, {})["read_only"] = True
        for name in PRIVILEGED_FIELDS:
            extra_kwargs.setdefault(name, {})["read_only"] = True
        return extra_kwargs

    def update(self, instance, validated_data):
        # Only the columns whose value changes are written, so two concurrent requests that
        # change different fields (or a PUT that repeats a value another request changed
        # meanwhile) cannot undo each other. A request that changes nothing writes nothing.
        changed = []
        for name, value in validated_data.items():
            field = instance._meta.get_field(name)
            if field.many_to_many:
                getattr(instance, name).set(value)
                continue
            old_value = getattr(instance, field.attname)
            setattr(instance, name, value)
            if getattr(instance, field.attname) != old_value:
                changed.append(field.attname)
        if changed:
            # update_fields leaves auto_now fields (such as a "modified" timestamp) alone
            # unless they are listed.
            changed.extend(
                field.attname
                for field in instance._meta.concrete_fields
                if getattr(field, "auto_now", False) and field.attname not in changed
            )
            instance.save(update_fields=changed)
        return instance


class CurrentUserSerializer(UserSerializer):
    """The requesting user as ``users/me/`` shows it."""

    class Meta(UserSerializer.Meta):
        pass


class UserCreateMixin:
    """Create a user with the manager's ``create_user``; turn a lost race into a 400."""

    def create(self, validated_data):
        try:
            user = self.perform_create(validated_data)
        except IntegrityError:
            # Two registrations of one username can both pass validation; the database's
            # unique constraint decides, and the loser gets a clear error instead of a 500.
            logger.warning("Registration lost a race on a unique field and was rejected.")
            non_field_error("CANNOT_CREATE_USER_ERROR")
        return user

    def perform_create(self, validated_data):
        """Create and return the user; override to change how accounts are made."""
        if settings.SEND_ACTIVATION_EMAIL and any(
            field.name == "is_active" for field in User._meta.concrete_fields
        ):
            validated_data = {**validated_data, "is_active": False}
        with transaction.atomic():
            return User.objects.create_user(**validated_data)


class UserCreateSerializer(UserCreateMixin, UserFieldsMixin, serializers.ModelSerializer):
    """Registration: the username, login and required fields, and a password."""

    password = password_field()

    class Meta:
        model = User

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        return [name for name in names if not name.startswith("re_")] + [
            name for name in names if name.startswith("re_")
        ]

    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        # The id is read-only unless it is a field the new user chooses, such as a
        # USER_ID_FIELD set to the username.
        chosen_fields = (User.USERNAME_FIELD, settings.LOGIN_FIELD, *User.REQUIRED_FIELDS)
        if settings.USER_ID_FIELD not in chosen_fields:
            extra_kwargs.setdefault(settings.USER_ID_FIELD, {})["read_only"] = True
        for name in PRIVILEGED_FIELDS:
            extra_kwargs.setdefault(name, {})["read_only"] = True
        login_field = settings.LOGIN_FIELD
        if login_field != User.USERNAME_FIELD:
            # An account registered without its login value could never log in.
            login_kwargs = extra_kwargs.setdefault(login_field, {})
            login_kwargs["required"] = True
            if isinstance(User._meta.get_field(login_field), (models.CharField, models.TextField)):
                login_kwargs["allow_blank"] = False
        return extra_kwargs

    def get_fields(self):
        fields = super().get_fields()
        username_field = fields.get(User.USERNAME_FIELD)
        if username_field is not None:
            drop_unique_validator(username_field)
        return fields

    def validate(self, attrs):
        # With REGISTRATION_HIDE_TAKEN_EMAIL, a taken email address is no error: the view
        # reads taken_email_owners and emails them instead of creating an account.
        self.taken_email_owners = self.find_taken_email_owners(attrs)
        hidden_field = User.get_email_field_name() if self.taken_email_owners else None

        username_field = User.USERNAME_FIELD
        if username_field in attrs:
            attrs[username_field] = normalize_username(attrs[username_field])
            try:
                if username_field != hidden_field:
                    check_username_free(attrs[username_field])
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({username_field: exc.detail}) from None

        login_field = settings.LOGIN_FIELD
        if login_field not in (username_field, hidden_field) and attrs.get(login_field):
            # When two accounts share a login value, a login cannot tell which one is meant.
            try:
                check_username_free(attrs[login_field], field_name=login_field)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({login_field: exc.detail}) from None

        password = attrs.get("password")
        user = User(**self.model_values(attrs))
        try:
            password_validation.validate_password(password, user)
        except django_exceptions.ValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs

    def find_taken_email_owners(self, attrs):
        """Return the accounts holding the new email address, where registration hides them.

        The match ignores case as the database does, so every spelling that registration
        would reject as taken is hidden.
        """
        email_field = User.get_email_field_name()
        email = attrs.get(email_field)
        if not settings.REGISTRATION_HIDE_TAKEN_EMAIL or not email:
            return []
        return list(User._default_manager.filter(**{f"{email_field}__iexact": email}))

    def model_values(self, attrs):
        """Return the values of ``attrs`` that can be set on an unsaved user."""
        values = {}
        for name, value in attrs.items():
            try:
                field = User._meta.get_field(name)
            except django_exceptions.FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many and name != "password":
                values[name] = value
        return values


class UserCreatePasswordRetypeSerializer(UserCreateSerializer):
    """Registration with ``re_password``, which must repeat ``password``."""

    re_password = password_field()

    def validate(self, attrs):
        re_password = attrs.pop("re_password")
        attrs = super().validate(attrs)
        if attrs["password"] != re_password:
            non_field_error("PASSWORD_MISMATCH_ERROR")
        return attrs


class TokenSerializer(serializers.Serializer):
    """An auth token as token login returns it."""

    auth_token = serializers.CharField(source="key", read_only=True)


class TokenCreateSerializer(serializers.Serializer):
    """Token login: ``LOGIN_FIELD`` and ``password``."""

    password = password_field(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = None

    def get_fields(self):
        fields = super().get_fields()
        fields[settings.LOGIN_FIELD] = serializers.CharField(required=True, max_length=254 * 4)
        return fields

    def validate(self, attrs):
        login_field = settings.LOGIN_FIELD
        credentials = {login_field: attrs.get(login_field), "password": attrs.get("password")}
        # authenticate() runs the hasher even for an unknown account (ModelBackend hashes a
        # dummy password), so a failed login takes the same time whether or not it exists.
        self.user = authenticate(self.context.get("request"), **credentials)
        if self.user is None or not self.user.is_active:
            non_field_error("INVALID_CREDENTIALS_ERROR")
        return attrs


class CurrentPasswordSerializer(serializers.Serializer):
    """A ``current_password`` that must be the requesting user's password."""

    current_password = password_field()

    def validate_current_password(self, value):
        user = self.context["request"].user
        if not user.check_password(value):
            raise field_error("INVALID_PASSWORD_ERROR")
        return value


class UserDeleteSerializer(CurrentPasswordSerializer):
    """Deleting an account: the requester's ``current_password``."""


class PasswordSerializer(serializers.Serializer):
    """A ``new_password`` checked with Django's password validators against its user."""

    new_password = password_field()

    def get_password_user(self):
        """Return the user the new password is for."""
        user = getattr(self, "user", None)
        if user is None:
            user = self.context["request"].user
        return user

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = self.get_password_user()
        try:
            password_validation.validate_password(attrs["new_password"], user)
        except django_exceptions.ValidationError as exc:
            raise serializers.ValidationError({"new_password": list(exc.messages)}) from None
        return attrs


class PasswordRetypeSerializer(PasswordSerializer):
    """A ``new_password`` and ``re_new_password``, which must match."""

    re_new_password = password_field()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["new_password"] != attrs["re_new_password"]:
            non_field_error("PASSWORD_MISMATCH_ERROR")
        return attrs


class SetPasswordSerializer(CurrentPasswordSerializer, PasswordSerializer):
    """Set password: ``new_password`` and ``current_password``."""


class SetPasswordRetypeSerializer(CurrentPasswordSerializer, PasswordRetypeSerializer):
    """Set password with ``re_new_password``."""


class UidAndTokenSerializer(serializers.Serializer):
    """A ``uid`` and ``token`` from an emailed link; sets ``self.user`` when both are valid.

    The token is checked with ``token_generator`` when the class sets one, else with the
    view's ``token_generator`` attribute, else with Django's ``default_token_generator``.
    """

    uid = serializers.CharField(max_length=256)
    token = serializers.CharField(max_length=256)

    token_generator = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = None

    def get_token_generator(self):
        """Return the token generator for this link's purpose."""
        if self.token_generator is not None:
            return self.token_generator
        view = self.context.get("view")
        return getattr(view, "token_generator", None) or default_token_generator

    def validate(self, attrs):
        # The user is looked up before the parent validators run, since they need it. Inside
        # a transaction (djoser's views validate links in one) the row stays locked until it
        # ends, so a second request with the same link waits and then finds the link used.
        in_transaction = transaction.get_connection().in_atomic_block
        self.user = utils.get_user_by_uid(attrs["uid"], for_update=in_transaction)
        if self.user is None:
            fail("uid", "INVALID_UID_ERROR")
        if not self.get_token_generator().check_token(self.user, attrs["token"]):
            fail("token", "INVALID_TOKEN_ERROR")
        return super().validate(attrs)


class ActivationSerializer(UidAndTokenSerializer):
    """Activation: a ``uid`` and activation ``token``; 403 when the account is already active."""

    token_generator = activation_token_generator

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.user.is_active:
            # A valid link for an active account was used before, so respond "stale" (403),
            # which a front end can show as "already activated".
            raise exceptions.PermissionDenied(
                get_message("STALE_TOKEN_ERROR"), code=message_code("STALE_TOKEN_ERROR")
            )
        return attrs


class PasswordResetConfirmSerializer(UidAndTokenSerializer, PasswordSerializer):
    """Reset password confirm: ``uid``, ``token`` and ``new_password``."""


class PasswordResetConfirmRetypeSerializer(UidAndTokenSerializer, PasswordRetypeSerializer):
    """Reset password confirm with ``re_new_password``."""


class SendEmailResetSerializer(serializers.Serializer):
    """An ``email`` to send a reset or activation link to."""

    email = serializers.EmailField(max_length=254)


# The 1.x name of the serializer for reset password.
PasswordResetSerializer = SendEmailResetSerializer


class UsernameSerializer(serializers.Serializer):
    """A ``new_<USERNAME_FIELD>`` checked by the model field's validators and for uniqueness."""

    def get_fields(self):
        fields = super().get_fields()
        username_field = User.USERNAME_FIELD
        model_field = User._meta.get_field(username_field)
        fields[f"new_{username_field}"] = self.build_username_field(model_field)
        return fields

    def build_username_field(self, model_field):
        """Return the serializer field for a new value of ``model_field``."""
        field_class, field_kwargs = serializers.ModelSerializer().build_standard_field(
            model_field.name, model_field
        )
        field_kwargs.pop("read_only", None)
        field_kwargs["required"] = True
        field_kwargs.pop("default", None)
        field_kwargs.pop("allow_blank", None)
        field = field_class(**field_kwargs)
        drop_unique_validator(field)
        return field

    def get_username_user(self):
        """Return the account whose username changes."""
        user = getattr(self, "user", None)
        if user is None:
            user = self.context["request"].user
        return user

    def validate(self, attrs):
        attrs = super().validate(attrs)
        key = f"new_{User.USERNAME_FIELD}"
        value = normalize_username(attrs[key])
        attrs[key] = value
        try:
            check_username_free(value, exclude_pk=self.get_username_user().pk)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({key: exc.detail}) from None
        return attrs


class UsernameRetypeSerializer(UsernameSerializer):
    """A new username and ``re_new_<USERNAME_FIELD>``, which must match."""

    def get_fields(self):
        fields = super().get_fields()
        username_field = User.USERNAME_FIELD
        fields[f"re_new_{username_field}"] = serializers.CharField(
            max_length=User._meta.get_field(username_field).max_length or 1024
        )
        return fields

    def validate(self, attrs):
        username_field = User.USERNAME_FIELD
        retyped = attrs.get(f"re_new_{username_field}")
        attrs = super().validate(attrs)
        if normalize_username(retyped) != attrs[f"new_{username_field}"]:
            non_field_error("USERNAME_MISMATCH_ERROR", username_field)
        return attrs


class SetUsernameSerializer(CurrentPasswordSerializer, UsernameSerializer):
    """Set username: ``new_<USERNAME_FIELD>`` and ``current_password``."""


class SetUsernameRetypeSerializer(CurrentPasswordSerializer, UsernameRetypeSerializer):
    """Set username with ``re_new_<USERNAME_FIELD>``."""


class UsernameResetConfirmSerializer(UidAndTokenSerializer, UsernameSerializer):
    """Reset username confirm: ``uid``, ``token`` and ``new_<USERNAME_FIELD>``."""

    token_generator = username_reset_token_generator


class UsernameResetConfirmRetypeSerializer(UidAndTokenSerializer, UsernameRetypeSerializer):
    """Reset username confirm with ``re_new_<USERNAME_FIELD>``."""

    token_generator = username_reset_token_generator

