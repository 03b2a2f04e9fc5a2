"""Request parsing that turns a body nested too deeply to parse into a 400."""

from rest_framework.exceptions import ParseError


class NestingLimitedParser:
    """Wrap one of the project's DRF parsers so that a ``RecursionError`` becomes a 400.

    Python's ``json`` module raises ``RecursionError`` for a body such as 100,000 opening
    brackets, and DRF's ``JSONParser`` catches only ``ValueError``, so that body would end
    in a 500. Every other attribute is the wrapped parser's.
    """

    def __init__(self, parser):
        self.parser = parser

    def __getattr__(self, name):
        return getattr(self.parser, name)

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return self.parser.parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError() from None


class NestingLimitedParsersMixin:
    """A DRF view whose parsers (from ``parser_classes``) reject over-nested bodies with 400."""

    def get_parsers(self):
        return [NestingLimitedParser(parser) for parser in super().get_parsers()]
