"""``terjman serve``: share a model with the classroom over HTTP (LibreTranslate's API).

Binds to 127.0.0.1 unless ``--share`` (or a ``--host``) says otherwise; when shared, prints
the address students open and its QR code. Runs until Ctrl+C.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import TYPE_CHECKING, Any

from terjman_desktop.cli_args import at_least
from terjman_desktop.core.text_safety import printable

if TYPE_CHECKING:
    from terjman_desktop.core.translate import ModelPackage
    from terjman_desktop.serve import ServeConfig

logger = logging.getLogger(__name__)


def add_parser(commands: Any) -> None:
    """Register ``serve`` on the ``terjman`` command's subparsers.

    Nothing of the server is imported here, so ``terjman --help`` stays instant: a limit
    left out is the server's own default (:class:`~terjman_desktop.serve.Limits`).
    """
    serve = commands.add_parser(
        "serve",
        help="serve a model to the classroom (LibreTranslate-compatible API + page)",
        description="Serve an installed model over HTTP: a LibreTranslate-compatible API "
        "(POST /translate, GET /languages, POST /detect, GET /frontend/settings) "
        "and a page for phones at /. This computer only, unless --share.",
    )
    serve.add_argument(
        "--model",
        "-m",
        help="installed model id or model folder (default: "
        "the only installed model, or the app's current one)",
    )
    serve.add_argument(
        "--share",
        action="store_true",
        help="listen on the local network (0.0.0.0) and print the address and "
        "its QR code for students",
    )
    serve.add_argument(
        "--host", help="address to listen on (default 127.0.0.1; with --share 0.0.0.0)"
    )
    serve.add_argument(
        "--port",
        type=at_least(0),
        help="TCP port (default 5000, LibreTranslate's; 0: any free port)",
    )
    serve.add_argument(
        "--api-key", help="access key clients must send as api_key (default: none needed)"
    )
    serve.add_argument(
        "--quality",
        choices=("fast", "balanced", "best"),
        default="balanced",
        help="speed/quality preset (default: balanced)",
    )
    serve.add_argument(
        "--no-vmap",
        dest="use_vmap",
        action="store_false",
        help="score the whole target vocabulary even when the model has a vocabulary map "
        "(vmap.txt; slower)",
    )
    serve.add_argument(
        "--threads",
        type=at_least(0),
        default=0,
        help="CPU threads for the model (default 0: the physical cores)",
    )
    serve.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="where the model runs (default: auto)",
    )
    serve.add_argument(
        "--char-limit", type=at_least(1), help="characters per request (default 5000)"
    )
    serve.add_argument(
        "--batch-limit", type=at_least(1), help="texts in one request's q list (default 128)"
    )
    serve.add_argument(
        "--req-limit",
        type=at_least(0),
        help="requests per client per minute (default 240; 0: no limit)",
    )
    serve.add_argument(
        "--queue-size",
        type=at_least(1),
        help="texts waiting for the model before clients get 429 (default 512)",
    )
    serve.add_argument(
        "--max-body", type=at_least(1), help="largest request body in bytes (default 262144)"
    )
    serve.add_argument(
        "--log-text",
        action="store_true",
        help="also log the texts translated (default: sizes and timings only)",
    )
    serve.set_defaults(handler=cmd_serve)




def _config(args: argparse.Namespace) -> ServeConfig:
    from dataclasses import replace

    from terjman_desktop.serve import ALL_INTERFACES, DEFAULT_PORT, LOCALHOST, Limits, ServeConfig

    given = {
        "max_body_bytes": args.max_body,
        "char_limit": args.char_limit,
        "batch_limit": args.batch_limit,
        "requests_per_minute": args.req_limit,
        "queue_texts": args.queue_size,
    }
    limits = replace(Limits(), **{k: v for k, v in given.items() if v is not None})
    return ServeConfig(
        host=args.host or (ALL_INTERFACES if args.share else LOCALHOST),
        port=DEFAULT_PORT if args.port is None else args.port,
        api_key=args.api_key,
        quality=args.quality,
        use_vmap=args.use_vmap,
        log_text=args.log_text,
        limits=limits,
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from terjman_desktop.core.translate import Translator
    from terjman_desktop.serve import LoadedEngine, TranslationServer, print_qr

    config = _config(args)
    package = _model_for(args.model)
    translator = Translator(package, device=args.device, threads=args.threads)
    _log_requests()
    server = TranslationServer(LoadedEngine(translator), config)
    server.start()
    name = printable(translator.manifest.name)
    print(f"Serving {name} at {server.url}", flush=True)
    if server.shared and not server.on_network:
        print(
            "terjman: this computer is on no network, so no phone can reach it; connect it "
            "to the classroom's Wi-Fi (or a phone's hotspot) and start again.",
            file=sys.stderr,
        )
    if server.shared:
        others = [url for url in server.urls()[1:] if "127.0.0.1" not in url]
        if others:
            print("Also reachable at " + ", ".join(others))
        print("Students open the address above, or scan:")
        print_qr(server.page_url(), sys.stdout)
    else:
        print("This computer only; --share opens it to the local network.")
    print("Press Ctrl+C to stop.", flush=True)
    stopped = threading.Event()
    try:
        stopped.wait()
    except KeyboardInterrupt:
        print("Stopping…", file=sys.stderr)
    finally:
        server.stop()
        translator.unload()
    return 0


def _model_for(model: str | None) -> ModelPackage:
    """``--model``, else the app's current model or the only one installed (said on stderr)."""
    from terjman_desktop.core.errors import TerjmanError
    from terjman_desktop.core.models import default_model, resolve_model
    from terjman_desktop.core.settings import load_settings

    if model is not None:
        return resolve_model(model)
    try:
        preferred = load_settings().model_id or ""
    except TerjmanError:
        preferred = ""
    chosen = default_model(preferred)
    print(f"terjman: using {printable(chosen.reason)} (--model chooses another).", file=sys.stderr)
    return chosen.package


def _log_requests() -> None:
    """One line per request on stderr (the server's log never holds texts unless asked)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    for name in ("terjman_desktop.serve.api", "terjman_desktop.serve.server"):
        served = logging.getLogger(name)
        served.setLevel(logging.INFO)
        served.addHandler(handler)
        served.propagate = False
