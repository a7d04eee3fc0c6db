"""Web accounts: sign up, sign in, sign out; sessions, personal access tokens, calendar feeds.

Secrets (session tokens, API tokens, feed tokens) leave here once, in plain text, for the cookie
or the user to keep; the database holds only their sha256, so a copy of it cannot be replayed.
Passwords are argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended profile).

Sign-in is rate-limited in the database, so the limit holds across server processes and
restarts. An account is never locked: after 3 failures in 15 minutes each further attempt waits
longer (2 s, 4 s, 8 s … at most a minute), which slows a guesser to a crawl while the owner, who
knows her password, waits a minute at worst. An address (which may be a whole office behind one
NAT) is refused after 20 failures in 15 minutes. Failures older than the window are purged.

API tokens carry scopes (``read``, ``write``, ``coach``) and an expiry. Minting one, and
granting a coach health detail, take the password again: a stolen session cookie alone cannot
mint a lasting credential, and a token cannot be used for either (tokens only reach ``/api``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from math import ceil

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import (
    AccountRepository,
    ApiToken,
    AthleteRepository,
    PlanRepository,
    TokenGrant,
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
FREE_ACCOUNT_FAILURES = 3  # typos are free; after these, each attempt waits
MAX_ACCOUNT_DELAY = timedelta(minutes=1)
MAX_ADDRESS_FAILURES = 20
TOKEN_SCOPES = ("read", "write", "coach")
TOKEN_LIFETIMES_DAYS = (7, 30, 90, 365)  # and 0: never expires
RESET_LIFETIME = timedelta(hours=24)
# Where links that leave the browser point when MILEPOST_BASE_URL does not say.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
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
    """Sign-in must wait; ``retry_after_s`` says how long (the web sends it as Retry-After)."""

    status = 429

    def __init__(self, message: str, *, retry_after_s: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s


def account_delay(failures: int) -> timedelta:
    """How long after the last failure the next attempt on an account must wait."""
    if failures < FREE_ACCOUNT_FAILURES:
        return timedelta(0)
    seconds = 2.0 ** (failures - FREE_ACCOUNT_FAILURES + 1)
    return min(timedelta(seconds=seconds), MAX_ACCOUNT_DELAY)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Check a password against a stored argon2 hash (its own parameters are in the hash)."""
    if password_hash is None or len(password) > PASSWORD_LENGTH:
        return False
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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
    athlete: Athlete | None = None  # the athlete the account owns (one query with the session)


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

    def start_training(self, user: User) -> Athlete:
        """A coach who trains: her account gets an athlete of its own, so one account has her
        plan and her roster (issue 13). An athlete's account already trains."""
        with self.db.session() as session:
            accounts = AccountRepository(session)
            if accounts.athlete_of(user.id) is not None:
                raise PermissionDeniedError(
                    "your account already has its own training", hint="open Today"
                )
            athletes = AthleteRepository(session)
            athlete = Athlete(name=user.display_name)
            if athletes.by_name(athlete.name) is not None:
                athlete = replace(athlete, name=f"{user.display_name} (@{user.username})")
            stored = athletes.add(athlete)
            accounts.link_athlete(stored.id or 0, user.id)
            return stored

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
        now = self.clock.now()
        keys = [f"user:{login}", f"ip:{address}"]
        with self.db.session() as session:
            accounts = AccountRepository(session)
            since = now - FAILURE_WINDOW
            if accounts.failures_since(keys[1], since) >= MAX_ADDRESS_FAILURES:
                raise TooManyAttemptsError(
                    "too many failed sign-ins from this address",
                    hint="wait 15 minutes and try again",
                    retry_after_s=int(FAILURE_WINDOW.total_seconds()),
                )
            failures = accounts.failures_since(keys[0], since)
            last = accounts.last_failure(keys[0], since)
            wait = (last + account_delay(failures) - now) if last is not None else timedelta(0)
            if wait > timedelta(0):
                # Not checked and not counted: waiting is all it takes, for the owner too.
                seconds = ceil(wait.total_seconds())
                raise TooManyAttemptsError(
                    "too many failed sign-ins for this account",
                    hint=f"wait {seconds} seconds and try again",
                    retry_after_s=seconds,
                )
            found = accounts.login(login)
        # An unknown name costs a hash check too, so timing does not tell which names exist.
        stored_hash = found[1] if found else self._dummy_hash()
        user = found[0] if self._verify(stored_hash, password) and found else None
        with self.db.session() as session:
            accounts = AccountRepository(session)
            if user is None:
                accounts.purge_failures(now - FAILURE_WINDOW)
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

    def sign_out_everywhere(self, user: User) -> int:
        """End every session of the account (this browser's too); returns how many ended."""
        with self.db.session() as session:
            return AccountRepository(session).delete_sessions(user.id)

    def confirm_password(self, user: User, password: str, *, doing: str) -> None:
        """The password again, before something a stolen session must not be able to do."""
        with self.db.session() as session:
            stored = AccountRepository(session).password_hash(user.id)
        if not password_matches(stored, password):
            raise PermissionDeniedError(
                f"that password is not right: {doing}", hint="type your password to confirm"
            )

    def change_password(
        self, user: User, current: str, new: str, *, session_token: str | None = None
    ) -> int:
        """A new password, after the current one. Every other session ends (a thief's too);
        the browser that changed it stays signed in. Returns how many sessions ended."""
        self.confirm_password(user, current, doing="the password was not changed")
        _check_new_password(new)
        new_hash = self.hasher.hash(new)
        with self.db.session() as session:
            accounts = AccountRepository(session)
            accounts.set_password_hash(user.id, new_hash)
            keep = digest(session_token) if session_token else None
            return accounts.delete_sessions(user.id, keep_sha256=keep)

    # --- one-time reset links (an administrator prints one; see `milepost user reset-link`) ---

    def create_password_reset(self, login: str) -> tuple[User, str]:
        """A secret for a one-time reset link, valid for a day; a newer link replaces it."""
        token = new_secret()
        with self.db.session() as session:
            accounts = AccountRepository(session)
            found = accounts.login(check_text(login, "a username", max_length=LOGIN_LENGTH).lower())
            if found is None:
                raise NotFoundError(f"no account '{login}'", hint="a username or an email")
            accounts.add_password_reset(
                digest(token), found[0].id, self.clock.now() + RESET_LIFETIME
            )
        return found[0], token

    def password_reset_user(self, token: str) -> User:
        with self.db.session() as session:
            accounts = AccountRepository(session)
            user_id = accounts.password_reset_user(digest(token), self.clock.now())
            user = accounts.user(user_id) if user_id else None
        if user is None:
            raise NotFoundError(
                "that reset link is not valid (it may have been used, replaced or expired)",
                hint="ask your administrator for a new one",
            )
        return user

    def reset_password(self, token: str, new: str) -> User:
        """Set a new password through a reset link: the link works once, every session ends
        and the account's failed sign-ins are forgotten."""
        user = self.password_reset_user(token)
        _check_new_password(new)
        new_hash = self.hasher.hash(new)
        with self.db.session() as session:
            accounts = AccountRepository(session)
            accounts.delete_password_reset(digest(token))
            accounts.set_password_hash(user.id, new_hash)
            accounts.delete_sessions(user.id)
            accounts.clear_failures(f"user:{user.username}")
            accounts.clear_failures(f"user:{user.email}")
        return user

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
            return WebSession(stored.user, stored.csrf_token, stored.athlete)

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
        self,
        user: User,
        *,
        display_name: str,
        timezone: str,
        units: str,
        breastfeeding: bool | None = None,
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
            if units != athlete.units.value:
                # Switching units changes what every page says, from the next read on.
                PlanRepository(session).set_units(athlete.id or 0, units)
            if breastfeeding is not None:
                AthleteRepository(session).set_breastfeeding(athlete.id or 0, breastfeeding)
            return accounts.athlete_of(user.id)

    # --- personal access tokens --------------------------------------------------------------

    def create_api_token(
        self,
        user: User,
        name: str,
        *,
        password: str,
        scopes: tuple[str, ...] = ("read",),
        days: int = 90,
    ) -> tuple[ApiToken, str]:
        """A new token, after the password; its plain text is returned once and never stored.
        ``days`` = 0 never expires."""
        name = check_text(name, "a token's name", max_length=LABEL_LENGTH) or "script"
        chosen = tuple(s for s in TOKEN_SCOPES if s in scopes)
        unknown = set(scopes) - set(TOKEN_SCOPES)
        if unknown or not chosen:
            raise InputError(
                f"'{', '.join(sorted(unknown)) or 'nothing'}' is not a scope",
                hint="read, write or coach",
            )
        if days not in (0, *TOKEN_LIFETIMES_DAYS):
            raise InputError(
                f"a token lasts {', '.join(map(str, TOKEN_LIFETIMES_DAYS))} days or never"
            )
        self.confirm_password(user, password, doing="no token was made")
        expires = self.clock.now() + timedelta(days=days) if days else None
        token = "mp_" + new_secret()
        with self.db.session() as session:
            stored = AccountRepository(session).add_api_token(
                user.id, name, digest(token), chosen, expires
            )
        return stored, token

    def api_tokens(self, user: User) -> list[ApiToken]:
        with self.db.session() as session:
            return AccountRepository(session).api_tokens(user.id)

    def delete_api_token(self, user: User, token_id: int) -> None:
        with self.db.session() as session:
            if not AccountRepository(session).delete_api_token(user.id, token_id):
                raise NotFoundError(f"no token {token_id}")

    def grant_for_api_token(self, token: str) -> TokenGrant:
        """The user and scopes of a token; unknown, revoked and expired tokens are refused."""
        if len(token) > 200:
            raise AuthenticationError("that access token is not valid", hint="create a new one")
        with self.db.session() as session:
            grant = AccountRepository(session).grant_for_api_token(digest(token))
        if grant is None:
            raise AuthenticationError(
                "that access token is not valid (or has expired)", hint="create a new one"
            )
        return grant

    def user_for_api_token(self, token: str) -> User:
        return self.grant_for_api_token(token).user

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
