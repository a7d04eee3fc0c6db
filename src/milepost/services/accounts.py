"""Web accounts: sign up, sign in, sign out; sessions, personal access tokens, calendar feeds.

Secrets (session tokens, API tokens, feed tokens) leave here once, in plain text, for the cookie
or the user to keep; the database holds only their sha256, so a copy of it cannot be replayed.
Passwords are argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended profile).

Sign-in is rate-limited in the database, so the limit holds across server processes and
restarts: at most 5 failures per account and 20 per IP address in any 15 minutes (an address
may be a whole office behind one NAT, hence the larger number).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import (
    AccountRepository,
    ApiToken,
    AthleteRepository,
    User,
)
from milepost.bounds import (
    LABEL_LENGTH,
    LOGIN_LENGTH,
    NAME_LENGTH,
    PASSWORD_LENGTH,
    check_text,
    check_timezone,
)
from milepost.domain.athlete import Athlete, validate_athlete
from milepost.domain.units import Units
from milepost.errors import (
    ConflictError,
    InputError,
    MilepostError,
    NotFoundError,
    PermissionDeniedError,
)
from milepost.services.clock import Clock

ROLES = ("athlete", "coach")
SESSION_LIFETIME = timedelta(days=14)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "milepost-demo"  # printed by `milepost serve --demo`; a demo has no secrets


class AuthenticationError(MilepostError):
    """The username and password do not match (or the token is unknown)."""

    status = 401


class SignInRequiredError(AuthenticationError):
    """The page needs a signed-in user; the web app sends the browser to sign in."""


class TooManyAttemptsError(MilepostError):
    status = 429


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > PASSWORD_LENGTH:
        raise InputError(f"a password is at most {PASSWORD_LENGTH} characters")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SignedIn:
    """A fresh session: ``token`` goes in the cookie, ``csrf_token`` in every form."""

    user: User
    token: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class WebSession:
    user: User
    csrf_token: str


class AccountService:
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    # --- signing up and in -------------------------------------------------------------------

    def sign_up(
        self,
        *,
        username: str,
        email: str,
        password: str,
        display_name: str,
        role: str,
        timezone: str = "UTC",
        units: str = "km",
    ) -> SignedIn:
        """Create an account (and, for an athlete, the athlete it owns), signed in."""
        username, email = username.strip().lower(), email.strip().lower()
        display_name = check_text(display_name, "a display name", max_length=NAME_LENGTH)
        display_name = display_name or username
        timezone = check_timezone(timezone)
        if not _USERNAME.match(username):
            raise InputError(
                f"'{username}' cannot be a username",
                hint="3 to 32 letters, digits, dots, dashes or underscores",
            )
        if "@" not in email or len(email) > 254:
            raise InputError(f"'{email}' is not an email address")
        _check_new_password(password)
        if role not in ROLES:
            raise InputError(f"'{role}' is not a role", hint="athlete or coach")
        if units not in ("km", "mi"):
            raise InputError(f"'{units}' is not a unit", hint="km or mi")
        athlete = Athlete(name=display_name, timezone=timezone, units=Units(units))
        if role == "athlete":
            validate_athlete(athlete, self.clock.today())
        password_hash = self.hasher.hash(password)
        with self.db.session() as session:
            accounts = AccountRepository(session)
            if accounts.taken(username, email):
                raise ConflictError(
                    "that username or email already has an account", hint="sign in instead"
                )
            user = accounts.add_user(username, email, display_name, password_hash, role)
            if role == "athlete":
                athletes = AthleteRepository(session)
                # Athlete names are unique (the CLI finds athletes by name); usernames are too.
                if athletes.by_name(athlete.name) is not None:
                    athlete = replace(athlete, name=f"{display_name} (@{username})")
                stored = athletes.add(athlete)
                accounts.link_athlete(stored.id or 0, user.id)
            return self._open_session(accounts, user)

    def sign_in(
        self, login: str, password: str, *, address: str, previous_token: str | None = None
    ) -> SignedIn:
        """A new session for the right password. The browser's previous session, if any, ends:
        the session id changes at every sign-in, so a planted cookie is worth nothing."""
        login = login.strip().lower()
        if len(login) > LOGIN_LENGTH or len(password) > PASSWORD_LENGTH:
            # No account has such a name (sign-up refuses it) and no hash is worth computing.
            raise AuthenticationError("that username and password do not match")
        address = address[:LOGIN_LENGTH]
        now = datetime.now(UTC)
        keys = [f"user:{login}", f"ip:{address}"]
        with self.db.session() as session:
            accounts = AccountRepository(session)
            since = now - FAILURE_WINDOW
            if (
                accounts.failures_since(keys[0], since) >= MAX_ACCOUNT_FAILURES
                or accounts.failures_since(keys[1], since) >= MAX_ADDRESS_FAILURES
            ):
                raise TooManyAttemptsError(
                    "too many failed sign-ins", hint="wait 15 minutes and try again"
                )
            found = accounts.login(login)
        # An unknown name costs a hash check too, so timing does not tell which names exist.
        stored_hash = found[1] if found else self._dummy_hash()
        user = found[0] if self._verify(stored_hash, password) and found else None
        with self.db.session() as session:
            accounts = AccountRepository(session)
            if user is None:
                accounts.add_failures(keys, now)
            else:
                accounts.clear_failures(keys[0])
                if found and self.hasher.check_needs_rehash(found[1]):
                    accounts.set_password_hash(user.id, self.hasher.hash(password))
                if previous_token:
                    accounts.delete_session(digest(previous_token))
                return self._open_session(accounts, user)
        raise AuthenticationError("that username and password do not match")

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(new_secret())
        return self._dummy

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _open_session(self, accounts: AccountRepository, user: User) -> SignedIn:
        token, csrf = new_secret(), new_secret()
        expires = datetime.now(UTC) + SESSION_LIFETIME
        accounts.add_session(digest(token), user.id, csrf, expires)
        return SignedIn(user, token, csrf, expires)

    def delete_account(self, user: User, password: str) -> int:
        """Delete the account and everything of the athlete it owns, after the password is
        given again. Returns the number of athletes deleted (0 or 1; a coach owns none)."""
        with self.db.session() as session:
            accounts = AccountRepository(session)
            stored = accounts.password_hash(user.id)
            if stored is None or not self._verify(stored, password):
                raise PermissionDeniedError(
                    "that password is not right: the account was not deleted",
                    hint="type your password to confirm",
                )
            return accounts.delete_user(user.id)

    def sign_out(self, token: str) -> None:
        with self.db.session() as session:
            AccountRepository(session).delete_session(digest(token))

    def session(self, token: str) -> WebSession | None:
        """The signed-in user behind a cookie, or None (unknown or expired)."""
        with self.db.session() as session:
            accounts = AccountRepository(session)
            stored = accounts.web_session(digest(token))
            if stored is None:
                return None
            if stored.expires_at <= datetime.now(UTC):
                accounts.delete_session(digest(token))
                return None
            return WebSession(stored.user, stored.csrf_token)

    def user(self, user_id: int) -> User:
        with self.db.session() as session:
            user = AccountRepository(session).user(user_id)
        if user is None:
            raise NotFoundError(f"no user {user_id}")
        return user

    # --- the athlete an account owns, and its settings ---------------------------------------

    def athlete_of(self, user: User) -> Athlete | None:
        with self.db.session() as session:
            return AccountRepository(session).athlete_of(user.id)

    def update_settings(
        self, user: User, *, display_name: str, timezone: str, units: str
    ) -> Athlete | None:
        """Profile, units and time zone. The athlete keeps its name: the CLI finds it by it."""
        display_name = check_text(
            display_name, "a display name", max_length=NAME_LENGTH, allow_empty=False
        )
        timezone = check_timezone(timezone)
        if units not in ("km", "mi"):
            raise InputError(f"'{units}' is not a unit", hint="km or mi")
        with self.db.session() as session:
            accounts = AccountRepository(session)
            accounts.set_display_name(user.id, display_name)
            athlete = accounts.athlete_of(user.id)
            if athlete is None:
                return None
            validate_athlete(
                replace(athlete, timezone=timezone, units=Units(units)), self.clock.today()
            )
            accounts.update_athlete(athlete.id or 0, timezone, units)
            return accounts.athlete_of(user.id)

    # --- personal access tokens --------------------------------------------------------------

    def create_api_token(self, user: User, name: str) -> tuple[ApiToken, str]:
        """A new token; its plain text is returned once and never stored."""
        name = check_text(name, "a token's name", max_length=LABEL_LENGTH) or "script"
        token = "mp_" + new_secret()
        with self.db.session() as session:
            stored = AccountRepository(session).add_api_token(user.id, name, digest(token))
        return stored, token

    def api_tokens(self, user: User) -> list[ApiToken]:
        with self.db.session() as session:
            return AccountRepository(session).api_tokens(user.id)

    def delete_api_token(self, user: User, token_id: int) -> None:
        with self.db.session() as session:
            if not AccountRepository(session).delete_api_token(user.id, token_id):
                raise NotFoundError(f"no token {token_id}")

    def user_for_api_token(self, token: str) -> User:
        with self.db.session() as session:
            user = AccountRepository(session).user_for_api_token(digest(token))
        if user is None:
            raise AuthenticationError("that access token is not valid", hint="create a new one")
        return user

    # --- calendar subscription ---------------------------------------------------------------

    def new_calendar_feed(self, athlete: Athlete) -> str:
        """A new secret for the athlete's subscription URL; the previous URL stops working."""
        token = new_secret()
        with self.db.session() as session:
            AccountRepository(session).set_calendar_feed(athlete.id or 0, digest(token))
        return token

    def end_calendar_feed(self, athlete: Athlete) -> None:
        """No subscription at all: the current link stops working, and none replaces it."""
        with self.db.session() as session:
            AccountRepository(session).delete_calendar_feed(athlete.id or 0)

    def has_calendar_feed(self, athlete: Athlete) -> bool:
        with self.db.session() as session:
            return AccountRepository(session).has_calendar_feed(athlete.id or 0)

    def athlete_for_calendar_feed(self, token: str) -> Athlete:
        with self.db.session() as session:
            athlete_id = AccountRepository(session).athlete_for_calendar_feed(digest(token))
            athlete = AthleteRepository(session).get(athlete_id) if athlete_id else None
        if athlete is None:
            raise NotFoundError("no such calendar", hint="make a new link on the Exports page")
        return athlete

    # --- the demo ------------------------------------------------------------------------------

    def ensure_demo_account(self, athlete: Athlete) -> User:
        """The demo sign-in (``demo`` / ``milepost-demo``) owning the demo athlete."""
        with self.db.session() as session:
            accounts = AccountRepository(session)
            found = accounts.login(DEMO_USERNAME)
            user = (
                found[0]
                if found
                else accounts.add_user(
                    DEMO_USERNAME,
                    "demo@example.invalid",
                    athlete.name,
                    self.hasher.hash(DEMO_PASSWORD),
                    "athlete",
                )
            )
            accounts.link_athlete(athlete.id or 0, user.id)
            return user
