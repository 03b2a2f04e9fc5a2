"""Social login through social-auth-app-django, for front ends on any origin.

Mount ``djoser.social.urls`` and list the front end's callback URLs in
``DJOSER["SOCIAL_AUTH_ALLOWED_REDIRECT_URIS"]``. Providers are social-auth backends in
``AUTHENTICATION_BACKENDS``, configured with social-auth's own settings
(``SOCIAL_AUTH_<PROVIDER>_KEY``, ``SOCIAL_AUTH_<PROVIDER>_SECRET`` and so on).
"""
