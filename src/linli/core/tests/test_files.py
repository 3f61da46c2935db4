from linli.core.files import sniffed_type

SIGNATURES = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/webp": (((0, b"RIFF"), (8, b"WEBP")),)}


def test_content_decides_the_type():
    assert sniffed_type(b"\x89PNG\r\n\x1a\n....", SIGNATURES) == "image/png"
    assert sniffed_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ", SIGNATURES) == "image/webp"
    assert sniffed_type(b"RIFF\x10\x00\x00\x00WAVEfmt ", SIGNATURES) is None  # a RIFF file, but audio
    assert sniffed_type(b"GIF89a", SIGNATURES) is None
