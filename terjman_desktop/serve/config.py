"""What a classroom server is allowed to do: where it listens, its limits and its timeouts.

Every number a teacher (or ``terjman serve``) can change lives here, with a default that keeps
one laptop answering a room of phones: a client that sends too much, too often or too slowly
gets a clear error, and the others keep being served.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from terjman_desktop.core.errors import InputError

LOCALHOST = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"  # what "share with the classroom" binds to
DEFAULT_PORT = 5000  # LibreTranslate's own default: its clients try it first


@dataclass(frozen=True)
class Limits:
    """What one request, one client and the whole server may ask for.

    Attributes:
        max_body_bytes: Largest request body; a bigger one is refused (413) unread.
        char_limit: Characters per request, all of ``q`` together (LibreTranslate's
            ``charLimit``).
        batch_limit: Items in a ``q`` list.
        alternatives_limit: Most ``alternatives`` a request may ask for.
        requests_per_minute: Translations and detections per client address per minute
            (0: no limit).
        queue_texts: Texts waiting for the model; past it, 429 with ``Retry-After``.
        max_connections: Open connections in all; past it, new ones get 503 at once.
        max_connections_per_client: Open connections of one address (a slow client cannot
            take every slot).
    """

    max_body_bytes: int = 256 * 1024
    char_limit: int = 5000
    batch_limit: int = 128
    alternatives_limit: int = 3
    requests_per_minute: int = 240
    queue_texts: int = 512
    max_connections: int = 512
    max_connections_per_client: int = 64

    def __post_init__(self) -> None:
        for name in (
            "max_body_bytes",
            "char_limit",
            "batch_limit",
            "queue_texts",
            "max_connections",
            "max_connections_per_client",
        ):
            if getattr(self, name) < 1:
                raise InputError(f"The server limit {name} must be at least 1.")
        if self.alternatives_limit < 0 or self.requests_per_minute < 0:
            raise InputError("alternatives_limit and requests_per_minute cannot be negative.")


@dataclass(frozen=True)
class Timeouts:
    """Seconds a client may take; a slow client (slowloris) is cut off, not waited for.

    Attributes:
        head: To send a request's line and headers, from the moment the server waits for
            them (also how long an idle kept-alive connection stays open).
        body: To send the body, once the headers are in.
        write: To take the response.
        translate: For a request's translation, queue included (then 503).
    """

    head: float = 10.0
    body: float = 20.0
    write: float = 20.0
    translate: float = 120.0

    def __post_init__(self) -> None:
        if min(self.head, self.body, self.write, self.translate) <= 0:
            raise InputError("Server timeouts must be positive.")


@dataclass(frozen=True)
class Batching:
    """Dynamic batching: requests arriving close together share one model call.

    Attributes:
        window_ms: How long the model thread waits for more requests once one arrived.
        max_texts: Most texts (``q`` items) in one model call.
    """

    window_ms: float = 5.0
    max_texts: int = 64

    def __post_init__(self) -> None:
        if self.window_ms < 0 or self.max_texts < 1:
            raise InputError("The batching window cannot be negative nor max_texts below 1.")


@dataclass(frozen=True)
class ServeConfig:
    """Everything a :class:`~terjman_desktop.serve.server.TranslationServer` is started with.

    Attributes:
        host: Address to listen on: ``127.0.0.1`` (this computer only, the default) or
            ``0.0.0.0`` (the local network, when sharing with the classroom).
        port: TCP port; 0 picks a free one.
        api_key: When set, ``/translate`` and ``/detect`` need it (``api_key``).
        quality: The engine's preset (``fast``, ``balanced``, ``best``).
        use_vmap: Use the model's vocabulary map when it has one (the app's Preferences,
            ``terjman serve --no-vmap``).
        log_text: Also log the texts of requests (off: only sizes and timings).
    """

    host: str = LOCALHOST
    port: int = DEFAULT_PORT
    api_key: str | None = None
    quality: str = "balanced"
    use_vmap: bool = True
    log_text: bool = False
    limits: Limits = field(default_factory=Limits)
    timeouts: Timeouts = field(default_factory=Timeouts)
    batching: Batching = field(default_factory=Batching)

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise InputError(f"Port {self.port} is not a TCP port (0-65535).")
        if self.api_key is not None and not self.api_key.strip():
            raise InputError(
                "The access key cannot be empty.", hint="Leave it out to serve without a key."
            )
