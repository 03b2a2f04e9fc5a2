"""Packaging for djoser; the version lives in djoser/__init__.py."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_version():
    text = (HERE / "djoser" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


setup(
    name="djoser",
    version=read_version(),
    description="REST implementation of Django's authentication system",
    long_description=(HERE / "README.rst").read_text(encoding="utf-8"),
    long_description_content_type="text/x-rst",
    license="MIT",
    packages=find_packages(include=["djoser", "djoser.*"]),
    include_package_data=True,
    package_data={"djoser": ["templates/email/*.html", "locale/*/LC_MESSAGES/*.po", "locale/*/LC_MESSAGES/*.mo"]},
    python_requires=">=3.11",
    install_requires=[
        "Django>=5.2,<7",
        "djangorestframework>=3.16",
        "djangorestframework-simplejwt>=5.5",
        # The social login relies on social-auth-core 7: its error codes and
        # pipeline_request_data().
        "social-auth-app-django>=8",
        "django-templated-mail>=1.1.1",
    ],
    extras_require={
        "test": [
            "pytest>=8",
            "pytest-django>=4.9",
            "pytest-xdist>=3.5",
            "aiosmtpd>=1.4.4",
            # knox's AuthToken as TOKEN_MODEL is tested.
            "django-rest-knox>=5",
            # Django's RedisCache, for the throttle test with two demo server processes.
            "redis>=4",
        ],
        "schema": ["drf-spectacular>=0.27"],
        "docs": ["sphinx>=7"],
        # benchmarks/run.py --load serves the demo with gunicorn.
        "bench": ["gunicorn>=22"],
    },
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "Environment :: Web Environment",
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Framework :: Django :: 6.0",
        "Intended Audience :: Developers",
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
)
