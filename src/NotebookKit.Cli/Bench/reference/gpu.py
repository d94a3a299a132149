"""Reference for `nbkit bench gpu`: the same rows with PyTorch and torchvision, in one process.

    python gpu.py --device cuda --arch resnet50 --size 224 --batch 64 --steps 30 --warmup 5 \
        --workers 1,4,8,16 --folder PHOTOS [--threads N] [--bf16]

Rows (images/s): train_step (SGD on a fixed batch already on the device), train_step_bf16 (the same under bf16
autocast, with --bf16), eval (forward under no_grad), pipeline_W (ImageFolder + DataLoader(num_workers=W) alone,
RandomResizedCrop + flip + ToTensor + Normalize), pipeline_to_device (the same at the largest W with pin_memory and
non-blocking copies), end_to_end (ImageFolder + DataLoader(pin_memory) + the training loop, loss and accuracy summed on
the device and read once per epoch). fp32 with TF32 for matmul and cuDNN; cudnn.benchmark stays off (TorchSharp 0.107
cannot turn it on). Runs on torch 1.13 and 2.x, on CUDA or (to test it) the CPU.
Prints one JSON object on its last line: {"torch": ..., "torchvision": ..., "device": ..., "rows": {...}}.
"""
import argparse
import json
import time

import torch
import torchvision
from torchvision import datasets, transforms


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda")
    p.add_argument("--arch", default="resnet50")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--workers", default="1,4,8,16")
    p.add_argument("--folder", required=True)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--bf16", action="store_true")
    a = p.parse_args()
    workers = [int(w) for w in a.workers.split(",") if w.strip()]
    dev = torch.device(a.device)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)

    def model(classes):
        torch.manual_seed(0)
        return getattr(torchvision.models, a.arch)(num_classes=classes).to(dev)

    def fixed_batch(classes):
        torch.manual_seed(1)
        return torch.randn(a.batch, 3, a.size, a.size, device=dev), torch.randint(0, classes, (a.batch,), device=dev)

    def timed(step):
        for _ in range(a.warmup):
            step()
        sync()
        start = time.perf_counter()
        for _ in range(a.steps):
            step()
        sync()
        return a.batch * a.steps / (time.perf_counter() - start)

    rows = {}

    def train_row(autocast):
        m = model(1000)
        m.train()
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
        x, y = fixed_batch(1000)

        def step():
            opt.zero_grad()
            if autocast:
                with torch.autocast(device_type=dev.type, dtype=torch.bfloat16):
                    loss = torch.nn.functional.cross_entropy(m(x), y)
            else:
                loss = torch.nn.functional.cross_entropy(m(x), y)
            loss.backward()
            opt.step()
        return timed(step)

    rows["train_step"] = train_row(False)
    if a.bf16:
        rows["train_step_bf16"] = train_row(True)

    m = model(1000)
    m.eval()
    x, _ = fixed_batch(1000)
    with torch.no_grad():
        rows["eval"] = timed(lambda: m(x))
    del m, x

    transform = transforms.Compose([
        transforms.RandomResizedCrop(a.size),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    dataset = datasets.ImageFolder(a.folder, transform=transform)

    def loader(w, pin):
        return torch.utils.data.DataLoader(dataset, batch_size=a.batch, shuffle=True, num_workers=w,
                                           persistent_workers=w > 0, pin_memory=pin)

    def epoch_rate(batches, consume):
        for images, labels in batches:  # warm-up epoch: starts the workers, fills the page cache
            consume(images, labels)
        sync()
        start, count = time.perf_counter(), 0
        for images, labels in batches:
            consume(images, labels)
            count += images.shape[0]
        sync()
        return count / (time.perf_counter() - start)

    for w in workers:
        rows["pipeline_%d" % w] = epoch_rate(loader(w, False), lambda images, labels: None)
    most = max(workers)
    pin = dev.type == "cuda"

    def to_device(images, labels):
        images.to(dev, non_blocking=pin)
        labels.to(dev, non_blocking=pin)
    rows["pipeline_to_device"] = epoch_rate(loader(most, pin), to_device)

    # End to end: scratch network, two epochs, the second timed.
    m = model(len(dataset.classes))
    m.train()
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    batches = loader(most, pin)
    seconds, count = 0.0, 0
    for epoch in range(2):
        sync()
        start, n = time.perf_counter(), 0
        loss_sum = torch.zeros((), device=dev)
        correct = torch.zeros((), dtype=torch.long, device=dev)
        for images, labels in batches:
            images = images.to(dev, non_blocking=pin)
            labels = labels.to(dev, non_blocking=pin)
            opt.zero_grad()
            logits = m(images)
            loss = torch.nn.functional.cross_entropy(logits, labels)
            loss.backward()
            opt.step()
            loss_sum += loss.detach() * labels.shape[0]
            correct += (logits.argmax(1) == labels).sum()
            n += labels.shape[0]
        float(loss_sum), int(correct)  # read once per epoch, as a progress display would
        seconds, count = time.perf_counter() - start, n
    rows["end_to_end"] = count / seconds

    print(json.dumps({"torch": torch.__version__, "torchvision": torchvision.__version__, "device": str(dev),
                      "device_name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu", "rows": rows}))


if __name__ == "__main__":
    main()
