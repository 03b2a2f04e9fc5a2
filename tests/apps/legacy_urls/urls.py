"""A djoser 1.x-style ``urls.py`` that routes to the 1.x view classes by name."""

from django.urls import re_path

from djoser import views

urlpatterns = [
    re_path(r"^$", views.RootView.as_view(), name="legacy-root"),
    re_path(r"^register/$", views.RegistrationView.as_view(), name="legacy-register"),
    re_path(r"^users/create/$", views.UserCreateView.as_view(), name="legacy-user-create"),
    re_path(r"^me/$", views.UserView.as_view(), name="legacy-me"),
    re_path(r"^users/delete/$", views.UserDeleteView.as_view(), name="legacy-user-delete"),
    re_path(r"^activate/$", views.ActivationView.as_view(), name="legacy-activate"),
    re_path(r"^password/$", views.SetPasswordView.as_view(), name="legacy-set-password"),
    re_path(r"^password/reset/$", views.PasswordResetView.as_view(), name="legacy-password-reset"),
    re_path(
        r"^password/reset/confirm/$",
        views.PasswordResetConfirmView.as_view(),
        name="legacy-password-reset-confirm",
    ),
    re_path(r"^username/$", views.SetUsernameView.as_view(), name="legacy-set-username"),
    re_path(r"^login/$", views.LoginView.as_view(), name="legacy-login"),
    re_path(r"^logout/$", views.LogoutView.as_view(), name="legacy-logout"),
]
