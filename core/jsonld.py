"""JSON-LD for a page's <script type="application/ld+json">."""

import json

# As Django's json_script escapes: no title or name can end the script element or open an HTML comment in it.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data) -> str:
    """`data` as JSON safe to place, unescaped, inside a script element."""
    return json.dumps(data).translate(_ESCAPES)
