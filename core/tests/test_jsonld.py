"""JSON-LD placed in a script element cannot be ended or turned into a comment by the text it carries."""

import json

from core.jsonld import script_json


def test_script_json_escapes_what_could_end_the_script_and_reads_back_the_same():
    data = {"name": "</script><!--<script>&co", "n": 3}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data
