"""A transcript that names its media file records it, so the report can link times to the audio (issue 11)."""
import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.read import read

SPEECH = "Host: GPT-2 XL has 1.5 billion parameters, which is small."
PAGE = "<html><head>{head}</head><body>{body}<p>" + SPEECH + "</p></body></html>"
CUES = [{"start": 0.0, "end": 4.0, "text": SPEECH}]


@pytest.mark.parametrize("name, content, media", [
    ("audio.html", PAGE.format(head="", body='<audio controls src="https://cdn.example.com/ep12.mp3"></audio>'),
     "https://cdn.example.com/ep12.mp3"),
    ("source.html", PAGE.format(head="", body='<audio><source src="ep12.m4a" type="audio/mp4"></audio>'), "ep12.m4a"),
    ("video.html", PAGE.format(head="", body='<video><source src="https://example.com/ep12.webm"></video>'),
     "https://example.com/ep12.webm"),
    ("og.html", PAGE.format(head='<meta property="og:audio" content="https://example.com/feed/ep12">', body=""),
     "https://example.com/feed/ep12"),
    ("script.html", PAGE.format(head="", body='<audio src="javascript:alert(1)"></audio>'
                                              '<audio src="data:audio/mp3;base64,AAAA"></audio>'), None),
    ("not-media.html", PAGE.format(head="", body='<source src="ep12.mp3"><audio src="notes.txt"></audio>'), None),
    ("whisper.json", json.dumps({"audio_url": "https://example.com/ep12.mp3?id=3", "segments": CUES}),
     "https://example.com/ep12.mp3?id=3"),
    ("enclosure.json", json.dumps({"enclosure": {"url": "https://example.com/ep12.ogg"}, "segments": CUES}),
     "https://example.com/ep12.ogg"),
    ("url.json", json.dumps({"url": "https://example.com/episodes/12", "segments": CUES}), None),
    ("url-audio.json", json.dumps({"url": "https://example.com/ep12.flac", "segments": CUES}),
     "https://example.com/ep12.flac"),
    ("bad.json", json.dumps({"media": "javascript:alert(1)//.mp3", "segments": CUES}), None),
    ("cues.srt", f"1\n00:00:01,000 --> 00:00:04,000\n{SPEECH}\n", None),
])
def test_media_named_by_the_transcript(tmp_path, name, content, media):
    path = tmp_path / name
    path.write_text(content)
    assert read(path).media == media


def test_episode_json_has_media(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(PAGE.format(head="", body='<audio src="ep12.mp3"></audio>'))
    (tmp_path / "in" / "cues.srt").write_text(f"1\n00:00:01,000 --> 00:00:04,000\n{SPEECH}\n")
    r = CliRunner().invoke(main, ["check", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--json", "-"])
    assert r.exit_code == 0, r.output
    episodes = {ep["id"]: ep for ep in json.loads(r.stdout)["episodes"]}
    assert episodes["page"]["media"] == "ep12.mp3"
    assert episodes["cues"]["media"] is None
    assert json.loads((tmp_path / "out" / "claims" / "page.json").read_text())["episodes"][0]["media"] == "ep12.mp3"
