"""Reference for `nbkit bench train`: torchvision resnet50 SGD training steps on one fixed batch.

    python train_step.py SIZE BATCH STEPS THREADS
Prints one JSON object: {"images_per_second": ..., "torch": ...}
"""
import json, sys, time
import torch, torchvision

size, batch, steps, threads = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet50(num_classes=10)
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
x = torch.randn(batch, 3, size, size)
y = torch.randint(0, 10, (batch,))
def step():
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
for _ in range(2):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
seconds = time.perf_counter() - start
print(json.dumps({"images_per_second": batch * steps / seconds, "seconds": seconds, "torch": torch.__version__}))
