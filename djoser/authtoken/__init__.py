"""Hashed auth tokens, one per login, that expire when idle and at a fixed age.

Optional: a project turns it on with

- ``"djoser.authtoken"`` in ``INSTALLED_APPS`` (then ``manage.py migrate``),
- ``DJOSER["TOKEN_MODEL"] = "djoser.authtoken.models.AuthToken"``,
- ``"djoser.authtoken.authentication.TokenAuthentication"`` in DRF's
  ``DEFAULT_AUTHENTICATION_CLASSES`` in place of DRF's ``TokenAuthentication``, and
- ``include("djoser.authtoken.urls")`` for logout-all and the token list.

Clients keep sending ``Authorization: Token <key>``. Keys issued by DRF's ``Token`` model are
not carried over, because only their plain value is stored: each user logs in once more.
"""
