"""A mail server that refuses everything, for the tests of failed sendings."""

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("refused by the test's mail server")
