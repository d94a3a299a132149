"""Reference for `nbkit bench data`: torchvision ImageFolder + DataLoader with PIL, the same training transform.

    python data_loader.py FOLDER SIZE BATCH WORKERS EPOCHS
Prints one JSON object: {"images_per_second": ..., "images": ..., "seconds": ..., "torch": ..., "torchvision": ...}
"""
import json, sys, time

import torch
import torchvision
from torchvision import datasets, transforms

folder, size, batch, workers, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(1)  # the work is in the loader's worker processes, as in a real training script
transform = transforms.Compose([
    transforms.RandomResizedCrop(size),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
dataset = datasets.ImageFolder(folder, transform=transform)
loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers, persistent_workers=workers > 0)
for images, labels in loader:  # warm-up epoch: starts the workers, fills the page cache
    pass
start = time.perf_counter()
count = 0
for _ in range(epochs):
    for images, labels in loader:
        count += images.shape[0]
seconds = time.perf_counter() - start
print(json.dumps({"images_per_second": count / seconds, "images": count, "seconds": seconds,
                  "torch": torch.__version__, "torchvision": torchvision.__version__}))
