"""Settings for the test suite: same as production apart from speed and task execution."""

from linli.config.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
# Other apps' tests log staff in with force_login, which passes no second factor; the accounts
# tests switch it back on (override_settings) to test the log-in itself.
LINLI_SECOND_FACTOR_ENFORCED = False
# Every audit action written during the tests must have a name on the audit page.
LINLI_AUDIT_ACTION_CHECK = "linli.portal.audit_actions.action_is_named"
