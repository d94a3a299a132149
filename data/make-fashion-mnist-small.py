#!/usr/bin/env python3
"""Regenerates data/fashion-mnist-small from Debian's dataset-fashion-mnist (MIT licence, Zalando).

    sudo apt-get install dataset-fashion-mnist
    python3 data/make-fashion-mnist-small.py [SOURCE_DIR]

Takes the first TRAIN_PER_CLASS images of each class from the training set and the first
VAL_PER_CLASS of each class from the test set (file order, no randomness: the output is the same
every time), and writes them as gzip'd IDX files, plus manifest.json with counts and checksums that
the tests compare the kit's IDX reader against.
"""
import gzip, hashlib, json, os, struct, sys

TRAIN_PER_CLASS, VAL_PER_CLASS = 100, 50
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-small")


def read(prefix):
    with gzip.open(os.path.join(source, f"{prefix}-images-idx3-ubyte.gz")) as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, magic
        images = [f.read(rows * cols) for _ in range(n)]
    with gzip.open(os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz")) as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n2 == n
        labels = list(f.read(n))
    return images, labels, rows, cols


def pick(images, labels, per_class):
    taken, out = [0] * 10, []
    for image, label in zip(images, labels):
        if taken[label] < per_class:
            taken[label] += 1
            out.append((image, label))
    return out


def write(split, samples, rows, cols):
    # mtime=0 keeps the .gz bytes identical from run to run.
    with open(os.path.join(target, f"{split}-images-idx3-ubyte.gz"), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x803, len(samples), rows, cols))
        for image, _ in samples:
            f.write(image)
    with open(os.path.join(target, f"{split}-labels-idx1-ubyte.gz"), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x801, len(samples)))
        f.write(bytes(label for _, label in samples))
    return {
        "count": len(samples),
        "per_class": [sum(1 for _, l in samples if l == c) for c in range(10)],
        "first_labels": [l for _, l in samples[:20]],
        "first_image_pixel_sum": sum(samples[0][0]),
        "pixels_sha256": hashlib.sha256(b"".join(i for i, _ in samples)).hexdigest(),
    }


os.makedirs(target, exist_ok=True)
manifest = {"source": "Fashion-MNIST (Zalando Research), Debian package dataset-fashion-mnist", "licence": "MIT",
            "classes": CLASSES, "image_size": [28, 28]}
for split, prefix, per_class in (("train", "train", TRAIN_PER_CLASS), ("val", "t10k", VAL_PER_CLASS)):
    images, labels, rows, cols = read(prefix)
    manifest[split] = write(split, pick(images, labels, per_class), rows, cols)
with open(os.path.join(target, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
print(json.dumps({k: manifest[k]["count"] for k in ("train", "val")}), "->", target)
