"""Reference image fixtures made with Pillow (run: tests/reference/peer.sh tests/NotebookKit.Tests/Fixtures/images/make-fixtures.py).

cmyk.jpg: a CMYK JPEG (what print workflows and some stock photos use), left half red, right half blue,
as Pillow writes it (Adobe-style inverted CMYK). expected.json: how Pillow decodes it to RGB, which the kit's
decoder is compared against.
"""
import json, os
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
img = Image.new("CMYK", (16, 12))
for y in range(12):
    for x in range(16):
        img.putpixel((x, y), (0, 255, 255, 0) if x < 8 else (255, 255, 0, 0))
img.save(os.path.join(here, "cmyk.jpg"), quality=95)

decoded = Image.open(os.path.join(here, "cmyk.jpg"))
rgb = decoded.convert("RGB")
expected = {"mode": decoded.mode, "size": list(decoded.size), "left": list(rgb.getpixel((3, 6))), "right": list(rgb.getpixel((12, 6)))}
json.dump(expected, open(os.path.join(here, "expected.json"), "w"), indent=1)
print(expected)
